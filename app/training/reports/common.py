"""What every report needs: the parameters now or at a kept step, in float64, and how a float
array and an activation are written in a reply."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.activations import get_activation

from ..history import finite_or_none
from ..session import Session


def activation_info(name: str) -> dict:
    """What the page shows of an activation, from its entry: how f and f' are written, its peak
    slope and the range of its values."""
    act = get_activation(name)
    return {
        "name": act.name,
        "tex": act.tex,
        "derivative_tex": act.df_tex(),
        "derivative_text": act.df_text(),
        "peak_slope": act.peak_slope,
        "value_range": list(act.value_range),
    }


def as_list(array: np.ndarray):
    """A float array as nested lists, non-finite entries as None (JSON has no NaN)."""
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 0:
        return finite_or_none(array)
    if np.all(np.isfinite(array)):
        return array.tolist()
    return [as_list(row) for row in array] if array.ndim > 1 else [finite_or_none(v) for v in array]


@dataclass(frozen=True)
class At:
    """The step a report describes and what it needs of the run at that step."""

    step: int
    lam: float
    learning_rate: float
    l1: float = 0.0


def params64(session: Session, at_step: int | None = None) -> tuple[At, dict]:
    """The parameters now, or at an earlier step kept in the session's snapshot ring, in float64.
    An earlier step uses today's lam: the ring keeps weights, not settings. A step the run has not
    reached is a ValueError naming at_step (the API's 422)."""
    with session.player.lock:  # the step and the kept weights of one run: a twins reset swaps it
        snap = session.player.state()
        step, params = snap.step, snap.params
        if at_step is not None and at_step > snap.step:
            raise ValueError(f"at_step must be at most the run's step, {snap.step}; got {at_step}")
        if at_step is not None and at_step != snap.step:
            step, params = session.run.snapshots.at(at_step)
            params = {name: value.copy() for name, value in params.items()}
    at = At(step, snap.lam, snap.learning_rate, snap.l1)
    return at, {name: params[name].astype(np.float64) for name in params}


def train_inputs(session: Session) -> np.ndarray:
    """The network's input for the training points (N, F): the run's features of them, float64."""
    return session.run.inputs(session.run.dataset.X_train)
