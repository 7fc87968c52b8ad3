"""The usual mistakes in a hand-written backprop, each written out as the wrong backward pass it is,
so a student's gradient can be compared with each and the mistake named when one explains it.

Each mistake is a wrong dz2, or a wrong step after it, fed through the one true backward pass
(network.backward_from_dz2): only the marked line differs from network.backward. Every
`gradients` function takes what network.backward takes and returns the gradients the mistaken
derivation produces, under the parameters' names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from .activations import TANH
from .network import Forward, Params, backward, backward_from_dz2, output_delta


def summed_dz2(y_hat: np.ndarray, Y: np.ndarray, N: int) -> np.ndarray:
    """dz2 = y_hat - Y, the gradient of the summed loss: the / N left out."""
    return y_hat - Y  # mistake: no / N


def single_term_dz2(y_hat: np.ndarray, Y: np.ndarray, N: int) -> np.ndarray:
    """dL/dz2_r = -y_r (1 - y_hat_r) / N: the diagonal of the softmax Jacobian only, as if y_hat_r
    depended on z2_r alone. Right for the true class, zero instead of y_hat_r / N for the others."""
    return -Y * (1 - y_hat) / N  # mistake: drops the off-diagonal -y_hat_r y_hat_k terms


def summed_not_mean(params, fwd, Y, lam):
    """Gradient of the summed loss while the loss printed is the mean: dz2 without the / N, and the
    summed objective's L2 term N lam/2 |W|^2. Every line after dz2 is linear in it, so each
    gradient is N times the right one."""
    N = Y.shape[0]
    return backward_from_dz2(params, fwd, summed_dz2(fwd.y_hat, Y, N), N * lam).grads()


def single_term_softmax(params, fwd, Y, lam):
    """The Jacobian's diagonal only, in dz2; every line after it right."""
    return backward_from_dz2(params, fwd, single_term_dz2(fwd.y_hat, Y, Y.shape[0]), lam).grads()


def no_regularisation(params, fwd, Y, lam):
    """The L2 term's gradient lam * W left out."""
    return backward_from_dz2(params, fwd, output_delta(fwd, Y), 0.0).grads()  # mistake: lam = 0


# tanh'(z) written as 1 - z**2 instead of 1 - tanh(z)**2 = 1 - a1**2.
TANH_DERIVATIVE_FROM_Z = replace(TANH, df=lambda z, a: 1 - z**2)  # mistake: z, not a


def tanh_derivative_from_z(params, fwd, Y, lam):
    """The right dz2, then dz1 = da1 * (1 - z1**2): the wrong f'."""
    dz2 = output_delta(fwd, Y)
    return backward_from_dz2(params, fwd, dz2, lam, activation=TANH_DERIVATIVE_FROM_Z).grads()


def transposed(params, fwd, Y, lam):
    """The right numbers in the wrong layout: dW1 as (H, 2) and dW2 as (C, H)."""
    grads = backward(params, fwd, Y, lam).grads()
    return {name: g.T for name, g in grads.items()}


@dataclass(frozen=True)
class Mistake:
    name: str
    title: str
    explanation: str
    gradients: Callable[[Params, Forward, np.ndarray, float], Params]
    applies_to: tuple[str, ...] | None = None  # the activations it can be made with; None: any
    wrong_dz2: Callable[[np.ndarray, np.ndarray, int], np.ndarray] | None = None
    """For a mistake in dz2 itself: its dz2 from (y_hat, Y, N), for rows of a batch of N."""
    wrong_dz2_text: str = ""
    wrong_dz2_tex: str = ""

    def applies(self, activation: str) -> bool:
        return self.applies_to is None or activation in self.applies_to


MISTAKES = [
    Mistake(
        "summed_not_mean",
        "Summed instead of mean",
        "Your gradient is N times ours: it is the gradient of the summed loss. If your loss is the "
        "mean over N samples, divide dz2 by N (dz2 = (y_hat - y) / N).",
        summed_not_mean,
        wrong_dz2=summed_dz2,
        wrong_dz2_text="y_hat - y",
        wrong_dz2_tex=r"\hat y_r - y_r",
    ),
    Mistake(
        "single_term_softmax",
        "Single-term softmax derivative",
        "You used dL/dz2_r = -y_r (1 - y_hat_r), the diagonal of the softmax Jacobian only. Each "
        "y_hat_k depends on every z2_r; with the off-diagonal terms -y_hat_r y_hat_k included the sum "
        "collapses to dz2 = y_hat - y.",
        single_term_softmax,
        wrong_dz2=single_term_dz2,
        wrong_dz2_text="-y * (1 - y_hat) / N",
        wrong_dz2_tex=r"-\,y_r (1 - \hat y_r)\,/\,N",
    ),
    Mistake(
        "transposed",
        "Transposed matrix",
        "Your numbers are right but the matrix is transposed: dW1 has the shape of W1, (2, H), "
        "and dW2 that of W2, (H, C). With X rows as samples, dW1 = X.T @ dz1.",
        transposed,
    ),
    Mistake(
        "no_regularisation",
        "Missing regularisation term",
        "The L2 penalty (lam/2)|W|^2 adds lam * W to dW1 and dW2; your gradient lacks it "
        "(the biases are not penalised).",
        no_regularisation,
    ),
    Mistake(
        "tanh_derivative_from_z",
        "tanh derivative taken from z",
        "tanh'(z1) is 1 - tanh(z1)^2 = 1 - a1^2, from the activation a1, not 1 - z1^2.",
        tanh_derivative_from_z,
        applies_to=("tanh",),
    ),
]

MISTAKES_BY_NAME = {mistake.name: mistake for mistake in MISTAKES}
