"""A frame as a pure function of a snapshot of the run and its data, so that it can be built
anywhere: in a worker thread, or in a process of its own that has a core to itself.

    job, data = session.frame_job(G, with_arrays, with_input_gradients)   # under the run's lock
    frame = build_frame(job, data)                                         # anywhere, no lock

`python -m app.training.frame_builder` is that process: it reads jobs from stdin and writes frames
to stdout, each message a 4-byte little-endian length and a pickle (the server writes both ends;
app/api/frame_worker.py is the other end). It keeps the data of the last DATA_KEPT datasets it
was sent, evicting the least recently used, as the server's side predicts, so a job carries its
data only when the process does not have it yet.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from app.core.grid import decision_grid
from app.core.network import PARAM_NAMES, Params
from app.core.optimizers import norm

from .evaluation import evaluate
from .frames import encode_frame, quantize_probabilities
from .history import finite_or_none

DATA_KEPT = 64  # datasets the frame process keeps; a classroom has ~30 runs


@dataclass(frozen=True)
class Snapshot:
    """A consistent copy of the run at one step."""

    version: int
    step: int
    epoch: float
    status: str
    message: str
    params: Params  # copies, float32
    ratios: dict[str, float]
    live: dict  # the settings that change without a reset (Hyperparameters' fields)

    @property
    def lam(self) -> float:
        return self.live["lam"]

    @property
    def learning_rate(self) -> float:
        return self.live["learning_rate"]


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
    snapshot: Snapshot
    activation: str
    G: int
    with_arrays: bool
    with_input_gradients: bool
    viewers: int
    data_key: tuple  # (session id, data_version), FrameData's key


def build_frame(job: FrameJob, data: FrameData) -> bytes:
    """The binary frame (frames.py) of the run as `job` saw it: losses, accuracies and gradients
    on the full sets, the decision grid at G x G, with or without the weights and gradients, and
    with or without the input gradients dX and each training point's |y_hat - y|."""
    snap, G = job.snapshot, job.G
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged run: inf becomes null below
        ev = evaluate(
            snap.params,
            data.X_train,
            data.Y_train,
            data.labels_train,
            data.X_test,
            data.Y_test,
            data.labels_test,
            job.activation,
            snap.lam,
        )
        y_hat = decision_grid(snap.params, data.box, G, job.activation)
        header = {
            "type": "frame",
            "step": snap.step,
            "epoch": snap.epoch,
            "status": snap.status,
            "message": snap.message,
            "learning_rate": snap.learning_rate,
            "live": snap.live,
            "train_loss": finite_or_none(ev.train_loss),
            "train_accuracy": ev.train_accuracy,
            "test_loss": finite_or_none(ev.test_loss),
            "test_accuracy": ev.test_accuracy,
            "saturation": ev.saturation,
            "grad": {
                name: {
                    "norm": finite_or_none(norm(g)),
                    "max": finite_or_none(np.max(np.abs(g)) if g.size else 0.0),
                    "ratio": finite_or_none(snap.ratios[name]),
                }
                for name, g in ev.grads.items()
            },
            "grid": {"G": G, "box": list(data.box)},
            "viewers": job.viewers,
            "data_version": job.data_key[1],
        }
    arrays = [("grid", quantize_probabilities(y_hat))]
    if job.with_arrays:
        arrays += [(name, snap.params[name]) for name in PARAM_NAMES]
        arrays += [(f"d{name}", ev.grads[name]) for name in PARAM_NAMES]
    if job.with_input_gradients:
        arrays += [("dX", ev.dX), ("residual", ev.residual)]
    return encode_frame(header, arrays)


# ---- the frame process ---------------------------------------------------------------------

LENGTH = struct.Struct("<I")


def write_message(stream, payload) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(LENGTH.pack(len(data)) + data)
    stream.flush()


def read_message(stream):
    """The next message, or None at the end of the stream."""
    head = stream.read(LENGTH.size)
    if len(head) < LENGTH.size:
        return None
    (length,) = LENGTH.unpack(head)
    body = stream.read(length)
    if len(body) < length:
        return None
    return pickle.loads(body)


class DataCache:
    """The datasets the frame process holds, the least recently used dropped past `size`. The
    server runs the same cache over the same keys (storing True for the data it sent), so it
    knows what the process holds and sends a dataset only when the process does not have it."""

    def __init__(self, size: int = DATA_KEPT):
        self.size = size
        self._kept: OrderedDict[tuple, object] = OrderedDict()

    def __contains__(self, key: tuple) -> bool:
        return key in self._kept

    def use(self, key: tuple, data=None):
        """The value kept for `key`, `data` being stored first when given; None, and nothing
        stored, for a key it does not hold and no data."""
        if data is not None:
            self._kept[key] = data
        elif key not in self._kept:
            return None
        self._kept.move_to_end(key)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return self._kept[key]


def serve(jobs, frames) -> None:
    """Answer each (job, data or None) from `jobs` with ("frame", bytes), ("missing", data key)
    when it was not sent the job's data (the server then starts a fresh process: the two caches
    differ), or ("error", message)."""
    cache = DataCache()
    while (message := read_message(jobs)) is not None:
        job, sent = message
        data = cache.use(job.data_key, sent)
        if data is None:
            write_message(frames, ("missing", job.data_key))
            continue
        try:
            frame = build_frame(job, data)
        except Exception as e:  # the server shows the message; this process goes on
            write_message(frames, ("error", f"{type(e).__name__}: {e}"))
        else:
            write_message(frames, ("frame", frame))


def main() -> None:
    frames = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the frames
    write_message(frames, ("ready", os.getpid()))
    serve(sys.stdin.buffer, frames)


if __name__ == "__main__":
    main()
