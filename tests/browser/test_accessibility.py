"""Accessibility in a real browser: axe-core (bundled by axe-playwright-python, run offline)
finds no critical or serious violation and no content outside a landmark, at a laptop's size,
a phone's and in presentation mode, in every view; the focus ring stands out; Space presses
the focused button rather than play; Escape closes what is open, one thing at a time."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import open_page
from .dashboard import Dashboard
from .layout import FOCUS_RING

pytestmark = pytest.mark.browser

SIZES = {
    "laptop": ({"width": 1366, "height": 768}, ""),
    "phone": ({"width": 390, "height": 844}, ""),
    "present": ({"width": 1280, "height": 720}, "?present=1"),
}
TABS = ["weights", "derivation", "unit", "network", "gradcheck", "compare", "hidden", "slice", "lessons"]
# The rules this suite relies on axe running: a run that skipped them would pass on anything.
RULES_RELIED_ON = {
    "label",
    "region",
    "scrollable-region-focusable",
    "page-has-heading-one",
    "color-contrast",
    "aria-allowed-role",
    "button-name",
    "aria-required-children",
}

axe = Axe()


def failing(page) -> list[tuple[str, str, list]]:
    """axe's critical and serious violations, and every `region` one (content outside a landmark)."""
    results = axe.run(page).response
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in results["violations"]
        if v["impact"] in ("critical", "serious") or v["id"] == "region"
    ]


def sized(browser, recorder, size: str):
    viewport, _ = SIZES[size]
    phone = size == "phone"
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(30_000)  # a fresh context loads plotly.js anew
    return context, open_page(context, recorder)


def test_axe_runs_its_rules_and_reports_a_real_violation(dash):
    dash.open()
    dash.page.evaluate(
        "() => document.querySelector('main').append(Object.assign(document.createElement('input'),"
        " {id: 'unlabelled', type: 'text'}))"
    )
    results = axe.run(dash.page, options={"resultTypes": ["violations", "passes"]}).response
    ran = {r["id"] for key in ("violations", "passes", "incomplete", "inapplicable") for r in results[key]}
    assert RULES_RELIED_ON <= ran, RULES_RELIED_ON - ran
    label = [v for v in results["violations"] if v["id"] == "label"]
    assert label and label[0]["impact"] == "critical"
    assert [n["target"] for n in label[0]["nodes"]] == [["#unlabelled"]]


@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
def test_axe_finds_nothing_critical_or_serious_in_any_view(browser, recorder, live_server, size):
    context, page = sized(browser, recorder, size)
    found = {}
    try:
        Dashboard(page, live_server).open(SIZES[size][1])
        found["start"] = failing(page)
        if size != "present":  # the features' checkboxes, opened (presentation mode puts the form away)
            page.click("#features-choices summary")
            found["features"] = failing(page)
        for tab in TABS:  # presentation mode shows the open view's tab only: a click opens the others
            page.evaluate("(t) => document.getElementById(`tab-${t}`).click()", tab)
            found[tab] = failing(page)
        page.evaluate("() => document.getElementById('tab-derivation').click()")
        page.click("#inspector-enlarge")
        found["enlarged"] = failing(page)
        page.keyboard.press("Escape")
        if size != "present":  # Share is in the form, which presentation mode puts away
            page.click("#share")
            found["share"] = failing(page)
    finally:
        context.close()
    assert {state: v for state, v in found.items() if v} == {}


def test_the_focus_ring_contrasts_3_to_1_with_what_it_sits_on(dash):
    dash.open()
    dash.page.evaluate("() => document.activeElement.blur()")
    rings = []
    for _ in range(45):  # the top bar, the form, the panels, the views' tabs, round again
        dash.page.keyboard.press("Tab")
        ring = dash.page.evaluate(FOCUS_RING)
        if ring is not None:
            rings.append(ring)
    assert len({name for name, *_ in rings}) > 30, "the Tab key went through the page"
    weak = [r for r in rings if r[1] == "none" or r[2] < 2 or r[3] < 3]
    assert weak == [], weak


@pytest.mark.parametrize("size", list(SIZES))
def test_space_presses_the_focused_button_and_escape_closes_one_thing_at_a_time(
    browser, recorder, live_server, size
):
    context, page = sized(browser, recorder, size)
    try:
        dash = Dashboard(page, live_server).open(SIZES[size][1])
        page.focus("#step1")
        page.keyboard.press(" ")
        dash.wait_for_step("s === 1")
        page.focus("#step10")
        page.keyboard.press(" ")
        dash.wait_for_step("s === 11")
        assert dash.probe()["status"] == "paused", "Space pressed the button, not play"
        dash.press(" ")  # on the page itself, Space is play
        page.wait_for_function("() => window.bpv?.status === 'running'")
        dash.press(" ")
        dash.wait_until_paused()

        if size != "present":
            page.click("#share")
            assert page.is_visible("#share-panel")
            assert page.evaluate("() => document.activeElement.id") == "share-link"
            page.keyboard.press("Escape")  # from inside the dialog's field
            assert page.is_hidden("#share-panel")
            assert page.evaluate("() => document.activeElement.id") == "share", "focus back on Share"
            dash.press("p")
            page.wait_for_function("() => document.body.classList.contains('presenting')")
        page.click("#inspector-enlarge")
        assert page.evaluate("() => document.body.dataset.enlarged") == "true"
        page.keyboard.press("Escape")  # the view first...
        assert page.evaluate("() => document.body.dataset.enlarged") == "false"
        assert page.evaluate("() => document.body.classList.contains('presenting')")
        page.keyboard.press("Escape")  # ...then presentation mode
        page.wait_for_function("() => !document.body.classList.contains('presenting')")
        assert page.is_visible("#controls")
    finally:
        context.close()


def test_axe_finds_nothing_critical_or_serious_with_the_banner_and_an_error_shown(dash, recorder):
    recorder.expect_error("422")  # the refused value
    dash.open("?learning_rate=30&lam=0.1")
    dash.page.click("#play")
    dash.page.wait_for_selector("#banner:visible", timeout=10_000)
    dash.set_field("hidden", "0")  # refused: the error shows next to the field
    dash.page.wait_for_selector('[data-error-for="hidden"]:visible')
    assert failing(dash.page) == []
