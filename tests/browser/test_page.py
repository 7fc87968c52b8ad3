"""The page in a real browser (Debian's chromium, headless): it loads offline, it trains live,
its controls do what they say, bad input gets a message, and a link reproduces a setup."""

from __future__ import annotations

import pytest

from app.api.routers.pages import STATIC_DIR

from .conftest import SCREENSHOTS, new_context, open_page
from .dashboard import Dashboard

pytestmark = pytest.mark.browser

# The first frame of a new session has been drawn.
FIRST_NEW_FRAME = "() => window.bpv?.step === 0 && window.bpv?.connection === 'live'"

# Both line charts have drawn a point at step `step` or later.
CHARTS_REACH = """(step) => ['loss-chart', 'gradient-chart'].every(id => {
  const x = document.getElementById(id).data[0].x;
  return x.length && x[x.length - 1] >= step;
})"""


def test_page_loads_with_no_errors_and_nothing_from_outside(dash, recorder):
    dash.open()
    assert dash.page.title() == "Backprop visualizer"
    assert dash.probe()["connection"] == "live"
    assert dash.step() == 0
    # plotly.js is ours, byte for byte the vendored bundle, and nothing came from a CDN.
    plotly = f"{dash.server.url}{dash.server.app.state.static_tree.prefix}/vendor/plotly/plotly-basic.min.js"
    served = dash.page.request.get(plotly)
    assert served.ok and served.body() == (STATIC_DIR / "vendor/plotly/plotly-basic.min.js").read_bytes()
    assert dash.page.evaluate("() => typeof Plotly") == "undefined"  # not before the loss slice
    assert plotly not in recorder.urls
    dash.page.click("#tab-slice")
    dash.page.wait_for_function("() => typeof Plotly !== 'undefined' && typeof Plotly.react === 'function'")
    assert plotly in recorder.urls
    assert any(u.startswith(dash.server.ws_url + "/ws/sessions/") for u in recorder.urls)
    assert recorder.foreign_urls() == []
    assert recorder.errors == []


def test_play_moves_the_step_counter_the_loss_line_and_the_boundary(dash):
    dash.open()
    before = dash.boundary_pixels()
    assert before["width"] > 300, "the boundary should be a large square"
    dash.page.click("#play")
    dash.wait_for_step("s >= 40")
    dash.page.wait_for_function("() => document.getElementById('loss-chart').data[0].x.length >= 5")
    loss = dash.trace("loss-chart", 0)
    assert loss["name"] == "train"
    assert loss["x"] == sorted(loss["x"]) and loss["x"][-1] > loss["x"][0]
    assert loss["y"][-1] < loss["y"][0], "moons at lr 1: the training loss goes down"
    assert dash.boundary_pixels()["hash"] != before["hash"], "the boundary heatmap was repainted"
    gradient = dash.trace("gradient-chart", 0)
    assert len(gradient["x"]) >= 2 and all(v > 0 for v in gradient["y"])
    # The views: loss on a log scale, update/weight ratios instead of gradient norms.
    dash.page.check("#loss-log")
    assert dash.page.get_attribute("#loss-chart", "data-y0") == "log"
    dash.page.select_option("#gradient-view", "ratio")
    visible = dash.page.evaluate("() => document.getElementById('gradient-chart').data.map(t => t.visible)")
    assert visible == [False] * 4 + [True] * 4 + [False] * 2  # then the two layers' ‖δ‖
    dash.press("Space")  # pause from the keyboard
    dash.wait_until_paused()
    assert dash.page.text_content("#play").strip().endswith("Play")


def test_step_advances_exactly_one_step(dash):
    dash.open()
    assert dash.step() == 0
    dash.page.click("#step1")
    assert dash.wait_for_step("s >= 1") == 1
    dash.press("s")
    assert dash.wait_for_step("s >= 2") == 2
    dash.page.click("#step10")
    assert dash.wait_for_step("s >= 12") == 12
    # The server says the ten steps are done: paused, nothing more happens.
    dash.page.wait_for_function(
        "() => window.bpv?.messages.some(m => m.type === 'ok' && m.for === 'step' && m.step === 12)"
    )
    assert dash.step() == 12 and dash.probe()["status"] == "paused"
    assert dash.session_summary()["step"] == 12


def test_new_dataset_starts_a_new_session_and_learning_rate_does_not(dash):
    dash.open()
    dash.page.click("#step10")
    dash.wait_for_step("s >= 10")
    first = dash.session_id()

    dash.set_field("learning_rate", "0.5")
    dash.page.wait_for_function("() => window.bpv?.messages.some(m => m.type === 'ok' && m.for === 'set')")
    assert dash.session_id() == first and dash.step() == 10
    assert dash.session_summary()["config"]["learning_rate"] == 0.5

    dash.set_field("dataset", "circles")
    dash.page.wait_for_function(
        "(first) => window.bpv?.sessionId && window.bpv?.sessionId !== first", arg=first
    )
    dash.page.wait_for_function(FIRST_NEW_FRAME)
    assert dash.step() == 0
    config = dash.session_summary()["config"]
    assert config["dataset"]["kind"] == "circles" and config["learning_rate"] == 0.5
    assert dash.page.evaluate("() => document.getElementById('loss-chart').data[0].x.length") <= 1
    dash.page.wait_for_function("() => location.search.includes('dataset=circles')")

    dash.page.click("#step10")
    dash.wait_for_step("s >= 10")
    dash.press("r")  # reset: same session, back to step 0, the curves start again
    assert dash.wait_for_step("s === 0") == 0
    assert dash.session_summary()["config"]["dataset"]["kind"] == "circles"
    dash.page.wait_for_function(CHARTS_REACH, arg=0)  # the curves start again, from step 0 alone
    assert dash.trace("loss-chart", 0)["x"] == [0]


def test_invalid_values_show_an_error_next_to_the_control_and_lose_nothing(dash, recorder):
    recorder.expect_error("status of 422")  # Chrome logs the rejected POST; the page handles it
    dash.open()
    session = dash.session_id()

    dash.set_field("learning_rate", "-1")  # a live setting: the socket says no
    dash.page.wait_for_selector('[data-error-for="learning_rate"]:visible')
    assert "greater than 0" in dash.error_for("learning_rate")

    dash.set_field("n_samples", "2")  # a new run: the server says no, to both
    dash.page.wait_for_selector('[data-error-for="n_samples"]:visible')
    assert "greater than or equal to 4" in dash.error_for("n_samples")
    assert "greater than 0" in dash.error_for("learning_rate")
    assert dash.page.get_attribute("#f-n_samples", "aria-invalid") == "true"

    dash.set_field("hidden", "abc")  # not even a number: the page says no
    assert dash.error_for("hidden") == '"abc" is not a whole number: widths such as 8, 8, 4'

    # The run that was there is still there and still answers.
    assert dash.session_id() == session
    dash.page.click("#step1")
    assert dash.wait_for_step("s >= 1") == 1
    assert dash.probe()["connection"] == "live"

    # Put right, the form matches the run again: the learning rate goes to the same session.
    for key, value in [("n_samples", "200"), ("hidden", "5"), ("learning_rate", "0.7")]:
        dash.set_field(key, value)
    dash.page.wait_for_function("() => window.bpv?.messages.some(m => m.type === 'ok' && m.for === 'set')")
    assert dash.session_id() == session and dash.session_summary()["config"]["learning_rate"] == 0.7
    for key in ("n_samples", "hidden", "learning_rate"):
        assert dash.error_for(key) is None


def test_a_rejected_change_is_tried_again_with_the_next_change(dash, recorder):
    recorder.expect_error("status of 422")
    dash.open()
    session = dash.session_id()
    dash.set_field("hidden", "100000")
    dash.page.wait_for_selector('[data-error-for="hidden"]:visible')
    assert "1024" in dash.error_for("hidden")
    dash.set_field("hidden", "7")
    dash.page.wait_for_function("(s) => window.bpv?.sessionId !== s && window.bpv?.step === 0", arg=session)
    assert dash.session_summary()["config"]["hidden"] == 7 and dash.error_for("hidden") is None


def test_a_link_restores_its_configuration(dash):
    query = (
        "?dataset=spiral&classes=4&n_samples=240&hidden=12&activation=relu&learning_rate=0.3"
        "&optimizer=adam&seed=7"
    )
    dash.open(query)
    config = dash.session_summary()["config"]
    assert config["dataset"] == {**config["dataset"], "kind": "spiral", "classes": 4, "n_samples": 240}
    assert (
        config["hidden"],
        config["activation"],
        config["learning_rate"],
        config["optimizer"],
        config["seed"],
    ) == (12, "relu", 0.3, "adam", 7)
    assert dash.field("hidden") == "12" and dash.field("optimizer") == "adam" and dash.field("classes") == "4"
    assert dash.page.locator("#boundary-legend .legend-item").count() == 4 + 2  # classes, train, test
    assert dash.page.text_content("#weights .matrix:nth-child(3) .matrix-shape") == "4×12"
    # The page writes the whole configuration back, so the address bar is a complete link.
    dash.page.wait_for_function("() => location.search.includes('train_fraction=')")
    assert "hidden=12" in dash.url_query() and "optimizer=adam" in dash.url_query()


def test_a_link_with_a_bad_value_shows_the_error_not_a_broken_page(dash):
    dash.open("?hidden=abc&learning_rate=0.5", wait_for_frame=False)
    dash.page.wait_for_selector('[data-error-for="hidden"]:visible')
    assert "not a whole number" in dash.error_for("hidden")
    assert dash.field("learning_rate") == "0.5"
    dash.set_field("hidden", "6")
    dash.page.wait_for_function(FIRST_NEW_FRAME)
    assert dash.session_summary()["config"]["hidden"] == 6
    assert dash.error_for("hidden") is None


def test_diverged_run_shows_a_banner_with_a_way_out(dash):
    dash.open("?learning_rate=30&lam=0.1")
    assert not dash.page.is_visible("#banner")
    dash.page.click("#play")
    dash.page.wait_for_selector("#banner:visible", timeout=10_000)
    assert "lower it" in dash.page.text_content("#banner-text")
    dash.page.click("#banner-fix")
    dash.page.wait_for_selector("#banner", state="hidden")
    assert dash.field("learning_rate") == "3"
    assert dash.wait_for_step("s === 0") == 0
    assert dash.session_summary()["config"]["learning_rate"] == 3


def test_the_page_reconnects_by_itself_when_the_socket_drops(dash):
    sockets = []

    def forward(ws):
        ws.connect_to_server()
        sockets.append(ws)

    dash.page.route_web_socket("**/ws/sessions/**", forward)
    dash.open()
    session = dash.session_id()
    dash.page.click("#play")
    dash.wait_for_step("s >= 5")
    sockets[0].close(code=1011, reason="dropped by the test")
    dash.page.wait_for_function("() => window.bpv?.connection === 'reconnecting'", timeout=5_000)
    dash.page.wait_for_function("() => window.bpv?.connection === 'live'", timeout=10_000)
    frames = dash.probe()["framesDrawn"]
    dash.page.wait_for_function("(n) => window.bpv?.framesDrawn > n + 3", arg=frames)
    assert len(sockets) == 2 and dash.session_id() == session
    # The curves were redrawn from the history the server sent with its new hello.
    loss = dash.trace("loss-chart", 0)
    assert loss["x"][0] <= 1 and loss["x"][-1] >= 5
    assert dash.page.text_content("#connection .connection-text") == "live"


@pytest.mark.parametrize("width,height", [(1920, 1080), (1366, 768)])
def test_screenshot_while_training_fits_the_screen(browser, recorder, live_server, width, height):
    context = new_context(browser, width, height)
    page = open_page(context, recorder)
    try:
        dash = Dashboard(page, live_server).open("?dataset=moons&hidden=8&steps_per_second=150")
        page.click("#play")
        dash.wait_for_step("s >= 150")
        page.wait_for_function("() => document.getElementById('loss-chart').data[0].x.length >= 20")
        shown = dash.step()
        page.wait_for_function(CHARTS_REACH, arg=shown)  # the charts' last batch, up to that step
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"page-{width}x{height}.png"))
        tabs = page.evaluate("""() => {
            const nav = document.getElementById('inspector-tabs').getBoundingClientRect();
            return [...document.querySelectorAll('#inspector-tabs [role=tab]')].map(t => {
                const r = t.getBoundingClientRect();
                return [t.textContent, r.top, r.left >= nav.left - 1 && r.right <= nav.right + 1]; }); }""")
        boxes = page.evaluate("""() => [
            ...document.querySelectorAll('.panel, .panel .main-svg, #boundary-heat')]
            .map(e => { const r = e.getBoundingClientRect();
                        const p = e.closest('.panel').getBoundingClientRect();
                        return {name: e.className.baseVal ?? e.className,
                                r: [r.left, r.top, r.right, r.bottom],
                                panel: [p.left, p.top, p.right, p.bottom]}; })""")
    finally:
        context.close()
    for box in boxes:
        left, top, right, bottom = box["r"]
        assert 0 <= left and right <= width and 0 <= top and bottom <= height, f"{box['name']} is off screen"
        p_left, p_top, p_right, p_bottom = box["panel"]
        assert p_left <= left + 1 and right <= p_right + 1 and p_top <= top + 1 and bottom <= p_bottom + 1, (
            f"{box['name']} spills out of its panel"
        )
    assert len(tabs) >= 8 and len({round(top) for _, top, _ in tabs}) == 1, f"the tabs wrap: {tabs}"
    assert all(inside for _, _, inside in tabs), f"a tab is cut off: {tabs}"
    heat = next(b for b in boxes if "boundary-heat" in str(b["name"]))
    assert heat["r"][2] - heat["r"][0] >= 0.3 * height, (
        "the decision boundary is the biggest thing on the page"
    )
    assert recorder.unexpected_errors() == [] and recorder.foreign_urls() == []


def test_a_run_that_fails_says_so_and_offers_reset_only(dash):
    dash.open()
    session = dash.server.app.state.registry.get(dash.session_id())
    with session.player.lock:  # a run whose next step raises, as a crafted saved run once could
        session.run.snapshots.record(10**9, session.run.params)
    dash.page.click("#play")
    dash.page.wait_for_selector("#banner:visible", timeout=10_000)
    assert dash.page.text_content("#banner-title") == "The run stopped."
    assert "Training stopped at step 1" in dash.page.text_content("#banner-text")
    assert not dash.page.is_visible("#banner-fix")  # a lower learning rate would not help
    dash.page.click("#banner-reset")
    dash.page.wait_for_selector("#banner", state="hidden")
    dash.page.click("#play")
    assert dash.wait_for_step("s >= 5") >= 5
