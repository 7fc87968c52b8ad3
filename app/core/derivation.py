"""The worked forward and backward pass for one sample n, every staged quantity with its value.

The backward pass is shown twice for the output layer: the long way through the softmax Jacobian

    dL/dy_hat = -Y[n] / y_hat[n] / N
    J         = diag(y_hat[n]) - outer(y_hat[n], y_hat[n])     (C, C)
    dz2[n]    = J.T @ dL/dy_hat

and the short way (y_hat[n] - Y[n]) / N, which is what that product simplifies to because the
row Y[n] sums to 1. The two agree to rounding; their difference is one of the stages. Beside them,
the usual mistake in that layer (the Jacobian's diagonal only), fed through the same backward pass.

Every gradient here is sample n's contribution to the mean loss L over the N training samples:
summing dW2 over all n and adding lam * W2 gives network.backward's dW2 (likewise dW1). They come
from network.py itself, run on the one row X[n] with its row of the batch's dz2.

Beside it, `derive_batch` is the same pass in matrix form for the whole batch (X (N, 2) down to
dW1 (2, H)), its values network.forward's and network.backward's own arrays, with the check that
the per-sample contributions add up to it.

Each stage's `equation` is Python over numpy that evaluates to the stage's value, given the other
stages by name (and X, Y, W1, b1, W2, b2, N, lam, the activation by its name, and numpy's exp,
log, sum, outer, diag): "dz1 = da1 * (1 - a1**2)", "dW2 = a1.T @ dz2 + lam * W2". A chain
"a = b = c" means every part equals the value, and what follows "#" is a comment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import Activation, get_activation
from .checks import check_int
from .gradcheck import relative_error
from .losses import Loss, get_loss
from .mistakes import MISTAKES_BY_NAME
from .network import PARAM_NAMES, Params, backward, backward_from_dz2, check_params, forward
from .softmax import softmax_jacobian
from .targets import check_targets

# The long and the short way agree when their largest difference is this small against the
# largest |dz2| (rounding in float64), or this small in itself (dz2 about 0: a point it has learnt).
AGREE_RELATIVE = 1e-12
AGREE_ABSOLUTE = 1e-15
SHOWN_MISTAKE = "single_term_softmax"  # the mistake made in the layer the two ways work out
SUMS_AGREE_RELATIVE = 1e-10  # the two forms' dW agree to this share of the largest |dW| (N <= 1e5)
MISTAKE_DIFFERENCE_TEX = r"\text{mistake} - \text{short way}"


@dataclass
class Stage:
    """One line of the derivation: a named quantity, the equation that makes it, its value."""

    name: str
    equation: str
    value: np.ndarray
    phase: str  # "forward" or "backward"
    tex: str = ""  # the equation as the lecture notes typeset it
    dims: tuple[str, ...] = ()  # the shape in the notes' letters: ("N", "C"); () for a scalar

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape


@dataclass
class WorkedMistake:
    """The usual mistake in dz2 for this sample, and how far it lands from the right answer."""

    name: str
    title: str
    explanation: str
    stages: list[Stage]  # its dz2, that minus the short way's, the dW2 it leads to
    dz2_max_abs_difference: float
    dW2_max_abs_difference: float
    dW2_max_rel_error: float


@dataclass
class Derivation:
    n: int
    N: int
    activation: str
    stages: list[Stage]
    dz2_max_abs_difference: float = 0.0  # largest |long way - short way|
    dz2_max_abs: float = 0.0  # largest |dz2|, the short way
    mistake: WorkedMistake | None = None

    @property
    def two_ways_agree(self) -> bool:
        """The long way and the short way give the same dz2, to rounding."""
        worst = self.dz2_max_abs_difference
        return bool(worst <= AGREE_RELATIVE * self.dz2_max_abs or worst < AGREE_ABSOLUTE)

    def __getitem__(self, name: str) -> np.ndarray:
        for stage in self.stages:
            if stage.name == name:
                return stage.value
        raise KeyError(name)


def max_abs(values: np.ndarray) -> float:
    """The largest |entry|; inf if any entry is inf or nan (a difference that is not a number is
    not small)."""
    values = np.abs(np.asarray(values, dtype=np.float64))
    return float(np.max(np.where(np.isnan(values), np.inf, values), initial=0.0))


# Each stage's equation as the lecture notes typeset it (batch in rows: x W_1, not W_1 x).
TEX = {
    "z1": r"z_1 = x\,W_1 + b_1",
    "z2": "z_2 = a_1 W_2 + b_2",
    "y_hat": r"\hat y = \operatorname{softmax}(z_2)",
    "y": r"y \;\text{(target)}",
    "J": r"J = \frac{\partial \hat y}{\partial z_2} = \operatorname{diag}(\hat y) - \hat y^{\top} \hat y",
    "dz2_long": r"\mathrm{d}z_2 = \frac{\partial L}{\partial \hat y}\, J",
    "dz2_difference": r"\text{long} - \text{short}",
    "dW2": r"\mathrm{d}W_2 = a_1^{\top}\, \mathrm{d}z_2",
    "db2": r"\mathrm{d}b_2 = \mathrm{d}z_2",
    "da1": r"\mathrm{d}a_1 = \mathrm{d}z_2\, W_2^{\top}",
    "dW1": r"\mathrm{d}W_1 = x^{\top}\, \mathrm{d}z_1",
    "db1": r"\mathrm{d}b_1 = \mathrm{d}z_1",
    "dx": r"\mathrm{d}x = \mathrm{d}z_1\, W_1^{\top}",
}


def stage_tex(n: int, act: Activation, loss: Loss) -> dict[str, str]:
    """Every stage's TeX for sample n, the activation's and the loss's lines from their entries."""
    return TEX | {
        "x": f"x = X_{{{n}}}",
        "a1": f"a_1 = {act.tex}(z_1)",
        "loss": rf"\ell = {loss.sample_tex}",
        "dL_dy_hat": rf"\frac{{\partial L}}{{\partial \hat y}} = {loss.dL_dy_hat_tex}",
        "dz2": rf"\mathrm{{d}}z_2 = {loss.delta_tex}",
        "dz1": rf"\mathrm{{d}}z_1 = \mathrm{{d}}a_1 \odot {act.df_tex()}",
    }


def derive(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    n: int,
    activation: str = "tanh",
    loss_name: str = "cross_entropy",
) -> Derivation:
    """Derivation for sample n of (X (N, 2), Y (N, C)), in float64. The regularisation term's
    gradient lam * W is not a per-sample quantity and is not part of these contributions."""
    check_params(params)
    params = {name: np.asarray(params[name], dtype=np.float64) for name in PARAM_NAMES}
    X = np.asarray(X, dtype=np.float64)
    Y = check_targets(np.asarray(Y, dtype=np.float64), N=X.shape[0], C=params["W2"].shape[1])
    N = X.shape[0]
    n = check_int("n", n, 0, N - 1)
    act, loss = get_activation(activation), get_loss(loss_name)

    row = slice(n, n + 1)  # sample n as a batch of one row: every array below is (1, ...)
    fwd = forward(params, X[row], activation)
    y = Y[row]
    loss_n = loss.value(fwd.log_y_hat, fwd.y_hat, y)  # its loss; it adds loss_n / N to L
    dz2 = loss.delta(fwd.y_hat, y, N)  # (1, C)  sample n's row of the batch's dz2: the short way
    # The long way divides by y_hat: when a y_hat underflows it overflows (the reason frameworks
    # fuse softmax with cross-entropy). Show the inf or nan it gives rather than warn.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        dL_dy_hat = loss.dL_dy_hat(fwd.y_hat, y, N)[0]  # (C,)
        J = softmax_jacobian(fwd.y_hat[0])  # (C, C)  dy_hat_j / dz2_i, symmetric
        dz2_long = J.T @ dL_dy_hat  # (C,)
        dz2_difference = dz2_long - dz2[0]  # (C,)
    back = backward_from_dz2(params, fwd, dz2)  # its share of every gradient, no lam

    tex = stage_tex(n, act, loss)
    forward_pass = [
        ("x", f"x = X[{n}]", X[n], ("2",)),
        ("z1", "z1 = x @ W1 + b1", fwd.z1[0], ("H",)),
        ("a1", f"a1 = {activation}(z1)", fwd.a1[0], ("H",)),
        ("z2", "z2 = a1 @ W2 + b2", fwd.z2[0], ("C",)),
        ("y_hat", "y_hat = softmax(z2) = exp(z2) / sum(exp(z2))", fwd.y_hat[0], ("C",)),
        ("y", f"y = Y[{n}]", Y[n], ("C",)),
        ("loss", f"loss_n = {loss.sample_text}  # adds loss_n / N to L", np.asarray(loss_n), ()),
    ]
    backward_pass = [
        ("dL_dy_hat", f"dL_dy_hat = {loss.dL_dy_hat_text}", dL_dy_hat, ("C",)),
        ("J", "J = diag(y_hat) - outer(y_hat, y_hat)", J, ("C", "C")),
        ("dz2_long", "dz2 = J.T @ dL_dy_hat  # the long way", dz2_long, ("C",)),
        ("dz2", f"dz2 = {loss.delta_text}  # the short way", dz2[0], ("C",)),
        ("dz2_difference", "dz2_difference = dz2_long - dz2  # long way - short way", dz2_difference, ("C",)),
        ("dW2", "dW2 = outer(a1, dz2)", back.dW2, ("H", "C")),
        ("db2", "db2 = dz2", back.db2, ("C",)),
        ("da1", "da1 = dz2 @ W2.T", back.da1[0], ("H",)),
        ("dz1", f"dz1 = da1 * {act.df_factor_text()}", back.dz1[0], ("H",)),
        ("dW1", "dW1 = outer(x, dz1)", back.dW1, ("2", "H")),
        ("db1", "db1 = dz1", back.db1, ("H",)),
        ("dx", "dx = dz1 @ W1.T", back.dX[0], ("2",)),
    ]
    stages = [Stage(name, eq, value, "forward", tex[name], dims) for name, eq, value, dims in forward_pass]
    stages += [Stage(name, eq, value, "backward", tex[name], dims) for name, eq, value, dims in backward_pass]
    return Derivation(
        n,
        N,
        activation,
        stages,
        dz2_max_abs_difference=max_abs(dz2_difference),
        dz2_max_abs=max_abs(dz2),
        mistake=_worked_mistake(params, fwd, y, N, dz2, back.dW2),
    )


def _worked_mistake(params: Params, fwd, y: np.ndarray, N: int, dz2: np.ndarray, dW2: np.ndarray):
    """The mistake in dz2 made for the one row of fwd (1, ...), fed through the same backward pass."""
    mistake = MISTAKES_BY_NAME[SHOWN_MISTAKE]
    wrong_dz2 = mistake.wrong_dz2(fwd.y_hat, y, N)  # (1, C)
    wrong_dW2 = backward_from_dz2(params, fwd, wrong_dz2).dW2  # (H, C)
    difference = wrong_dz2[0] - dz2[0]
    stages = [
        Stage(
            "dz2",
            f"dz2 = {mistake.wrong_dz2_text}  # the mistake",
            wrong_dz2[0],
            "backward",
            rf"\mathrm{{d}}z_{{2,r}} \overset{{?}}{{=}} {mistake.wrong_dz2_tex}",
            ("C",),
        ),
        Stage(
            "dz2_difference",
            f"dz2_difference = ({mistake.wrong_dz2_text}) - dz2  # the mistake - the short way",
            difference,
            "backward",
            MISTAKE_DIFFERENCE_TEX,
            ("C",),
        ),
        Stage(
            "dW2",
            f"dW2 = outer(a1, {mistake.wrong_dz2_text})  # with the mistake's dz2",
            wrong_dW2,
            "backward",
            r"\text{its } \mathrm{d}W_2 = a_1^{\top} \mathrm{d}z_2^{\text{mistake}}",
            ("H", "C"),
        ),
    ]
    return WorkedMistake(
        mistake.name,
        mistake.title,
        mistake.explanation,
        stages,
        dz2_max_abs_difference=max_abs(difference),
        dW2_max_abs_difference=max_abs(wrong_dW2 - dW2),
        dW2_max_rel_error=max_abs(relative_error(wrong_dW2, dW2, tiny=1e-300)),
    )


# The batch form: network.py's own forward and backward pass on all N rows, one equation a line.
BATCH_TEX = {
    "X": r"X",
    "W1": r"W_1",
    "z1": r"Z_1 = X\,W_1 + b_1",
    "W2": r"W_2",
    "z2": r"Z_2 = A_1 W_2 + b_2",
    "y_hat": r"\hat Y = \operatorname{softmax}(Z_2)\ \text{row by row}",
    "Y": r"Y \;\text{(targets)}",
    "dW2": r"\mathrm{d}W_2 = A_1^{\top}\, \mathrm{d}Z_2 + \lambda W_2",
    "db2": r"\mathrm{d}b_2 = \mathbf{1}^{\top} \mathrm{d}Z_2",
    "da1": r"\mathrm{d}A_1 = \mathrm{d}Z_2\, W_2^{\top}",
    "dW1": r"\mathrm{d}W_1 = X^{\top}\, \mathrm{d}Z_1 + \lambda W_1",
    "db1": r"\mathrm{d}b_1 = \mathbf{1}^{\top} \mathrm{d}Z_1",
    "dX": r"\mathrm{d}X = \mathrm{d}Z_1\, W_1^{\top}",
}


def batch_tex(act: Activation, loss: Loss) -> dict[str, str]:
    """Every batch stage's TeX (capitals for the N-row matrices), f, f' and dZ2 from their entries."""
    return BATCH_TEX | {
        "a1": f"A_1 = {act.tex}(Z_1)",
        "dz2": rf"\mathrm{{d}}Z_2 = {loss.batch_delta_tex}",
        "dz1": rf"\mathrm{{d}}Z_1 = \mathrm{{d}}A_1 \odot {act.df_tex('Z_1', 'A_1')}",
    }


@dataclass
class SumOfSamples:
    """Sample n's contributions to a weight's gradient, summed over n, plus lam * W, against the
    batch gradient: the two forms are one computation."""

    name: str  # "dW2" or "dW1"
    max_abs_difference: float  # largest |sum_n dW[n] + lam * W - dW|
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

    def __getitem__(self, name: str) -> np.ndarray:
        for stage in self.stages:
            if stage.name == name:
                return stage.value
        raise KeyError(name)


def derive_batch(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "tanh",
    lam: float = 0.0,
    loss_name: str = "cross_entropy",
) -> BatchDerivation:
    """The backward pass for the whole batch (X (N, 2), Y (N, C)) in matrix form, in float64: the
    values are network.forward's and network.backward's own arrays."""
    check_params(params)
    params = {name: np.asarray(params[name], dtype=np.float64) for name in PARAM_NAMES}
    X = np.asarray(X, dtype=np.float64)
    Y = check_targets(np.asarray(Y, dtype=np.float64), N=X.shape[0], C=params["W2"].shape[1])
    act, loss = get_activation(activation), get_loss(loss_name)
    fwd = forward(params, X, activation)
    back = backward(params, fwd, Y, lam, loss_name)

    tex = batch_tex(act, loss)
    forward_pass = [
        ("X", "X  # the N training inputs, a row each", X, ("N", "2")),
        ("W1", "W1", params["W1"], ("2", "H")),
        ("z1", "z1 = X @ W1 + b1", fwd.z1, ("N", "H")),
        ("a1", f"a1 = {activation}(z1)", fwd.a1, ("N", "H")),
        ("W2", "W2", params["W2"], ("H", "C")),
        ("z2", "z2 = a1 @ W2 + b2", fwd.z2, ("N", "C")),
        (
            "y_hat",
            "y_hat = softmax(z2) = exp(z2) / exp(z2).sum(axis=1, keepdims=True)",
            fwd.y_hat,
            ("N", "C"),
        ),
        ("Y", "Y  # the targets, each row sums to 1", Y, ("N", "C")),
    ]
    backward_pass = [
        ("dz2", f"dz2 = {loss.batch_delta_text}", back.dz2, ("N", "C")),
        ("dW2", "dW2 = a1.T @ dz2 + lam * W2", back.dW2, ("H", "C")),
        ("db2", "db2 = dz2.sum(axis=0)", back.db2, ("C",)),
        ("da1", "da1 = dz2 @ W2.T", back.da1, ("N", "H")),
        ("dz1", f"dz1 = da1 * {act.df_factor_text()}", back.dz1, ("N", "H")),
        ("dW1", "dW1 = X.T @ dz1 + lam * W1", back.dW1, ("2", "H")),
        ("db1", "db1 = dz1.sum(axis=0)", back.db1, ("H",)),
        ("dX", "dX = dz1 @ W1.T", back.dX, ("N", "2")),
    ]
    stages = [Stage(name, eq, value, "forward", tex[name], dims) for name, eq, value, dims in forward_pass]
    stages += [Stage(name, eq, value, "backward", tex[name], dims) for name, eq, value, dims in backward_pass]
    sums = [
        sum_of_samples("dW2", fwd.a1, back.dz2, lam * params["W2"], back.dW2),
        sum_of_samples("dW1", fwd.X, back.dz1, lam * params["W1"], back.dW1),
    ]
    return BatchDerivation(X.shape[0], activation, float(lam), stages, sums)


SUM_CHUNK = 256  # samples at a time: (256, H, C) stays small for any H the server allows


def sum_of_samples(
    name: str, inputs: np.ndarray, deltas: np.ndarray, penalty: np.ndarray, batch: np.ndarray
) -> SumOfSamples:
    """sum over n of outer(inputs[n], deltas[n]) (sample n's share, as derive() makes it), plus
    the penalty's gradient, against the batch form's gradient."""
    total = np.zeros_like(batch)
    for start in range(0, inputs.shape[0], SUM_CHUNK):
        rows = slice(start, start + SUM_CHUNK)
        total += (inputs[rows, :, None] * deltas[rows, None, :]).sum(axis=0)  # one outer product a sample
    return SumOfSamples(name, max_abs(total + penalty - batch), max_abs(batch))
