"""The worked forward and backward pass for one training sample, long way and short way, and the
same pass for the whole batch in matrix form, at every depth, loss, penalty and feature list."""

from __future__ import annotations

import numpy as np

from app.core.derivation import Stage, WorkedMistake, derive, derive_batch
from app.core.losses import get_loss

from ..history import finite_or_none
from ..session import Session
from .common import activation_info, as_list, params64

# What is sent of a value is what the page shows of it, its shape always whole: a matrix with a row
# per training point (N rows) its first 5 rows, any other its first 8; a vector or a matrix more
# than 9 wide its first 8 columns and its last (the page shows the first 6, "...", the last). So the
# reply stays some tens of KB at any width and depth: it was 0.8 MB at one layer of 1024.
POINT_ROWS_SENT = 5
ROWS_SENT = 8
COLUMNS_SENT = 9


def derivation(session: Session, n: int, at_step: int | None = None) -> dict:
    """Derivation for training sample n (0 <= n < N_train); `index` is its row among all points."""
    snap, params = params64(session, at_step)
    run = session.run
    d = run.dataset
    X, Y = d.X_train, run.Y[d.train]
    worked = derive(params, X, Y, n, run.activation, run.loss_name, run.features)
    batch = derive_batch(params, X, Y, run.activation, snap.lam, run.loss_name, snap.l1, run.features)
    loss = get_loss(run.loss_name)
    return {
        "step": snap.step,
        "n": n,
        "index": int(d.train[n]),
        "N": worked.N,
        "activation": worked.activation,
        "lam": snap.lam,
        "l1": snap.l1,
        "loss": worked.loss,
        "layers": worked.L,
        "features": list(run.features),
        "stages": [stage_out(s, ROWS_SENT) for s in worked.stages],
        "activation_info": activation_info(worked.activation),
        "two_ways": {
            "max_abs_difference": finite_or_none(worked.dz2_max_abs_difference),
            "max_abs_dz2": finite_or_none(worked.dz2_max_abs),
            "agree": worked.two_ways_agree,
            "short_way": loss.has_short_way,
            "why_tex": loss.delta_why_tex,
            "note": loss.delta_note,
        },
        "mistake": mistake_out(worked.mistake),
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


def mistake_out(mistake: WorkedMistake | None) -> dict | None:
    """The worked mistake as REST sends it; None where there is none (mse: its mistake is cross-entropy's)."""
    if mistake is None:
        return None
    return {
        "name": mistake.name,
        "title": mistake.title,
        "explanation": mistake.explanation,
        "stages": [stage_out(s, ROWS_SENT) for s in mistake.stages],
        "dz2_max_abs_difference": finite_or_none(mistake.dz2_max_abs_difference),
        "dW2_max_abs_difference": finite_or_none(mistake.dW2_max_abs_difference),
        "dW2_max_rel_error": finite_or_none(mistake.dW2_max_rel_error),
    }


def shown_part(value: np.ndarray, max_rows: int) -> np.ndarray:
    """What the page shows of a value: its first max_rows rows, and of more than COLUMNS_SENT
    columns the first COLUMNS_SENT - 1 and the last."""
    if value.ndim == 2 and value.shape[0] > max_rows:
        value = value[:max_rows]
    if value.ndim >= 1 and value.shape[-1] > COLUMNS_SENT:
        value = np.concatenate([value[..., : COLUMNS_SENT - 1], value[..., -1:]], axis=-1)
    return value


def stage_out(stage: Stage, max_rows: int) -> dict:
    """A stage as REST sends it: the part of its value the page shows, its whole shape."""
    return {
        "name": stage.name,
        "equation": stage.equation,
        "phase": stage.phase,
        "shape": list(stage.shape),
        "value": as_list(shown_part(stage.value, max_rows)),
        "tex": stage.tex,
        "dims": list(stage.dims),
        "layer": stage.layer,
    }
