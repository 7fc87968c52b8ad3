"""Presets that show what they teach, in a real browser: the saturation strip on the tanh
saturation preset, live and scrubbed back."""

from __future__ import annotations

import httpx
import pytest

from .conftest import SCREENSHOTS
from .dashboard import Dashboard

pytestmark = pytest.mark.browser

# The first frame of a new session has been drawn.
FIRST_NEW_FRAME = "(old) => window.bpv.sessionId !== old && window.bpv.step === 0 && window.bpv.framesDrawn"

# The bars of the saturation histogram, in px, and the shaded band's width as a share of them.
SATURATION_BARS = """() => {
  const bars = document.getElementById('saturation-bars');
  const box = bars.getBoundingClientRect();
  const band = bars.querySelector('.saturation-band').getBoundingClientRect();
  return {
    width: box.width, height: bars.clientHeight, band: band.width / box.width,
    heights: [...bars.querySelectorAll('.saturation-bar')].map(b => b.getBoundingClientRect().height),
  };
}"""


@pytest.fixture
def dash(page, live_server):
    return Dashboard(page, live_server)


def api(dash: Dashboard, path: str, **params) -> dict:
    response = httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/{path}", params=params)
    response.raise_for_status()
    return response.json()


def choose_preset(dash: Dashboard, name: str) -> None:
    old = dash.session_id()
    dash.page.click("#tab-lessons")
    dash.page.click(f'[data-preset="{name}"]')
    dash.page.wait_for_function(FIRST_NEW_FRAME, arg=old, timeout=15_000)


def shown_share(dash: Dashboard) -> float:
    return float(dash.page.text_content("#saturation-share").rstrip("%")) / 100


def test_the_saturation_preset_shows_most_hidden_units_saturated(dash):
    dash.open()
    choose_preset(dash, "tanh-saturation")
    dash.page.click("#step10")
    dash.wait_for_step("s >= 10")
    dash.page.wait_for_function("() => window.bpv.saturation && window.bpv.saturation.step === 10")
    served = api(dash, "saturation")
    assert served["step"] == 10 and served["activation"] == "tanh"
    # The frame's float32 share and the REST float64 one agree to the digit the page shows.
    assert shown_share(dash) == pytest.approx(served["share"], abs=0.002)
    assert shown_share(dash) > 0.5, "the preset saturates most (point, unit) pairs"
    assert "at step 10" in dash.page.text_content("#saturation")
    assert "1 - a1**2 below 0.06" in dash.page.text_content("#saturation-definition")

    bars = dash.page.evaluate(SATURATION_BARS)
    assert len(bars["heights"]) == served["bins"] == 50
    assert bars["width"] >= 170 and bars["height"] >= 60, bars  # big enough to read at the back
    assert bars["band"] == pytest.approx(served["saturated_below"], abs=0.01)
    top = max(served["slopes"])
    for shown, count in zip(bars["heights"], served["slopes"]):
        assert shown == pytest.approx(bars["height"] * count / top, abs=1.5)
    assert bars["heights"][0] == max(bars["heights"]), "the tallest bar: slope 0, saturated"
    SCREENSHOTS.mkdir(exist_ok=True)
    dash.page.screenshot(path=str(SCREENSHOTS / "presets-saturation.png"))


def test_the_saturation_strip_follows_the_timeline(dash):
    dash.open()
    choose_preset(dash, "moons-classic")
    for target in (10, 20):
        dash.page.click("#step10")
        dash.wait_for_step(f"s >= {target}")
    dash.page.evaluate(
        "() => { const r = document.getElementById('timeline-range'); r.value = '0';"
        " r.dispatchEvent(new Event('input')); }"
    )
    dash.page.wait_for_function("() => document.getElementById('saturation').dataset.step === '0'")
    assert "at step 0 (past)" in dash.page.text_content("#saturation")
    assert shown_share(dash) == pytest.approx(api(dash, "saturation", at_step=0)["share"], abs=0.0006)
    dash.page.click("#timeline-live")
    dash.page.wait_for_function("() => document.getElementById('saturation').dataset.step === '20'")
