"""Bad arguments raise a ValueError whose message names the argument."""

import math

import numpy as np
import pytest

from app.core.datasets import make_dataset
from app.core.grid import decision_grid
from app.core.minibatches import MiniBatches
from app.core.network import init_params
from app.core.optimizers import make_optimizer
from app.core.targets import check_targets, one_hot


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: init_params(0, 2), "H"),
        (lambda: init_params(1025, 2), "H"),
        (lambda: init_params(3, 1), "C"),
        (lambda: init_params(3, 9), "C"),
        (lambda: init_params(2.5, 2), "H"),
        (lambda: init_params(3, 2, scale=-1.0), "scale"),
        (lambda: init_params(3, 2, scale="huge"), "scale"),
        (lambda: make_dataset("moons", noise=-0.1), "noise"),
        (lambda: make_dataset("moons", noise=math.nan), "noise"),
        (lambda: make_dataset("moons", n_samples=1), "n_samples"),
        (lambda: make_dataset("moons", classes=3), "classes"),
        (lambda: make_dataset("spiral", classes=9), "classes"),
        (lambda: make_dataset("ring"), "kind"),
        (lambda: make_dataset("moons", train_fraction=0.0), "train_fraction"),
        (lambda: make_dataset("points"), "points"),
        (lambda: make_dataset("points", points=[(0, 0, 0.5)]), "labels"),
        (lambda: make_dataset("points", points=[(0, 0, 9)]), "labels"),
        (lambda: make_dataset("points", points=[(0, 0)]), "points"),
        (lambda: make_dataset("points", points=[(0, 0, 3)], classes=2), "labels"),
        (lambda: make_optimizer("sgd", math.nan), "learning_rate"),
        (lambda: make_optimizer("sgd", -0.1), "learning_rate"),
        (lambda: make_optimizer("rmsprop", 0.1), "optimizer"),
        (lambda: one_hot([0, 1, 2], 2), "labels"),
        (lambda: one_hot([0, -1], 2), "labels"),
        (lambda: one_hot([0, 1], 2, smoothing=1.5), "smoothing"),
        (lambda: check_targets(np.array([[0.5, 0.4], [0.5, 0.5]])), "Y"),
        (lambda: check_targets(np.array([[1.5, -0.5]])), "Y"),
        (lambda: decision_grid(init_params(2, 2), (0, 1, 0, 1), 201), "G"),
        (lambda: MiniBatches(10, batch_size=0), "batch_size"),
    ],
)
def test_bad_argument_raises_value_error_naming_it(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()


def test_label_smoothing_keeps_rows_summing_to_one():
    Y = one_hot([0, 2, 1], 3, smoothing=0.1)
    np.testing.assert_allclose(Y.sum(axis=1), 1.0)
    assert Y[0].tolist() == pytest.approx([0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3])
    check_targets(Y)
