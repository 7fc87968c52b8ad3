"""Editing a run's points mid-run: the new dataset, and the config that now describes it."""

from __future__ import annotations

import numpy as np

from app.core.datasets import Dataset, bounding_box

from .config import Point, RunConfig

NewPoint = tuple[float, float, int]  # (x, y, label)


def edited_dataset(d: Dataset, add: list[NewPoint], remove: list[int]) -> Dataset:
    """`d` with points added to the training set and points removed by their index among all
    points, as a 'points' dataset; ValueError naming `add` or `remove` when they do not fit."""
    N, C = len(d.labels), d.C
    bad = [i for i in remove if not 0 <= i < N]
    if bad:
        raise ValueError(f"remove: index {bad[0]} is not a point; there are {N} (0 to {N - 1})")
    for _x, _y, label in add:
        if not 0 <= label < C:
            raise ValueError(f"add: label {label} is not a class of this network (0 to {C - 1})")
    keep = np.setdiff1d(np.arange(N), np.asarray(remove, dtype=np.int64))
    in_train = np.isin(keep, d.train)
    if not in_train.any() and not add:
        raise ValueError("remove: at least one training point must stay")
    X = np.vstack([d.X[keep], np.asarray([(x, y) for x, y, _ in add]).reshape(-1, 2)])
    labels = np.concatenate([d.labels[keep], np.asarray([lab for _, _, lab in add], dtype=np.int64)])
    is_train = np.concatenate([in_train, np.ones(len(add), bool)])
    train, test = np.flatnonzero(is_train), np.flatnonzero(~is_train)
    return Dataset("points", X, labels, C, train, test, bounding_box(X))


def config_for(config: RunConfig, d: Dataset) -> RunConfig:
    """`config` with its dataset replaced by exactly the points of `d`, so that saving the run and
    starting it again gives these points."""
    points = [Point(x=float(x), y=float(y), label=int(label)) for (x, y), label in zip(d.X, d.labels)]
    dataset = config.dataset.model_copy(
        update={"kind": "points", "points": points, "classes": d.C, "train_fraction": len(d.train) / len(d.X)}
    )
    return config.model_copy(update={"dataset": dataset})
