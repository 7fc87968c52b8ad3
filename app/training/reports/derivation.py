"""The worked forward and backward pass for one training sample, long way and short way."""

from __future__ import annotations

from app.core.derivation import Stage, derive

from ..history import finite_or_none
from ..session import Session
from .common import activation_info, as_list, params64


def derivation(session: Session, n: int, at_step: int | None = None) -> dict:
    """Derivation for training sample n (0 <= n < N_train); `index` is its row among all points."""
    snap, params = params64(session, at_step)
    d = session.run.dataset
    worked = derive(params, d.X_train, session.run.Y[d.train], n, session.run.activation)
    mistake = worked.mistake
    return {
        "step": snap.step,
        "n": n,
        "index": int(d.train[n]),
        "N": worked.N,
        "activation": worked.activation,
        "lam": snap.lam,
        "stages": [stage_out(s) for s in worked.stages],
        "activation_info": activation_info(worked.activation),
        "two_ways": {
            "max_abs_difference": finite_or_none(worked.dz2_max_abs_difference),
            "max_abs_dz2": finite_or_none(worked.dz2_max_abs),
            "agree": worked.two_ways_agree,
        },
        "mistake": {
            "name": mistake.name,
            "title": mistake.title,
            "explanation": mistake.explanation,
            "stages": [stage_out(s) for s in mistake.stages],
            "dz2_max_abs_difference": finite_or_none(mistake.dz2_max_abs_difference),
            "dW2_max_abs_difference": finite_or_none(mistake.dW2_max_abs_difference),
            "dW2_max_rel_error": finite_or_none(mistake.dW2_max_rel_error),
        },
    }


def stage_out(stage: Stage) -> dict:
    return {
        "name": stage.name,
        "equation": stage.equation,
        "phase": stage.phase,
        "shape": list(stage.shape),
        "value": as_list(stage.value),
        "tex": stage.tex,
    }
