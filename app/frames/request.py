"""What a frame is built from: the viewer's request, and a copy of the run taken under its lock.

    job, data = take_job(session, FrameRequest(grid=64, with_arrays=True))   # microseconds, locked
    frame = build_frame(job, data)                                            # anywhere, no lock

The job and the data are plain values (they are pickled to the frame process), so a frame is a
pure function of them: built in a worker thread or in another process, it is the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from app.training.state import RunState

if TYPE_CHECKING:
    from app.training.session import Session


@dataclass(frozen=True)
class FrameRequest:
    """What a viewer asks its frames to hold (the stream's options, as of one frame)."""

    grid: int  # G: the decision grid is G x G
    with_arrays: bool  # the weights and their gradients
    with_input_gradients: bool = False  # dX and each training point's |y_hat - y|


@dataclass(frozen=True)
class FrameData:
    """The run's points as the live loop holds them (float32), and the box the grid covers."""

    key: tuple  # (session id, data_version): the same key, the same arrays
    X_train: np.ndarray
    Y_train: np.ndarray
    labels_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    labels_test: np.ndarray
    box: tuple


@dataclass(frozen=True)
class FrameJob:
    """Everything but the points that a frame shows, as of one moment of the run."""

    version: int  # the run's version the frame shows: a viewer's frames never go back
    state: RunState
    activation: str
    request: FrameRequest
    viewers: int
    watchers: int  # viewers without the control token
    data_key: tuple  # (session id, data_version), FrameData's key

    loss: str = "cross_entropy"
    features: tuple[str, ...] = ("x1", "x2")  # the network's inputs, for the decision grid

    @property
    def data_version(self) -> int:
        return self.data_key[1]


def take_job(session: Session, request: FrameRequest) -> tuple[FrameJob, FrameData]:
    """The job and data for a frame of `session` as it is now, taken under the run's lock in a few
    microseconds: the weights, the points and their version as of one moment."""
    player = session.player
    with player.lock:
        run = session.run  # read under the lock: a twins reset swaps the Run object
        key = (session.id, run.data_version)
        data = FrameData(
            key,
            run.X_train,
            run.Y_train,
            run.labels_train,
            run.X_test,
            run.Y_test,
            run.labels_test,
            tuple(run.dataset.box),
        )
        job = FrameJob(
            player.version,
            player.state(),
            run.activation,
            request,
            session.viewers,
            session.watchers,
            key,
            run.loss_name,
            run.features,
        )
    return job, data


def take_job_now(session: Session, request: FrameRequest) -> tuple[FrameJob, FrameData] | None:
    """take_job(), or None if the training thread holds the lock right now: for the event loop,
    which must not wait the few milliseconds a burst of steps can hold it."""
    lock = session.player.lock
    if not lock.acquire(blocking=False):
        return None
    try:
        return take_job(session, request)
    finally:
        lock.release()
