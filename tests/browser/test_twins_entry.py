"""The ways into the compare page from the main page, one click each: "What if…" with a common
change (its right run has the change, as the server says), a refused change said in words in the
dialog, and a paired preset."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.browser

COMPARE_READY = (
    "() => window.bpv?.sides && window.bpv.sides.left.frames > 0 && window.bpv.sides.right.frames > 0"
)


def end_twins(server, page) -> None:
    """End the twins the page opened and delete their runs, with the tokens this browser kept."""
    tokens = page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith('bpv.twin'))"
        ".map((k) => [k, JSON.parse(localStorage.getItem(k)).token]))"
    )
    with httpx.Client(base_url=server.url) as api:
        for key, token in tokens.items():
            kind, _, id_ = key.partition(".")[2].partition(".")
            path = f"/api/twins/{id_}" if kind == "twins" else f"/api/sessions/{id_}"
            api.delete(path, headers={"Authorization": f"Bearer {token}"})


def twins_shown(page, server) -> dict:
    page.wait_for_url("**/twins/*")
    page.wait_for_function(COMPARE_READY, timeout=15_000)
    twins_id = page.url.rsplit("/", 1)[1]
    return httpx.get(f"{server.url}/api/twins/{twins_id}").json()


def test_what_if_a_tenth_of_the_learning_rate_opens_the_compare_page(dash):
    dash.open()
    dash.press("s")
    dash.wait_for_step("s === 1")
    rate = dash.session_summary()["config"]["learning_rate"]
    dash.page.click("#whatif")
    dash.page.wait_for_selector('[data-change="lr-down"]:focus')  # the keyboard is in the dialog
    dash.page.click('[data-change="lr-down"]')
    twins = twins_shown(dash.page, dash.server)
    try:
        right = httpx.get(f"{dash.server.url}/api/sessions/{twins['right']['id']}").json()
        left = httpx.get(f"{dash.server.url}/api/sessions/{twins['left']['id']}").json()
        assert right["config"]["learning_rate"] == pytest.approx(rate / 10)
        assert left["config"]["learning_rate"] == rate
        assert twins["step"] == 1
        assert dash.page.evaluate("() => window.bpv.role") == "driver"
        assert dash.page.is_visible("#play")
    finally:
        end_twins(dash.server, dash.page)


def test_what_if_says_a_refused_change_in_words_and_escape_closes_it(dash, recorder):
    recorder.expect_error("status of 422")
    dash.open()
    dash.page.click("#whatif")
    dash.page.wait_for_selector(".whatif-choice:focus")
    dash.page.select_option("#whatif-field", "learning_rate")
    dash.page.fill("#whatif-value", "-1")
    dash.page.click("#whatif-free-go")
    dash.page.wait_for_function(
        "() => /learning_rate/.test(document.getElementById('whatif-message').textContent)"
    )
    assert "/twins/" not in dash.page.url
    dash.page.keyboard.press("Escape")
    assert dash.page.is_hidden("#whatif-panel")
    assert dash.page.evaluate("() => document.activeElement.id") == "whatif"


def test_a_paired_preset_opens_its_compare_page(dash):
    dash.open()
    dash.page.click("#tab-lessons")
    dash.page.click('[data-pair="lr_1_vs_0_1"]')
    twins = twins_shown(dash.page, dash.server)
    try:
        assert twins["step"] == 50
        rates = [twins[side]["config"]["learning_rate"] for side in ("left", "right")]
        assert rates == [1.0, 0.1]
        assert dash.page.text_content("#twins-title") == twins["title"]
    finally:
        end_twins(dash.server, dash.page)


def test_what_if_from_an_earlier_kept_step(dash):
    dash.open()
    dash.page.click("#step10")
    dash.wait_for_step("s === 10")
    dash.page.click("#whatif")
    dash.page.wait_for_selector('#whatif-from option[value="4"]', state="attached")
    dash.page.select_option("#whatif-from", "4")
    dash.page.click('[data-change="loss"]')
    twins = twins_shown(dash.page, dash.server)
    try:
        assert twins["step"] == 4
        assert [twins[side]["config"]["loss"] for side in ("left", "right")] == ["cross_entropy", "mse"]
        assert dash.page.evaluate("() => [window.bpv.sides.left.step, window.bpv.sides.right.step]") == [4, 4]
    finally:
        end_twins(dash.server, dash.page)
