"""Named starting configurations, one click each on the page, `GET /api/presets` over REST."""

from __future__ import annotations

from .config import DatasetConfig, RunConfig

PRESETS: dict[str, tuple[str, RunConfig]] = {
    "moons-classic": (
        "Moons, 2-5-2 tanh: the from-scratch notebook's data and network, full-batch SGD",
        RunConfig(),
    ),
    "spiral-cs231n": (
        "Spiral, 3 classes, ReLU 100: the CS231n case study (init 0.01, lr 1.0, lam 1e-3)",
        RunConfig(
            dataset=DatasetConfig(kind="spiral", n_samples=300, classes=3, train_fraction=1.0),
            hidden=100, activation="relu", init_scale=0.01, learning_rate=1.0, lam=1e-3,
        ),
    ),
    "circles": (
        "Circles: a boundary no straight line can draw, 8 tanh units",
        RunConfig(dataset=DatasetConfig(kind="circles"), hidden=8, learning_rate=1.0),
    ),
    "xor": (
        "XOR: four quadrants, the problem a single layer cannot solve",
        RunConfig(dataset=DatasetConfig(kind="xor"), hidden=8, learning_rate=1.0),
    ),
    "blobs-4": (
        "Four Gaussian blobs: a softmax with 4 classes",
        RunConfig(dataset=DatasetConfig(kind="blobs", classes=4), hidden=6, learning_rate=0.5),
    ),
    "label-smoothing": (
        "Soft labels: moons with label smoothing 0.2, so y_hat - y never reaches 0",
        RunConfig(label_smoothing=0.2),
    ),
    "lr-too-high": (
        "Learning rate too high: SGD at lr 30 with L2 0.1, so each step multiplies the weights by "
        "1 - lr * lam = -2 and the run diverges",
        RunConfig(learning_rate=30.0, lam=0.1),
    ),
}
