"""The toy datasets: seeded, shaped as documented, and the classic ones point for point."""

import numpy as np
import pytest

from app.core.datasets import DATASET_KINDS, bounding_box, make_dataset, moons, spiral


def sklearn_make_moons(n_samples, noise, seed):
    """scikit-learn 1.x make_moons, transcribed, as the independent reference."""
    n_out, n_in = n_samples // 2, n_samples - n_samples // 2
    rng = np.random.RandomState(seed)
    outer_x, outer_y = np.cos(np.linspace(0, np.pi, n_out)), np.sin(np.linspace(0, np.pi, n_out))
    inner_x = 1 - np.cos(np.linspace(0, np.pi, n_in))
    inner_y = 1 - np.sin(np.linspace(0, np.pi, n_in)) - 0.5
    X = np.vstack([np.append(outer_x, inner_x), np.append(outer_y, inner_y)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    idx = np.arange(n_samples)
    rng.shuffle(idx)
    X, y = X[idx], y[idx]
    X += rng.normal(scale=noise, size=X.shape)
    return X, y


def test_moons_are_scikit_learns_moons():
    X, y = moons(200, 0.2, 0)
    X_ref, y_ref = sklearn_make_moons(200, 0.2, 0)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_spiral_is_the_cs231n_spiral():
    X, y = spiral(300, 0.2, 0, classes=3)
    rng = np.random.RandomState(0)
    for k in range(3):
        r = np.linspace(0.0, 1, 100)
        t = np.linspace(k * 4, (k + 1) * 4, 100) + rng.randn(100) * 0.2
        np.testing.assert_array_equal(X[100 * k : 100 * (k + 1)], np.c_[r * np.sin(t), r * np.cos(t)])
    assert np.bincount(y).tolist() == [100, 100, 100]


@pytest.mark.parametrize("kind", [k for k in DATASET_KINDS if k != "points"])
def test_every_dataset_is_seeded_and_inside_its_box(kind):
    a = make_dataset(kind, n_samples=120, seed=3, train_fraction=0.75)
    b = make_dataset(kind, n_samples=120, seed=3, train_fraction=0.75)
    c = make_dataset(kind, n_samples=120, seed=4, train_fraction=0.75)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert a.X.shape[1] == 2 and a.X.shape[0] == a.labels.shape[0] <= 120
    assert set(np.unique(a.labels)) == set(range(a.C))
    assert len(a.train) == round(0.75 * len(a.X)) and len(a.train) + len(a.test) == len(a.X)
    assert not set(a.train) & set(a.test)
    x_min, x_max, y_min, y_max = a.box
    assert x_min < a.X[:, 0].min() and a.X[:, 0].max() < x_max
    assert y_min < a.X[:, 1].min() and a.X[:, 1].max() < y_max


@pytest.mark.parametrize("kind", ["spiral", "blobs"])
def test_spiral_and_blobs_take_a_number_of_classes(kind):
    d = make_dataset(kind, n_samples=250, classes=5)
    assert d.C == 5 and np.bincount(d.labels).tolist() == [50] * 5


def test_noise_moves_points_and_zero_noise_is_exact():
    clean = make_dataset("circles", n_samples=100, noise=0.0)
    radii = np.linalg.norm(clean.X, axis=1)
    np.testing.assert_allclose(np.sort(np.unique(np.round(radii, 12))), [0.5, 1.0])
    noisy = make_dataset("circles", n_samples=100, noise=0.3)
    assert np.std(np.linalg.norm(noisy.X, axis=1) - np.where(noisy.labels == 0, 1.0, 0.5)) > 0.2


def test_xor_labels_follow_the_quadrants_without_noise():
    d = make_dataset("xor", n_samples=200, noise=0.0)
    np.testing.assert_array_equal(d.labels, (d.X[:, 0] * d.X[:, 1] > 0).astype(int))


def test_user_points_keep_their_coordinates_and_labels():
    d = make_dataset("points", points=[(0, 0, 0), (1, 1, 1), (2, -1, 2)])
    np.testing.assert_array_equal(d.X, [[0, 0], [1, 1], [2, -1]])
    assert d.labels.tolist() == [0, 1, 2] and d.C == 3
    single = make_dataset("points", points=[(0.5, 0.5, 0)])
    assert single.C == 2 and single.box[1] - single.box[0] >= 1


def test_bounding_box_has_a_margin():
    box = bounding_box(np.array([[0.0, 0.0], [2.0, 1.0]]), margin=0.1)
    assert box == pytest.approx((-0.2, 2.2, -0.7, 1.7))
