"""The saturation strip on a deep run (?hidden=4,3): its words name each hidden layer, f′(z₁) and
f′(z₂), with each layer's share as the server sends it, live and scrubbed back to a kept step."""

from __future__ import annotations

import pytest

from .conftest import SCREENSHOTS
from .dashboard import api

pytestmark = pytest.mark.browser

SHOWN = """() => ({
  layers: [...document.querySelectorAll('#saturation-layers .saturation-layer')].map(s => ({
    layer: Number(s.dataset.layer), text: s.textContent,
    share: Number(s.querySelector('strong').textContent.replace('%', '')) / 100 })),
  axis: document.getElementById('saturation-axis-name').textContent,
  label: document.getElementById('saturation-bars').getAttribute('aria-label'),
  text: document.getElementById('saturation').textContent,
})"""


@pytest.mark.slow  # ten steps, then scrubbed back
def test_a_deep_runs_saturation_names_each_layer_with_the_servers_shares(dash):
    dash.open("?hidden=4,3")
    dash.page.click("#step10")
    dash.wait_for_step("s >= 10")
    dash.page.wait_for_function(
        "() => window.bpv?.saturation?.step === 10 && bpv.saturation.layers.length === 2"
    )
    shown = dash.page.evaluate(SHOWN)
    served = api(dash, "saturation")
    assert served["step"] == 10 and [layer["layer"] for layer in served["layers"]] == [1, 2]
    assert [layer["layer"] for layer in shown["layers"]] == [1, 2]
    assert [layer["text"].split(" ")[0] for layer in shown["layers"]] == ["f′(z₁)", "f′(z₂)"]
    # the frame's float32 shares and REST's float64 ones agree to the digit the page shows
    for mine, theirs in zip(shown["layers"], served["layers"]):
        assert mine["share"] == pytest.approx(theirs["share"], abs=0.002)
    assert shown["axis"] == "slope f′(z₁ … z₂) / peak"
    assert "in 2 hidden layers" in shown["text"] and "f′(z1)" not in shown["text"]
    assert "f'(z1)" not in dash.page.text_content("#saturation-definition")
    assert "below 0.06 in z1 … z2" in dash.page.text_content("#saturation-definition")
    assert "f′(z₁ … z₂)" in shown["label"] and "z₁ " in shown["label"] and "z₂ " in shown["label"]
    SCREENSHOTS.mkdir(exist_ok=True)
    dash.page.locator(".panel-gradients").screenshot(path=str(SCREENSHOTS / "saturation-deep.png"))

    dash.page.evaluate(
        "() => { const r = document.getElementById('timeline-range'); r.value = '0';"
        " r.dispatchEvent(new Event('input')); }"
    )
    dash.page.wait_for_function("() => document.getElementById('saturation').dataset.step === '0'")
    past = dash.page.evaluate(SHOWN)
    at_zero = api(dash, "saturation", at_step=0)
    assert [layer["share"] for layer in past["layers"]] == pytest.approx(
        [layer["share"] for layer in at_zero["layers"]], abs=0.0006
    )


def test_one_hidden_layer_keeps_its_names(dash):
    dash.open("?hidden=5")
    dash.page.wait_for_function("() => window.bpv?.saturation")
    assert not dash.page.is_visible("#saturation-layers")
    assert dash.page.text_content("#saturation-axis-name") == "slope f′(z1) / peak"
    assert "hidden layers" not in dash.page.text_content("#saturation")
