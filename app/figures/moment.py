"""A run as a figure needs it, read under the run's lock: its parameters, config and points at one
kept step (a `Moment`), and its loss history. The kept copies are never changed in place, so they
are taken as they are and drawn outside the lock; the current step's parameters are copied."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.datasets import Dataset
from app.core.features import expand
from app.core.network import Params, forward, loss
from app.core.targets import one_hot
from app.training.config import RunConfig
from app.training.fork import kept_steps_text
from app.training.session import Session


@dataclass(frozen=True)
class Moment:
    """One run at one step: what its boundary figure is drawn from."""

    step: int
    params: Params
    config: RunConfig  # as the run had it then (today's for a step read back from a saved run)
    dataset: Dataset


@dataclass(frozen=True)
class Score:
    """The loss (with its penalties) and accuracy on the training points, and the test accuracy
    (None without test points), in float64 from the core's forward pass."""

    loss: float
    accuracy: float
    test_accuracy: float | None


def kept_steps(session: Session) -> list[int]:
    """The steps a figure can show: those the snapshot ring keeps, and the current one."""
    with session.player.lock:
        steps = session.run.snapshots.steps()
        if not steps or steps[-1] != session.run.step_count:
            steps.append(session.run.step_count)
        return steps


def moments(
    session: Session, steps: list[int] | None = None, name: str = "step", exact: bool = True
) -> list[Moment]:
    """The run at each of `steps` (None: now); ValueError naming `name` and the kept steps for a
    step the run does not keep, or (exact False: an animation's steps, read a moment after the
    ring was, which may have thinned it since) the nearest kept step before it."""
    with session.player.lock:
        run = session.run  # read under the lock: a twins reset swaps the Run object
        if steps is None:
            steps = [run.step_count]
        kept = run.snapshots.steps()
        found = []
        for step in steps:
            if step == run.step_count:
                params = {k: v.copy() for k, v in run.params.items()}
                found.append(Moment(step, params, run.config, run.dataset))
                continue
            if exact and step not in kept:
                steps_text = kept_steps_text([*kept, run.step_count] if run.step_count not in kept else kept)
                raise ValueError(
                    f"{name}: {step} is not a step run {session.id} keeps; it keeps {steps_text}"
                )
            _, params = run.snapshots.at(step)
            resume = run.snapshots.resume_at(step)
            config, dataset = (resume[1].config, resume[1].dataset) if resume else (run.config, run.dataset)
            found.append(Moment(step, params, config, dataset))
        return found


def history(session: Session, upto: int | None = None) -> dict[str, list]:
    """The run's step, loss and test_loss columns (rows up to step `upto`), copied."""
    with session.player.lock:
        columns = session.run.history.columns
        steps = list(columns["step"])
        rows = len(steps) if upto is None else int(np.searchsorted(steps, upto, side="right"))
        return {
            "step": steps[:rows],
            "loss": list(columns["loss"][:rows]),
            "test_loss": list(columns["test_loss"][:rows]),
        }


def score(moment: Moment) -> Score:
    config, d = moment.config, moment.dataset
    params = {k: v.astype(np.float64) for k, v in moment.params.items()}
    features = tuple(config.features)
    Y = one_hot(d.labels, d.C, smoothing=config.label_smoothing)
    fwd = forward(params, expand(d.X_train, features), config.activation)
    value = loss(params, fwd, Y[d.train], config.lam, config.loss, config.l1)
    accuracy = float(np.mean(np.argmax(fwd.logits, axis=1) == d.labels_train))
    test_accuracy = None
    if len(d.test):
        logits = forward(params, expand(d.X_test, features), config.activation).logits
        test_accuracy = float(np.mean(np.argmax(logits, axis=1) == d.labels_test))
    return Score(float(value), accuracy, test_accuracy)
