"""How a backward pass is derived, as a record, and the one function that carries one out.

A `Derivation` says how each line of a (possibly mistaken) hand-written backward pass is written:
the output delta's form, scale and sign, the factor on lam * W, the L1 term, whether lam * b joins
the biases, which f' is used, what goes into dW(l), how the biases reduce over the batch, which
matrices come out transposed. The default record is the right derivation. A mistake
(catalogue.py) is a function record -> record; `derive` turns any record into the gradients and
the intermediates dz(l), da(l) by calling the one true backward pass (network.backward_from_dz2)
with the record's output delta, lam and f', then replacing the one named line a record changes
after it. There is no second copy of the backward pass.

A student writes the backward pass as a loop over the layers, so a line written wrong is wrong in
every layer that line runs for: the f' of every hidden layer, the input of every dW(l) with
l > 1, the reduction of every bias, the penalty on every W. With one hidden layer these are the
lines dz1, dW2, db1 and db2, dW1 and dW2.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..activations import Activation, get_activation
from ..losses import get_loss
from ..network import Backward, Forward, Params, backward_from_dz2

# The output delta dz(L+1) = dL/dz(L+1) as the student writes it, before its / N and its sign,
# from (y_hat, Y, the run's loss): the loss's own delta for a batch of one (y_hat - y for
# cross-entropy, the summed loss's), or a wrong one.
DZ2_FORMS = {
    "loss": lambda y_hat, Y, loss: get_loss(loss).delta(y_hat, Y, 1),
    # the diagonal of the softmax Jacobian only: right for the true class, 0 instead of y_hat_k for the others
    "single_term": lambda y_hat, Y, loss: -Y * (1 - y_hat),
    # the squared error's derivative through a sigmoid-like output: (y_hat - y) y_hat (1 - y_hat);
    # for the mse loss it is dL/dy_hat times the diagonal of the softmax Jacobian only
    "squared_error": lambda y_hat, Y, loss: (y_hat - Y) * y_hat * (1 - y_hat),
    # dL/dy_hat with no softmax Jacobian after it: cross-entropy's shortcut, y_hat - y, taken for mse
    "no_jacobian": lambda y_hat, Y, loss: y_hat - Y,
}

# f'(z(l)) as the student writes it, from (z(l), a(l), the activation's own f').
DERIVATIVES = {
    "true": None,  # the activation's own
    "none": lambda z, a, df: np.ones_like(z),  # dz(l) = da(l): the factor left out
    "activation": lambda z, a, df: a,  # dz(l) = da(l) * a(l): f instead of f'
    "tanh_from_z": lambda z, a, df: 1 - z**2,  # tanh'(z) = 1 - tanh(z)**2 written 1 - z**2
    "sigmoid_from_z": lambda z, a, df: z * (1 - z),  # sigma'(z) = sigma (1 - sigma) written z (1 - z)
}

# The L1 term of dW(l) as the student writes it.
L1_TERMS = ("sign", "none", "one", "W")  # l1 * sign(W(l)); left out; l1 alone; l1 * W(l), as if L2


@dataclass(frozen=True)
class Derivation:
    """How each line of the backward pass is written; the defaults are the right derivation."""

    dz2_form: str = "loss"  # a key of DZ2_FORMS: the output delta dz(L+1)
    dz2_mean: bool = True  # the output delta divided by N (the loss is the mean), or not
    dz2_sign: int = 1  # -1: (y - y_hat) / N
    lam_factor: float = 1.0  # dW(l) = ... + lam_factor * lam * W(l): 0, 1/2, 2 are the mistakes
    lam_times_N: bool = False  # the summed objective's N * lam * W(l) (and N * l1 * sign(W(l)))
    lam_on_biases: bool = False  # db(l) = ... + lam * b(l)
    l1_term: str = "sign"  # one of L1_TERMS
    derivative: str = "true"  # a key of DERIVATIVES: the f' of every hidden layer
    dW_input: str = "a"  # dW(l) = a(l-1).T @ dz(l) for l > 1; "z": the pre-activation z(l-1)
    biases_mean: bool = False  # db(l) = dz(l).mean(axis=0): a second / N
    transposed: frozenset[str] = field(default_factory=frozenset)  # of "W1", ..., "W(L+1)"


RIGHT = Derivation()


@dataclass
class Derived:
    """What a derivation gives: the parameter gradients under the parameters' names and the
    intermediates dz(L+1) (N, C), then for l = L ... 1 da(l) (N, H(l)) and dz(l) (N, H(l)): with
    one hidden layer dz2, da1, dz1."""

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


def derive(
    record: Derivation,
    params: Params,
    fwd: Forward,
    Y: np.ndarray,
    lam: float,
    loss_name: str = "cross_entropy",
    l1: float = 0.0,
    passes: BackwardPasses | None = None,
) -> Derived:
    """The gradients and intermediates of the backward pass written as `record` says, at `params`
    on the forward pass fwd of X (N, F) against Y (N, C), for the loss `loss_name` with penalties
    lam (L2) and l1 (L1) on every W(l). With `passes` (a search's, at this same point) the pass is
    put together from the ones it already ran: equal to rounding, and many times faster."""
    N, O = Y.shape[0], fwd.L + 1
    dz_out = DZ2_FORMS[record.dz2_form](fwd.y_hat, Y, loss_name)
    dz_out = record.dz2_sign * (dz_out / N if record.dz2_mean else dz_out)  # (N, C)
    times_N = N if record.lam_times_N else 1
    lam_W = lam * times_N * record.lam_factor  # the factor on W(l) in every dW(l)
    l1_sign = l1 * times_N if record.l1_term == "sign" else 0.0
    if record.l1_term == "W":
        lam_W += l1 * times_N  # mistake: l1 * W(l), the L2 term's form, in every dW(l)
    if passes is None:
        back = backward_from_dz2(params, fwd, dz_out, lam_W, _activation(record, fwd.activation), l1=l1_sign)
    else:
        scale = record.dz2_sign * (1 / N if record.dz2_mean else 1)
        back = passes.of(record, scale, lam_W, l1_sign)
    grads = back.grads()
    # the lines after the output delta that a record replaces, each by name, in every layer
    for l in range(1, O + 1):
        W, b, dz = f"W{l}", f"b{l}", back.dz[l - 1]
        if record.dW_input == "z" and l > 1:
            grads[W] = fwd.z[l - 2].T @ dz + lam_W * params[W]  # mistake: z(l-1), not a(l-1)
            if l1_sign:
                grads[W] += l1_sign * np.sign(params[W])
        if record.l1_term == "one" and l1:
            grads[W] = grads[W] + l1 * times_N  # mistake: l1 alone, d|W|/dW taken as 1
        if record.biases_mean:
            grads[b] = dz.mean(axis=0)  # mistake: a second / N
        if record.lam_on_biases:
            grads[b] = grads[b] + lam * times_N * params[b]  # mistake: biases are not penalised
    for name in transposed_names(record, O):
        grads[name] = grads[name].T  # mistake: the right numbers in the wrong layout
    return Derived(grads, intermediates(back.dz, back.da))


class BackwardPasses:
    """backward_from_dz2 at one point (params, fwd, Y, loss) run once for each output delta form
    and f' a search asks for. The pass is linear in the output delta, lam and l1 together, so a
    record's pass is scale * pass(its form, unscaled, its f') + lam_W * pass(lam = 1) + l1 *
    pass(l1 = 1), each of them the one true backward pass; only the sum is new (rounding apart, it
    is what backward_from_dz2 gives for the record's own output delta, lam and l1)."""

    def __init__(self, params: Params, fwd: Forward, Y: np.ndarray, loss_name: str):
        self.params, self.fwd, self.Y, self.loss_name = params, fwd, Y, loss_name
        self._runs: dict[tuple, Backward] = {}  # backward_from_dz2's, by output delta form and f'
        self._sums: dict[tuple, Backward] = {}  # a record's, by everything its pass depends on

    def _run(self, key: tuple, dz_out: np.ndarray, lam: float = 0.0, l1: float = 0.0, record=RIGHT):
        if key not in self._runs:
            f = _activation(record, self.fwd.activation)
            self._runs[key] = backward_from_dz2(self.params, self.fwd, dz_out, lam, f, l1=l1)
        return self._runs[key]

    def of(self, record: Derivation, scale: float, lam_W: float, l1_sign: float) -> Backward:
        """The pass from scale * the record's output delta form, with its f', lam_W and l1_sign."""
        key = (record.dz2_form, record.derivative, scale, lam_W, l1_sign)
        if key not in self._sums:
            self._sums[key] = self._sum(record, scale, lam_W, l1_sign)
        return self._sums[key]

    def _sum(self, record: Derivation, scale: float, lam_W: float, l1_sign: float) -> Backward:
        fwd = self.fwd
        raw = DZ2_FORMS[record.dz2_form](fwd.y_hat, self.Y, self.loss_name)
        data = self._run(("data", record.dz2_form, record.derivative), raw, record=record)
        zero = np.zeros_like(raw)
        dW = [scale * dW for dW in data.dW]
        if lam_W:
            dW = [d + lam_W * w for d, w in zip(dW, self._run(("lam",), zero, lam=1.0).dW, strict=True)]
        if l1_sign:
            dW = [d + l1_sign * s for d, s in zip(dW, self._run(("l1",), zero, l1=1.0).dW, strict=True)]
        return Backward(
            [scale * dz for dz in data.dz],
            dW,
            [scale * db for db in data.db],
            [scale * da for da in data.da],
            scale * data.dX,
        )


def intermediate_names(L: int) -> tuple[str, ...]:
    """dz(L+1), then da(l), dz(l) for l = L ... 1: in the order the backward pass computes them
    (dz2, da1, dz1 with one hidden layer)."""
    names = [f"dz{L + 1}"]
    for l in range(L, 0, -1):
        names += [f"da{l}", f"dz{l}"]
    return tuple(names)


def intermediates(dz: list[np.ndarray], da: list[np.ndarray]) -> dict[str, np.ndarray]:
    """{dz(L+1), da(L), dz(L), ..., da1, dz1} from the backward pass's lists."""
    L = len(da)
    arrays = {f"dz{L + 1}": dz[L]}
    for l in range(L, 0, -1):
        arrays[f"da{l}"], arrays[f"dz{l}"] = da[l - 1], dz[l - 1]
    return arrays


def transposed_names(record: Derivation, O: int) -> frozenset[str]:
    """The weight gradients the record lays out transposed, of W1 ... W(O): "all" is every one."""
    if "all" in record.transposed:
        return frozenset(f"W{l}" for l in range(1, O + 1))
    return record.transposed
