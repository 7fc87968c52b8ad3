"""How a backward pass is derived, as a record, and the one function that carries one out.

A `Derivation` says how each line of a (possibly mistaken) hand-written backward pass is written:
dz2's form, scale and sign, the factor on lam * W, whether lam * b joins the biases, which f' is
used, what goes into dW2, how the biases reduce over the batch, which matrices come out
transposed. The default record is the right derivation. A mistake (catalogue.py) is a function
record -> record; `derive` turns any record into the gradients and the intermediates dz2, da1,
dz1 by calling the one true backward pass (network.backward_from_dz2) with the record's dz2, lam
and f', then replacing the one named line a record changes after it. There is no second copy of
the backward pass.

For deeper networks each layer gets its own delta: the per-layer fields here (lam factor, f',
bias reduction, transposed) will then be keyed by the layer index, and a mistake made per layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..activations import Activation, get_activation
from ..losses import get_loss
from ..network import Forward, Params, backward_from_dz2

# dz2 = dL/dz2 as the student writes it, before its / N and its sign: the loss's own delta for a
# batch of one (y_hat - y, the summed loss's), or a wrong one.
DZ2_FORMS = {
    "softmax_cross_entropy": lambda y_hat, Y: get_loss("cross_entropy").delta(y_hat, Y, 1),
    # the diagonal of the softmax Jacobian only: right for the true class, 0 instead of y_hat_k for the others
    "single_term": lambda y_hat, Y: -Y * (1 - y_hat),
    # the squared error's derivative through a sigmoid-like output: (y_hat - y) y_hat (1 - y_hat)
    "squared_error": lambda y_hat, Y: (y_hat - Y) * y_hat * (1 - y_hat),
}

# f'(z1) as the student writes it, from (z1, a1, the activation's own f').
DERIVATIVES = {
    "true": None,  # the activation's own
    "none": lambda z, a, df: np.ones_like(z),  # dz1 = da1: the factor left out
    "activation": lambda z, a, df: a,  # dz1 = da1 * a1: f instead of f'
    "tanh_from_z": lambda z, a, df: 1 - z**2,  # tanh'(z) = 1 - tanh(z)**2 written 1 - z**2
    "sigmoid_from_z": lambda z, a, df: z * (1 - z),  # sigma'(z) = sigma (1 - sigma) written z (1 - z)
}


@dataclass(frozen=True)
class Derivation:
    """How each line of the backward pass is written; the defaults are the right derivation."""

    dz2_form: str = "softmax_cross_entropy"  # a key of DZ2_FORMS
    dz2_mean: bool = True  # dz2 divided by N (the loss is the mean), or not
    dz2_sign: int = 1  # -1: (y - y_hat) / N
    lam_factor: float = 1.0  # dW = ... + lam_factor * lam * W: 0, 1/2, 2 are the mistakes
    lam_times_N: bool = False  # the summed objective's N * lam * W
    lam_on_biases: bool = False  # db = ... + lam * b
    derivative: str = "true"  # a key of DERIVATIVES  (per hidden layer, with depth)
    dW2_input: str = "a1"  # dW2 = a1.T @ dz2; "z1": the pre-activation instead
    biases_mean: bool = False  # db = dz.mean(axis=0): a second / N
    transposed: frozenset[str] = field(default_factory=frozenset)  # of "W1", "W2"


RIGHT = Derivation()


@dataclass
class Derived:
    """What a derivation gives: the parameter gradients under the parameters' names and the
    intermediates dz2 (N, C), da1 (N, H), dz1 (N, H)."""

    grads: Params
    intermediates: dict[str, np.ndarray]

    def arrays(self) -> dict[str, np.ndarray]:
        return {**self.grads, **self.intermediates}


def _activation(record: Derivation, activation: str) -> Activation | None:
    """The f' the record uses, as an Activation for backward_from_dz2; None for the right one."""
    wrong = DERIVATIVES[record.derivative]
    if wrong is None:
        return None
    right = get_activation(activation)
    return replace(right, df=lambda z, a: wrong(z, a, right.df))


def derive(record: Derivation, params: Params, fwd: Forward, Y: np.ndarray, lam: float) -> Derived:
    """The gradients and intermediates of the backward pass written as `record` says, at `params`
    on the forward pass fwd of X (N, 2) against Y (N, C)."""
    N = Y.shape[0]
    dz2 = DZ2_FORMS[record.dz2_form](fwd.y_hat, Y)
    dz2 = record.dz2_sign * (dz2 / N if record.dz2_mean else dz2)  # (N, C)
    lam_W = lam * (N if record.lam_times_N else 1)
    back = backward_from_dz2(params, fwd, dz2, lam_W * record.lam_factor, _activation(record, fwd.activation))
    grads = back.grads()
    # the lines after dz2 that a record replaces, each by name
    if record.dW2_input == "z1":
        grads["W2"] = fwd.z1.T @ dz2 + lam_W * record.lam_factor * params["W2"]  # mistake: z1, not a1
    if record.biases_mean:
        grads["b1"], grads["b2"] = back.dz1.mean(axis=0), dz2.mean(axis=0)  # mistake: a second / N
    if record.lam_on_biases:
        grads["b1"] = grads["b1"] + lam_W * params["b1"]  # mistake: biases are not penalised
        grads["b2"] = grads["b2"] + lam_W * params["b2"]
    for name in record.transposed:
        grads[name] = grads[name].T  # mistake: the right numbers in the wrong layout
    return Derived(grads, {"dz2": back.dz2, "da1": back.da1, "dz1": back.dz1})
