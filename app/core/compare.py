"""Compare a student's gradients with ours, entry by entry, and name the mistake that explains them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .gradcheck import relative_error
from .mistakes import MISTAKES
from .network import PARAM_NAMES, Params, backward, forward
from .shapes import shape_sentence

AGREES_BELOW = 1e-4  # the student's float32 or float64 code agrees with ours to rounding
EXPLAINS_BELOW = 1e-3  # a mistake's gradient matches the student's to this: it is the mistake


@dataclass
class ParamComparison:
    name: str
    expected_shape: tuple[int, ...]
    given_shape: tuple[int, ...] | None
    max_rel_error: float | None  # None when the shapes differ or it was not given
    rel_error: np.ndarray | None  # per entry, same shape as ours
    differing: list[tuple[int, ...]] = field(default_factory=list)  # indices with rel_error > AGREES_BELOW
    ours: np.ndarray | None = None
    given: np.ndarray | None = None  # theirs laid out as ours (a transposed one transposed back), or None

    @property
    def shape_message(self) -> str | None:
        """What the shape should have been, in words, when theirs is another; None when it is ours."""
        return (
            None
            if self.given_shape is None
            else shape_sentence(self.name, self.expected_shape, self.given_shape)
        )

    @property
    def differs(self) -> np.ndarray | None:
        """rel_error > AGREES_BELOW entry by entry (same shape as ours), or None without rel_error."""
        return None if self.rel_error is None else self.rel_error > AGREES_BELOW

    @property
    def agrees(self) -> bool:
        return self.max_rel_error is not None and self.max_rel_error <= AGREES_BELOW


@dataclass
class Comparison:
    params: dict[str, ParamComparison]
    explained_by: list[dict]  # the mistakes whose gradients match the student's, for the params they match

    @property
    def all_agree(self) -> bool:
        return all(c.agrees for c in self.params.values())

    @property
    def all_given(self) -> bool:
        """Every parameter's gradient was given, so the whole backward pass was checked."""
        return set(self.params) == set(PARAM_NAMES)


def in_our_layout(given: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """The student's array laid out in `shape`: as it is, transposed back when they sent the
    transpose, or a bias sent as a column or a row of one as a vector; None when it is none of these."""
    if given.shape == shape:
        return given
    if given.ndim == 2 and given.T.shape == shape:
        return given.T
    if len(shape) == 1 and given.size == shape[0] and max(given.shape, default=0) == given.size:
        return given.reshape(shape)
    return None


def _matches(candidate: np.ndarray, given: np.ndarray) -> bool:
    return (
        candidate.shape == given.shape
        and float(np.max(relative_error(candidate, given), initial=0)) <= EXPLAINS_BELOW
    )


def compare_gradients(
    params: Params, X: np.ndarray, Y: np.ndarray, given: dict[str, np.ndarray], activation: str, lam: float
) -> Comparison:
    """Our float64 gradients at `params` on (X (N, 2), Y (N, C)) against the student's `given`
    (any subset of W1, b1, W2, b2, each an array), and which known mistakes reproduce theirs."""
    params = {name: np.asarray(params[name], dtype=np.float64) for name in PARAM_NAMES}
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    unknown = set(given) - set(PARAM_NAMES)
    if unknown:
        raise ValueError(
            f"gradients may only name {', '.join(PARAM_NAMES)}; got {len(unknown)} other name(s), "
            f"such as {min(unknown)[:40]!r}"
        )
    if not given:
        raise ValueError("gradients must include at least one of W1, b1, W2, b2")
    fwd = forward(params, X, activation)
    ours = backward(params, fwd, Y, lam).grads()
    report = {}
    for name in PARAM_NAMES:
        if name not in given:
            continue
        g = np.asarray(given[name], dtype=np.float64)
        if not np.all(np.isfinite(g)):
            raise ValueError(f"gradients {name} has entries that are not finite numbers")
        comparison = ParamComparison(
            name,
            ours[name].shape,
            g.shape,
            None,
            None,
            ours=ours[name],
            given=in_our_layout(g, ours[name].shape),
        )
        if g.shape == ours[name].shape:
            rel = relative_error(ours[name], g)
            comparison.max_rel_error = float(rel.max(initial=0))
            comparison.rel_error = rel
            comparison.differing = [tuple(int(i) for i in idx) for idx in np.argwhere(rel > AGREES_BELOW)]
        report[name] = comparison

    explained = []
    disagreeing = [name for name, c in report.items() if not c.agrees]
    for mistake in MISTAKES:
        if not mistake.applies(activation) or not disagreeing:
            continue
        wrong = mistake.gradients(params, fwd, Y, lam)
        # a mistake explains the student's gradient when it reproduces every parameter given and
        # at least one of them differs from ours
        if all(_matches(wrong[name], np.asarray(given[name], dtype=np.float64)) for name in report):
            explained.append(
                {
                    "name": mistake.name,
                    "title": mistake.title,
                    "explanation": mistake.explanation,
                    "params": disagreeing,
                }
            )
    return Comparison(report, explained)
