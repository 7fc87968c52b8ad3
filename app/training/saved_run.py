"""A run saved whole: everything needed to go on exactly where it stopped, as one JSON document.

A restored run takes the same next step it would have taken had it never been saved: same weights
(float32, whose values JSON keeps exactly), same optimizer state, same mini-batch order and random
state, same history and timeline. `SavedRun` is the schema an imported file is checked against.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
import pydantic
from pydantic import Field

from app.core.bounds import MAX_SAMPLES
from app.core.network import forward, param_names

from .config import RunConfig, Strict
from .history import COLUMNS, HISTORY_ROWS, columns_for
from .number_arrays import float_array
from .polls_saved import MAX_POLLS_SAVED, SavedPoll, check_polls
from .run import LIVE_DTYPE, STOPPED, Run
from .session import Session
from .snapshots import SNAPSHOTS_KEPT
from .state import Progress

# Version 2 adds deep runs (hidden a list of widths, params W1 ... W(L+1)) and the loss, l1 and
# features fields; a version 1 file is a version 2 file with their defaults, and still loads.
FORMAT = "backprop-visualizer/saved-run/2"
FORMATS = ("backprop-visualizer/saved-run/1", FORMAT)
Nested = Any
MAX_STEP = 2**40
Index = Annotated[int, Field(ge=0, le=MAX_SAMPLES)]
Step = Annotated[int, Field(ge=0, le=MAX_STEP)]
Word = Annotated[int, Field(ge=0, le=2**32 - 1)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
Column = Annotated[list[Finite | None], Field(max_length=HISTORY_ROWS)]


class SavedHistory(Strict):
    stride: int = Field(ge=1, le=MAX_STEP)
    columns: dict[str, Column] = Field(
        description=f"one list a column ({', '.join(COLUMNS)} with one hidden layer; a gradient norm and "
        "a ratio for every parameter deeper), all of one length; 'step' holds whole "
        "numbers that grow, none beyond the run's step"
    )


class SavedSnapshots(Strict):
    stride: int = Field(ge=1, le=MAX_STEP)
    steps: list[Step] = Field(max_length=SNAPSHOTS_KEPT, description="growing, none beyond the run's step")
    params: list[dict[str, Nested]] = Field(max_length=SNAPSHOTS_KEPT)


class SavedBatches(Strict):
    batch_size: int | None = Field(ge=1, le=MAX_SAMPLES)
    samples_seen: int = Field(ge=0, le=MAX_STEP * MAX_SAMPLES)
    order: list[Index] = Field(max_length=MAX_SAMPLES)
    position: int = Field(ge=0, le=MAX_SAMPLES)
    # numpy's RandomState.get_state(); a JSON array, which strict mode would not take as a tuple
    rng: Annotated[
        tuple[
            Literal["MT19937"],
            Annotated[list[Word], Field(min_length=624, max_length=624)],
            Annotated[int, Field(ge=0, le=624)],
            Annotated[int, Field(ge=0, le=1)],
            float,
        ],
        pydantic.Strict(False),
    ]


class SavedParent(Strict):
    id: str = Field(max_length=64, description="the session the run was forked from")
    step: Step = Field(description="the step of that session it was forked at")


class SavedRun(Strict):
    format: Literal[FORMATS] = FORMAT
    name: str = Field("", max_length=200)
    config: RunConfig
    train: list[Index] = Field(
        max_length=MAX_SAMPLES, description="indices of the training points among all points"
    )
    step: Step
    status: Literal["paused", "diverged", "failed"]
    message: str = Field("", max_length=2000)
    params: dict[str, Nested]
    ratios: dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False)]]
    optimizer: dict[str, dict[str, Nested]] = Field(
        description="the optimizer's state: {} for sgd; velocity for momentum; m, v and t (whole "
        "numbers of steps, none beyond the run's step) for adam"
    )
    batches: SavedBatches
    history: SavedHistory
    snapshots: SavedSnapshots
    parent: SavedParent | None = Field(None, description="where a forked run came from; absent if it was not")
    polls: list[SavedPoll] = Field(
        default_factory=list,
        max_length=MAX_POLLS_SAVED,
        description="the questions asked the class; absent if none",
    )


def _names(keys) -> str:
    """Keys a client sent, as a message shows them: a few, each clipped (a key may be 50 KB)."""
    shown = [key[:20] + ("…" if len(key) > 20 else "") for key in sorted(keys)[:6]]
    return ", ".join(shown) + (f" and {len(keys) - 6} more" if len(keys) > 6 else "")


def _array(where: str, values, shape: tuple[int, ...]) -> np.ndarray:
    """values as a float32 array of `shape`; ValueError naming `where` otherwise."""
    array = float_array(where, values)
    if array.shape != shape:
        raise ValueError(f"{where} must have shape {shape}, got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{where} must hold finite numbers")
    largest = float(np.finfo(LIVE_DTYPE).max)  # beyond it a value becomes inf, and the run "diverged"
    if np.any(np.abs(array) > largest):
        dtype = np.dtype(LIVE_DTYPE).name
        raise ValueError(f"{where} must hold numbers that fit {dtype} (|x| <= {largest!r})")
    return array.astype(LIVE_DTYPE)


def _params(where: str, values: dict, shapes: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    if set(values) != set(shapes):
        raise ValueError(f"{where} must have exactly {', '.join(shapes)}, got {_names(values)}")
    return {name: _array(f"{where}.{name}", values[name], shapes[name]) for name in shapes}


def param_shapes(config: RunConfig, C: int) -> dict[str, tuple[int, ...]]:
    """Every parameter's shape for the config's layers and features and C classes, in layer order."""
    sizes = (len(config.features), *config.widths, C)
    shapes = {}
    for l in range(1, len(sizes)):
        shapes[f"W{l}"], shapes[f"b{l}"] = (sizes[l - 1], sizes[l]), (sizes[l],)
    assert tuple(shapes) == param_names(config.layers)
    return shapes


def dump_session(session: Session, name: str = "") -> dict:
    """The session's run as a JSON-able dict (SavedRun's shape), read under its lock."""
    with session.player.lock:
        return dump_run(session.run, name)


def dump_session_scored(session: Session, name: str = "") -> tuple[dict, dict]:
    """The session's run as dump_session gives it, and its scores, read together under its lock."""
    with session.player.lock:
        return dump_run(session.run, name), scores(session.run)


def scores(run: Run) -> dict:
    """What a list of saved runs shows beside a run's name, computed once when it is saved: the
    accuracy on the training and on the test points at its weights, and how many points it has."""
    d = run.dataset

    def accuracy(indices: np.ndarray) -> float | None:
        if not len(indices):
            return None
        logits = forward(run.params, run.inputs(d.X[indices]).astype(LIVE_DTYPE), run.activation).logits
        return float(np.mean(np.argmax(logits, axis=1) == d.labels[indices]))

    return {"accuracy": accuracy(d.train), "test_accuracy": accuracy(d.test), "points": len(d.labels)}


def dump_run(run: Run, name: str = "") -> dict:
    """The run as a JSON-able dict (SavedRun's shape). A running run is saved as paused. The
    caller holds the run's lock: the arrays are read as they are."""
    progress = run.progress()
    lists = lambda params: {k: v.tolist() for k, v in params.items()}  # noqa: E731
    optimizer = {
        slot: {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in values.items()}
        for slot, values in progress.optimizer.items()
    }
    snapshots = progress.snapshots
    return {
        "format": FORMAT,
        "name": name,
        "config": run.config.model_dump(mode="json"),
        "train": progress.train.tolist(),
        "step": progress.step,
        "status": progress.status if progress.status in STOPPED else "paused",
        "message": progress.message,
        "params": lists(progress.params),
        "ratios": progress.ratios,
        "optimizer": optimizer,
        "batches": progress.batches,
        "history": progress.history,
        "snapshots": {**snapshots, "params": [lists(p) for p in snapshots["params"]]},
        **({"parent": dict(run.parent)} if run.parent else {}),  # a run not forked is saved as before
        **({"polls": run.polls.state()} if run.polls.polls else {}),
    }


def _check_steps(saved: SavedRun) -> None:
    """Every step the document names is one the run has been through: its history rows and kept
    weights grow and stop at its step, since the run records its next step after them."""
    columns = saved.history.columns
    names = columns_for(saved.config.layers)
    if set(columns) != set(names):
        raise ValueError(f"history.columns must be exactly {', '.join(names)}")
    if len({len(column) for column in columns.values()}) > 1:
        raise ValueError("history.columns must all have the same length")
    rows = columns["step"]
    for i, step in enumerate(rows):
        if step is None or step != int(step) or not 0 <= step <= saved.step:
            raise ValueError(
                f"history.columns.step[{i}] must be a whole number from 0 to step ({saved.step})"
            )
        if i and step <= rows[i - 1]:
            raise ValueError(f"history.columns.step[{i}] must be greater than the row before it")
    kept = saved.snapshots.steps
    if len(kept) != len(saved.snapshots.params):
        raise ValueError("snapshots.steps and snapshots.params must have the same length")
    for i, step in enumerate(kept):
        if step > saved.step:
            raise ValueError(f"snapshots.steps[{i}] must be at most step ({saved.step}), got {step}")
        if i and step <= kept[i - 1]:
            raise ValueError(f"snapshots.steps[{i}] must be greater than the one before it")


def _optimizer_state(saved: SavedRun, optimizer, shapes: dict[str, tuple[int, ...]]) -> dict:
    """The saved optimizer state, checked against the optimizer the config names: its slots, a
    parameter's array of that parameter's shape, Adam's step counts whole and at most the run's
    step, its running mean of squares v never negative (its square root divides the update)."""
    slots = set(optimizer.state())
    if set(saved.optimizer) != slots:
        expected = ", ".join(sorted(slots)) or "no slots"
        raise ValueError(
            f"optimizer must have {expected} for {saved.config.optimizer}, "
            f"got {_names(saved.optimizer) or 'none'}"
        )
    state = {}
    for slot, values in saved.optimizer.items():
        if set(values) not in (set(), set(shapes)):  # empty before the first step
            raise ValueError(f"optimizer.{slot} must have all of {', '.join(shapes)} or none")
        if slot == "t":
            for name, t in values.items():
                if not isinstance(t, int) or isinstance(t, bool) or not 0 <= t <= saved.step:
                    raise ValueError(
                        f"optimizer.t.{name} must be a whole number from 0 to step ({saved.step})"
                    )
            state[slot] = dict(values)
            continue
        state[slot] = {
            name: _array(f"optimizer.{slot}.{name}", v, shapes[name]) for name, v in values.items()
        }
        if slot == "v" and any(np.any(v < 0) for v in state[slot].values()):
            raise ValueError("optimizer.v holds running means of squared gradients: none may be negative")
    return state


def restore_run(saved: SavedRun | dict) -> Run:
    """A run that continues the saved one exactly; ValueError naming the field when the document
    does not hold together, checked whole: anything a step would trip over later is refused here,
    where the message can name it."""
    saved = saved if isinstance(saved, SavedRun) else SavedRun.model_validate(saved)
    _check_steps(saved)
    names = param_names(saved.config.layers)
    if set(saved.ratios) != set(names):
        raise ValueError(f"ratios must have exactly {', '.join(names)}")
    run = Run(saved.config)  # at step 0: its points, and the optimizer the config names
    N = len(run.dataset.labels)
    train = np.asarray(saved.train, dtype=np.int64)
    if train.size == 0 or len(set(saved.train)) != train.size or train.min() < 0 or train.max() >= N:
        raise ValueError(f"train must be distinct indices among the {N} points of the config's dataset")
    shapes = param_shapes(saved.config, run.C)
    params = _params("params", saved.params, shapes)
    snapshot_params = [
        _params(f"snapshots.params[{i}]", p, shapes) for i, p in enumerate(saved.snapshots.params)
    ]
    run.load(
        Progress(
            train=train,
            params=params,
            optimizer=_optimizer_state(saved, run.optimizer, shapes),
            batches=saved.batches.model_dump(),
            step=saved.step,
            status=saved.status,
            message=saved.message,
            ratios=dict(saved.ratios),
            history=saved.history.model_dump(),
            snapshots={
                "stride": saved.snapshots.stride,
                "steps": saved.snapshots.steps,
                "params": snapshot_params,
            },
        )
    )
    run.parent = saved.parent.model_dump() if saved.parent else None
    run.polls.load_state(check_polls(saved.polls, len(run.dataset.labels)), run.data_version)
    return run
