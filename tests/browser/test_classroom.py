"""Classroom and exploration in a real browser: a share link that watches read-only, the
timeline, presets that teach, points drawn by clicking, the hidden space, the loss along the
gradient, and presentation mode at projector size."""

from __future__ import annotations

import httpx
import pytest

from .conftest import SCREENSHOTS, Recorder, new_context, open_page
from .dashboard import Dashboard, api

pytestmark = pytest.mark.browser

# The first frame of a new session has been drawn.
FIRST_NEW_FRAME = """(old) => {
  const p = window.bpv || {};
  return p.sessionId !== old && p.step === 0 && p.framesDrawn;
}"""

# The colour of the boundary heatmap at grid points given as fractions of the plot square
# (fx from the left, fy from the bottom), in device pixels.
HEAT_AT = """(points) => {
  const c = document.getElementById('boundary-heat');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  return points.map(([fx, fy]) => {
    const x = Math.round(fx * (c.width - 1)), y = Math.round((1 - fy) * (c.height - 1));
    const o = (y * c.width + x) * 4;
    return [d[o], d[o + 1], d[o + 2]];
  });
}"""


# The server answered each of these controls of a watcher with an error (it only refuses them).
REFUSED = "(kinds) => kinds.every(k => window.bpv?.messages.some(m => m.type === 'error' && m.for === k))"

# Both line charts have drawn the step the page shows (their redraws lag the frames a little).
CHARTS_AT_STEP = """() => ['loss-chart', 'gradient-chart'].every(id => {
  const x = document.getElementById(id).data[0].x;
  return x.length && x[x.length - 1] >= window.bpv?.step;
})"""

HEAT_BOX = "e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }"


def step_to(dash: Dashboard, target: int) -> None:
    while dash.step() < target:
        before = dash.step()
        dash.page.click("#step10")
        dash.wait_for_step(f"s >= {before + 10}")


def argmax_grid(grid: dict) -> list[tuple[float, float, int, float]]:
    """(fx, fy, class, margin) at every grid point: fractions of the box, the winning class of two,
    and how sure it is (|p0 - p1|)."""
    G = grid["G"]
    out = []
    for i, row in enumerate(grid["probabilities"]):
        for j, p in enumerate(row):
            out.append((j / (G - 1), i / (G - 1), int(p[1] > p[0]), abs(p[1] - p[0])))
    return out


def painted_classes(dash: Dashboard, cells) -> list[int | None]:
    """The class the boundary's pixel at each cell is tinted with (orange 0, blue 1), or None when
    it is too pale to say (near the boundary)."""
    colours = dash.page.evaluate(HEAT_AT, [[fx, fy] for fx, fy, *_ in cells])
    return [None if abs(r - b) < 40 else int(b > r) for r, _, b in colours]


# ---- classroom: a share link watches, and cannot drive ------------------------------------


def test_a_viewer_link_follows_the_driver_and_is_refused_control(dash, browser, live_server):
    dash.open()
    session = dash.session_id()
    dash.page.click("#share")
    link = dash.page.input_value("#share-link")
    assert link == f"{live_server.url}/?watch={session}"  # the session id, and never the token
    # served on 127.0.0.1: the dialog says the link works on this computer only, and how to serve a class
    assert "--host 0.0.0.0" in dash.page.text_content("#share-panel .share-local")

    viewer_recorder = Recorder()
    context = new_context(browser, 1920, 1080)
    try:
        viewer = Dashboard(open_page(context, viewer_recorder), live_server)
        viewer.page.goto(link)
        viewer.page.wait_for_function("() => window.bpv && window.bpv?.framesDrawn > 0", timeout=15_000)
        assert viewer.probe()["role"] == "viewer" and viewer.session_id() == session
        assert viewer.page.is_visible("#watching")
        for control in ("#play", "#step1", "#reset", "#f-learning_rate", "#f-dataset", "#draw-toggle"):
            assert viewer.page.is_disabled(control), f"{control} should be disabled for a watcher"
        assert not viewer.page.is_visible("#play"), "a watcher has no transport buttons"
        sockets = [u for u in viewer_recorder.urls if u.startswith("ws")]
        assert sockets == [f"{live_server.ws_url}/ws/sessions/{session}"], "a watcher's socket has no token"

        # The driver sees one watcher; the watcher sees what the driver does, step for step.
        dash.page.wait_for_function("() => document.getElementById('viewers').dataset.count === '1'")
        assert dash.page.text_content("#viewers") == "1 watching"
        dash.page.click("#step10")
        assert viewer.wait_for_step("s === 10") == 10
        dash.page.click("#play")
        viewer.wait_for_step("s >= 40")
        dash.page.click("#play")  # pause
        dash.wait_until_paused()
        viewer.wait_until_paused()
        final = dash.session_summary()["step"]  # paused: the step the run stays at
        assert dash.wait_for_step(f"s === {final}") == final
        assert viewer.wait_for_step(f"s === {final}") == final

        # The driver's live settings reach the watcher's (disabled) form through the frames.
        dash.set_field("lam", "0.02")
        dash.set_field("optimizer", "momentum")
        viewer.page.wait_for_function(
            "() => document.getElementById('f-optimizer').value === 'momentum'"
            " && Number(document.getElementById('f-lam').value) === 0.02",
            timeout=10_000,
        )
        assert viewer.page.is_disabled("#f-lam")

        SCREENSHOTS.mkdir(exist_ok=True)
        viewer.page.screenshot(path=str(SCREENSHOTS / "viewer-1920x1080.png"))

        # A watcher who presses a key, or forces the disabled button, is refused by the server.
        viewer.press("s")
        viewer.page.eval_on_selector("#play", "b => { b.disabled = false; b.click(); }")
        viewer.page.wait_for_selector('[data-error-for="general"]:visible')
        assert "driver" in viewer.error_for("general")
        viewer.page.wait_for_function(REFUSED, arg=["step", "play"])  # both answered, both refused
        summary = dash.session_summary()
        assert summary["step"] == final and summary["status"] == "paused"
        assert dash.step() == final and viewer.step() == final

        # The driver starts a new run (new data): the watcher follows it, still read-only.
        dash.page.select_option("#f-dataset", "circles")
        dash.page.wait_for_function(
            f"() => window.bpv?.sessionId && window.bpv?.sessionId !== {session!r}", timeout=15_000
        )
        successor = dash.session_id()
        viewer.page.wait_for_function(f"() => window.bpv?.sessionId === {successor!r}", timeout=15_000)
        assert viewer.probe()["role"] == "viewer" and f"watch={successor}" in viewer.page.url
        dash.page.wait_for_function("() => document.getElementById('viewers').dataset.count === '1'")

        viewer.page.close(run_before_unload=False)
    finally:
        context.close()
    # The watcher left: the count goes down, and the run is still there (a watcher never deletes it).
    dash.page.wait_for_function("() => document.getElementById('viewers').dataset.count === '0'")
    assert httpx.get(f"{live_server.url}/api/sessions/{successor}").status_code == 200
    assert viewer_recorder.unexpected_errors() == [] and viewer_recorder.foreign_urls() == []


# ---- the timeline ----------------------------------------------------------------------------


def test_scrubbing_back_shows_that_steps_boundary_until_back_to_live(dash):
    dash.open()
    step_to(dash, 60)
    past = argmax_grid(api(dash, "grid", G=25, at_step=5))
    now = argmax_grid(api(dash, "grid", G=25))
    assert api(dash, "timeline")["steps"][:6] == [0, 1, 2, 3, 4, 5]

    dash.page.fill("#timeline-range", "5")
    dash.page.wait_for_function("() => window.bpv?.atStep === 5")
    assert dash.page.text_content("#past-badge") == "step 5 (past)"
    assert "(past)" in dash.page.text_content("#timeline-readout")
    painted = painted_classes(dash, past)
    sure = [(c, p) for (*_, c, m), p in zip(past, painted) if m > 0.3 and p is not None]
    assert len(sure) > 300 and sum(c == p for c, p in sure) >= 0.97 * len(sure), "the boundary of step 5"
    # Where step 5 and step 60 disagree, the page shows step 5.
    differ = [
        (c5, p)
        for (*_, c5, m5), (*_, c60, m60), p in zip(past, now, painted)
        if c5 != c60 and m5 > 0.3 and m60 > 0.3
    ]
    assert len(differ) >= 10, "steps 5 and 60 have different boundaries"
    assert sum(c5 == p for c5, p in differ) >= 0.9 * len(differ)

    # The run goes on (scrubbing pauses nothing), but the view stays at step 5 until told.
    pixels = dash.boundary_pixels()["hash"]
    dash.page.click("#step10")
    dash.page.wait_for_selector("#timeline-readout:has-text('of 70')")
    assert dash.session_summary()["step"] == 70 and dash.boundary_pixels()["hash"] == pixels

    dash.page.click("#timeline-live")
    dash.page.wait_for_function("() => window.bpv?.atStep === null")
    assert not dash.page.is_visible("#past-badge")
    live = argmax_grid(api(dash, "grid", G=25))
    painted = painted_classes(dash, live)
    sure = [(c, p) for (*_, c, m), p in zip(live, painted) if m > 0.3 and p is not None]
    assert sum(c == p for c, p in sure) >= 0.97 * len(sure), "back to the live boundary"


# ---- presets ---------------------------------------------------------------------------------


def test_each_preset_loads_with_one_click_and_trains(dash):
    presets = httpx.get(f"{dash.server.url}/api/presets").json()
    dash.open()
    dash.page.click("#tab-lessons")
    for preset in presets:
        card = dash.page.locator(f'[data-preset="{preset["name"]}"]')
        text = card.text_content()
        assert preset["title"] in text and preset["description"] in text  # what it teaches, visible
        old = dash.session_id()
        card.click()
        dash.page.wait_for_function(FIRST_NEW_FRAME, arg=old, timeout=15_000)
        assert dash.session_summary()["config"] == preset["config"]
        assert card.get_attribute("aria-current") == "true"
        assert dash.page.text_content("#preset-about") == preset["description"]
        first_loss = float(dash.page.text_content('[data-status="train-loss"]'))
        if preset["name"] in ("lr-too-high", "relu-exploding"):  # each diverges: that is its lesson
            dash.page.click("#play")
            dash.page.wait_for_selector("#banner:visible", timeout=10_000)
            assert "lower it" in dash.page.text_content("#banner-text")
            continue
        step_to(dash, 40)
        loss = float(dash.page.text_content('[data-status="train-loss"]'))
        assert loss < first_loss, f"{preset['name']}: the loss falls ({first_loss} -> {loss})"


# ---- your own points -------------------------------------------------------------------------


def test_clicks_add_points_and_a_right_click_removes_one(dash):
    dash.open()
    before = api(dash, "export")["points"]
    n = len(before["x"])
    x0, x1, y0, y1 = api(dash, "grid", G=2)["box"]
    dash.page.click("#draw-toggle")
    dash.page.click('.class-choice[data-class="1"]')
    heat = dash.page.eval_on_selector("#boundary-heat", HEAT_BOX)

    def click_at(fx: float, fy: float, shift: bool = False, **options) -> None:
        if shift:
            dash.page.keyboard.down("Shift")
        dash.page.mouse.click(heat[0] + fx * heat[2], heat[1] + (1 - fy) * heat[3], **options)
        if shift:
            dash.page.keyboard.up("Shift")

    def next_points_message(action) -> dict:
        """Do `action`, then the 'points' message the server sends for it."""
        seen = dash.page.evaluate("() => window.bpv?.messages.filter(m => m.type === 'points').length")
        action()
        dash.page.wait_for_function(
            "(n) => window.bpv?.messages.filter(m => m.type === 'points').length > n", arg=seen
        )
        return dash.page.evaluate("() => window.bpv?.messages.filter(m => m.type === 'points').pop()")

    frames = dash.probe()["framesDrawn"]  # paused: the next frame is the one the edit makes
    added = next_points_message(lambda: click_at(0.1, 0.9))  # top left: orange's side, no point near
    assert len(added["points"]["x"]) == n + 1
    px, py, label = added["points"]["x"][-1], added["points"]["y"][-1], added["points"]["label"][-1]
    assert label == 1 and n in added["points"]["train"]
    assert px == pytest.approx(x0 + 0.1 * (x1 - x0), abs=0.02 * (x1 - x0))
    assert py == pytest.approx(y0 + 0.9 * (y1 - y0), abs=0.02 * (y1 - y0))

    # The next frame draws it: a class-1 (blue) marker where the point is, in the new box.
    dash.page.wait_for_function("(n) => window.bpv?.framesDrawn > n", arg=frames)
    bx0, bx1, by0, by1 = added["box"]
    colour = dash.page.evaluate(
        """([fx, fy]) => {
            const heat = document.getElementById('boundary-heat').getBoundingClientRect();
            const overlay = document.querySelector('.boundary-overlay');
            const o = overlay.getBoundingClientRect(), ratio = overlay.width / o.width;
            const x = Math.round((heat.left - o.left + fx * heat.width) * ratio);
            const y = Math.round((heat.top - o.top + (1 - fy) * heat.height) * ratio);
            return [...overlay.getContext('2d').getImageData(x, y, 1, 1).data];
        }""",
        [(px - bx0) / (bx1 - bx0), (py - by0) / (by1 - by0)],
    )
    assert colour[:3] == [0, 114, 178] and colour[3] == 255, "a blue (class 1) marker on the new point"

    # Shift-click: the next class. Right-click on the first new point: gone.
    heat = dash.page.eval_on_selector("#boundary-heat", HEAT_BOX)  # the box may have grown
    shifted = next_points_message(lambda: click_at(0.9, 0.1, shift=True))
    assert len(shifted["points"]["x"]) == n + 2 and shifted["points"]["label"][-1] == 0
    bx0, bx1, by0, by1 = shifted["box"]
    fx, fy = (px - bx0) / (bx1 - bx0), (py - by0) / (by1 - by0)
    removed = next_points_message(lambda: click_at(fx, fy, button="right"))
    kept = list(zip(removed["points"]["x"], removed["points"]["y"]))
    assert (px, py) not in kept and len(kept) == n + 1
    assert dash.session_summary()["config"]["dataset"]["kind"] == "points"
    assert len(api(dash, "export")["points"]["x"]) == n + 1


# ---- hidden space and the loss along the gradient, at projector size -------------------------


def test_hidden_space_and_loss_slice_follow_the_run(browser, recorder, live_server):
    context = new_context(browser, 1920, 1080)
    page = open_page(context, recorder)
    try:
        dash = Dashboard(page, live_server).open("?hidden=2&learning_rate=1")
        step_to(dash, 100)
        page.click("#tab-hidden")
        page.wait_for_function("() => document.getElementById('tab-body-hidden').dataset.step === '100'")
        assert page.get_attribute("#tab-body-hidden", "data-exact") == "true"  # H = 2: nothing projected away
        assert "exact" in page.text_content("#hidden-projection")
        drawn = page.evaluate("""() => { const c = document.getElementById('hidden-canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i + 3] && (d[i] !== d[i + 2])) n++; return n; }""")
        assert drawn > 10_000, "the hidden space is painted (points, grid, the output layer's decision)"
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "hidden-space-1920x1080.png"))

        page.click("#tab-slice")
        page.wait_for_function("() => document.getElementById('tab-body-slice').dataset.step === '100'")
        expected = api(dash, "loss-slice", t_max=3.0, points=81)
        drawn = page.eval_on_selector("#slice-chart", "c => [c.data[0].x, c.data[0].y]")
        assert drawn[0] == pytest.approx(expected["t"]) and drawn[1] == pytest.approx(expected["loss"])
        assert page.text_content("#slice-verdict").startswith("One step (t = 1)")

        # Back at step 0 with learning rate 30, the step lands higher than it starts, and the page says so.
        dash.press("r")
        dash.wait_for_step("s === 0")
        dash.set_field("learning_rate", "30")
        page.wait_for_selector('#tab-body-slice[data-overshoots="true"]')
        assert page.text_content("#slice-verdict").startswith("Overshoots")
        page.wait_for_function("() => document.getElementById('slice-chart').data[0].x.slice(-1)[0] === 90")
        page.screenshot(path=str(SCREENSHOTS / "loss-slice-1920x1080.png"))
    finally:
        context.close()
    assert recorder.unexpected_errors() == [] and recorder.foreign_urls() == []


def test_presentation_mode_fills_a_projector_with_large_type(browser, recorder, live_server):
    width, height = 1920, 1080
    context = new_context(browser, width, height)
    page = open_page(context, recorder)
    try:
        dash = Dashboard(page, live_server).open("?present=1&hidden=8&steps_per_second=300")
        page.click("#play")
        dash.wait_for_step("s >= 200")
        page.click("#play")
        dash.wait_until_paused()
        page.wait_for_function("() => document.getElementById('loss-chart').data[0].x.length >= 10")
        page.wait_for_function(CHARTS_AT_STEP)  # paused: the charts' last batch is drawn
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "present-1920x1080.png"))
        sizes = page.evaluate("""() => {
          const panels = [...document.querySelectorAll('.panel')].map(p => p.getBoundingClientRect());
          return {
            body: parseFloat(getComputedStyle(document.body).fontSize),
            number: parseFloat(getComputedStyle(document.querySelector('[data-status=train-loss]')).fontSize),
            heat: document.getElementById('boundary-heat').getBoundingClientRect().width,
            rows: [document.getElementById('play'), document.getElementById('present-leave')]
                .map(e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; }),
            tabs: [...document.querySelectorAll('#inspector-tabs [role=tab]')].filter(t => t.offsetParent)
                .map(t => t.textContent),
            gradients: Number(document.getElementById('gradient-chart').dataset.plotHeight),
            right: Math.max(...panels.map(p => p.right)),
            bottom: Math.max(...panels.map(p => p.bottom)),
          };
        }""")
        assert not page.is_visible("#controls"), "no form in presentation mode"
        assert sizes["body"] >= 24 and sizes["number"] >= 30, "type readable from the back of a room"
        assert sizes["heat"] >= 0.6 * height, "the decision boundary fills most of the height"
        play, leave = sizes["rows"]
        assert play["bottom"] > 0 and leave["top"] < play["bottom"], "the top bar stays one line"
        assert sizes["right"] <= width and sizes["bottom"] <= height, "nothing off screen"
        assert sizes["tabs"] == ["Weights and gradients"], "only the open view's name, no cut-off tabs"
        assert sizes["gradients"] >= 120, "the gradient magnitudes' plot area has room for its log axis"

        page.click("#present-leave")  # and back: the form returns, the link forgets the flag
        assert page.is_visible("#controls")
        page.wait_for_function("() => !location.search.includes('present=1')")
        page.keyboard.press("p")
        page.wait_for_function(
            "() => document.body.classList.contains('presenting') && location.search.includes('present=1')"
        )
    finally:
        context.close()
    assert recorder.unexpected_errors() == [] and recorder.foreign_urls() == []
