"""Presets that show what they teach, in a real browser: the saturation strip on the tanh
saturation preset, live and scrubbed back."""

from __future__ import annotations

import json

import pytest

from .conftest import SCREENSHOTS
from .dashboard import Dashboard, api

pytestmark = pytest.mark.browser

# The first frame of a new session has been drawn.
FIRST_NEW_FRAME = """(old) => {
  const p = window.bpv || {};
  return p.sessionId !== old && p.step === 0 && p.framesDrawn;
}"""

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
    dash.page.wait_for_function("() => window.bpv?.saturation && window.bpv?.saturation.step === 10")
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


# ---- the timeline's step in every tab ----------------------------------------------------------


def scrub_to(dash: Dashboard, step: int) -> None:
    dash.page.evaluate(
        "(k) => { const r = document.getElementById('timeline-range'); r.value = String(k);"
        " r.dispatchEvent(new Event('input')); }",
        step,
    )
    dash.page.wait_for_function("(k) => window.bpv?.atStep === k", arg=step)


def test_a_step_chosen_on_the_timeline_is_the_step_of_every_tab(dash, tmp_path):
    dash.open()
    for target in (10, 20, 30):
        dash.page.click("#step10")
        dash.wait_for_step(f"s >= {target}")
    scrub_to(dash, 10)
    page = dash.page

    page.click("#tab-gradcheck")
    page.wait_for_selector('.gradcheck[data-step="10"] #gradcheck-table tbody tr')
    assert "checked at step 10 (past)" in page.text_content(".gradcheck-status")
    then, now = api(dash, "gradcheck", max_entries=100, seed=0, at_step=10), api(dash, "gradcheck")
    for name, p in then["params"].items():
        worst = p["worst"]
        shown = page.text_content(f'#gradcheck-table tr[data-param="{name}"] .gradcheck-worst')
        where, numbers = shown.split(": ")
        assert where == f"{name}[{','.join(map(str, worst['index']))}]"
        analytic, numeric = (float(v.replace("−", "-")) for v in numbers.split(" vs "))
        assert analytic == pytest.approx(worst["analytic"], rel=1e-5)
        assert numeric == pytest.approx(worst["numeric"], rel=1e-5)
        entry_now = next(e for e in now["params"][name]["entries"] if e["index"] == worst["index"])
        assert analytic != pytest.approx(entry_now["analytic"], rel=1e-5), "step 10's, not step 30's"

    page.click("#tab-derivation")
    page.wait_for_selector('.derivation[data-step="10"]')
    assert page.text_content(".derivation-step") == "at step 10"

    page.click("#tab-unit")
    page.wait_for_selector('.unit-view[data-step="10"]')
    unit = api(dash, "units/0", G=2, at_step=10)
    shown = page.eval_on_selector(".unit-weights", "e => JSON.parse(e.dataset.win)")
    assert shown == pytest.approx(unit["w_in"]) and shown != pytest.approx(api(dash, "units/0", G=2)["w_in"])
    assert page.text_content(".unit-step") == "at step 10"

    page.click("#tab-compare")
    assert page.text_content("#compare-download") == "Download the inputs at step 10 (JSON)"
    with page.expect_download() as download:
        page.click("#compare-download")
    inputs = json.loads(download.value.path().read_text())
    assert inputs["step"] == 10
    assert inputs["W1"] == api(dash, "parameters", at_step=10)["params"]["W1"]["values"]
    assert inputs["W1"] != api(dash, "parameters")["params"]["W1"]["values"]
    page.select_option("#compare-example", "ours")
    page.wait_for_selector("#compare-verdict .verdict-good")
    assert page.text_content("#compare-at") == "Compared with ours at step 10."

    # Live again: every tab follows the run (step 30) once more.
    page.click("#timeline-live")
    page.click("#tab-gradcheck")
    page.wait_for_selector('.gradcheck[data-step="30"]')
    assert page.text_content(".gradcheck-status") == "checked at step 30"
    page.click("#tab-compare")
    assert page.text_content("#compare-download") == "Download the inputs (JSON)"
