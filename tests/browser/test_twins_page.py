"""The compare page in a real browser: two runs forked from one past, side by side. Both
boundaries are drawn (pixels on both canvases, different once the runs diverge), the loss chart
has both runs' curves, one play/pause drives both and their step counters agree when paused, a
viewer without the token sees the same and has no controls, and axe finds nothing serious at a
projector's size or a phone's."""

from __future__ import annotations

from xml.etree import ElementTree

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import SCREENSHOTS, open_page

pytestmark = pytest.mark.browser

SIDES = ("left", "right")
FORK_STEP = 20

# The side's boundary canvas: its size, how many pixels are painted (alpha > 0), and a digest.
SIDE_PIXELS = """(key) => {
  const c = document.getElementById(`${key}-boundary-heat`);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0, painted = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 0) painted += 1;
    h = (h * 31 + d[i] * 7 + d[i + 1] * 3 + d[i + 2]) >>> 0;
  }
  return {hash: h, painted, pixels: c.width * c.height, width: c.width, height: c.height};
}"""

# The loss chart's lines as drawn: { name: [x...] }.
LOSS_LINES = """() => Object.fromEntries(document.getElementById('twins-loss-chart').data
  .map((t) => [t.name, [...t.x]]))"""

BOTH_AT = "(s) => window.bpv.sides.left.step === s && window.bpv.sides.right.step === s"
BOTH_DRAWN = (
    "() => window.bpv?.sides && window.bpv.sides.left.frames > 0 && window.bpv.sides.right.frames > 0"
)


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def twins(live_server):
    """Twins of a run trained to FORK_STEP, the right one at a tenth of the learning rate; ended
    (and both runs deleted) after the test."""
    with httpx.Client(base_url=live_server.url) as api:
        parent = api.post("/api/sessions", json={"learning_rate": 1.0}).json()
        api.post(f"/api/sessions/{parent['id']}/step", json={"n": FORK_STEP}, headers=auth(parent["token"]))
        made = api.post(
            f"/api/sessions/{parent['id']}/twins", json={"at_step": None, "changes": {"learning_rate": 0.1}}
        )
        assert made.status_code == 201, made.text
        created = made.json()
        yield created
        api.delete(f"/api/twins/{created['id']}", headers=auth(created["token"]))
        for run in (created["left"], created["right"], parent):
            api.delete(f"/api/sessions/{run['id']}", headers=auth(run["token"]))


def driver_link(server, created: dict) -> str:
    fragment = f"token={created['token']}&left={created['left']['token']}&right={created['right']['token']}"
    return f"{server.url}/twins/{created['id']}#{fragment}"


def side_steps(page) -> tuple[int, int]:
    return tuple(page.evaluate("() => [window.bpv.sides.left.step, window.bpv.sides.right.step]"))


def test_both_boundaries_and_both_loss_curves_and_one_play_drives_both(page, live_server, twins):
    page.goto(driver_link(live_server, twins))
    page.wait_for_function(BOTH_DRAWN, timeout=15_000)
    assert "#" not in page.url, "the tokens left the address bar"
    assert page.is_visible("#play") and page.is_visible("#alone-left") and page.is_visible("#alone-right")
    assert page.text_content("#twins-title") == twins["title"]
    assert "η = 1" in page.text_content("#left-title") and "η = 0.1" in page.text_content("#right-title")
    before = {key: page.evaluate(SIDE_PIXELS, key) for key in SIDES}
    for key in SIDES:
        assert before[key]["painted"] == before[key]["pixels"] > 0, f"the {key} boundary is painted"
    assert before["left"] == before["right"], "at the fork step the two are one network"

    page.click("#play")
    page.wait_for_function(f"() => window.bpv.sides.left.step >= {FORK_STEP + 40}", timeout=15_000)
    page.click("#play")  # pause
    with httpx.Client(base_url=live_server.url) as api:
        paused = api.get(f"/api/twins/{twins['id']}").json()
    assert paused["status"] == "paused"
    assert paused["left"]["step"] == paused["right"]["step"] > FORK_STEP + 40
    step = paused["left"]["step"]
    page.wait_for_function(BOTH_AT, arg=step)
    assert page.text_content("#twins-step") == str(step), "one step counter, the steps agreeing"
    assert page.get_attribute("#play", "aria-pressed") == "false"

    after = {key: page.evaluate(SIDE_PIXELS, key) for key in SIDES}
    assert after["left"]["hash"] != after["right"]["hash"], "the runs diverged: their boundaries differ"
    lines = page.evaluate(LOSS_LINES)
    for key in SIDES:
        assert lines[f"{key} train"][0] <= FORK_STEP and lines[f"{key} train"][-1] == step
    assert max(lines["before the fork"]) <= FORK_STEP
    page.wait_for_function(f"() => window.bpv.distanceStep === {step}")
    distances = page.evaluate(
        "() => document.getElementById('twins-distance-chart').data.map((t) => t.y[t.y.length - 1])"
    )
    assert len(distances) == 2 and all(d > 0 for d in distances), "W1 and W2 apart after the fork"

    page.click("#reset")  # both back to the fork step: their lines after it are gone
    page.wait_for_function(BOTH_AT, arg=FORK_STEP)
    page.wait_for_function(f"() => window.bpv.distanceStep === {FORK_STEP}")
    lines = page.evaluate(LOSS_LINES)
    assert max(lines["left train"]) == max(lines["right train"]) == FORK_STEP
    assert page.evaluate(SIDE_PIXELS, "left") == page.evaluate(SIDE_PIXELS, "right"), "one network again"


def test_a_viewer_sees_both_runs_and_has_no_controls(browser, recorder, live_server, twins):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = open_page(context, recorder)
        page.goto(f"{live_server.url}/twins/{twins['id']}")
        page.wait_for_function(BOTH_DRAWN, timeout=15_000)
        assert page.evaluate("() => window.bpv.role") == "viewer"
        assert page.is_hidden("#play") and page.is_hidden("#step1") and page.is_hidden("#reset")
        assert page.is_hidden("#alone-left") and page.is_hidden("#alone-right")
        assert page.is_visible("#watching")
        page.keyboard.press(" ")  # the driver's key: nothing happens here
        page.click("#share")
        assert page.input_value("#share-link").endswith(f"/twins/{twins['id']}")
        assert "only works on this computer" in page.text_content(".share-local")
        assert page.is_hidden("#driver-link-section"), "a viewer is given no driver link"
        for key in SIDES:
            pixels = page.evaluate(SIDE_PIXELS, key)
            assert pixels["painted"] == pixels["pixels"] > 0
        with httpx.Client(base_url=live_server.url) as api:
            assert api.get(f"/api/twins/{twins['id']}").json()["status"] == "paused"
    finally:
        context.close()
    assert recorder.unexpected_errors() == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("size", "viewport", "query"),
    [("projector", (1280, 720), ""), ("phone", (390, 844), ""), ("present", (1280, 720), "?present=1")],
)
def test_axe_finds_nothing_serious_on_the_compare_page(
    browser, recorder, live_server, twins, size, viewport, query
):
    width, height = viewport
    phone = size == "phone"
    viewport = {"width": width, "height": height}
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    context.set_default_timeout(10_000)
    try:
        page = open_page(context, recorder)
        page.goto(driver_link(live_server, twins).replace("#", f"{query}#"))
        page.wait_for_function(BOTH_DRAWN, timeout=15_000)
        page.click("#step10")
        page.wait_for_function(f"() => window.bpv.sides.right.step === {FORK_STEP + 10}")
        page.wait_for_function(f"() => window.bpv.distanceStep === {FORK_STEP + 10}")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"twins-{size}.png"), full_page=phone)
        results = Axe().run(page).response
        serious = [
            (v["id"], [n["target"] for n in v["nodes"]][:5])
            for v in results["violations"]
            if v["impact"] in ("critical", "serious") or v["id"] == "region"
        ]
        assert serious == []
        if phone:  # the two runs stacked, each boundary the screen's width
            boxes = [page.locator(f"#{key}-boundary").bounding_box() for key in SIDES]
            assert boxes[0]["y"] + boxes[0]["height"] <= boxes[1]["y"]
            assert all(b["width"] >= 370 for b in boxes)
        else:  # side by side, both on the first screen
            boxes = [page.locator(f"#{key}-boundary").bounding_box() for key in SIDES]
            assert boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"]
            assert all(b["y"] + b["height"] <= height for b in boxes)
    finally:
        context.close()
    assert recorder.unexpected_errors() == []


def test_drive_one_run_alone_ends_the_twinning_and_drives_it_on_the_main_page(page, live_server, twins):
    page.goto(driver_link(live_server, twins))
    page.wait_for_function(BOTH_DRAWN, timeout=15_000)
    page.click("#alone-left")
    page.wait_for_url(f"**/?drive={twins['left']['id']}*")
    page.wait_for_function(
        "() => window.bpv?.framesDrawn > 0 && window.bpv.role === 'driver'", timeout=15_000
    )
    assert page.evaluate("() => window.bpv.sessionId") == twins["left"]["id"]
    with httpx.Client(base_url=live_server.url) as api:
        assert api.get(f"/api/twins/{twins['id']}").status_code == 404, "the twinning ended"
        page.click("#step10")  # the main page's own control, on the run alone now
        page.wait_for_function(f"() => window.bpv.step === {FORK_STEP + 10}")
        assert api.get(f"/api/sessions/{twins['right']['id']}").json()["step"] == FORK_STEP


def test_the_keys_drive_both_and_an_unknown_pair_is_said_in_words(page, live_server, twins, recorder):
    page.goto(driver_link(live_server, twins))
    page.wait_for_function(BOTH_DRAWN, timeout=15_000)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(BOTH_AT, arg=FORK_STEP + 1)
    page.keyboard.press(" ")
    page.wait_for_function(f"() => window.bpv.sides.left.step > {FORK_STEP + 5}")
    page.keyboard.press(" ")
    page.wait_for_function("() => document.getElementById('play').getAttribute('aria-pressed') === 'false'")

    recorder.expect_error("status of 404")
    page.goto(f"{live_server.url}/twins/no-such-pair")
    page.wait_for_function("() => !document.getElementById('twins-error').hidden")
    assert "do not exist" in page.text_content("#twins-error")


def test_the_compare_page_is_served_as_the_main_page_is(live_server):
    with httpx.Client(base_url=live_server.url) as api:
        page = api.get("/twins/Some_pair-1")
        assert page.status_code == 200
        assert "script-src 'self';" in page.headers["content-security-policy"]
        assert page.headers["cache-control"] == "no-cache"
        prefix = api.get("/").text.split('src="')[1].split("/app.js")[0]
        assert f'src="{prefix}/twins.js"' in page.text, "its module under the static tree's hash"
        again = api.get("/twins/Some_pair-1", headers={"If-None-Match": page.headers["etag"]})
        assert again.status_code == 304
        assert api.get("/twins/" + "x" * 65).status_code == 422
        assert api.get("/twins/bad.id").status_code == 422


def test_when_one_run_diverges_the_page_says_so_and_the_other_goes_on(page, live_server):
    with httpx.Client(base_url=live_server.url) as api:
        parent = api.post("/api/sessions", json={"learning_rate": 2.0}).json()
        api.post(f"/api/sessions/{parent['id']}/step", json={"n": FORK_STEP}, headers=auth(parent["token"]))
        changes = {"learning_rate": 100, "lam": 0.1}  # each step multiplies W by 1 - 100 * 0.1
        created = api.post(f"/api/sessions/{parent['id']}/twins", json={"changes": changes}).json()
        try:
            page.goto(driver_link(live_server, created))
            page.wait_for_function(BOTH_DRAWN, timeout=15_000)
            page.click("#play")
            page.wait_for_function("() => !document.getElementById('right-status').hidden")
            assert "diverged" in page.text_content("#right-status")
            assert page.is_hidden("#left-status")
            right = api.get(f"/api/sessions/{created['right']['id']}").json()
            page.wait_for_function(f"() => window.bpv.sides.left.step > {right['step'] + 20}")
            page.click("#play")
            assert page.text_content("#twins-step").endswith(f" · {right['step']}"), "both steps shown"
        finally:
            api.delete(f"/api/twins/{created['id']}", headers=auth(created["token"]))
            for run in (created["left"], created["right"], parent):
                api.delete(f"/api/sessions/{run['id']}", headers=auth(run["token"]))


def test_the_compare_page_exports_both_runs_as_one_svg(page, live_server, twins, tmp_path):
    """Export → Compare SVG on the compare page: one XML document with both runs' boundaries,
    every point of each drawn, and both runs' loss curves."""
    page.goto(driver_link(live_server, twins))
    page.wait_for_function(BOTH_DRAWN, timeout=15_000)
    page.click("#export-open")
    with page.expect_download() as download:
        page.click("#export-compare-svg")
    path = tmp_path / "compare.svg"
    download.value.save_as(path)
    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    with httpx.Client(base_url=live_server.url) as api:
        points = len(api.get(f"/api/sessions/{twins['left']['id']}/export").json()["points"]["label"])
    marks = [e for e in root.iter() if "point" in (e.get("class") or "").split()]
    assert len(marks) == 2 * points, "each boundary with every point of its run"
    text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert f"step {FORK_STEP}" in text
