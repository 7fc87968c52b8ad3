"""Seeded 2-D toy datasets: moons, circles, spiral, xor, blobs, and points a user gives.

Every generator returns (X (N, 2) float64, labels (N,) int64) and draws only from
RandomState(seed), so the same arguments give the same points on every machine.
`make_dataset` adds the train/test split and the bounding box the decision grid covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .bounds import MAX_CLASSES, MAX_SAMPLES, MIN_CLASSES
from .checks import check_choice, check_float, check_int
from .targets import check_labels

MAX_NOISE = 10.0


def _shuffled(X: np.ndarray, labels: np.ndarray, rng: np.random.RandomState):
    """X and labels in one seeded random order (scikit-learn's shuffle: permute an index array)."""
    order = np.arange(len(labels))
    rng.shuffle(order)
    return X[order], labels[order]


def _two_classes(outer: np.ndarray, inner: np.ndarray, noise: float, seed: int):
    """Class 0 at the points `outer` (k, 2), class 1 at `inner` (m, 2), shuffled and then noised
    from one RandomState(seed), in scikit-learn's order of draws."""
    X = np.vstack([outer, inner])
    labels = np.hstack([np.zeros(len(outer), np.int64), np.ones(len(inner), np.int64)])
    rng = np.random.RandomState(seed)
    X, labels = _shuffled(X, labels, rng)
    X = X + rng.normal(scale=noise, size=X.shape) if noise > 0 else X
    return X, labels


def moons(n_samples: int = 200, noise: float = 0.2, seed: int = 0):
    """Two interleaving half circles, point for point scikit-learn's make_moons(n, noise=noise,
    random_state=seed): so seed 0, noise 0.2, n 200 is the from-scratch notebook's data."""
    outer = np.linspace(0, np.pi, n_samples // 2)
    inner = np.linspace(0, np.pi, n_samples - n_samples // 2)
    return _two_classes(
        np.c_[np.cos(outer), np.sin(outer)],
        np.c_[1 - np.cos(inner), 1 - np.sin(inner) - 0.5],
        noise,
        seed,
    )


def circles(n_samples: int = 200, noise: float = 0.1, seed: int = 0, factor: float = 0.5):
    """A circle of class 0 around a smaller one (radius `factor`) of class 1, as make_circles."""
    outer = np.linspace(0, 2 * np.pi, n_samples // 2, endpoint=False)
    inner = np.linspace(0, 2 * np.pi, n_samples - n_samples // 2, endpoint=False)
    return _two_classes(
        np.c_[np.cos(outer), np.sin(outer)],
        factor * np.c_[np.cos(inner), np.sin(inner)],
        noise,
        seed,
    )


def spiral(n_samples: int = 300, noise: float = 0.2, seed: int = 0, classes: int = 3):
    """K = `classes` spiral arms, the CS231n case study's data: arm k has n_samples // K points
    at radius linspace(0, 1) and angle linspace(4k, 4(k+1)) plus normal noise of std `noise`."""
    per_arm = n_samples // classes
    rng = np.random.RandomState(seed)
    X = np.zeros((per_arm * classes, 2))
    labels = np.zeros(per_arm * classes, np.int64)
    for k in range(classes):
        rows = slice(per_arm * k, per_arm * (k + 1))
        r = np.linspace(0.0, 1, per_arm)
        t = np.linspace(k * 4, (k + 1) * 4, per_arm) + rng.randn(per_arm) * noise
        X[rows] = np.c_[r * np.sin(t), r * np.cos(t)]
        labels[rows] = k
    return X, labels


def xor(n_samples: int = 200, noise: float = 0.1, seed: int = 0):
    """Points uniform in [-1, 1]^2 kept clear of the axes, class 1 where x * y > 0 (the XOR
    quadrants), plus normal noise of std `noise`."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n_samples, 2))
    X += np.sign(X) * 0.05  # a small gap along the axes, so the noiseless classes do not touch
    labels = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    X = X + rng.normal(scale=noise, size=X.shape) if noise > 0 else X
    return X, labels


def blobs(n_samples: int = 200, noise: float = 0.5, seed: int = 0, classes: int = 3):
    """K = `classes` Gaussian blobs of std `noise`, centred evenly on a circle of radius 2
    (so they never sit on top of each other), points assigned round-robin."""
    rng = np.random.RandomState(seed)
    angles = 2 * np.pi * np.arange(classes) / classes
    centres = 2 * np.c_[np.cos(angles), np.sin(angles)]
    labels = np.arange(n_samples, dtype=np.int64) % classes
    X = centres[labels] + rng.normal(scale=noise, size=(n_samples, 2))
    return X, labels


def from_points(points) -> tuple[np.ndarray, np.ndarray]:
    """User-given points: a sequence of (x, y, label) rows."""
    rows = np.asarray(points, dtype=np.float64)
    if rows.ndim != 2 or rows.shape[1] != 3 or rows.shape[0] == 0:
        raise ValueError("points must be a non-empty list of (x, y, label) rows")
    if rows.shape[0] > MAX_SAMPLES:
        raise ValueError(f"points must have at most {MAX_SAMPLES} rows, got {rows.shape[0]}")
    if not np.all(np.isfinite(rows)):
        raise ValueError("points must have finite x, y and label")
    return rows[:, :2].copy(), check_labels(rows[:, 2], MAX_CLASSES)


GENERATORS = {"moons": moons, "circles": circles, "spiral": spiral, "xor": xor, "blobs": blobs}
DATASET_KINDS = (*GENERATORS, "points")
FIXED_CLASSES = {"moons": 2, "circles": 2, "xor": 2}  # the others take `classes`


@dataclass
class Dataset:
    """Points with labels, a train/test split and the box the decision grid covers."""

    kind: str
    X: np.ndarray  # (N, 2) float64
    labels: np.ndarray  # (N,) int64 in [0, C)
    C: int
    train: np.ndarray  # indices into X of the training points
    test: np.ndarray  # indices into X of the held-out points (may be empty)
    box: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max

    @property
    def X_train(self):
        return self.X[self.train]

    @property
    def labels_train(self):
        return self.labels[self.train]

    @property
    def X_test(self):
        return self.X[self.test]

    @property
    def labels_test(self):
        return self.labels[self.test]


def bounding_box(X: np.ndarray, margin: float = 0.1) -> tuple[float, float, float, float]:
    """(x_min, x_max, y_min, y_max) of X widened by `margin` of the larger side on every side,
    square-ish so the boundary plot is not stretched; at least 1 wide for a single point."""
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = max(float(np.max(hi - lo)), 1.0)
    centre = (lo + hi) / 2
    half = span * (0.5 + margin)
    return (
        float(centre[0] - half),
        float(centre[0] + half),
        float(centre[1] - half),
        float(centre[1] + half),
    )


def split(N: int, train_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded train/test split of N indices: round(train_fraction * N) for training (at least 1)."""
    n_train = min(N, max(1, round(train_fraction * N)))
    order = np.random.RandomState(seed).permutation(N)
    return np.sort(order[:n_train]), np.sort(order[n_train:])


def make_dataset(
    kind: str = "moons",
    *,
    n_samples: int = 200,
    noise: float | None = None,
    seed: int = 0,
    classes: int | None = None,
    train_fraction: float = 1.0,
    points: list | None = None,
) -> Dataset:
    """A Dataset of `kind` with its split and box. `noise` None takes the generator's default;
    `classes` applies to spiral and blobs (moons, circles and xor are two-class), and for points
    it is the number of classes (default: the largest label + 1, at least 2)."""
    kind = check_choice("kind", kind, DATASET_KINDS)
    seed = check_int("seed", seed, 0, 2**32 - 1)
    train_fraction = check_float("train_fraction", train_fraction, 0.0, 1.0, lo_open=True)
    if kind == "points":
        if points is None:
            raise ValueError("points must be given for the 'points' dataset")
        X, labels = from_points(points)
        C = (
            max(2, int(labels.max()) + 1)
            if classes is None
            else check_int("classes", classes, MIN_CLASSES, MAX_CLASSES)
        )
        labels = check_labels(labels, C)
    else:
        generator = GENERATORS[kind]
        options = {"n_samples": n_samples, "seed": seed}
        if noise is not None:
            options["noise"] = check_float("noise", noise, 0.0, MAX_NOISE)
        if kind in FIXED_CLASSES:
            if classes not in (None, FIXED_CLASSES[kind]):
                raise ValueError(f"classes must be {FIXED_CLASSES[kind]} for {kind}, got {classes}")
            C = FIXED_CLASSES[kind]
        else:
            C = 3 if classes is None else check_int("classes", classes, MIN_CLASSES, MAX_CLASSES)
            options["classes"] = C
        # Two points a class at least. Said apart from the upper bound, which a server may lower
        # (with its own message): a range "from 2C to MAX_SAMPLES" would then not be true.
        if isinstance(n_samples, Integral) and not isinstance(n_samples, bool) and n_samples < 2 * C:
            raise ValueError(
                f"n_samples must be at least {2 * C} for {C} classes (two points a class), got {n_samples}"
            )
        check_int("n_samples", n_samples, 2 * C, MAX_SAMPLES)
        X, labels = generator(**options)
    train, test = split(len(labels), train_fraction, seed)
    return Dataset(kind, X, labels, C, train, test, bounding_box(X))
