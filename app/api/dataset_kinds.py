"""The kinds of data a session can train on, described for GET /api/datasets."""

from __future__ import annotations

import inspect

from app.core.datasets import FIXED_CLASSES, GENERATORS

from .schemas.sessions import DatasetInfo

DESCRIPTIONS = {
    "moons": "two interleaving half circles (scikit-learn's make_moons)",
    "circles": "a ring around a smaller ring",
    "spiral": "K spiral arms (the CS231n case study)",
    "xor": "the four quadrants, opposite ones alike",
    "blobs": "K Gaussian blobs on a circle",
    "points": "your own points: a list of {x, y, label}",
}


def dataset_kinds() -> list[DatasetInfo]:
    """Each kind with its number of classes and its generator's default noise (None for 'points')."""
    out = []
    for kind, description in DESCRIPTIONS.items():
        generator = GENERATORS.get(kind)
        noise = inspect.signature(generator).parameters["noise"].default if generator else None
        classes = str(FIXED_CLASSES[kind]) if kind in FIXED_CLASSES else "2-8"
        out.append(DatasetInfo(kind=kind, description=description, classes=classes, default_noise=noise))
    return out
