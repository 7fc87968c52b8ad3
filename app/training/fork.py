"""A fork: a new run that starts from another run exactly as it was at one of its steps (the
same parameters, optimizer state, mini-batch state and points), with some settings changed, so
that the two can be watched diverge from a shared past.

`fork_start` reads what the fork needs from the parent, under the parent's lock; `fork_config`
and `fork_run` build the fork from it, outside the lock. The changes are checked as a new run's
settings are (RunConfig and Hyperparameters: the same bounds, written once)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
import pydantic
from pydantic import Field, model_validator

from app.core.network import Params

from .config import ActivationName, Hyperparameters, LossName, RunConfig
from .run import Run
from .snapshots import SnapshotRing
from .state import Progress, Resume

# Settings of a run a fork cannot change, and why (a fork goes on from the parent's weights).
SHAPE = "a fork keeps the network's shape (its parameters are the parent's)"
KEPT = {
    "hidden": f"{SHAPE}: the hidden widths stay",
    "features": f"{SHAPE}: the input features, the rows of W1, stay",
    "classes": f"{SHAPE}: the number of classes, the columns of the last W, stays",
    "dataset": "a fork trains on the parent's points: of the data, only the noise changes (changes.noise)",
    "init_scale": "a fork starts from the parent's weights, not from an initialisation",
}
NON_LIVE = ("loss", "activation", "label_smoothing", "seed", "noise")  # built into the fork's run


class ForkChanges(Hyperparameters):
    """What a fork changes; all optional, and nothing else may be named."""

    loss: LossName | None = None
    activation: ActivationName | None = Field(
        None, description="the activation of every hidden layer (a run has one for all its layers)"
    )
    label_smoothing: float | None = Field(None, description="as a new run takes it")
    seed: int | None = Field(
        None, description="the seed of the mini-batch order from the fork on (the weights are the parent's)"
    )
    noise: float | None = Field(
        None,
        description="the data's noise: the parent's dataset drawn again with its seed and this noise "
        "(each point moved along the same random direction, by new/old times as far)",
    )

    @model_validator(mode="before")
    @classmethod
    def _kept_settings_named(cls, data):
        if isinstance(data, dict):
            changeable = [*cls.model_fields, "momentum"]  # momentum: beta1's older name
            for name in data:
                if name in KEPT:
                    raise ValueError(f"{name}: {KEPT[name]}")
                if name not in changeable:
                    shown = name[:40] + ("…" if len(name) > 40 else "")
                    raise ValueError(
                        f"{shown}: not a setting a fork can change; it changes {', '.join(cls.model_fields)}"
                    )
        return data


@dataclass(frozen=True)
class ForkStart:
    """What a fork takes from its parent at one step: copies, or objects nobody changes."""

    parent_id: str
    step: int
    params: Params  # copies
    resume: Resume
    history: dict  # History.state(), rows up to step
    snapshots: SnapshotRing  # the parent's kept steps up to step, shared


def kept_steps_text(steps: list[int]) -> str:
    """Steps as a message lists them: all of a few, else the first and last few and how many."""
    if len(steps) <= 10:
        return ", ".join(map(str, steps)) or "none"
    return f"{', '.join(map(str, steps[:4]))}, …, {', '.join(map(str, steps[-4:]))} ({len(steps)} steps)"


def fork_start(run: Run, parent_id: str, at_step: int | None) -> ForkStart:
    """The parent `run` at `at_step` (None: its current step), for a fork; ValueError naming
    at_step and the steps it can be forked at otherwise. The caller holds the run's lock."""
    step = run.step_count if at_step is None else at_step
    if step == run.step_count:
        params, resume = run.params, run.resume()
    else:
        kept = run.snapshots.resume_at(step)
        if kept is None:
            raise ValueError(
                f"at_step: {at_step} is not a step this run keeps; it can be forked at its current step "
                f"{run.step_count} or a kept one: {kept_steps_text(run.snapshots.resumable_steps())}"
            )
        params, resume = kept
    # the rows up to the fork's step, sliced once: the parent's lock is held meanwhile
    rows = bisect.bisect_right(run.history.columns["step"], step)
    history = {
        "stride": run.history.stride,
        "columns": {name: column[:rows] for name, column in run.history.columns.items()},
    }
    return ForkStart(
        parent_id=parent_id,
        step=step,
        params={name: value.copy() for name, value in params.items()},
        resume=resume,
        history=history,
        snapshots=run.snapshots.upto(step),
    )


def fork_config(start: ForkStart, changes: ForkChanges) -> RunConfig:
    """The fork's config: the parent's at the fork's step with `changes`, checked as a new run's
    is; ValueError naming the change that does not fit."""
    config = start.resume.config
    changed = changes.model_dump(exclude_unset=True)
    document = config.model_dump(mode="json")
    if "noise" in changed:
        if config.dataset.kind == "points":
            raise ValueError("changes.noise: the parent trains on points of its own, which have no noise")
        document["dataset"]["noise"] = changed.pop("noise")
    document.update(changed)
    try:
        return RunConfig.model_validate(document)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        where = ".".join(map(str, first["loc"])).replace("dataset.noise", "noise")
        raise ValueError(f"changes.{where}: {first['msg']}") from None


def fork_run(start: ForkStart, config: RunConfig, changes: ForkChanges) -> Run:
    """A run at `start`, exactly as the parent was there, with `config`'s loss, activation, label
    smoothing, seed and noise; then the live changes applied as a running run takes them (a new
    optimizer starts with fresh state, a new batch size with fresh batches)."""
    changed = changes.model_fields_set
    resume = start.resume
    structural = config.model_copy(
        update={name: getattr(resume.config, name) for name in Hyperparameters.model_fields}
    )
    run = Run(structural)  # its points (with a new noise), its loss, activation and targets
    # The parent's points, unless the noise changed: then the same points drawn with the new noise.
    dataset = run.dataset if "noise" in changed else resume.dataset
    run.load(
        Progress(
            train=resume.dataset.train,
            params=start.params,
            optimizer={  # copies: the kept ones may be forked again
                slot: {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in values.items()}
                for slot, values in resume.optimizer.items()
            },
            batches=resume.batches,
            step=start.step,
            status="paused",
            message="",
            ratios=dict(resume.ratios),
            history=start.history,
            snapshots={"stride": 1, "steps": [], "params": []},
        ),
        dataset=dataset,
    )
    run.snapshots = start.snapshots
    run.parent = {"id": start.parent_id, "step": start.step}
    if "seed" in changed and config.seed != resume.config.seed:
        run.shuffle_from_here()
    live = Hyperparameters(**{name: getattr(changes, name) for name in changed - set(NON_LIVE)})
    run.update(live)
    return run
