"""Every preset does what its text says: each is run (the Run class, seeded, the live float32 step)
for the steps its text names, and what the text claims is measured; and every number in its title
and text is the config's, or the figure that run is checked against here."""

from __future__ import annotations

import inspect
import math
import re

import numpy as np
import pytest

from app.core.datasets import FIXED_CLASSES, GENERATORS
from app.core.network import backward, forward
from app.training.evaluation import SATURATED_BELOW, saturation_share
from app.training.presets import PRESETS, PRESETS_BY_NAME
from app.training.run import Run

NUMBER = re.compile(r"(?<![\w.^])\d+(?:\.\d+)?(?:e-\d+)?(?![\w.]*\w)")


def config(name: str):
    return PRESETS_BY_NAME[name].config


def run_to(cfg, steps: int) -> Run:
    run = Run(cfg)
    while run.step_count < steps and run.step():
        pass
    return run


def forward64(run: Run):
    d = run.dataset
    params = {k: v.astype(np.float64) for k, v in run.params.items()}
    return forward(params, run.inputs(d.X_train), run.activation)


def train_accuracy(run: Run) -> float:
    return float(np.mean(np.argmax(forward64(run).logits, axis=1) == run.dataset.labels_train))


def first_and_last_gradient(run: Run) -> tuple[float, float]:
    """(|dW1|, |dW(L+1)|) on the whole training set, float64."""
    params = {k: v.astype(np.float64) for k, v in run.params.items()}
    grads = backward(params, forward64(run), run.Y[run.dataset.train]).grads()
    return float(np.linalg.norm(grads["W1"])), float(np.linalg.norm(grads[f"W{run.config.layers + 1}"]))


def median_ratio(run: Run, name: str) -> float:
    return float(np.median(run.history.downsampled(run.history.capacity)[f"ratio_{name}"]))


def default_noise(kind: str) -> float:
    return inspect.signature(GENERATORS[kind]).parameters["noise"].default


# ---- what each text claims ------------------------------------------------------------------


def test_moons_classic_is_over_95_percent_right_by_step_300():
    assert train_accuracy(run_to(config("moons-classic"), 300)) > 0.95


def test_moons_500_learns_as_well_with_each_gradient_entry_a_few_times_smaller():
    wide, small = Run(config("moons-500")), Run(config("moons-classic"))

    def rms_dW1(run):
        d = run.dataset
        fwd = forward64(run)
        dz2 = (fwd.y_hat - run.Y[d.train]) / len(d.train)
        da1 = dz2 @ run.params["W2"].astype(np.float64).T
        dW1 = d.X_train.T @ (da1 * (1 - fwd.a1**2))
        return float(np.sqrt(np.mean(dW1**2)))

    assert rms_dW1(wide) < rms_dW1(small) / 3
    assert train_accuracy(run_to(config("moons-500"), 300)) > 0.95


@pytest.mark.slow  # over half a second
def test_spiral_gets_98_percent_by_step_3000_and_a_linear_softmax_about_half():
    assert train_accuracy(run_to(config("spiral-cs231n"), 3000)) == pytest.approx(0.98, abs=0.01)
    linear = config("spiral-cs231n").model_copy(update={"activation": "linear"})
    assert train_accuracy(run_to(linear, 3000)) == pytest.approx(0.5, abs=0.05)


def test_label_smoothing_stops_the_logits_at_a_gap_of_ln_9():
    soft, hard = run_to(config("label-smoothing"), 1000), run_to(config("moons-classic"), 1000)
    z2 = forward64(soft).z2
    gap = np.abs(z2[:, 1] - z2[:, 0])
    assert np.median(gap) == pytest.approx(math.log(9), abs=0.3)
    assert gap.max() < 2 * math.log(9)  # the hard run's largest gap is past 11
    assert np.linalg.norm(soft.params["W2"]) < 0.6 * np.linalg.norm(hard.params["W2"])
    assert np.allclose(soft.Y.sum(axis=1), 1)


def test_lr_too_high_diverges_within_100_steps():
    run = run_to(config("lr-too-high"), 100)
    assert run.status == "diverged" and run.step_count < 100
    assert "lower" in run.message.lower()


def test_tanh_saturation_stays_over_half_saturated_and_w1_moves_slowly():
    run = Run(config("tanh-saturation"))
    for steps in (0, 100, 300):
        while run.step_count < steps:
            run.step()
        fwd = forward64(run)
        assert saturation_share(fwd.z1, fwd.a1, "tanh") > 0.5, steps
    moons = run_to(config("moons-classic"), 300)
    assert median_ratio(run, "W1") < median_ratio(moons, "W1") / 3  # "several times slower"


def test_sum_vs_mean_steps_are_the_notebooks_summed_steps_at_lr_001():
    run = Run(config("sum-vs-mean"))
    d = run.dataset
    params = {k: v.astype(np.float64) for k, v in run.params.items()}
    fwd = forward(params, d.X_train, "tanh")
    dz2_sum = fwd.y_hat - run.Y[d.train]  # the notebook's delta3: summed, not divided by N
    da1 = dz2_sum @ params["W2"].T
    dz1 = da1 * (1 - fwd.a1**2)
    notebook = {  # dW += reg_lambda * W, then W += -epsilon * dW, with epsilon = reg_lambda = 0.01
        "W1": params["W1"] - 0.01 * (d.X_train.T @ dz1 + 0.01 * params["W1"]),
        "b1": params["b1"] - 0.01 * dz1.sum(axis=0),
        "W2": params["W2"] - 0.01 * (fwd.a1.T @ dz2_sum + 0.01 * params["W2"]),
        "b2": params["b2"] - 0.01 * dz2_sum.sum(axis=0),
    }
    assert run.step() and len(d.train) == 200
    for name, value in notebook.items():
        np.testing.assert_allclose(run.params[name], value, rtol=1e-5, atol=1e-6, err_msg=name)


def test_xor_four_units_get_every_point_and_two_stall_near_84_percent():
    assert train_accuracy(run_to(config("xor"), 300)) == 1.0
    two = config("xor").model_copy(update={"hidden": 2})
    assert train_accuracy(run_to(two, 1000)) == pytest.approx(0.84, abs=0.01)


def test_four_blobs_each_get_a_region_and_95_percent_by_step_100():
    run = run_to(config("blobs-4"), 100)
    assert train_accuracy(run) > 0.95
    assert set(np.argmax(forward64(run).z2, axis=1)) == {0, 1, 2, 3}


def test_six_sigmoid_layers_start_with_dw1_over_a_hundred_times_smaller_than_dw7():
    first, last = first_and_last_gradient(Run(config("vanishing-sigmoid")))
    assert first / last < 1 / 100  # measured 4.5e-3
    xavier = config("vanishing-sigmoid").model_copy(update={"init_scale": "xavier"})
    first_x, last_x = first_and_last_gradient(Run(xavier))
    assert first_x / last_x < first / last  # Xavier makes sigmoid's worse (2.4e-5)


def test_tanh_with_xavier_starts_with_dw1_within_ten_times_dw7():
    first, last = first_and_last_gradient(Run(config("tanh-xavier")))
    assert 1 / 10 < first / last < 10  # measured 0.55


def test_relu_with_init_3_starts_with_dw1_over_1000_and_he_below_1_within_ten_times_dw7():
    assert first_and_last_gradient(Run(config("relu-exploding")))[0] > 1000  # measured 4e4
    exploding = run_to(config("relu-exploding"), 10)
    assert exploding.status == "diverged" and exploding.step_count < 10  # measured: at step 3
    first, last = first_and_last_gradient(Run(config("relu-he")))
    assert first < 1 and 1 / 10 < first / last < 10  # measured 0.055 and 0.27


@pytest.mark.slow
def test_a_linear_network_gets_about_half_the_spiral():
    assert train_accuracy(run_to(config("linear-spiral"), 1000)) == pytest.approx(0.49, abs=0.01)


@pytest.mark.slow
def test_mse_gets_84_percent_by_step_1000_where_cross_entropy_gets_over_90():
    assert train_accuracy(run_to(config("mse-vs-cross-entropy"), 1000)) == pytest.approx(0.84, abs=0.01)
    cross_entropy = config("mse-vs-cross-entropy").model_copy(update={"loss": "cross_entropy"})
    assert train_accuracy(run_to(cross_entropy, 1000)) > 0.9


def test_zero_init_keeps_the_units_identical_and_gets_about_half():
    run = run_to(config("zero-init"), 300)
    for l in (1, 2):
        W = run.params[f"W{l}"]
        assert np.all(W == W[:, :1]), l
    assert np.all(run.params["W3"] == run.params["W3"][:1])
    assert 0.4 < train_accuracy(run) < 0.6


def test_squared_features_make_the_circles_linear():
    assert train_accuracy(run_to(config("features-circles"), 300)) == 1.0
    plain = config("features-circles").model_copy(update={"features": ["x1", "x2"]})
    assert train_accuracy(run_to(plain, 300)) < 0.6


# ---- every number in a text -----------------------------------------------------------------

# Each number written in a preset's title or text, and what it must equal: the config's value, or
# the figure the tests above check the run against.
NUMBERS = {
    "moons-classic": lambda c: {
        "2": [2, FIXED_CLASSES["moons"]],  # 2 inputs, 2 classes
        "5": [c.hidden],
        "200": [c.dataset.n_samples],
        "0.2": [default_noise("moons")] if c.dataset.noise is None else [c.dataset.noise],
        "95": [95],
        "300": [300],
    },
    "moons-500": lambda c: {
        "2": [2],
        "500": [c.hidden],
        "0.5": [c.learning_rate],
        "95": [95],
        "300": [300],
        "5": [config("moons-classic").hidden],
    },
    "spiral-cs231n": lambda c: {
        "3": [c.dataset.classes],
        "100": [c.hidden],
        "300": [c.dataset.n_samples],
        "0.01": [c.init_scale],
        "1.0": [c.learning_rate],
        "1e-3": [c.lam],
        "98": [98],
        "3000": [3000],
    },
    "label-smoothing": lambda c: {
        "0.2": [c.label_smoothing],
        "0.9": [1 - c.label_smoothing + c.label_smoothing / 2],
        "0.1": [c.label_smoothing / 2],
        "1": [1],
        "0": [0],
        "9": [0.9 / 0.1],
        "2.2": [round(math.log(9), 1)],
    },
    "lr-too-high": lambda c: {
        "30": [c.learning_rate],
        "0.1": [c.lam],
        "1": [1],
        "2": [-(1 - c.learning_rate * c.lam)],
        "100": [100],
    },
    "tanh-saturation": lambda c: {
        "5": [c.init_scale],
        "1": [1],  # tanh's range, and 1 in 1 - a1²
        "0": [0],
        "50": [50],
        "300": [300],
    },
    "sum-vs-mean": lambda c: {
        "200": [len(Run(c).dataset.train)],
        "0.01": [c.learning_rate / 200, c.lam * 200],
        "2": [c.learning_rate],
    },
    "xor": lambda c: {
        "2": [2, 2],  # 2 inputs, 2 classes; "Set Hidden units to 2"
        "4": [c.hidden],
        "300": [300],
        "84": [84],
    },
    "blobs-4": lambda c: {
        "4": [c.dataset.classes],
        "95": [95],
        "100": [100],
    },
    "vanishing-sigmoid": lambda c: {
        "6": [c.layers],
        "16": [c.widths[0]],
        "1": [c.init_scale],
        "0.25": [0.25],  # sigmoid's peak slope
        "0": [0],
    },
    "tanh-xavier": lambda c: {
        "16": [c.widths[0]],
        "2": [2],  # Xavier's sqrt(2 / ...)
        "1": [1],  # tanh'(0)
        "0": [0],
    },
    "relu-exploding": lambda c: {
        "6": [c.layers],
        "16": [c.widths[0]],
        "3": [c.init_scale],
        "0": [0],
        "1000": [1000],
        "10": [10],
    },
    "relu-he": lambda c: {
        "16": [c.widths[0]],
        "2": [2, 2],  # He's sqrt(2 / fan_in), "the 2"
        "0": [0],
        "1": [1],
    },
    "linear-spiral": lambda c: {
        "300": [c.dataset.n_samples],
        "49": [49],
        "1000": [1000],
        "98": [98],
    },
    "mse-vs-cross-entropy": lambda c: {
        "1000": [1000],
        "84": [84],
        "90": [90],
    },
    "zero-init": lambda c: {
        "0": [0],
        "8": list(c.widths),
        "300": [300],
    },
    "features-circles": lambda c: {
        "300": [300],
        "60": [60],
    },
}


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.name)
def test_every_number_in_a_presets_text_is_its_config_or_a_checked_figure(preset):
    written = set(NUMBER.findall(f"{preset.title} {preset.teaches}"))
    expected = NUMBERS[preset.name](preset.config)
    assert written == set(expected), f"{preset.name}: numbers in the text {sorted(written)}"
    for text, values in expected.items():
        for value in values:
            assert float(text) == pytest.approx(float(value)), f"{preset.name}: {text} vs {value}"


def test_the_saturation_preset_text_names_the_threshold_the_page_uses():
    assert SATURATED_BELOW == 0.06
    assert "Saturated" in PRESETS_BY_NAME["tanh-saturation"].teaches  # the strip's own word
