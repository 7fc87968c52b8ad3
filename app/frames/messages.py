"""The stream's messages from the server, each shape written once: hello, points, and the header
of a binary frame. docs/protocol.md describes them for client authors; static/protocol.js and the
page's panels are their JavaScript reader, so a field renamed here is renamed there too.

The control answers (ok, error) are written where the controls are carried out (app/api/stream.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from app.core.datasets import Dataset
from app.core.optimizers import norm
from app.training.evaluation import Evaluation
from app.training.history import finite_or_none

from .request import FrameJob

if TYPE_CHECKING:
    from app.training.session import Session

HELLO_HISTORY_ROWS = 500  # the history a viewer gets on arrival, downsampled to at most this many rows


def points_of(d: Dataset) -> dict:
    """The run's points, their labels and the split, as hello and 'points' messages carry them."""
    return {
        "x": d.X[:, 0].tolist(),
        "y": d.X[:, 1].tolist(),
        "label": d.labels.tolist(),
        "train": d.train.tolist(),
        "test": d.test.tolist(),
    }


def hello(session: Session, role: str, history_points: int = HELLO_HISTORY_ROWS) -> dict:
    """What a viewer is sent first: the run's summary and config, its points and split, the grid
    box, and the history so far."""
    with session.player.lock:
        run = session.run
        d = run.dataset
        history = run.history.downsampled(history_points)
    return {
        "type": "hello",
        "role": role,
        "session": session.summary(),
        "classes": run.C,
        "points": points_of(d),
        "box": list(d.box),
        "history": history,
        "twins": session.twins,  # {"id", "side", "other"} while twinned, else null
        "polls": run.polls.views(driver=role == "driver"),
    }


def poll(view: dict) -> dict:
    """Sent when a poll changes: asked, closed, revealed, answered, and to the driver, each vote
    (a watcher sees the counts only once revealed: polls.py's view)."""
    return {"type": "poll", "poll": view}


def driver_presence(away: bool, grace_seconds: float) -> dict:
    """Sent to a session's watchers when its driver leaves (the run plays on as left, for
    grace_seconds) and when the driver is back."""
    message: dict = {"type": "driver", "away": away}
    if away:
        message["grace_seconds"] = grace_seconds
    return message


def points(d: Dataset) -> dict:
    """Sent before the first frame that follows points added or removed."""
    return {"type": "points", "points": points_of(d), "box": list(d.box)}


def frame_header(job: FrameJob, ev: Evaluation, box: tuple) -> dict:
    """The JSON header of a frame (its arrays are listed by encoding.encode_frame): the step, the
    live settings, losses and accuracies on the full sets, gradient magnitudes of every parameter
    and of every layer's delta, the grid's box."""
    state = job.state
    return {
        "type": "frame",
        "step": state.step,
        "epoch": state.epoch,
        "status": state.status,
        "message": state.message,
        "learning_rate": state.learning_rate,
        "live": state.live,
        "train_loss": finite_or_none(ev.train_loss),
        "train_accuracy": ev.train_accuracy,
        "test_loss": finite_or_none(ev.test_loss),
        "test_accuracy": ev.test_accuracy,
        "saturation": ev.saturation,
        "saturation_layers": ev.saturation_layers,  # the share in each hidden layer, l = 1 ... L
        "slopes": ev.slopes,
        "grad": {
            name: {
                "norm": finite_or_none(norm(g)),
                "max": finite_or_none(np.max(np.abs(g)) if g.size else 0.0),
                "ratio": finite_or_none(state.ratios[name]),
            }
            for name, g in ev.grads.items()
        },
        "deltas": [finite_or_none(d) for d in ev.deltas],  # |delta(l)| = |dL/dz(l)|, l = 1 ... L+1
        "grid": {"G": job.request.grid, "box": list(box)},
        "viewers": job.viewers,
        "watchers": job.watchers,
        "data_version": job.data_version,
    }
