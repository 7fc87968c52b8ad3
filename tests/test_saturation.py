"""Saturation, as the frame and GET .../saturation report it: the share of (training point, hidden
unit) pairs whose slope f'(z1) is under 6% of its peak, and the histogram of f'(z1) / peak behind it."""

import numpy as np
import pytest

from app.core.activations import ACTIVATIONS
from app.frames.build import build_now
from app.frames.encoding import decode_frame
from app.frames.request import FrameRequest
from app.training.evaluation import (
    SATURATED_BELOW,
    SLOPE_BINS,
    relative_slopes,
    saturation_share,
    slope_histogram,
)

from .conftest import auth


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_the_first_bins_of_the_slope_histogram_are_the_saturated_share(name):
    z1 = np.random.RandomState(0).randn(300, 40) * 4
    act = ACTIVATIONS[name]
    a1 = act.f(z1)
    counts = slope_histogram(relative_slopes(z1, a1, name))
    assert len(counts) == SLOPE_BINS and sum(counts) == z1.size
    saturated_bins = round(SATURATED_BELOW * SLOPE_BINS)
    assert saturated_bins == SATURATED_BELOW * SLOPE_BINS == 3  # the threshold is a bin edge
    assert sum(counts[:saturated_bins]) / z1.size == saturation_share(z1, a1, name)


def test_a_slope_at_its_peak_counts_in_the_last_bin_and_nan_in_none():
    counts = slope_histogram(np.array([0.0, 0.5, 1.0, np.nan]))
    assert counts[0] == counts[25] == counts[-1] == 1 and sum(counts) == 3


def test_the_frame_and_rest_report_the_same_saturation(client):
    presets = {p["name"]: p["config"] for p in client.get("/api/presets").json()}
    c = client.post("/api/sessions", json=presets["tanh-saturation"]).json()
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 5}, headers=auth(c["token"]))
    header = decode_frame(build_now(client.app.state.registry.get(c["id"]), FrameRequest(4, False))[1])[0]
    served = client.get(f"/api/sessions/{c['id']}/saturation").json()
    assert served["step"] == header["step"] == 5
    assert served["share"] == pytest.approx(header["saturation"], abs=2 / served["pairs"])  # float32 vs 64
    assert sum(header["slopes"]) == sum(served["slopes"]) == served["pairs"] == 160 * 20
    assert served["definition"] == "f'(z1) = 1 - a1**2 below 0.06"
    then = client.get(f"/api/sessions/{c['id']}/saturation", params={"at_step": 0}).json()
    assert then["step"] == 0 and then["slopes"] != served["slopes"]


def test_a_deep_runs_frame_and_report_give_each_layers_share_in_its_own_names(client):
    c = client.post("/api/sessions", json={"hidden": [6, 4, 3], "init_scale": 2.0}).json()
    client.post(f"/api/sessions/{c['id']}/step", json={"n": 3}, headers=auth(c["token"]))
    header = decode_frame(build_now(client.app.state.registry.get(c["id"]), FrameRequest(4, False))[1])[0]
    served = client.get(f"/api/sessions/{c['id']}/saturation").json()
    assert [layer["layer"] for layer in served["layers"]] == [1, 2, 3]
    assert [layer["pairs"] for layer in served["layers"]] == [160 * 6, 160 * 4, 160 * 3]
    for layer, share in zip(served["layers"], header["saturation_layers"], strict=True):
        assert share == pytest.approx(layer["share"], abs=2 / layer["pairs"])  # float32 vs 64
        assert layer["definition"] == f"f'(z{layer['layer']}) = 1 - a{layer['layer']}**2 below 0.06"
    pairs = sum(layer["pairs"] for layer in served["layers"])
    together = sum(layer["share"] * layer["pairs"] for layer in served["layers"]) / pairs
    assert served["share"] == pytest.approx(together) and served["share"] > 0.1  # init 2.0 saturates
    assert served["definition"] == "f'(z) = 1 - a**2 below 0.06 in z1 … z3"


def test_a_step_the_run_has_not_reached_is_refused_naming_at_step(client):
    c = client.post("/api/sessions", json={}).json()
    for view in ("saturation", "gradients", "gradcheck", "derivation/0", "compare/inputs"):
        r = client.get(f"/api/sessions/{c['id']}/{view}", params={"at_step": 3})
        assert r.status_code == 422 and "at_step" in r.json()["detail"], (view, r.text)
