"""The class's own data in a real browser: drawn points in the link (the page's address and the
watchers' "try it yourself"), a blank canvas, a CSV upload with its errors, a broken link."""

from __future__ import annotations

import pytest

from .conftest import Recorder, new_context, open_page
from .dashboard import Dashboard

pytestmark = pytest.mark.browser

HEAT_BOX = "e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }"


def export_points(dash: Dashboard) -> dict:
    import httpx

    return httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/export").json()["points"]


def click_plot(dash: Dashboard, fx: float, fy: float, shift: bool = False) -> None:
    heat = dash.page.eval_on_selector("#boundary-heat", HEAT_BOX)
    if shift:
        dash.page.keyboard.down("Shift")
    dash.page.mouse.click(heat[0] + fx * heat[2], heat[1] + (1 - fy) * heat[3])
    if shift:
        dash.page.keyboard.up("Shift")


def points_message_count(dash: Dashboard) -> int:
    return dash.page.evaluate("() => window.bpv?.messages.filter(m => m.type === 'points').length")


@pytest.mark.slow
def test_drawn_points_go_into_the_link_and_a_new_browser_gets_the_same_points(dash, browser, live_server):
    dash.open()
    dash.page.click("#draw-toggle")
    for fx, fy, shift in [(0.1, 0.9, False), (0.9, 0.1, True), (0.5, 0.95, False)]:
        seen = points_message_count(dash)
        click_plot(dash, fx, fy, shift)
        dash.page.wait_for_function(
            "(n) => window.bpv?.messages.filter(m => m.type === 'points').length > n", arg=seen
        )
    drawn = export_points(dash)
    assert len(drawn["x"]) == 203
    dash.page.wait_for_function("() => new URLSearchParams(location.search).has('points')")
    link = dash.page.evaluate("() => location.href")
    query = dash.url_query()
    assert "dataset=points" in query and len(link) < 8200

    recorder = Recorder()
    context = new_context(browser)
    context.set_default_timeout(30_000)  # a cold cache: plotly.js is loaded again
    try:
        other = Dashboard(open_page(context, recorder), live_server)
        other.page.goto(link)
        other.page.wait_for_function("() => window.bpv?.framesDrawn > 0", timeout=15_000)
        assert other.field("dataset") == "points"
        opened = export_points(other)
        assert opened["label"] == drawn["label"]
        span_x = max(drawn["x"]) - min(drawn["x"])
        span_y = max(drawn["y"]) - min(drawn["y"])
        for a, b in zip(opened["x"], drawn["x"]):
            assert a == pytest.approx(b, abs=span_x / 65535)
        for a, b in zip(opened["y"], drawn["y"]):
            assert a == pytest.approx(b, abs=span_y / 65535)
        # the new page's own link holds the same points: a link of a link is the same link
        other.page.wait_for_function("() => new URLSearchParams(location.search).has('points')")
        assert other.page.evaluate("() => new URLSearchParams(location.search).get('points')") == (
            dash.page.evaluate("() => new URLSearchParams(location.search).get('points')")
        )
        assert recorder.unexpected_errors() == []
    finally:
        context.close()


def test_a_watcher_gets_a_try_it_yourself_link_with_the_drawn_points(dash, browser, live_server):
    dash.open()
    dash.page.click("#draw-toggle")
    seen = points_message_count(dash)
    click_plot(dash, 0.1, 0.9)
    dash.page.wait_for_function(
        "(n) => window.bpv?.messages.filter(m => m.type === 'points').length > n", arg=seen
    )
    drawn = export_points(dash)
    recorder = Recorder()
    context = new_context(browser)
    context.set_default_timeout(30_000)  # a cold cache: plotly.js is loaded again
    try:
        watcher = Dashboard(open_page(context, recorder), live_server).open(f"?watch={dash.session_id()}")
        link = watcher.page.locator("#try-yourself")
        link.wait_for()
        href = link.get_attribute("href")
        assert "dataset=points" in href and "points=" in href
        watcher.page.goto(f"{live_server.url}{href}")
        watcher.page.wait_for_function("() => window.bpv?.role === 'driver' && window.bpv?.framesDrawn > 0")
        mine = export_points(watcher)
        assert mine["label"] == drawn["label"] and len(mine["x"]) == len(drawn["x"])
        assert recorder.unexpected_errors() == []
    finally:
        context.close()


def test_a_blank_canvas_trains_on_exactly_the_points_drawn_on_it(dash):
    dash.open()
    dash.page.click("#blank-canvas")
    assert dash.page.get_attribute("#draw-toggle", "aria-pressed") == "true"
    # the plot square is white: the old run's points and colours are hidden under the draft
    white = dash.page.evaluate(
        """() => { const c = document.querySelector('.draw-draft'), r = c.getBoundingClientRect();
        const heat = document.getElementById('boundary-heat').getBoundingClientRect();
        const ratio = c.width / r.width;
        const d = c.getContext('2d').getImageData(Math.round((heat.left - r.left + heat.width / 2) * ratio),
            Math.round((heat.top - r.top + heat.height / 2) * ratio), 1, 1).data;
        return [...d]; }"""
    )
    assert white == [255, 255, 255, 255]
    assert dash.page.is_disabled("#draft-train")
    old = dash.session_id()
    for fx, fy, shift in [(0.2, 0.2, False), (0.3, 0.25, False), (0.8, 0.8, True), (0.7, 0.85, True)]:
        click_plot(dash, fx, fy, shift)
    click_plot(dash, 0.5, 0.5)
    assert dash.page.get_attribute("#draw-layer", "data-draft-points") == "5"
    # right-click removes the nearest drawn point
    heat = dash.page.eval_on_selector("#boundary-heat", HEAT_BOX)
    dash.page.mouse.click(heat[0] + 0.5 * heat[2], heat[1] + 0.5 * heat[3], button="right")
    assert dash.page.get_attribute("#draw-layer", "data-draft-points") == "4"
    assert dash.page.text_content("#draft-train") == "Train on these 4"
    dash.page.click("#draft-train")
    dash.page.wait_for_function(
        "(old) => window.bpv?.sessionId !== old && window.bpv?.framesDrawn > 0 && window.bpv?.step === 0",
        arg=old,
    )
    points = export_points(dash)
    assert points["label"] == [0, 0, 1, 1] and sorted(points["train"]) == [0, 1, 2, 3]
    assert points["x"][0] < points["x"][2] and points["y"][0] < points["y"][2]
    assert dash.field("dataset") == "points"
    # drawing goes on: a click now adds a point to the running run
    seen = points_message_count(dash)
    click_plot(dash, 0.1, 0.9)
    dash.page.wait_for_function(
        "(n) => window.bpv?.messages.filter(m => m.type === 'points').length > n", arg=seen
    )
    assert len(export_points(dash)["x"]) == 5


def test_a_csv_upload_trains_on_its_points_and_a_bad_row_is_named(dash, recorder, tmp_path):
    recorder.expect_error("status of 422")  # the bad file, refused on purpose
    dash.open()
    bad = tmp_path / "class.csv"
    bad.write_text("x,y,label\n0,0,0\n1,oops,1\n1,1\n")
    dash.page.set_input_files("#csv-file", str(bad))
    errors = dash.page.locator("#csv-errors")
    errors.wait_for()
    items = errors.locator("li").all_text_contents()
    assert items == ["line 3: y 'oops' is not a number", "line 4: 2 columns, expected 3 (x, y, label)"]
    assert "class.csv was not read" in errors.text_content()

    old = dash.session_id()
    good = tmp_path / "good.csv"
    good.write_text("\ufeffx,y,label\r\n0,0,0\r\n1,1,1\r\n0,1,2\r\n1,0,0\r\n2,2,1\r\n")
    dash.page.set_input_files("#csv-file", str(good))
    dash.page.wait_for_function(
        "(old) => window.bpv?.sessionId !== old && window.bpv?.framesDrawn > 0", arg=old
    )
    points = export_points(dash)
    assert points["x"] == [0, 1, 0, 1, 2] and points["label"] == [0, 1, 2, 0, 1]
    assert dash.field("dataset") == "points" and dash.field("classes") == "3"
    assert errors.is_hidden()


@pytest.mark.parametrize(
    "code",
    ["!!!", "AAAA", "eJwLycgsVgCi4sTcgpxUhZzEolQAOKgGTQ"],  # bad characters, not deflate, not points
)
def test_a_broken_points_link_says_so_and_the_page_still_works(dash, recorder, code):
    dash.open(f"?dataset=points&points={code}")
    message = dash.error_for("general")
    assert message and message.startswith("The link's points cannot be read:")
    assert dash.field("dataset") == "moons"
    before = dash.step()
    dash.page.click("#step1")
    assert dash.wait_for_step(f"s === {before + 1}") == before + 1
