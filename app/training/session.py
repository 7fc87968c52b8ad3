"""One training run: its data, network, optimizer and history, stepped in a worker thread.

Training never runs on the server's event loop: `play` starts a thread that steps at the run's
steps_per_second, and `step(n)` is meant to be called from a worker thread. Everything that reads
or changes the run takes `lock`, held for a few milliseconds at a time at most.

The live loop is float32 (2-4x faster, and visually the same); whatever is inspected as numbers
over REST is recomputed in float64 by app/training/reports.py from a copy of these parameters.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time

import numpy as np

from app.core.datasets import Dataset, bounding_box, make_dataset
from app.core.fast_step import FastStep
from app.core.minibatches import MiniBatches
from app.core.network import PARAM_NAMES, forward, init_params, loss
from app.core.optimizers import make_optimizer, norm
from app.core.targets import one_hot

from .config import Hyperparameters, Point, RunConfig
from .history import HISTORY_ROWS, History
from .snapshots import SnapshotRing
from .state import RunState

log = logging.getLogger(__name__)

LIVE_DTYPE = np.float32
BURST_SECONDS = 0.005  # longest the training thread holds the lock in one go
EVAL_EVERY = 10  # steps between test-set evaluations recorded in the history


# A run in one of these states takes no step until it is reset: "diverged" when its numbers
# overflowed, "failed" when a step raised (state that does not hold together, or a bug).
STOPPED = ("diverged", "failed")


class SessionError(Exception):
    """A request that does not fit the run's state (e.g. play while diverged); the message says why."""


def build_dataset(config: RunConfig) -> Dataset:
    d = config.dataset
    return make_dataset(
        d.kind,
        n_samples=d.n_samples,
        noise=d.noise,
        seed=d.seed,
        classes=d.classes,
        train_fraction=d.train_fraction,
        points=None if d.points is None else [(p.x, p.y, p.label) for p in d.points],
    )


LIVE_FIELDS = tuple(Hyperparameters.model_fields)


class Session:
    def __init__(self, config: RunConfig, *, history_capacity: int = HISTORY_ROWS):
        self.id = secrets.token_urlsafe(16)
        self.token = secrets.token_urlsafe(24)
        self.config = config
        self.activation = config.activation
        self.data_version = 0
        self._use_dataset(build_dataset(config))
        self.C = self.dataset.C
        self.lock = threading.RLock()
        self.history = History(history_capacity)
        self.snapshots = SnapshotRing()
        self.viewers = 0
        self.last_active = time.monotonic()
        self.version = 0
        self.closed = False
        self.replaced_by: str | None = None  # the run that took this one's place, for its watchers
        self._on_change: list = []
        self._start_run()

    # ---- the run's state ------------------------------------------------------------------

    def _start_run(self) -> None:
        """Initial weights (same seed, same weights), fresh optimizer state, empty history."""
        c = self.config
        self.params = init_params(c.hidden, self.C, seed=c.seed, scale=c.init_scale, dtype=LIVE_DTYPE)
        self.fast_step = FastStep(c.hidden, self.C, self.activation, dtype=LIVE_DTYPE)
        self.optimizer = self._make_optimizer(c)
        self.batches = MiniBatches(len(self.X_train), c.batch_size, c.seed)
        self.step_count = 0
        self.status = "paused"
        self.message = ""
        self.ratios = {name: 0.0 for name in PARAM_NAMES}
        self.history.clear()
        self.snapshots.clear()
        self.snapshots.record(0, self.params)
        self._changed()

    def _use_dataset(self, d: Dataset) -> None:
        """Train on `d` from now on: float32 copies for the live loop, float64 targets for REST."""
        self.dataset = d
        Y = one_hot(d.labels, d.C, smoothing=self.config.label_smoothing)
        self.X_train, self.Y_train = d.X_train.astype(LIVE_DTYPE), Y[d.train].astype(LIVE_DTYPE)
        self.X_test, self.Y_test = d.X_test.astype(LIVE_DTYPE), Y[d.test].astype(LIVE_DTYPE)
        self.Y = Y  # float64, all points
        self.labels_train, self.labels_test = d.labels_train, d.labels_test  # indexed once, used every step
        self.data_version += 1

    def edit_points(self, add: list[tuple[float, float, int]], remove: list[int]) -> None:
        """Add points (x, y, label) to the training set and remove points by their index among all
        points, keeping the weights, the optimizer and the step: the run goes on with the new data.
        The run's dataset becomes a 'points' dataset holding exactly these points."""
        with self.lock:
            d = self.dataset
            N = len(d.labels)
            bad = [i for i in remove if not 0 <= i < N]
            if bad:
                raise ValueError(f"remove: index {bad[0]} is not a point; there are {N} (0 to {N - 1})")
            for _x, _y, label in add:
                if not 0 <= label < self.C:
                    raise ValueError(f"add: label {label} is not a class of this network (0 to {self.C - 1})")
            keep = np.setdiff1d(np.arange(N), np.asarray(remove, dtype=np.int64))
            in_train = np.isin(keep, d.train)
            if not in_train.any() and not add:
                raise ValueError("remove: at least one training point must stay")
            X = np.vstack([d.X[keep], np.asarray([(x, y) for x, y, _ in add]).reshape(-1, 2)])
            labels = np.concatenate([d.labels[keep], np.asarray([lab for _, _, lab in add], dtype=np.int64)])
            is_train = np.concatenate([in_train, np.ones(len(add), bool)])
            train, test = np.flatnonzero(is_train), np.flatnonzero(~is_train)
            self._use_dataset(Dataset("points", X, labels, self.C, train, test, bounding_box(X)))
            points = [Point(x=float(px), y=float(py), label=int(lab)) for (px, py), lab in zip(X, labels)]
            dataset = self.config.dataset.model_copy(
                update={
                    "kind": "points",
                    "points": points,
                    "classes": self.C,
                    "train_fraction": len(train) / len(X),
                }
            )
            self.config = self.config.model_copy(update={"dataset": dataset})
            seen = self.batches.samples_seen
            self.batches = MiniBatches(
                len(self.X_train), self.config.batch_size, self.config.seed + self.step_count
            )
            self.batches.samples_seen = seen
            self._changed()
        self.touch()

    @staticmethod
    def _make_optimizer(c: RunConfig):
        if c.optimizer == "sgd":
            return make_optimizer("sgd", c.learning_rate)
        if c.optimizer == "momentum":
            return make_optimizer("momentum", c.learning_rate, beta=c.momentum)
        return make_optimizer("adam", c.learning_rate, beta1=c.momentum)

    def _changed(self) -> None:
        """The run moved on: a new version, and every waiting watcher is told (once)."""
        self.version += 1
        callbacks, self._on_change = self._on_change, []
        for callback in callbacks:
            callback()

    def call_on_change(self, callback) -> None:
        """Call `callback()` (from whichever thread changes the run) the next time it changes.
        It must be thread-safe and quick, e.g. loop.call_soon_threadsafe(event.set)."""
        with self.lock:
            self._on_change.append(callback)

    def add_viewer(self) -> None:
        with self.lock:
            self.viewers += 1
            self._changed()  # the driver sees the count go up

    def remove_viewer(self) -> None:
        with self.lock:
            self.viewers -= 1
            self._changed()
        self.touch()

    def touch(self) -> None:
        self.last_active = time.monotonic()

    def snapshot(self) -> RunState:
        with self.lock:
            return RunState(
                step=self.step_count,
                epoch=self.batches.epoch,
                status=self.status,
                message=self.message,
                params={name: value.copy() for name, value in self.params.items()},
                ratios=dict(self.ratios),
                live={name: getattr(self.config, name) for name in LIVE_FIELDS},
            )

    # ---- training -------------------------------------------------------------------------

    def _diverge(self, what: str) -> None:
        lr = self.config.learning_rate
        self.status = "diverged"
        self.message = (
            f"Training diverged at step {self.step_count + 1}: {what}. The learning rate {lr:g} is too "
            f"high for this network; lower it (try {lr / 10:g}) and press reset."
        )
        self._changed()

    def _fail(self, step: int, error: Exception) -> None:
        """Stop this run with a message its viewers see; the error is logged with its traceback."""
        log.exception("session %s failed at step %d", self.id, step)
        self.status = "failed"
        self.message = (
            f"Training stopped at step {step}: the step raised "
            f"{type(error).__name__}: {str(error)[:200]}. Press reset to start again from the first "
            "weights, or start a new run."
        )
        self._changed()

    def _step_once(self) -> bool:
        """One optimizer step under the lock; False (and status diverged) if it would go non-finite.

        On divergence the parameters stay at the last finite step, so there is still a picture.
        A step that raises fails this run only: the trainer thread and every other run go on."""
        step = self.step_count + 1
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # overflow is what we detect, below
                return self._step_checked()
        except Exception as error:
            self._fail(step, error)
            return False

    def _step_checked(self) -> bool:
        rows = self.batches.next()
        X, Y = self.X_train[rows], self.Y_train[rows]
        lam = self.config.lam
        value, grads = self.fast_step.loss_and_grads(self.params, X, Y, lam)  # network.py's, fast
        if not np.isfinite(value):
            self._diverge(f"the loss became {value}")
            return False
        ratios = self.optimizer.step_if_finite(self.params, grads)
        if ratios is None:  # the weights stay at the last finite step: there is still a picture
            self._diverge("the weights overflowed")
            return False
        self.step_count += 1
        self.ratios = ratios
        row = {
            "step": self.step_count,
            "epoch": self.batches.epoch,
            "loss": value,
            "accuracy": np.count_nonzero(np.argmax(self.fast_step.z2, axis=1) == self.labels_train[rows])
            / len(X),
            **{f"grad_norm_{name}": norm(g) for name, g in grads.items()},
            **{f"ratio_{name}": r for name, r in ratios.items()},
        }
        if self.step_count % EVAL_EVERY == 0 and len(self.X_test):
            fwd_test = forward(self.params, self.X_test, self.activation)
            row["test_loss"] = loss(self.params, fwd_test, self.Y_test, lam)
            row["test_accuracy"] = float(np.mean(np.argmax(fwd_test.z2, axis=1) == self.labels_test))
        self.history.append(row)
        self.snapshots.record(self.step_count, self.params)
        self._changed()
        return True

    def step(self, n: int, seconds: float = float("inf"), cancelled=lambda: False) -> int:
        """Pause, then take n steps, fewer if the run stops (diverged, failed), `seconds` run out
        or `cancelled()` turns true (the client left); the steps taken. Blocks: call it from a
        worker thread. The lock is released between bursts so frames keep flowing."""
        self.pause()
        taken = 0
        end = time.perf_counter() + seconds
        while taken < n and time.perf_counter() < end and not cancelled():
            with self.lock:
                if self.status in STOPPED:
                    break
                deadline = time.perf_counter() + BURST_SECONDS
                while taken < n and self._step_once():
                    taken += 1
                    if time.perf_counter() > deadline:
                        break
        self.touch()
        return taken

    def play(self) -> None:
        with self.lock:
            if self.status in STOPPED:
                raise SessionError(self.message or f"the run {self.status}: press reset")
            if self.status == "running":
                return
            self.status = "running"
            self._changed()
            TRAINER.start(self)

    def pause(self) -> None:
        with self.lock:
            if self.status == "running":
                self.status = "paused"
                self._changed()
            TRAINER.stop(self)

    def play_burst(self, due: float) -> float | None:
        """The steps that are due (at steps_per_second since `due`), at most BURST_SECONDS of
        them under the lock; when the next step is due, or None if the run stopped playing."""
        with self.lock:
            if self.status != "running" or self.closed:
                return None
            rate = self.config.steps_per_second
            deadline = time.perf_counter() + BURST_SECONDS
            while due <= time.perf_counter():
                if not self._step_once():
                    return None
                due += 1 / rate
                if time.perf_counter() > deadline:
                    break
        if time.perf_counter() - due > 0.25:  # slower than asked (a big network): do not catch up later
            due = time.perf_counter()
        return due

    def reset(self) -> None:
        self.pause()
        with self.lock:
            self._start_run()

    def update(self, changes: Hyperparameters) -> None:
        """Apply hyperparameter changes without restarting: the weights and the step stay."""
        with self.lock:
            new = self.config.with_hyperparameters(changes)
            set_fields = changes.model_fields_set
            if new.optimizer != self.config.optimizer:
                self.optimizer = self._make_optimizer(new)
            else:
                self.optimizer.lr = new.learning_rate
                if new.optimizer == "momentum":
                    self.optimizer.beta = new.momentum
                elif new.optimizer == "adam":
                    self.optimizer.beta1 = new.momentum
            if "batch_size" in set_fields and new.batch_size != self.config.batch_size:
                seen = self.batches.samples_seen
                self.batches = MiniBatches(len(self.X_train), new.batch_size, new.seed + self.step_count)
                self.batches.samples_seen = seen
            self.config = new
            self._changed()
        self.touch()

    def close(self) -> None:
        self.pause()
        with self.lock:
            self.closed = True
            self._changed()

    # ---- what viewers see -----------------------------------------------------------------

    def summary(self) -> dict:
        with self.lock:
            last = {name: column[-1] if column else None for name, column in self.history.columns.items()}
            return {
                "id": self.id,
                "step": self.step_count,
                "epoch": self.batches.epoch,
                "status": self.status,
                "message": self.message,
                "loss": last["loss"],
                "accuracy": last["accuracy"],
                "viewers": self.viewers,
                "config": self.config.model_dump(mode="json"),
            }


class Trainer:
    """One thread that plays every running session of this process, each at its steps_per_second.

    One thread, not one per session: under the GIL, thirty training threads and the event loop
    took turns so badly that a classroom (30 sessions, 130 viewers) got 1 frame/s per viewer and
    REST answers in 3 s. One thread does the same steps and leaves the event loop its turns."""

    def __init__(self):
        self._due: dict[Session, float] = {}  # each playing session: when its next step is due
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def start(self, session: Session) -> None:
        with self._changed:
            self._due[session] = time.perf_counter()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="trainer", daemon=True)
                self._thread.start()
            self._changed.notify()

    def stop(self, session: Session) -> None:
        with self._changed:
            self._due.pop(session, None)

    def _run(self) -> None:
        while True:
            with self._changed:
                if not self._due:
                    self._changed.wait()
                    continue
                session, due = min(self._due.items(), key=lambda item: item[1])
                wait = due - time.perf_counter()
                if wait > 0:
                    self._changed.wait(wait)
                    continue
            try:
                next_due = session.play_burst(due)
            except Exception:  # whatever one run does, the thread that plays every run goes on
                log.exception("session %s: its burst of steps raised; it is no longer played", session.id)
                next_due = None
            with self._changed:
                if session in self._due:  # not paused meanwhile
                    if next_due is None:
                        del self._due[session]
                    else:
                        self._due[session] = next_due


TRAINER = Trainer()
