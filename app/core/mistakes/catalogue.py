"""The catalogue: every mistake students make in this backward pass, under a stable id, in the
order a student most likely makes them (the search names the first of two sets that fit alike).

Each mistake changes the record of how the backward pass is derived (derivations.py) in one
place; it gives None where it does not apply or where the record already has that line wrong
(two mistakes on the same factor cannot both be made).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from string import Template

import numpy as np

from ..bounds import MAX_LAYERS
from ..losses import get_loss
from ..network import Forward, Params
from .derivations import DZ2_FORMS, RIGHT, Derivation, derive

Change = Callable[[Derivation], Derivation | None]


def _set(**changes) -> Change:
    """The record with these fields changed, or None when one of them is already not the right one's
    (that line is already wrong)."""

    def change(record: Derivation) -> Derivation | None:
        if any(getattr(record, key) != getattr(RIGHT, key) for key in changes):
            return None
        return replace(record, **changes)

    return change


def _any_depth(L: int) -> bool:
    return True


@dataclass(frozen=True)
class Form:
    """One way of making a mistake: its name (None for a mistake with one way), how it changes the
    record, and what it is in words."""

    name: str | None
    change: Change
    says: str = ""
    fix: str = ""  # the right line for this form, where it is not the mistake's own
    fix_tex: str = ""
    at_depth: Callable[[int], bool] = _any_depth  # the numbers of hidden layers it can be made with


@dataclass(frozen=True)
class Words:
    """A mistake's words for a run with more than one hidden layer or another loss than
    cross-entropy, as string.Template text: $O is the output layer (L + 1), $L the last hidden
    layer, $delta and $delta_tex the loss's own output delta, $loss the loss in words."""

    explanation: str
    fix: str
    fix_tex: str
    title: str = ""  # where the one hidden layer's title names a layer


@dataclass(frozen=True)
class Mistake:
    name: str  # the stable id
    title: str
    explanation: str  # in a student's words: what they wrote and why it is wrong
    fix: str  # the right line of the derivation, plain text
    fix_tex: str
    affects: tuple[str, ...]  # the parameters and intermediates it can change (one hidden layer's names)
    forms: tuple[Form, ...]
    applies_to: tuple[str, ...] | None = None  # the activations it can be made with; None: any
    wrong_dz2: Callable[[np.ndarray, np.ndarray, int], np.ndarray] | None = None
    """For a mistake in dz2 itself: its dz2 from (y_hat, Y, N), for rows of a batch of N."""
    wrong_dz2_text: str = ""
    wrong_dz2_tex: str = ""
    deep: Words | None = None  # its words at any depth and loss; the ones above are one hidden layer's
    losses: tuple[str, ...] | None = None  # the losses it can be made with; None: any

    def applies(self, activation: str, loss: str = "cross_entropy") -> bool:
        return (self.applies_to is None or activation in self.applies_to) and (
            self.losses is None or loss in self.losses
        )

    def forms_at(self, L: int) -> tuple[Form, ...]:
        """The forms a network of L hidden layers can have it in."""
        return tuple(form for form in self.forms if form.at_depth(L))

    def form(self, name: str | None = None, L: int = 1) -> Form:
        """The form called `name`; the first that L hidden layers can have (the one examples
        show) without one."""
        forms = self.forms_at(L)
        if name is None:
            return forms[0]
        for form in forms:
            if form.name == name:
                return form
        raise ValueError(
            f"form of {self.name} must be one of {', '.join(str(f.name) for f in forms)}; got {name!r}"
        )

    def words(self, L: int = 1, loss: str = "cross_entropy") -> Words:
        """Its explanation and right line for a network of L hidden layers trained on `loss`: the
        one hidden layer's own words for that cross-entropy network, else `deep` filled in."""
        if (L == 1 and loss == "cross_entropy") or self.deep is None:
            return Words(self.explanation, self.fix, self.fix_tex, self.title)
        the_loss = get_loss(loss)
        names = {
            "O": str(L + 1),
            "L": str(L),
            "delta": the_loss.delta_text,
            "delta_tex": the_loss.delta_tex,
            "loss": LOSS_WORDS[loss],
        }
        filled = Words(*(Template(text).substitute(names) for text in vars(self.deep).values()))
        return replace(filled, title=filled.title or self.title)

    def gradients(
        self,
        params: Params,
        fwd: Forward,
        Y: np.ndarray,
        lam: float,
        form: str | None = None,
        loss_name: str = "cross_entropy",
        l1: float = 0.0,
    ) -> Params:
        """The gradients the mistaken derivation gives (of its first form unless `form` names one)."""
        change = self.form(form, fwd.L).change
        return derive(change(RIGHT), params, fwd, Y, lam, loss_name, l1).grads


LOSS_WORDS = {
    "cross_entropy": "mean cross-entropy through a softmax",
    "mse": "mean squared error on the softmax output",
}


def _one_layer(L: int) -> bool:
    return L == 1


def _deeper(L: int) -> bool:
    return L > 1


def _transposed_one(l: int) -> Form:
    """dW(l) transposed, for a network with layer l (l >= 3: W1's and W2's forms are written out)."""
    return Form(
        f"W{l}",
        _set(transposed=frozenset({f"W{l}"})),
        f"dW{l} transposed",
        f"dW{l} = a{l - 1}.T @ dz{l} + lam * W{l}",
        rf"\mathrm{{d}}W_{{{l}}} = a_{{{l - 1}}}^{{\top}} \mathrm{{d}}z_{{{l}}} + \lambda W_{{{l}}}",
        at_depth=lambda L: l <= L + 1,
    )


def _single(change: Change) -> tuple[Form, ...]:
    return (Form(None, change),)


MISTAKES = [
    Mistake(
        "summed_not_mean",
        "Summed instead of mean",
        "Your gradient is N times ours: it is the gradient of the summed loss, but the loss is the mean "
        "over the N samples, so every sample's share carries a 1/N. It starts in dz2: divide dz2 by N, "
        "dz2 = (y_hat - y) / N, and every line after it follows.",
        "dz2 = (y_hat - y) / N",
        r"\mathrm{d}z_2 = (\hat y - y)\,/\,N",
        ("W1", "b1", "W2", "b2", "dz2", "da1", "dz1"),
        (
            Form(
                "all",
                _set(dz2_mean=False, lam_times_N=True),
                "everything N times ours, N * lam * W included: the summed objective's gradient",
            ),
            Form(
                "data_term",
                _set(dz2_mean=False),
                "the data term N times ours, lam * W added unscaled: the / N forgotten in dz2 only",
            ),
        ),
        wrong_dz2=lambda y_hat, Y, N: DZ2_FORMS["loss"](y_hat, Y, "cross_entropy"),  # no / N
        wrong_dz2_text="y_hat - y",
        wrong_dz2_tex=r"\hat y_r - y_r",
        deep=Words(
            "Your gradient is N times ours: it is the gradient of the summed loss, but the loss is the mean "
            "over the N samples, so every sample's share carries a 1/N. It starts in the output delta: "
            "divide dz$O by N, dz$O = $delta, and every line after it, in every layer, follows.",
            "dz$O = $delta",
            r"\mathrm{d}z_{$O} = $delta_tex",
        ),
    ),
    Mistake(
        "transposed",
        "Transposed matrix",
        "Your numbers are right but the matrix is transposed: a gradient has its parameter's shape, "
        "dW1 that of W1 (2, H) and dW2 that of W2 (H, C). With the samples in rows, dW1 = X.T @ dz1 "
        "and dW2 = a1.T @ dz2, not dz1.T @ X or dz2.T @ a1.",
        "dW1 = X.T @ dz1 + lam * W1;  dW2 = a1.T @ dz2 + lam * W2",
        r"\mathrm{d}W_1 = X^{\top} \mathrm{d}z_1 + \lambda W_1,\quad "
        r"\mathrm{d}W_2 = a_1^{\top} \mathrm{d}z_2 + \lambda W_2",
        ("W1", "W2"),
        (
            Form(
                "both",
                _set(transposed=frozenset({"W1", "W2"})),
                "dW1 and dW2 transposed",
                at_depth=_one_layer,
            ),
            Form("all", _set(transposed=frozenset({"all"})), "every dW(l) transposed", at_depth=_deeper),
            Form(
                "W1",
                _set(transposed=frozenset({"W1"})),
                "dW1 transposed",
                "dW1 = X.T @ dz1 + lam * W1",
                r"\mathrm{d}W_1 = X^{\top} \mathrm{d}z_1 + \lambda W_1",
            ),
            Form(
                "W2",
                _set(transposed=frozenset({"W2"})),
                "dW2 transposed",
                "dW2 = a1.T @ dz2 + lam * W2",
                r"\mathrm{d}W_2 = a_1^{\top} \mathrm{d}z_2 + \lambda W_2",
            ),
            *(_transposed_one(l) for l in range(3, MAX_LAYERS + 2)),
        ),
        deep=Words(
            "Your numbers are right but the matrix is transposed: a gradient has its parameter's shape, "
            "dW(l) that of W(l) (H(l-1), H(l)). With the samples in rows, dW(l) = a(l-1).T @ dz(l), not "
            "dz(l).T @ a(l-1).",
            "dW(l) = a(l-1).T @ dz(l) + lam * W(l), a0 = X",
            r"\mathrm{d}W_\ell = a_{\ell-1}^{\top} \mathrm{d}z_\ell + \lambda W_\ell",
        ),
    ),
    Mistake(
        "no_regularisation",
        "Missing regularisation term",
        "The L2 penalty (lam/2)(|W1|^2 + |W2|^2) is part of the loss, so its gradient lam * W belongs "
        "in dW1 and dW2; yours lacks it. The biases are not penalised.",
        "dW1 = X.T @ dz1 + lam * W1;  dW2 = a1.T @ dz2 + lam * W2",
        r"\mathrm{d}W_\ell = \dots + \lambda W_\ell",
        ("W1", "W2"),
        _single(_set(lam_factor=0.0)),
        deep=Words(
            "The L2 penalty (lam/2) sum_l |W(l)|^2 is part of the loss, so its gradient lam * W(l) belongs "
            "in every dW(l), l = 1 ... $O; yours lacks it. The biases are not penalised.",
            "dW(l) = a(l-1).T @ dz(l) + lam * W(l), a0 = X",
            r"\mathrm{d}W_\ell = a_{\ell-1}^{\top} \mathrm{d}z_\ell + \lambda W_\ell",
        ),
    ),
    Mistake(
        "single_term_softmax",
        "Single-term softmax derivative",
        "You used dL/dz2_r = -y_r (1 - y_hat_r), the diagonal of the softmax Jacobian only. Each "
        "y_hat_k depends on every z2_r; with the off-diagonal terms -y_hat_r y_hat_k included the sum "
        "collapses to dz2 = y_hat - y.",
        "dz2 = (y_hat - y) / N",
        r"\mathrm{d}z_2 = (\hat y - y)\,/\,N",
        ("W1", "b1", "W2", "b2", "dz2", "da1", "dz1"),
        _single(_set(dz2_form="single_term")),
        wrong_dz2=lambda y_hat, Y, N: DZ2_FORMS["single_term"](y_hat, Y, "cross_entropy") / N,
        wrong_dz2_text="-y * (1 - y_hat) / N",
        wrong_dz2_tex=r"-\,y_r (1 - \hat y_r)\,/\,N",
        deep=Words(
            "You used dL/dz${O}_r = -y_r (1 - y_hat_r), the diagonal of the softmax Jacobian only. Each "
            "y_hat_k depends on every z${O}_r; with the off-diagonal terms -y_hat_r y_hat_k included the sum "
            "collapses to dz$O = y_hat - y.",
            "dz$O = $delta",
            r"\mathrm{d}z_{$O} = $delta_tex",
        ),
        losses=("cross_entropy",),
    ),
    Mistake(
        "tanh_derivative_from_z",
        "tanh derivative taken from z",
        "tanh'(z1) is 1 - tanh(z1)^2 = 1 - a1^2, written with the activation a1; you wrote 1 - z1^2, "
        "with the pre-activation.",
        "dz1 = da1 * (1 - a1**2)",
        r"\mathrm{d}z_1 = \mathrm{d}a_1 \odot (1 - a_1^{2})",
        ("W1", "b1", "dz1"),
        _single(_set(derivative="tanh_from_z")),
        applies_to=("tanh",),
        deep=Words(
            "tanh'(z(l)) is 1 - tanh(z(l))^2 = 1 - a(l)^2, written with the activation a(l); you wrote "
            "1 - z(l)^2, with the pre-activation, in every hidden layer l = 1 ... $L.",
            "dz(l) = da(l) * (1 - a(l)**2), for l = $L down to 1",
            r"\mathrm{d}z_\ell = \mathrm{d}a_\ell \odot (1 - a_\ell^{2})",
        ),
    ),
    Mistake(
        "missing_activation_derivative",
        "Missing activation derivative",
        "You passed da1 straight through as dz1, as if the hidden layer were linear. The chain rule "
        "through a1 = f(z1) multiplies by f'(z1), entry by entry.",
        "dz1 = da1 * f'(z1)",
        r"\mathrm{d}z_1 = \mathrm{d}a_1 \odot f'(z_1)",
        ("W1", "b1", "dz1"),
        _single(_set(derivative="none")),
        deep=Words(
            "You passed da(l) straight through as dz(l), as if the hidden layers were linear. The chain "
            "rule through a(l) = f(z(l)) multiplies by f'(z(l)), entry by entry, in every hidden layer "
            "l = 1 ... $L.",
            "dz(l) = da(l) * f'(z(l)), for l = $L down to 1",
            r"\mathrm{d}z_\ell = \mathrm{d}a_\ell \odot f'(z_\ell)",
        ),
    ),
    Mistake(
        "sign_flipped",
        "Sign flipped",
        "Your gradient points the other way: you wrote dz2 = (y - y_hat) / N. The loss -sum(y log "
        "y_hat) falls as y_hat moves toward y, so its gradient is y_hat - y; a descent step subtracts it.",
        "dz2 = (y_hat - y) / N",
        r"\mathrm{d}z_2 = (\hat y - y)\,/\,N",
        ("W1", "b1", "W2", "b2", "dz2", "da1", "dz1"),
        _single(_set(dz2_sign=-1)),
        deep=Words(
            "Your gradient points the other way: you wrote y - y_hat in the output delta dz$O where "
            "y_hat - y belongs. The $loss falls as y_hat moves toward y, so its gradient is "
            "dz$O = $delta; a descent step subtracts it.",
            "dz$O = $delta",
            r"\mathrm{d}z_{$O} = $delta_tex",
        ),
    ),
    Mistake(
        "double_regularisation",
        "Regularisation counted twice",
        "You added 2 * lam * W: the derivative of (lam/2)|W|^2 is lam * W, the 1/2 is there to cancel "
        "the 2 from the square.",
        "dW1 = X.T @ dz1 + lam * W1;  dW2 = a1.T @ dz2 + lam * W2",
        r"\mathrm{d}W_\ell = \dots + \lambda W_\ell",
        ("W1", "W2"),
        _single(_set(lam_factor=2.0)),
        deep=Words(
            "You added 2 * lam * W(l): the derivative of (lam/2)|W(l)|^2 is lam * W(l), the 1/2 is "
            "there to cancel the 2 from the square.",
            "dW(l) = a(l-1).T @ dz(l) + lam * W(l), a0 = X",
            r"\mathrm{d}W_\ell = a_{\ell-1}^{\top} \mathrm{d}z_\ell + \lambda W_\ell",
        ),
    ),
    Mistake(
        "regularised_biases",
        "Biases regularised",
        "You added lam * b to db1 and db2, but the L2 penalty is on the weights W1 and W2 only: the "
        "biases are not in it, so their gradient has no lam term.",
        "db1 = dz1.sum(axis=0);  db2 = dz2.sum(axis=0)",
        r"\mathrm{d}b_\ell = \textstyle\sum_n \mathrm{d}z_{\ell,n}",
        ("b1", "b2"),
        _single(_set(lam_on_biases=True)),
        deep=Words(
            "You added lam * b(l) to every db(l), but the L2 penalty is on the weights W(l) only: the "
            "biases are not in it, so their gradient has no lam term.",
            "db(l) = dz(l).sum(axis=0)",
            r"\mathrm{d}b_\ell = \textstyle\sum_n \mathrm{d}z_{\ell,n}",
        ),
    ),
    Mistake(
        "mse_output_derivative",
        "Squared-error output derivative",
        "You wrote dz2 = (y_hat - y) * y_hat * (1 - y_hat) / N, the derivative of a squared error "
        "through a sigmoid output. This loss is cross-entropy through a softmax, and their product "
        "simplifies to dz2 = (y_hat - y) / N: no y_hat (1 - y_hat) factor.",
        "dz2 = (y_hat - y) / N",
        r"\mathrm{d}z_2 = (\hat y - y)\,/\,N",
        ("W1", "b1", "W2", "b2", "dz2", "da1", "dz1"),
        _single(_set(dz2_form="squared_error")),
        deep=Words(
            "You wrote dz$O = (y_hat - y) * y_hat * (1 - y_hat) / N, the derivative of a squared error "
            "through a sigmoid output. This loss is cross-entropy through a softmax, and their product "
            "simplifies to dz$O = (y_hat - y) / N: no y_hat (1 - y_hat) factor.",
            "dz$O = $delta",
            r"\mathrm{d}z_{$O} = $delta_tex",
        ),
        losses=("cross_entropy",),
    ),
    Mistake(
        "activation_not_derivative",
        "The activation instead of its derivative",
        "You multiplied da1 by a1 = f(z1), the activation itself, where the chain rule needs its "
        "derivative f'(z1).",
        "dz1 = da1 * f'(z1)",
        r"\mathrm{d}z_1 = \mathrm{d}a_1 \odot f'(z_1)",
        ("W1", "b1", "dz1"),
        _single(_set(derivative="activation")),
        deep=Words(
            "You multiplied da(l) by a(l) = f(z(l)), the activation itself, where the chain rule needs "
            "its derivative f'(z(l)), in every hidden layer l = 1 ... $L.",
            "dz(l) = da(l) * f'(z(l)), for l = $L down to 1",
            r"\mathrm{d}z_\ell = \mathrm{d}a_\ell \odot f'(z_\ell)",
        ),
    ),
    Mistake(
        "sigmoid_derivative_from_z",
        "sigmoid derivative taken from z",
        "sigma'(z1) is sigma(z1) (1 - sigma(z1)) = a1 * (1 - a1), written with the activation a1; you "
        "wrote z1 * (1 - z1), with the pre-activation.",
        "dz1 = da1 * a1 * (1 - a1)",
        r"\mathrm{d}z_1 = \mathrm{d}a_1 \odot a_1 \odot (1 - a_1)",
        ("W1", "b1", "dz1"),
        _single(_set(derivative="sigmoid_from_z")),
        applies_to=("sigmoid",),
        deep=Words(
            "sigma'(z(l)) is sigma(z(l)) (1 - sigma(z(l))) = a(l) * (1 - a(l)), written with the "
            "activation a(l); you wrote z(l) * (1 - z(l)), with the pre-activation, in every hidden layer "
            "l = 1 ... $L.",
            "dz(l) = da(l) * a(l) * (1 - a(l)), for l = $L down to 1",
            r"\mathrm{d}z_\ell = \mathrm{d}a_\ell \odot a_\ell \odot (1 - a_\ell)",
        ),
    ),
    Mistake(
        "preactivation_in_dW2",
        "Pre-activation in dW2",
        "You used z1, the hidden layer's input, in dW2. z2 = a1 @ W2 + b2 multiplies W2 by the "
        "activation a1 = f(z1), so dW2 = a1.T @ dz2.",
        "dW2 = a1.T @ dz2 + lam * W2",
        r"\mathrm{d}W_2 = a_1^{\top} \mathrm{d}z_2 + \lambda W_2",
        ("W2",),
        _single(_set(dW_input="z")),
        deep=Words(
            "You used z(l-1), the input sum of the layer below, in dW(l) for l = 2 ... $O. "
            "z(l) = a(l-1) @ W(l) + b(l) multiplies W(l) by the activation a(l-1) = f(z(l-1)), so "
            "dW(l) = a(l-1).T @ dz(l).",
            "dW(l) = a(l-1).T @ dz(l) + lam * W(l), a0 = X",
            r"\mathrm{d}W_\ell = a_{\ell-1}^{\top} \mathrm{d}z_\ell + \lambda W_\ell",
            "Pre-activation in dW(l)",
        ),
    ),
    Mistake(
        "biases_averaged",
        "Biases averaged over the batch",
        "You took db = dz.mean(axis=0): dz already carries the 1/N from dz2, so averaging divides by N "
        "a second time. The bias gradient is the sum over the batch.",
        "db1 = dz1.sum(axis=0);  db2 = dz2.sum(axis=0)",
        r"\mathrm{d}b_\ell = \textstyle\sum_n \mathrm{d}z_{\ell,n}",
        ("b1", "b2"),
        _single(_set(biases_mean=True)),
        deep=Words(
            "You took db(l) = dz(l).mean(axis=0): dz(l) already carries the 1/N from dz$O, so averaging "
            "divides by N a second time. The bias gradient is the sum over the batch, in every layer.",
            "db(l) = dz(l).sum(axis=0)",
            r"\mathrm{d}b_\ell = \textstyle\sum_n \mathrm{d}z_{\ell,n}",
        ),
    ),
    Mistake(
        "half_regularisation",
        "Half the regularisation term",
        "You added lam/2 * W: the derivative of (lam/2)|W|^2 is lam * W, the 2 of the square cancels "
        "the 1/2.",
        "dW1 = X.T @ dz1 + lam * W1;  dW2 = a1.T @ dz2 + lam * W2",
        r"\mathrm{d}W_\ell = \dots + \lambda W_\ell",
        ("W1", "W2"),
        _single(_set(lam_factor=0.5)),
        deep=Words(
            "You added lam/2 * W(l): the derivative of (lam/2)|W(l)|^2 is lam * W(l), the 2 of the square "
            "cancels the 1/2.",
            "dW(l) = a(l-1).T @ dz(l) + lam * W(l), a0 = X",
            r"\mathrm{d}W_\ell = a_{\ell-1}^{\top} \mathrm{d}z_\ell + \lambda W_\ell",
        ),
    ),
    Mistake(
        "mse_without_softmax_jacobian",
        "The softmax Jacobian left out",
        "You wrote dz2 = (y_hat - y) / N, the derivative of the squared error with respect to y_hat, and "
        "stopped there: that is cross-entropy's shortcut. The squared error on the softmax output goes on "
        "through the softmax Jacobian J = diag(y_hat) - y_hat y_hat^T, row by row: dz2 = J^T dL/dy_hat.",
        "dz2 = y_hat * ((y_hat - y) / N - sum((y_hat - y) / N * y_hat))",
        r"\mathrm{d}z_2 = \hat y \odot \big(g - \textstyle\sum_k g_k \hat y_k\big),\ g = (\hat y - y)/N",
        ("W1", "b1", "W2", "b2", "dz2", "da1", "dz1"),
        _single(_set(dz2_form="no_jacobian")),
        deep=Words(
            "You wrote dz$O = (y_hat - y) / N, the derivative of the squared error with respect to y_hat, "
            "and stopped there: that is cross-entropy's shortcut. The $loss goes on through the softmax "
            "Jacobian J = diag(y_hat) - y_hat y_hat^T, row by row: dz$O = J^T dL/dy_hat = $delta.",
            "dz$O = $delta",
            r"\mathrm{d}z_{$O} = $delta_tex",
        ),
        losses=("mse",),
    ),
    Mistake(
        "mse_jacobian_diagonal",
        "Only the diagonal of the softmax Jacobian",
        "You multiplied dL/dy_hat = (y_hat - y) / N by y_hat (1 - y_hat), the diagonal of the softmax "
        "Jacobian only. Each y_hat_k depends on every z2_r: with the off-diagonal terms -y_hat_r y_hat_k, "
        "dz2 = y_hat * (g - sum(g * y_hat)), g = (y_hat - y) / N.",
        "dz2 = y_hat * ((y_hat - y) / N - sum((y_hat - y) / N * y_hat))",
        r"\mathrm{d}z_2 = \hat y \odot \big(g - \textstyle\sum_k g_k \hat y_k\big),\ g = (\hat y - y)/N",
        ("W1", "b1", "W2", "b2", "dz2", "da1", "dz1"),
        _single(_set(dz2_form="squared_error")),
        deep=Words(
            "You multiplied dL/dy_hat = (y_hat - y) / N by y_hat (1 - y_hat), the diagonal of the softmax "
            "Jacobian only. Each y_hat_k depends on every z${O}_r: with the off-diagonal terms "
            "-y_hat_r y_hat_k, dz$O = $delta.",
            "dz$O = $delta",
            r"\mathrm{d}z_{$O} = $delta_tex",
        ),
        losses=("mse",),
    ),
    Mistake(
        "l1_sign_forgotten",
        "L1 derivative without its sign",
        "The derivative of l1 * |W| is l1 * sign(W): +l1 where a weight is positive, -l1 where it is "
        "negative, 0 at 0. You added l1 itself, or l1 * W (|W| treated as if it were W^2 / 2).",
        "dW1 = X.T @ dz1 + lam * W1 + l1 * sign(W1);  dW2 = a1.T @ dz2 + lam * W2 + l1 * sign(W2)",
        r"\mathrm{d}W_\ell = \dots + \lambda W_\ell + \ell_1 \operatorname{sign}(W_\ell)",
        ("W1", "W2"),
        (
            Form("one", _set(l1_term="one"), "l1 added as it is: the sign left out"),
            Form("as_W", _set(l1_term="W"), "l1 * W: |W| differentiated as W^2 / 2"),
        ),
        deep=Words(
            "The derivative of l1 * |W(l)| is l1 * sign(W(l)): +l1 where a weight is positive, -l1 where "
            "it is negative, 0 at 0. You added l1 itself, or l1 * W(l) (|W| treated as if it were "
            "W^2 / 2), in every dW(l).",
            "dW(l) = a(l-1).T @ dz(l) + lam * W(l) + l1 * sign(W(l)), a0 = X",
            r"\mathrm{d}W_\ell = a_{\ell-1}^{\top} \mathrm{d}z_\ell + \lambda W_\ell"
            r" + \ell_1 \operatorname{sign}(W_\ell)",
        ),
    ),
    Mistake(
        "no_l1_term",
        "Missing L1 term",
        "The L1 penalty l1 (|W1| + |W2|) is part of the loss, so its gradient l1 * sign(W) belongs in dW1 "
        "and dW2; yours lacks it. The biases are not penalised.",
        "dW1 = X.T @ dz1 + lam * W1 + l1 * sign(W1);  dW2 = a1.T @ dz2 + lam * W2 + l1 * sign(W2)",
        r"\mathrm{d}W_\ell = \dots + \lambda W_\ell + \ell_1 \operatorname{sign}(W_\ell)",
        ("W1", "W2"),
        _single(_set(l1_term="none")),
        deep=Words(
            "The L1 penalty l1 sum_l |W(l)| is part of the loss, so its gradient l1 * sign(W(l)) belongs in "
            "every dW(l), l = 1 ... $O; yours lacks it. The biases are not penalised.",
            "dW(l) = a(l-1).T @ dz(l) + lam * W(l) + l1 * sign(W(l)), a0 = X",
            r"\mathrm{d}W_\ell = a_{\ell-1}^{\top} \mathrm{d}z_\ell + \lambda W_\ell"
            r" + \ell_1 \operatorname{sign}(W_\ell)",
        ),
    ),
]

MISTAKES_BY_NAME = {mistake.name: mistake for mistake in MISTAKES}
