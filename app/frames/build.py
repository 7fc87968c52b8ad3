"""The one way a frame is built: a pure function of a job and its data (request.py), the same in a
worker thread of the server (build_now) and in the frame process (frame_process.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from app.core.grid import decision_grid
from app.training.evaluation import evaluate

from .encoding import encode_frame, quantize_probabilities, scaled16
from .messages import frame_header
from .request import FrameData, FrameJob, FrameRequest, take_job

if TYPE_CHECKING:
    from app.training.session import Session


def build_frame(job: FrameJob, data: FrameData) -> bytes:
    """The binary frame (encoding.py) of the run as `job` saw it: losses, accuracies and gradients
    on the full sets, the decision grid at G x G, with or without the weights and gradients, and
    with or without the input gradients dX and each training point's |y_hat - y|."""
    state, request = job.state, job.request
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged run: inf becomes null in the header
        ev = evaluate(
            state.params,
            data.X_train,
            data.Y_train,
            data.labels_train,
            data.X_test,
            data.Y_test,
            data.labels_test,
            job.activation,
            state.lam,
            job.loss,
            state.l1,
        )
        y_hat = decision_grid(state.params, data.box, request.grid, job.activation, job.features)
        header = frame_header(job, ev, data.box)
    arrays = [("grid", quantize_probabilities(y_hat))]
    if request.with_arrays:
        compact = hidden_to_hidden(state.params)
        sent = lambda name, a: scaled16(a) if name in compact else a  # noqa: E731
        # W1, b1, ..., in layer order, then their gradients
        arrays += [(name, sent(name, state.params[name])) for name in state.params]
        arrays += [(f"d{name}", sent(name, ev.grads[name])) for name in state.params]
    if request.with_input_gradients:
        arrays += [("dX", ev.dX), ("residual", ev.residual)]
    return encode_frame(header, arrays)


def hidden_to_hidden(params: dict) -> set[str]:
    """W2 ... WL of a run with L hidden layers (none with one): the (H(l-1), H(l)) matrices that
    hold almost all of a deep run's numbers (6 x 64: 20,480 of 21,187), sent with their
    gradients as scaled float16 (encoding.scaled16). The first layer's weights, the output
    layer's and every bias stay float32, so a one-layer run's frame is as it always was."""
    L = sum(name.startswith("W") for name in params) - 1
    return {f"W{l}" for l in range(2, L + 1)}


def build_now(session: Session, request: FrameRequest) -> tuple[int, bytes]:
    """(version, frame) of `session` as it is now, built in this thread."""
    job, data = take_job(session, request)
    return job.version, build_frame(job, data)
