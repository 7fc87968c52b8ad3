"""One training run as plain data: its config, data, parameters, optimizer state, step, history
and kept weights, and the step that moves it on. No threads, no viewers, no callbacks: player.py
decides when it steps and whom to tell, and reads or changes it only under the player's lock.

The live loop is float32 (2-4x faster, and visually the same); whatever is inspected as numbers
over REST is recomputed in float64 by reports/ from a copy of these parameters.
"""

from __future__ import annotations

import numpy as np

from app.core.datasets import Dataset, make_dataset
from app.core.fast_step import FastStep
from app.core.features import expand
from app.core.minibatches import MiniBatches
from app.core.network import forward, init_params, loss, param_names
from app.core.optimizers import Optimizer, make_optimizer, norm
from app.core.targets import one_hot

from .config import Hyperparameters, RunConfig
from .history import HISTORY_ROWS, History
from .points import NewPoint, config_for, edited_dataset
from .polls import PollBook
from .snapshots import SnapshotRing
from .state import Progress, Resume, RunState
from .weight_edit import check_weight_edit

LIVE_DTYPE = np.float32
EVAL_EVERY = 10  # steps between test-set evaluations recorded in the history
LIVE_FIELDS = tuple(Hyperparameters.model_fields)  # what changes without a reset

# A run in one of these states takes no step until it is restarted: "diverged" when its numbers
# overflowed, "failed" when a step raised (state that does not hold together, or a bug).
STOPPED = ("diverged", "failed")


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


def run_optimizer(config: RunConfig) -> Optimizer:
    """A fresh optimizer as the config names it; `beta1` is momentum's beta and Adam's beta1."""
    if config.optimizer == "sgd":
        return make_optimizer("sgd", config.learning_rate)
    if config.optimizer == "momentum":
        return make_optimizer("momentum", config.learning_rate, beta=config.beta1)
    return make_optimizer("adam", config.learning_rate, beta1=config.beta1)


class Run:
    """A run at step 0 of `config` (same seed, same weights); `load` takes it to a saved step."""

    def __init__(self, config: RunConfig, *, history_capacity: int = HISTORY_ROWS):
        self.config = config
        self.activation = config.activation
        self.loss_name = config.loss
        self.features = tuple(config.features)
        self.param_names = param_names(config.layers)
        self.data_version = 0
        self._use_dataset(build_dataset(config))
        self.C = self.dataset.C
        self.history = History(history_capacity, config.layers)
        self.snapshots = SnapshotRing()
        self.parent: dict | None = None  # {"id", "step"}: the run this one was forked from, there
        self.polls = PollBook()  # the questions asked about it, answered as it steps
        self.restart()

    def restart(self) -> None:
        """Initial weights (same seed, same weights), fresh optimizer state, empty history."""
        c = self.config
        F = len(self.features)
        self.params = init_params(c.hidden, self.C, seed=c.seed, scale=c.init_scale, dtype=LIVE_DTYPE, F=F)
        self._fast_step = FastStep(c.hidden, self.C, self.activation, LIVE_DTYPE, loss_name=c.loss, F=F)
        self.optimizer = run_optimizer(c)
        self.batches = MiniBatches(len(self.X_train), c.batch_size, c.seed)
        self.step_count = 0
        self.status = "paused"
        self.message = ""
        self.ratios = {name: 0.0 for name in self.param_names}
        self.history.clear()
        self.snapshots.clear()
        self.snapshots.record(0, self.params, self.resume())
        self.polls.after_restart(self)

    def _use_dataset(self, d: Dataset) -> None:
        """Train on `d` from now on: float32 copies for the live loop, float64 targets for REST."""
        self.dataset = d
        Y = one_hot(d.labels, d.C, smoothing=self.config.label_smoothing)
        self.X_train, self.Y_train = self.inputs(d.X_train).astype(LIVE_DTYPE), Y[d.train].astype(LIVE_DTYPE)
        self.X_test, self.Y_test = self.inputs(d.X_test).astype(LIVE_DTYPE), Y[d.test].astype(LIVE_DTYPE)
        self.Y = Y  # float64, all points
        self.labels_train, self.labels_test = d.labels_train, d.labels_test  # indexed once, used every step
        self.data_version += 1

    def inputs(self, points: np.ndarray) -> np.ndarray:
        """The network's input (N, F) for points (N, 2) of the plane: the run's features of them."""
        return expand(points, self.features)

    def _batches_from_here(self, batch_size: int | None) -> MiniBatches:
        """Mini-batches for the run's data from its current step on, its epoch count kept."""
        # A seed is 32 bits: seed + step wraps, or a run with seed 2**32 - 1 could never change its
        # batches or points past step 0 (the edit failed half made).
        seed = (self.config.seed + self.step_count) % 2**32
        batches = MiniBatches(len(self.X_train), batch_size, seed)
        batches.samples_seen = self.batches.samples_seen
        return batches

    # ---- moving on ------------------------------------------------------------------------

    def step(self) -> bool:
        """One optimizer step on the next mini-batch; False, taking none, when the run is stopped
        or the step would overflow (then the status is "diverged" and the weights stay at the last
        finite step, so there is still a picture). A step that raises leaves the run to `fail`."""
        if self.status in STOPPED:
            return False
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is what _take_step detects
            return self._take_step()

    def _take_step(self) -> bool:
        rows = self.batches.next()
        X, Y = self.X_train[rows], self.Y_train[rows]
        lam, l1 = self.config.lam, self.config.l1
        value, grads = self._fast_step.loss_and_grads(self.params, X, Y, lam, l1)  # network.py's, fast
        if not np.isfinite(value):
            self._diverge(f"the loss became {value}")
            return False
        ratios = self.optimizer.step_if_finite(self.params, grads)
        if ratios is None:
            self._diverge("the weights overflowed")
            return False
        self.step_count += 1
        self.ratios = ratios
        row = {
            "step": self.step_count,
            "epoch": self.batches.epoch,
            "loss": value,
            "accuracy": np.count_nonzero(np.argmax(self._fast_step.z2, axis=1) == self.labels_train[rows])
            / len(X),
            **{f"grad_norm_{name}": norm(g) for name, g in grads.items()},
            **{f"ratio_{name}": r for name, r in ratios.items()},
        }
        if self.step_count % EVAL_EVERY == 0 and len(self.X_test):
            fwd_test = forward(self.params, self.X_test, self.activation)
            row["test_loss"] = loss(self.params, fwd_test, self.Y_test, lam, self.loss_name, l1)
            row["test_accuracy"] = float(np.mean(np.argmax(fwd_test.logits, axis=1) == self.labels_test))
        self.history.append(row)
        if self.snapshots.wants(self.step_count):
            self.snapshots.record(self.step_count, self.params, self.resume())
        if self.polls.awaiting:
            self.polls.after_step(self)
        return True

    def _diverge(self, what: str) -> None:
        lr = self.config.learning_rate
        self.status = "diverged"
        self.message = (
            f"Training diverged at step {self.step_count + 1}: {what}. The learning rate {lr:g} is too "
            f"high for this network; lower it (try {lr / 10:g}) and press reset."
        )
        self.polls.after_stop(self)

    def fail(self, step: int, error: Exception) -> None:
        """Stop the run because its step number `step` raised `error`: only a restart goes on."""
        self.status = "failed"
        self.message = (
            f"Training stopped at step {step}: the step raised "
            f"{type(error).__name__}: {str(error)[:200]}. Press reset to start again from the first "
            "weights, or start a new run."
        )

    def update(self, changes: Hyperparameters) -> None:
        """Apply hyperparameter changes without restarting: the weights and the step stay."""
        new = self.config.with_hyperparameters(changes)
        if new.optimizer != self.config.optimizer:
            self.optimizer = run_optimizer(new)
        else:
            self.optimizer.lr = new.learning_rate
            if new.optimizer == "momentum":
                self.optimizer.beta = new.beta1
            elif new.optimizer == "adam":
                self.optimizer.beta1 = new.beta1
        if "batch_size" in changes.model_fields_set and new.batch_size != self.config.batch_size:
            self.batches = self._batches_from_here(new.batch_size)
        self.config = new

    def shuffle_from_here(self) -> None:
        """Mini-batches drawn afresh from this step on with the config's seed (a fork's new seed)."""
        self.batches = self._batches_from_here(self.config.batch_size)

    def edit_points(self, add: list[NewPoint], remove: list[int]) -> None:
        """Add points (x, y, label) to the training set and remove points by their index among all
        points, keeping the weights, the optimizer and the step: the run goes on with the new data.
        The run's dataset becomes a 'points' dataset holding exactly these points."""
        dataset = edited_dataset(self.dataset, add, remove)
        self.config = config_for(self.config, dataset)
        self._use_dataset(dataset)
        self.batches = self._batches_from_here(self.config.batch_size)

    def set_weight(self, name: str, index: tuple[int, int], value: float) -> None:
        """Set one entry of a weight matrix, params[name][index] = value (a person's edit on the
        network diagram), keeping the step, the optimizer and the history: the run goes on from the
        edited weights (as an edit of the points, it is not a step: the history and the kept copies
        of past steps stay as they were). WeightEditError naming the field if it does not fit."""
        check_weight_edit(self.params, name, index, value)
        self.params[name][index] = value

    # ---- copies out, and back in ----------------------------------------------------------

    def state(self, status: str | None = None) -> RunState:
        """A copy of the run now; `status` in place of its own (a player says "running")."""
        return RunState(
            step=self.step_count,
            epoch=self.batches.epoch,
            status=status or self.status,
            message=self.message,
            params={name: value.copy() for name, value in self.params.items()},
            ratios=dict(self.ratios),
            live={name: getattr(self.config, name) for name in LIVE_FIELDS},
        )

    def resume(self) -> Resume:
        """What, beside its parameters, the run needs to go on from here exactly (a fork's start)."""
        return Resume(
            config=self.config,
            dataset=self.dataset,
            optimizer={
                slot: {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in values.items()}
                for slot, values in self.optimizer.state().items()
            },
            batches=self.batches.snapshot(),
            ratios=dict(self.ratios),
        )

    def progress(self) -> Progress:
        """Where the run stands, to save it (its own arrays: convert them under the lock)."""
        return Progress(
            train=self.dataset.train,
            params=self.params,
            optimizer=self.optimizer.state(),
            batches=self.batches.state(),
            step=self.step_count,
            status=self.status,
            message=self.message,
            ratios=dict(self.ratios),
            history=self.history.state(),
            snapshots=self.snapshots.state(),
        )

    def load(self, progress: Progress, dataset: Dataset | None = None) -> None:
        """Go on from `progress` (checked by the caller against this run's config: saved_run.py)
        exactly: the same split, weights, optimizer state and batches give the same next step.
        The points are `dataset`'s if given (a fork's parent's), else those the config makes."""
        d = self.dataset if dataset is None else dataset
        train = np.sort(np.asarray(progress.train, dtype=np.int64))
        test = np.setdiff1d(np.arange(len(d.labels)), train)
        self._use_dataset(Dataset(d.kind, d.X, d.labels, d.C, train, test, d.box))
        self.params = progress.params
        self.optimizer = run_optimizer(self.config)
        self.optimizer.load_state(progress.optimizer)
        self.batches = MiniBatches(len(train), self.config.batch_size, self.config.seed)
        self.batches.load_state(progress.batches)
        self.step_count = progress.step
        self.status = progress.status
        self.message = progress.message
        self.ratios = dict(progress.ratios)
        self.history.load_state(progress.history)
        self.snapshots.load_state(progress.snapshots)
