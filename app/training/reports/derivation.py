"""The worked forward and backward pass for one training sample, long way and short way, and the
same pass for the whole batch in matrix form."""

from __future__ import annotations

from app.core.derivation import Stage, derive, derive_batch

from ..history import finite_or_none
from ..session import Session
from .common import (
    activation_info,
    as_list,
    cross_entropy_and_l2_only,
    one_hidden_layer_on_the_plane,
    params64,
)

# A batch matrix is sent as its first rows, a row per training point (N rows) as its first 5, the
# weights (H rows) as their first 8: the page shows those and says how many more there are; its
# shape is sent whole.
POINT_ROWS_SENT = 5
ROWS_SENT = 8


def derivation(session: Session, n: int, at_step: int | None = None) -> dict:
    """Derivation for training sample n (0 <= n < N_train); `index` is its row among all points."""
    one_hidden_layer_on_the_plane(session, "the derivation")
    snap, params = params64(session, at_step)
    # Its worked mistake is cross-entropy's (the Jacobian's diagonal only), and its dW has no L1 term.
    cross_entropy_and_l2_only(session, "the derivation", snap.l1)
    d = session.run.dataset
    X, Y = d.X_train, session.run.Y[d.train]
    worked = derive(params, X, Y, n, session.run.activation)
    batch = derive_batch(params, X, Y, session.run.activation, snap.lam)
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
        "batch": {
            "point_rows_sent": POINT_ROWS_SENT,
            "stages": [
                stage_out(s, POINT_ROWS_SENT if s.dims[:1] == ("N",) else ROWS_SENT) for s in batch.stages
            ],
            "sums": [
                {
                    "name": s.name,
                    "max_abs_difference": finite_or_none(s.max_abs_difference),
                    "max_abs": finite_or_none(s.max_abs),
                    "agree": s.agree,
                }
                for s in batch.sums
            ],
        },
    }


def stage_out(stage: Stage, max_rows: int | None = None) -> dict:
    """A stage as REST sends it; a matrix of more than max_rows rows cut to its first max_rows."""
    value = stage.value
    if max_rows is not None and value.ndim == 2 and value.shape[0] > max_rows:
        value = value[:max_rows]
    return {
        "name": stage.name,
        "equation": stage.equation,
        "phase": stage.phase,
        "shape": list(stage.shape),
        "value": as_list(value),
        "tex": stage.tex,
        "dims": list(stage.dims),
    }
