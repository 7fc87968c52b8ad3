"""The catalogue: every mistake students make in this backward pass, under a stable id, in the
order a student most likely makes them (the search names the first of two sets that fit alike).

Each mistake changes the record of how the backward pass is derived (derivations.py) in one
place; it gives None where it does not apply or where the record already has that line wrong
(two mistakes on the same factor cannot both be made).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

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


@dataclass(frozen=True)
class Form:
    """One way of making a mistake: its name (None for a mistake with one way), how it changes the
    record, and what it is in words."""

    name: str | None
    change: Change
    says: str = ""
    fix: str = ""  # the right line for this form, where it is not the mistake's own
    fix_tex: str = ""


@dataclass(frozen=True)
class Mistake:
    name: str  # the stable id
    title: str
    explanation: str  # in a student's words: what they wrote and why it is wrong
    fix: str  # the right line of the derivation, plain text
    fix_tex: str
    affects: tuple[str, ...]  # the parameters and intermediates it can change
    forms: tuple[Form, ...]
    applies_to: tuple[str, ...] | None = None  # the activations it can be made with; None: any
    wrong_dz2: Callable[[np.ndarray, np.ndarray, int], np.ndarray] | None = None
    """For a mistake in dz2 itself: its dz2 from (y_hat, Y, N), for rows of a batch of N."""
    wrong_dz2_text: str = ""
    wrong_dz2_tex: str = ""

    def applies(self, activation: str) -> bool:
        return self.applies_to is None or activation in self.applies_to

    def form(self, name: str | None = None) -> Form:
        """The form called `name`; the first (the one examples show) without one."""
        if name is None:
            return self.forms[0]
        for form in self.forms:
            if form.name == name:
                return form
        raise ValueError(
            f"form of {self.name} must be one of {', '.join(str(f.name) for f in self.forms)}; got {name!r}"
        )

    def gradients(
        self, params: Params, fwd: Forward, Y: np.ndarray, lam: float, form: str | None = None
    ) -> Params:
        """The gradients the mistaken derivation gives (of its first form unless `form` names one)."""
        return derive(self.form(form).change(RIGHT), params, fwd, Y, lam).grads


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
        wrong_dz2=lambda y_hat, Y, N: DZ2_FORMS["softmax_cross_entropy"](y_hat, Y),  # no / N
        wrong_dz2_text="y_hat - y",
        wrong_dz2_tex=r"\hat y_r - y_r",
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
            Form("both", _set(transposed=frozenset({"W1", "W2"})), "dW1 and dW2 transposed"),
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
        wrong_dz2=lambda y_hat, Y, N: DZ2_FORMS["single_term"](y_hat, Y) / N,
        wrong_dz2_text="-y * (1 - y_hat) / N",
        wrong_dz2_tex=r"-\,y_r (1 - \hat y_r)\,/\,N",
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
    ),
    Mistake(
        "preactivation_in_dW2",
        "Pre-activation in dW2",
        "You used z1, the hidden layer's input, in dW2. z2 = a1 @ W2 + b2 multiplies W2 by the "
        "activation a1 = f(z1), so dW2 = a1.T @ dz2.",
        "dW2 = a1.T @ dz2 + lam * W2",
        r"\mathrm{d}W_2 = a_1^{\top} \mathrm{d}z_2 + \lambda W_2",
        ("W2",),
        _single(_set(dW2_input="z1")),
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
    ),
]

MISTAKES_BY_NAME = {mistake.name: mistake for mistake in MISTAKES}
