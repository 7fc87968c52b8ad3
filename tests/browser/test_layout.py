"""The page's layout at the sizes a class meets it: a phone watching a share link (390x844) or
driving, a laptop (1366x768) whose controls never sit on each other, the views enlarged, and
presentation mode on a 1280x720 projector with tall charts and large type. Sizes in CSS px."""

from __future__ import annotations

import pytest

from .conftest import SCREENSHOTS, open_page
from .dashboard import Dashboard
from .layout import SMALL_TEXT, VISIBLE_CONTROLS, overlapping

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TABS = ["weights", "derivation", "unit", "network", "gradcheck", "compare", "hidden", "slice", "lessons"]

# Where things are on the page, in CSS px, and how wide the document is.
MEASURE = """() => {
  const box = sel => {
    const e = document.querySelector(sel);
    if (!e || !e.getClientRects().length) return null;
    const r = e.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height};
  };
  return {
    scrollWidth: document.documentElement.scrollWidth, width: innerWidth, height: innerHeight,
    heat: box('#boundary-heat'), boundary: box('#panel-boundary'), step: box('[data-status=step]'),
    loss: box('[data-status=train-loss]'), controls: box('#controls'), play: box('#play'),
    lossChart: box('#loss-chart'), gradientChart: box('#gradient-chart'), inspector: box('#inspector'),
    tabs: [...document.querySelectorAll('#inspector-tabs [role=tab]')].map(t => t.getBoundingClientRect())
      .map(r => ({left: r.left, right: r.right, width: r.width})),
  };
}"""


def phone_page(browser, recorder):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(30_000)  # a fresh context loads plotly.js anew
    return context, open_page(context, recorder)


def sized_page(browser, recorder, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(30_000)
    return context, open_page(context, recorder)


def within_first_screen(box: dict, size: dict) -> bool:
    return (
        box is not None
        and box["top"] >= 0
        and box["bottom"] <= size["height"]
        and box["right"] <= size["width"]
    )


@pytest.mark.slow
def test_a_phone_viewer_sees_the_boundary_full_width_and_the_step_and_loss_first(
    browser, recorder, live_server
):
    teacher_context, teacher = sized_page(browser, recorder, 1366, 768)
    phone_context, phone = phone_page(browser, recorder)
    try:
        driver = Dashboard(teacher, live_server).open("?steps_per_second=60")
        teacher.click("#play")
        viewer = Dashboard(phone, live_server).open(f"?watch={driver.session_id()}")
        start = viewer.step()
        viewer.wait_for_step(f"s >= {start + 10}")  # steps counted over the viewer's own socket
        at = phone.evaluate(MEASURE)
        SCREENSHOTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / "phone-viewer.png"))
        controls = phone.evaluate(VISIBLE_CONTROLS)
        widths = {}
        for tab in TABS:  # every view opens on a phone without widening the page
            phone.click(f"#tab-{tab}")
            widths[tab] = phone.evaluate("() => document.documentElement.scrollWidth")
        # Scrolled down to the views, the numbers stay on top: the bar sticks by its last row.
        phone.click("#tab-compare")
        phone.evaluate("() => document.querySelector('#inspector').scrollIntoView({block: 'start'})")
        viewer.wait_for_step(f"s >= {viewer.step() + 3}")
        scrolled = phone.evaluate(MEASURE)
        shown_step = int(phone.inner_text("[data-status=step]"))
        SCREENSHOTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / "phone-viewer-scrolled.png"))
    finally:
        teacher_context.close()
        phone_context.close()
    assert scrolled["heat"]["bottom"] < 0, "scrolled past the boundary"
    for name in ("step", "loss"):
        box = scrolled[name]
        assert box["top"] >= 0 and box["bottom"] <= 100, f"{name} scrolled away: {box}"
    assert shown_step > start + 10, "and they still count"
    assert at["scrollWidth"] <= PHONE["width"], "no horizontal scroll"
    assert at["heat"]["width"] >= 340 and at["heat"]["right"] <= PHONE["width"], f"the boundary: {at['heat']}"
    for name in ("step", "loss", "heat"):
        assert within_first_screen(at[name], PHONE), f"{name} is not in the first screen: {at[name]}"
    assert at["lossChart"]["top"] >= at["heat"]["bottom"], "the other panels come under the boundary"
    assert at["controls"]["top"] >= at["boundary"]["bottom"], "the (read-only) form comes after the plots"
    assert all(t["width"] > 0 and t["left"] >= 0 and t["right"] <= PHONE["width"] for t in at["tabs"]), at[
        "tabs"
    ]
    assert all(w <= PHONE["width"] for w in widths.values()), widths
    assert overlapping(controls) == []


def test_a_phone_driver_gets_play_on_top_and_the_controls_below_the_plot(browser, recorder, live_server):
    context, page = phone_page(browser, recorder)
    try:
        dash = Dashboard(page, live_server).open("?steps_per_second=60")
        at = page.evaluate(MEASURE)
        controls = page.evaluate(VISIBLE_CONTROLS)
        page.tap("#play")
        dash.wait_for_step("s >= 5")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "phone-driver.png"))
    finally:
        context.close()
    assert at["scrollWidth"] <= PHONE["width"], "no horizontal scroll"
    assert at["heat"]["width"] >= 340
    assert within_first_screen(at["play"], PHONE) and within_first_screen(at["step"], PHONE)
    assert at["controls"]["top"] >= at["boundary"]["bottom"], "the settings come below the plot"
    assert overlapping(controls) == []


@pytest.fixture
def laptop_dash(browser, recorder, live_server):
    """A 1366x768 laptop's page, in a context of its own (its own, patient navigation timeout)."""
    context, page = sized_page(browser, recorder, 1366, 768)
    yield Dashboard(page, live_server)
    context.close()
    assert recorder.unexpected_errors() == [] and recorder.foreign_urls() == []


def test_no_two_controls_overlap_on_a_laptop_in_any_view_or_while_drawing(laptop_dash):
    dash = laptop_dash.open()
    found = {}
    for tab in TABS:
        dash.page.click(f"#tab-{tab}")
        found[tab] = overlapping(dash.page.evaluate(VISIBLE_CONTROLS))
    dash.page.click("#tab-weights")
    dash.press("d")  # draw mode: the class picker joins the timeline's row
    dash.page.wait_for_function("() => document.body.dataset.drawing === 'true'")
    controls = dash.page.evaluate(VISIBLE_CONTROLS)
    found["drawing"] = overlapping(controls)
    SCREENSHOTS.mkdir(exist_ok=True)
    dash.page.screenshot(path=str(SCREENSHOTS / "laptop-1366.png"))
    assert {"#timeline-live", "#play", "#f-learning_rate"} <= {name for name, *_ in controls}, "it saw them"
    assert all(pairs == [] for pairs in found.values()), found


def test_the_views_enlarge_to_most_of_the_screen_and_escape_puts_them_back(laptop_dash):
    dash = laptop_dash.open()
    dash.page.click("#tab-derivation")
    before = dash.page.evaluate(MEASURE)["inspector"]
    dash.page.click("#inspector-enlarge")
    large = dash.page.evaluate(MEASURE)["inspector"]
    dash.page.focus("#tab-body-derivation input")  # Escape works from the point's field too
    dash.page.keyboard.press("Escape")
    after = dash.page.evaluate(MEASURE)["inspector"]
    assert before["height"] < 300, "a strip on a 1366x768 laptop"
    assert large["height"] >= 0.85 * 768 and large["width"] >= 0.85 * 1366, large
    assert after == before


@pytest.mark.slow
def test_presentation_at_1280x720_keeps_charts_250_px_tall_and_no_text_under_16_px(
    browser, recorder, live_server
):
    context, page = sized_page(browser, recorder, 1280, 720)
    try:
        dash = Dashboard(page, live_server).open("?present=1&hidden=8&steps_per_second=300")
        page.click("#play")
        dash.wait_for_step("s >= 300")  # the gradients' log axis spans decades: its minor labels show
        page.click("#play")
        dash.wait_until_paused()
        page.wait_for_function("() => document.getElementById('gradient-chart').data[0].x.length >= 10")
        at = page.evaluate(MEASURE)
        small = {"presenting": page.evaluate(SMALL_TEXT, 16)}
        page.check("#loss-log")
        small["log loss"] = page.evaluate(SMALL_TEXT, 16)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "projector-1280-present.png"))
        controls = page.evaluate(VISIBLE_CONTROLS)
        for tab in TABS[1:]:  # the other views, below the charts (presentation shows one tab: click it)
            page.evaluate("(t) => document.getElementById(`tab-${t}`).click()", tab)
            page.wait_for_function(
                "(t) => document.getElementById(`tab-body-${t}`).textContent.trim()", arg=tab
            )
            small[tab] = page.evaluate(SMALL_TEXT, 16)
        page.evaluate("() => document.getElementById('tab-weights').click()")
        page.click("#present-leave")  # and into it again by key: the charts are laid out anew
        page.wait_for_function("() => !document.body.classList.contains('presenting')")
        dash.press("p")
        page.wait_for_function("() => document.body.classList.contains('presenting')")
        small["by key"] = page.evaluate(SMALL_TEXT, 16)
    finally:
        context.close()
    size = {"width": 1280, "height": 720}
    for chart in ("heat", "lossChart", "gradientChart"):
        assert at[chart]["height"] >= 250, f"{chart}: {at[chart]}"
        assert within_first_screen(at[chart], size), f"{chart} is not in the first screen: {at[chart]}"
    assert overlapping(controls) == []
    # KaTeX writes a script of a script at half its size: those alone, in formulas of 23 px, are
    # under 16 px (11.5); every other text, first-level sub- and superscripts included, is not.
    second_level = [t for texts in small.values() for t in texts if t[3] and t[1] >= 11.5]
    assert {k: [t for t in v if t not in second_level] for k, v in small.items()} == dict.fromkeys(small, [])
