"""The worked forward and backward pass for one sample n, every staged quantity with its value, at
every depth (L hidden layers, the output layer O = L + 1).

The backward pass starts at the output layer, worked out the long way through the softmax Jacobian

    dL/dy_hat = the loss's derivative for sample n                  (C,)
    J         = diag(y_hat[n]) - outer(y_hat[n], y_hat[n])          (C, C)
    dz{O}[n]  = J.T @ dL/dy_hat

and beside it the loss's own output delta. For cross-entropy that is the short way
(y_hat[n] - Y[n]) / N, what the product simplifies to because the row Y[n] sums to 1; mse has no
short way (nothing cancels: its line is the same product multiplied out). The two agree to rounding;
their difference is one of the stages. For cross-entropy, beside them, the usual mistake in that
layer (the Jacobian's diagonal only), fed through the same backward pass.

Then Nielsen's BP2-BP4 written out layer by layer, l = O down to 1:

    dW{l}   = outer(a{l-1}, dz{l})        BP4 (a0 is x)
    db{l}   = dz{l}                       BP3
    da{l-1} = dz{l} @ W{l}.T
    dz{l-1} = da{l-1} * f'(z{l-1})        BP2

and last dx = dz1 @ W1.T. With one hidden layer these are the lecture's lines: dz2, dW2, db2, da1,
dz1, dW1, db1, dx.

Every gradient here is sample n's contribution to the mean loss L over the N training samples:
summing dW(l) over all n and adding lam * W(l) + l1 * sign(W(l)) gives network.backward's dW(l).
They come from network.py itself, run on the one row of the inputs with its row of the output delta.

The batch form, `derive_batch` (derivation_batch.py), is the same pass in matrix form.

Each stage's `equation` is Python over numpy that evaluates to the stage's value, given the other
stages by name (and X, Y, W1, b1, ..., N, lam, l1, the activation by its name, numpy's exp, log,
sum, outer, diag, sign, sin, and for a point's features its x1, x2): "dz1 = da1 * (1 - a1**2)",
"dW2 = outer(a1, dz2)". A chain "a = b = c" means every part equals the value, and what follows "#"
is a comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .activations import Activation, get_activation
from .checks import check_int
from .derivation_batch import BatchDerivation, SumOfSamples, derive_batch, sum_of_samples
from .derivation_stage import Layers, Stage, feature_tex, feature_text, max_abs
from .features import DEFAULT_FEATURES, check_features, expand
from .gradcheck import relative_error
from .losses import Loss, get_loss
from .mistakes import MISTAKES_BY_NAME
from .network import backward_from_dz2, depth, forward, layer_sizes
from .softmax import softmax_jacobian
from .targets import check_targets

__all__ = [
    "BatchDerivation",
    "Derivation",
    "Stage",
    "SumOfSamples",
    "WorkedMistake",
    "derive",
    "derive_batch",
    "max_abs",
    "sum_of_samples",
]

# The long and the short way agree when their largest difference is this small against the
# largest |dz|, or this small in itself (dz about 0: a point it has learnt).
AGREE_RELATIVE = 1e-12
AGREE_ABSOLUTE = 1e-15
SHOWN_MISTAKE = "single_term_softmax"  # the mistake made in the layer the two ways work out
MISTAKE_DIFFERENCE_TEX = r"\text{mistake} - \text{short way}"


@dataclass
class WorkedMistake:
    """The usual mistake in the output delta for this sample, and how far it lands from the right answer."""

    name: str
    title: str
    explanation: str
    stages: list[Stage]  # its dz{O}, that minus the short way's, the dW{O} it leads to
    dz2_max_abs_difference: float
    dW2_max_abs_difference: float
    dW2_max_rel_error: float


@dataclass
class Derivation:
    n: int
    N: int
    activation: str
    stages: list[Stage]
    dz2_max_abs_difference: float = 0.0  # largest |long way - the loss's own line|, at the output layer
    dz2_max_abs: float = 0.0  # largest |dz{O}|, the loss's own line
    mistake: WorkedMistake | None = None
    loss: str = "cross_entropy"
    L: int = 1

    @property
    def two_ways_agree(self) -> bool:
        """The long way and the loss's own line give the same output delta, to rounding."""
        worst = self.dz2_max_abs_difference
        return bool(worst <= AGREE_RELATIVE * self.dz2_max_abs or worst < AGREE_ABSOLUTE)

    def __getitem__(self, name: str) -> np.ndarray:
        for stage in self.stages:
            if stage.name == name:
                return stage.value
        raise KeyError(name)


def z_tex(l: int) -> str:
    """z_l = a_{l-1} W_l + b_l, the input row x for the first layer."""
    return r"z_1 = x\,W_1 + b_1" if l == 1 else f"z_{l} = a_{l - 1} W_{l} + b_{l}"


def dW_tex(l: int) -> str:
    return rf"\mathrm{{d}}W_{l} = {'x' if l == 1 else f'a_{l - 1}'}^{{\top}}\, \mathrm{{d}}z_{l}"


def dz_hidden_tex(l: int, names: Layers, act: Activation) -> str:
    """BP2 for hidden layer l; deeper than one layer it names the notes' delta too."""
    line = rf"\mathrm{{d}}z_{l} = \mathrm{{d}}a_{l} \odot {act.df_tex(f'z_{l}', f'a_{l}')}"
    return line if names.L == 1 else rf"\delta_{l} = {line}"


def x_stage(names: Layers, n: int, inputs: np.ndarray) -> Stage:
    """Point n's input row: X[n] itself, or its features computed from its (x1, x2)."""
    if names.features == DEFAULT_FEATURES:
        return Stage("x", f"x = X[{n}]", inputs[n], "forward", f"x = X_{{{n}}}", ("2",), 0)
    return Stage(
        "x",
        f"x = {feature_text(names.features)}  # the features of point {n}, at its (x1, x2)",
        inputs[n],
        "forward",
        f"x = {feature_tex(names.features)}" + rf"\ \text{{at point {n}}}",
        ("F",),
        0,
    )


def derive(
    params: dict,
    X: np.ndarray,
    Y: np.ndarray,
    n: int,
    activation: str = "tanh",
    loss_name: str = "cross_entropy",
    features: Sequence[str] = DEFAULT_FEATURES,
) -> Derivation:
    """Derivation for sample n of the points X (N, 2) with targets Y (N, C), the network fed
    `features` of them, in float64. The penalties' gradients (lam * W, l1 * sign(W)) are not
    per-sample quantities and are not part of these contributions."""
    layer_sizes(params)
    params = {name: np.asarray(value, dtype=np.float64) for name, value in params.items()}
    names = Layers(depth(params), check_features(features))
    O, w = names.O, names.width
    inputs = expand(np.asarray(X, dtype=np.float64), names.features)
    Y = check_targets(np.asarray(Y, dtype=np.float64), N=inputs.shape[0], C=params[f"W{O}"].shape[1])
    N = inputs.shape[0]
    n = check_int("n", n, 0, N - 1)
    act, loss = get_activation(activation), get_loss(loss_name)

    row = slice(n, n + 1)  # sample n as a batch of one row: every array below is (1, ...)
    fwd = forward(params, inputs[row], activation)
    y = Y[row]
    loss_n = loss.value(fwd.log_y_hat, fwd.y_hat, y)  # its loss; it adds loss_n / N to L
    dz_out = loss.delta(fwd.y_hat, y, N)  # (1, C)  sample n's row of the batch's output delta
    # The long way divides by y_hat: when a y_hat underflows it overflows (the reason frameworks
    # fuse softmax with cross-entropy). Show the inf or nan it gives rather than warn.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        dL_dy_hat = loss.dL_dy_hat(fwd.y_hat, y, N)[0]  # (C,)
        J = softmax_jacobian(fwd.y_hat[0])  # (C, C)  dy_hat_j / dz_i, symmetric
        dz_long = J.T @ dL_dy_hat  # (C,)
        dz_difference = dz_long - dz_out[0]  # (C,)
    back = backward_from_dz2(params, fwd, dz_out)  # its share of every gradient, no penalty

    forward_pass = [x_stage(names, n, inputs)]
    for l in names.hidden():
        a_in = "x" if l == 1 else f"a{l - 1}"
        forward_pass += [
            Stage(f"z{l}", f"z{l} = {a_in} @ W{l} + b{l}", fwd.z[l - 1][0], "forward", z_tex(l), (w(l),), l),
            Stage(
                f"a{l}",
                f"a{l} = {activation}(z{l})",
                fwd.a[l - 1][0],
                "forward",
                f"a_{l} = {act.tex}(z_{l})",
                (w(l),),
                l,
            ),
        ]
    forward_pass += [
        Stage(f"z{O}", f"z{O} = a{O - 1} @ W{O} + b{O}", fwd.z[-1][0], "forward", z_tex(O), ("C",), O),
        Stage(
            "y_hat",
            f"y_hat = softmax(z{O}) = exp(z{O}) / sum(exp(z{O}))",
            fwd.y_hat[0],
            "forward",
            rf"\hat y = \operatorname{{softmax}}(z_{O})",
            ("C",),
            O,
        ),
        Stage("y", f"y = Y[{n}]", Y[n], "forward", r"y \;\text{(target)}", ("C",), O),
        Stage(
            "loss",
            f"loss_n = {loss.sample_text}  # adds loss_n / N to L",
            np.asarray(loss_n),
            "forward",
            rf"\ell = {loss.sample_tex}",
            (),
            O,
        ),
    ]
    backward_pass = [
        *output_delta_stages(names, loss, dL_dy_hat, J, dz_long, dz_out[0], dz_difference),
        *hidden_backward_stages(names, act, back),
        Stage(
            "dx",
            "dx = dz1 @ W1.T",
            back.dX[0],
            "backward",
            r"\mathrm{d}x = \mathrm{d}z_1\, W_1^{\top}",
            (w(0),),
            0,
        ),
    ]
    return Derivation(
        n,
        N,
        activation,
        forward_pass + backward_pass,
        dz2_max_abs_difference=max_abs(dz_difference),
        dz2_max_abs=max_abs(dz_out),
        mistake=_worked_mistake(params, fwd, y, N, dz_out, back.dW[-1], names)
        if loss.has_short_way
        else None,
        loss=loss.name,
        L=names.L,
    )


def output_delta_stages(
    names: Layers, loss: Loss, dL_dy_hat, J, dz_long, dz_out, dz_difference
) -> list[Stage]:
    """dL/dy_hat, J, the output delta the long way, the loss's own line, and their difference."""
    O = names.O
    own = "the short way" if loss.has_short_way else "J.T @ dL_dy_hat multiplied out: mse has no short way"
    difference = "long way - short way" if loss.has_short_way else "long way - multiplied out"
    difference_tex = (
        r"\text{long} - \text{short}" if loss.has_short_way else r"\text{long} - \text{multiplied out}"
    )
    return [
        Stage(
            "dL_dy_hat",
            f"dL_dy_hat = {loss.dL_dy_hat_text}",
            dL_dy_hat,
            "backward",
            rf"\frac{{\partial L}}{{\partial \hat y}} = {loss.dL_dy_hat_tex}",
            ("C",),
            O,
        ),
        Stage(
            "J",
            "J = diag(y_hat) - outer(y_hat, y_hat)",
            J,
            "backward",
            rf"J = \frac{{\partial \hat y}}{{\partial z_{O}}} = "
            r"\operatorname{diag}(\hat y) - \hat y^{\top} \hat y",
            ("C", "C"),
            O,
        ),
        Stage(
            f"dz{O}_long",
            f"dz{O} = J.T @ dL_dy_hat  # the long way",
            dz_long,
            "backward",
            rf"\mathrm{{d}}z_{O} = \frac{{\partial L}}{{\partial \hat y}}\, J",
            ("C",),
            O,
        ),
        Stage(
            f"dz{O}",
            f"dz{O} = {loss.delta_text}  # {own}",
            dz_out,
            "backward",
            rf"\mathrm{{d}}z_{O} = {loss.delta_tex}",
            ("C",),
            O,
        ),
        Stage(
            f"dz{O}_difference",
            f"dz{O}_difference = dz{O}_long - dz{O}  # {difference}",
            dz_difference,
            "backward",
            difference_tex,
            ("C",),
            O,
        ),
    ]


def hidden_backward_stages(names: Layers, act: Activation, back) -> list[Stage]:
    """BP4, BP3 and BP2 for l = O down to 1, sample n's row of each (back holds (1, ...) arrays)."""
    w, stages = names.width, []
    for l in names.down():
        a_in = "x" if l == 1 else f"a{l - 1}"
        stages += [
            Stage(
                f"dW{l}",
                f"dW{l} = outer({a_in}, dz{l})",
                back.dW[l - 1],
                "backward",
                dW_tex(l),
                (w(l - 1), w(l)),
                l,
            ),
            Stage(
                f"db{l}",
                f"db{l} = dz{l}",
                back.db[l - 1],
                "backward",
                rf"\mathrm{{d}}b_{l} = \mathrm{{d}}z_{l}",
                (w(l),),
                l,
            ),
        ]
        if l > 1:
            k = l - 1
            stages += [
                Stage(
                    f"da{k}",
                    f"da{k} = dz{l} @ W{l}.T",
                    back.da[k - 1][0],
                    "backward",
                    rf"\mathrm{{d}}a_{k} = \mathrm{{d}}z_{l}\, W_{l}^{{\top}}",
                    (w(k),),
                    k,
                ),
                Stage(
                    f"dz{k}",
                    f"dz{k} = da{k} * {act.df_factor_text(f'z{k}', f'a{k}')}",
                    back.dz[k - 1][0],
                    "backward",
                    dz_hidden_tex(k, names, act),
                    (w(k),),
                    k,
                ),
            ]
    return stages


def _worked_mistake(
    params, fwd, y: np.ndarray, N: int, dz_out: np.ndarray, dW_out: np.ndarray, names: Layers
):
    """The mistake in the output delta made for the one row of fwd (1, ...), fed through the same
    backward pass."""
    O, L = names.O, names.L
    mistake = MISTAKES_BY_NAME[SHOWN_MISTAKE]
    wrong_dz = mistake.wrong_dz2(fwd.y_hat, y, N)  # (1, C)
    wrong_dW = backward_from_dz2(params, fwd, wrong_dz).dW[-1]  # (H(L), C)
    difference = wrong_dz[0] - dz_out[0]
    stages = [
        Stage(
            f"dz{O}",
            f"dz{O} = {mistake.wrong_dz2_text}  # the mistake",
            wrong_dz[0],
            "backward",
            rf"\mathrm{{d}}z_{{{O},r}} \overset{{?}}{{=}} {mistake.wrong_dz2_tex}",
            ("C",),
            O,
        ),
        Stage(
            f"dz{O}_difference",
            f"dz{O}_difference = ({mistake.wrong_dz2_text}) - dz{O}  # the mistake - the short way",
            difference,
            "backward",
            MISTAKE_DIFFERENCE_TEX,
            ("C",),
            O,
        ),
        Stage(
            f"dW{O}",
            f"dW{O} = outer(a{L}, {mistake.wrong_dz2_text})  # with the mistake's dz{O}",
            wrong_dW,
            "backward",
            rf"\text{{its }} \mathrm{{d}}W_{O} = a_{L}^{{\top}} \mathrm{{d}}z_{O}^{{\text{{mistake}}}}",
            (names.width(L), "C"),
            O,
        ),
    ]
    return WorkedMistake(
        mistake.name,
        mistake.title,
        mistake.explanation,
        stages,
        dz2_max_abs_difference=max_abs(difference),
        dW2_max_abs_difference=max_abs(wrong_dW - dW_out),
        dW2_max_rel_error=max_abs(relative_error(wrong_dW, dW_out, tiny=1e-300)),
    )
