"""The derivation's batch form: network.py's own forward and backward pass on all N rows, in matrix
form, one equation a line, at every depth (capitals in the TeX for the N-row matrices):

    Z{l} = A{l-1} W{l} + b{l},  A{l} = f(Z{l})           l = 1 ... L  (A0 = X)
    Y_hat = softmax(Z{O}) row by row                     O = L + 1
    dZ{O} = the loss's output delta                      BP1
    dW{l} = A{l-1}.T dZ{l} + lam W{l} (+ l1 sign(W{l}))  BP4
    db{l} = 1.T dZ{l}                                    BP3
    dA{l-1} = dZ{l} W{l}.T,  dZ{l-1} = dA{l-1} * f'     BP2
    dX = dZ1 W1.T

with the check that the per-sample contributions (derivation.py's dW) summed over the N samples,
plus the penalties' gradients, are this form's dW, for every layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .activations import Activation, get_activation
from .derivation_stage import Layers, Stage, feature_tex, feature_text, max_abs
from .features import DEFAULT_FEATURES, check_features, expand
from .losses import get_loss
from .network import backward, depth, forward, layer_sizes
from .targets import check_targets

SUMS_AGREE_RELATIVE = 1e-10  # the two forms' dW agree to this share of the largest |dW| (N <= 1e5)
SUM_ENTRIES = 1 << 20  # samples at a time times H(l-1) * H(l): (chunk, H(l-1), H(l)) stays some 8 MB


@dataclass
class SumOfSamples:
    """Sample n's contributions to a weight's gradient, summed over n, plus the penalties'
    gradients, against the batch gradient: the two forms are one computation."""

    name: str  # "dW1", "dW2", ...
    max_abs_difference: float  # largest |sum_n dW[n] + lam * W + l1 * sign(W) - dW|
    max_abs: float  # largest |dW|, the batch form's

    @property
    def agree(self) -> bool:
        """The difference is rounding: summing N terms loses some N * 1e-16 of the largest."""
        return bool(self.max_abs_difference <= SUMS_AGREE_RELATIVE * self.max_abs)


@dataclass
class BatchDerivation:
    N: int
    activation: str
    lam: float
    stages: list[Stage]
    sums: list[SumOfSamples]
    l1: float = 0.0
    loss: str = "cross_entropy"

    def __getitem__(self, name: str) -> np.ndarray:
        for stage in self.stages:
            if stage.name == name:
                return stage.value
        raise KeyError(name)


def Z_tex(l: int) -> str:  # noqa: N802 - the notes' capital
    return r"Z_1 = X\,W_1 + b_1" if l == 1 else f"Z_{l} = A_{l - 1} W_{l} + b_{l}"


def dW_text(l: int, l1: float) -> str:
    """BP4 in Python: "dW2 = a1.T @ dz2 + lam * W2", the l1 term only when there is one."""
    a_in = "X" if l == 1 else f"a{l - 1}"
    return f"dW{l} = {a_in}.T @ dz{l} + lam * W{l}" + (f" + l1 * sign(W{l})" if l1 else "")


def dW_tex(l: int, l1: float) -> str:
    a_in = "X" if l == 1 else f"A_{l - 1}"
    return rf"\mathrm{{d}}W_{l} = {a_in}^{{\top}}\, \mathrm{{d}}Z_{l} + \lambda W_{l}" + (
        rf" + \lambda_1 \operatorname{{sign}}(W_{l})" if l1 else ""
    )


def dZ_hidden_tex(l: int, names: Layers, act: Activation) -> str:
    line = rf"\mathrm{{d}}Z_{l} = \mathrm{{d}}A_{l} \odot {act.df_tex(f'Z_{l}', f'A_{l}')}"
    return line if names.L == 1 else rf"\delta_{l} = {line}"


def X_stage(names: Layers, X: np.ndarray) -> Stage:  # noqa: N802 - the notes' capital
    """The inputs: the points themselves, or their features, each computed from the columns x1, x2."""
    if names.features == DEFAULT_FEATURES:
        return Stage("X", "X  # the N training inputs, a row each", X, "forward", "X", ("N", "2"), 0)
    return Stage(
        "X",
        f"X = column_stack({feature_text(names.features)})  # the features, x1 and x2 the points' columns",
        X,
        "forward",
        f"X = {feature_tex(names.features)}" + r"\ \text{a row a point}",
        ("N", "F"),
        0,
    )


def derive_batch(
    params: dict,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "tanh",
    lam: float = 0.0,
    loss_name: str = "cross_entropy",
    l1: float = 0.0,
    features: Sequence[str] = DEFAULT_FEATURES,
) -> BatchDerivation:
    """The backward pass for the whole batch of points X (N, 2) with targets Y (N, C), the network
    fed `features` of them, in matrix form, in float64: the values are network.forward's and
    network.backward's own arrays."""
    layer_sizes(params)
    params = {name: np.asarray(value, dtype=np.float64) for name, value in params.items()}
    names = Layers(depth(params), check_features(features))
    O, w = names.O, names.width
    inputs = expand(np.asarray(X, dtype=np.float64), names.features)
    Y = check_targets(np.asarray(Y, dtype=np.float64), N=inputs.shape[0], C=params[f"W{O}"].shape[1])
    act, loss = get_activation(activation), get_loss(loss_name)
    fwd = forward(params, inputs, activation)
    back = backward(params, fwd, Y, lam, loss_name, l1)

    forward_pass = [X_stage(names, inputs)]
    for l in range(1, O + 1):
        a_in = "X" if l == 1 else f"a{l - 1}"
        forward_pass += [
            Stage(f"W{l}", f"W{l}", params[f"W{l}"], "forward", f"W_{l}", (w(l - 1), w(l)), l),
            Stage(f"z{l}", f"z{l} = {a_in} @ W{l} + b{l}", fwd.z[l - 1], "forward", Z_tex(l), ("N", w(l)), l),
        ]
        if l < O:
            forward_pass.append(
                Stage(
                    f"a{l}",
                    f"a{l} = {activation}(z{l})",
                    fwd.a[l - 1],
                    "forward",
                    f"A_{l} = {act.tex}(Z_{l})",
                    ("N", w(l)),
                    l,
                )
            )
    forward_pass += [
        Stage(
            "y_hat",
            f"y_hat = softmax(z{O}) = exp(z{O}) / exp(z{O}).sum(axis=1, keepdims=True)",
            fwd.y_hat,
            "forward",
            rf"\hat Y = \operatorname{{softmax}}(Z_{O})\ \text{{row by row}}",
            ("N", "C"),
            O,
        ),
        Stage(
            "Y", "Y  # the targets, each row sums to 1", Y, "forward", r"Y \;\text{(targets)}", ("N", "C"), O
        ),
    ]
    backward_pass = [
        Stage(
            f"dz{O}",
            f"dz{O} = {loss.batch_delta_text}",
            back.dz[-1],
            "backward",
            rf"\mathrm{{d}}Z_{O} = {loss.batch_delta_tex}",
            ("N", "C"),
            O,
        )
    ]
    for l in names.down():
        backward_pass += [
            Stage(f"dW{l}", dW_text(l, l1), back.dW[l - 1], "backward", dW_tex(l, l1), (w(l - 1), w(l)), l),
            Stage(
                f"db{l}",
                f"db{l} = dz{l}.sum(axis=0)",
                back.db[l - 1],
                "backward",
                rf"\mathrm{{d}}b_{l} = \mathbf{{1}}^{{\top}} \mathrm{{d}}Z_{l}",
                (w(l),),
                l,
            ),
        ]
        if l > 1:
            k = l - 1
            backward_pass += [
                Stage(
                    f"da{k}",
                    f"da{k} = dz{l} @ W{l}.T",
                    back.da[k - 1],
                    "backward",
                    rf"\mathrm{{d}}A_{k} = \mathrm{{d}}Z_{l}\, W_{l}^{{\top}}",
                    ("N", w(k)),
                    k,
                ),
                Stage(
                    f"dz{k}",
                    f"dz{k} = da{k} * {act.df_factor_text(f'z{k}', f'a{k}')}",
                    back.dz[k - 1],
                    "backward",
                    dZ_hidden_tex(k, names, act),
                    ("N", w(k)),
                    k,
                ),
            ]
    backward_pass.append(
        Stage(
            "dX",
            "dX = dz1 @ W1.T",
            back.dX,
            "backward",
            r"\mathrm{d}X = \mathrm{d}Z_1\, W_1^{\top}",
            ("N", w(0)),
            0,
        )
    )
    sums = [
        sum_of_samples(
            f"dW{l}",
            fwd.a_in(l),
            back.dz[l - 1],
            lam * params[f"W{l}"] + l1 * np.sign(params[f"W{l}"]),
            back.dW[l - 1],
        )
        for l in names.down()
    ]
    return BatchDerivation(
        inputs.shape[0], activation, float(lam), forward_pass + backward_pass, sums, float(l1), loss.name
    )


def sum_of_samples(
    name: str, inputs: np.ndarray, deltas: np.ndarray, penalty: np.ndarray, batch: np.ndarray
) -> SumOfSamples:
    """sum over n of outer(inputs[n], deltas[n]) (sample n's share, as derive() makes it), plus
    the penalties' gradient, against the batch form's gradient."""
    total = np.zeros_like(batch)
    chunk = max(1, SUM_ENTRIES // max(1, batch.size))
    for start in range(0, inputs.shape[0], chunk):
        rows = slice(start, start + chunk)
        total += (inputs[rows, :, None] * deltas[rows, None, :]).sum(axis=0)  # one outer product a sample
    return SumOfSamples(name, max_abs(total + penalty - batch), max_abs(batch))
