"""The passes animated on the network diagram: Backprop steps through the backward pass of a deep
run, each stage's caption and lit links the server's (GET .../pass), the derivation told which
lines to light; the forward pass the same; play, reduced motion, the keyboard; a link edited from
the keyboard; and the pictures a teacher shows (test-output/backprop-*.png)."""

from __future__ import annotations

import re

import httpx
import numpy as np
import pytest

from .conftest import SCREENSHOTS, new_context, open_page
from .dashboard import Dashboard
from .test_presets_show import choose_preset

pytestmark = pytest.mark.browser

# Every "bpv:derivation-highlight" the page dispatches, kept on window for the test to read.
LISTEN = """() => { window.__highlights = [];
  document.addEventListener('bpv:derivation-highlight', (e) => window.__highlights.push(e.detail)); }"""

LIT = """() => ({
  links: (window.bpv.networkLinks ?? []).filter((l) => l.state === 'lit').map((l) => ({
    name: l.name, index: l.index, width: l.width })),
  units: [...document.querySelectorAll('#network-diagram .network-node.is-lit')].map((n) => n.dataset.key),
  values: [...document.querySelectorAll('#network-diagram .network-value')].map((t) => t.textContent),
})"""


def rest_pass(dash: Dashboard, **query) -> dict:
    reply = httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/pass", params=query)
    assert reply.status_code == 200, reply.text
    return reply.json()


def stage_shown(page, i: int) -> None:
    """Stage i is the bar's and the diagram has drawn it (at the next animation frame)."""
    page.wait_for_selector(f'#pass-bar[data-stage="{i}"]')
    page.wait_for_selector(f'.network-view[data-lit-stage="{i}"]')


def open_backprop(dash: Dashboard, query: str = "?hidden=4,3") -> None:
    dash.open(query)
    dash.page.click("#step10")
    dash.wait_for_step("s >= 10")
    dash.page.click("#tab-network")
    dash.page.wait_for_selector("#network-diagram .network-hit")
    dash.page.evaluate(LISTEN)
    dash.page.click("#pass-backward")
    stage_shown(dash.page, 0)


def test_backprop_steps_through_a_deep_runs_backward_pass_as_the_server_sends_it(dash):
    open_backprop(dash)
    page = dash.page
    step = int(page.get_attribute("#pass-bar", "data-step"))
    want = rest_pass(dash, direction="backward", at_step=step)
    stages = want["stages"]
    assert page.text_content("#pass-counter") == f"stage 1 of {len(stages)}"  # 2 hidden layers: 8
    assert len(stages) == 2 * 2 + 4
    assert page.text_content("#pass-step") == f"at step {step}, all {want['N']} training points"
    for i, stage in enumerate(stages):
        if i:
            page.focus("#pass-next")
            page.keyboard.press("ArrowRight")
            stage_shown(page, i)
        assert page.text_content("#pass-caption") == stage["caption"]
        assert page.get_attribute("#pass-equation", "data-text") == stage["text"]
        detail = page.evaluate("() => window.__highlights.at(-1)")
        assert detail == {"form": "batch", "n": None, "stages": stage["derivation"]}
        lit = page.evaluate(LIT)
        if stage["links"]:
            links = stage["links"]
            assert len(lit["links"]) == len(links["rows"]) * len(links["cols"])  # every weight of W(l)
            assert {x["name"] for x in lit["links"]} == {links["name"]}
            values = np.asarray(links["values"])
            # as wide as |value| against the pass's largest of its kind (dW, or the error sent
            # back): a 100× smaller gradient, 100× thinner
            kind = links["kind"]
            top = max(
                np.abs(np.asarray(s["links"]["values"])).max()
                for s in stages
                if s["links"] and s["links"]["kind"] == kind
            )
            if stage["title"].startswith("δ") and stage["layer"] < len(want["sizes"]) - 1:
                assert kind == "error" and links["name"] == f"W{stage['layer'] + 1}"
            px_per_top = [
                x["width"] / (abs(values[tuple(int(v) for v in x["index"].split(","))]) / top)
                for x in lit["links"]
                if x["width"] > 0.76
            ]
            assert max(px_per_top, default=0) == pytest.approx(min(px_per_top, default=0), rel=5e-3)
            assert all(x["width"] >= 0.75 for x in lit["links"])
        else:
            assert lit["links"] == []
        if stage["units"]:
            layer = stage["units"]["layer"]
            assert sorted(lit["units"]) == sorted(
                f"{layer}:{j}" for j in range(len(stage["units"]["values"]))
            )
            # small layers carry their values on the nodes, as the server sent them
            shown = [float(v.replace("−", "-")) for v in lit["values"]]
            np.testing.assert_allclose(shown, stage["units"]["values"], rtol=0.06, atol=1e-12)
    # the last stage: next is disabled; ← goes back
    assert page.is_disabled("#pass-next")
    page.focus("#pass-previous")
    page.keyboard.press("ArrowLeft")
    stage_shown(page, len(stages) - 2)
    # closing clears the derivation's marks
    page.click("#pass-close")
    page.wait_for_selector('.network-view[data-lit-stage=""]')
    assert page.evaluate("() => window.__highlights.at(-1).stages") == []
    assert page.evaluate(LIT)["links"] == []


def test_the_pass_of_one_point_is_the_servers_for_that_point(dash, recorder):
    recorder.expect_error("status of 422")  # a point the run has not: the server's 422, shown
    open_backprop(dash)
    page = dash.page
    page.fill("#pass-sample", "7")
    page.press("#pass-sample", "Enter")
    page.wait_for_function("() => window.__highlights.at(-1)?.form === 'sample'")
    step = int(page.get_attribute("#pass-bar", "data-step"))
    want = rest_pass(dash, direction="backward", sample=7, at_step=step)
    i = int(page.get_attribute("#pass-bar", "data-stage"))
    assert page.text_content("#pass-caption") == want["stages"][i]["caption"]
    assert page.evaluate("() => window.__highlights.at(-1)") == {
        "form": "sample",
        "n": 7,
        "stages": want["stages"][i]["derivation"],
    }
    page.fill("#pass-sample", "100000")
    page.press("#pass-sample", "Enter")
    page.wait_for_selector("#pass-error:not([hidden])")
    assert "sample" in page.text_content("#pass-error")


def test_forward_plays_about_a_stage_a_second_and_refresh_takes_the_newest_step(dash):
    open_backprop(dash)
    page = dash.page
    page.click("#pass-forward")
    page.wait_for_function("() => document.querySelector('#pass-title').textContent.startsWith('Forward')")
    stage_shown(page, 0)
    page.click("#pass-play")
    t0 = page.evaluate("performance.now()")
    stage_shown(page, 2)
    elapsed = page.evaluate("performance.now()") - t0
    assert 1500 < elapsed < 5000, elapsed  # two stages at about a second each (a busy machine is slower)
    page.click("#pass-play")  # pause
    old = int(page.get_attribute("#pass-bar", "data-step"))
    page.click("#step10")
    dash.wait_for_step(f"s >= {old + 10}")
    page.click("#pass-refresh")
    page.wait_for_function(f"() => Number(document.querySelector('#pass-bar').dataset.step) >= {old + 10}")


def test_reduced_motion_never_advances_by_itself(browser, live_server, recorder):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, reduced_motion="reduce")
    try:
        page = open_page(context, recorder)
        dash = Dashboard(page, live_server)
        open_backprop(dash)
        assert page.is_disabled("#pass-play")
        assert "reduced motion" in page.get_attribute("#pass-play", "title")
        page.click("#pass-next")
        stage_shown(page, 1)
        # Even a play forced past its disabled button starts no timer: nothing advances by itself.
        page.evaluate(
            """() => { window.__timers = 0; const set = window.setInterval;
              window.setInterval = (...a) => { window.__timers++; return set(...a); };
              const play = document.querySelector('#pass-play'); play.disabled = false; play.click(); }"""
        )
        assert page.evaluate("() => window.__timers") == 0
        assert page.text_content("#pass-play") == "▶ play"
        assert page.get_attribute("#pass-bar", "data-stage") == "1"
    finally:
        context.close()


def test_a_link_is_edited_from_the_keyboard(dash):
    dash.open("?hidden=4,3")
    page = dash.page
    page.click("#tab-network")
    page.wait_for_selector("#network-diagram .network-hit")
    page.focus('#network-diagram .network-hit[tabindex="0"]')
    assert page.evaluate("() => document.activeElement.dataset.link") == "0"
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    focused = page.evaluate("() => document.activeElement.dataset.link")
    assert focused == "3"
    assert page.text_content("#network-readout").startswith("W1[0, 3] (x1 → unit 3 of layer 1)")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "network-edit-value"
    label = page.text_content("#network-edit-label")
    name, i, j = re.match(r"new (W\d)\[(\d+), (\d+)\]", label).groups()
    page.keyboard.type("0.75")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#network-readout').textContent.includes('set to')")
    reply = httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/parameters").json()
    assert reply["params"][name]["values"][int(i)][int(j)] == 0.75


def test_hovering_a_link_says_the_servers_update_for_momentum(dash):
    dash.open("?hidden=4,3&optimizer=momentum")
    page = dash.page
    page.click("#step10")
    dash.wait_for_step("s >= 10")
    page.click("#tab-network")
    page.wait_for_selector("#network-diagram .network-hit")
    page.focus('#network-diagram .network-hit[tabindex="0"]')
    page.wait_for_function("() => document.querySelector('#network-readout').dataset.update !== undefined")
    text = page.text_content("#network-readout")
    assert "momentum's next update β·v − η·dL/dw = " in text
    got = httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/updates/W1/0/0").json()
    assert float(page.get_attribute("#network-readout", "data-update")) == pytest.approx(
        got["update"], rel=1e-9
    )


@pytest.mark.slow
@pytest.mark.parametrize("preset", ["tanh-xavier", "vanishing-sigmoid"])
@pytest.mark.parametrize(("width", "height", "present"), [(1280, 720, True), (390, 844, False)])
def test_backprop_pictures_for_the_lesson(browser, live_server, recorder, preset, width, height, present):
    """The backward pass on the 6 × 16 presets, at a projector in presentation mode and on a
    phone: stage δ1 (the gradient at the first layer) lit, its trail of |δ| under each column."""
    context = new_context(browser, width, height)
    try:
        page = open_page(context, recorder)
        dash = Dashboard(page, live_server).open()
        choose_preset(dash, preset)
        page.click("#tab-network")
        if present:
            page.keyboard.press("p")
            page.wait_for_selector("body.presenting")
        page.wait_for_selector("#network-diagram .network-hit")
        page.click("#pass-backward")
        stage_shown(page, 0)
        total = int(page.get_attribute("#pass-bar", "data-stages"))
        target = total - 2  # dW1: the links into layer 1, every layer's walked before it
        for i in range(1, target + 1):
            page.click("#pass-next")
            stage_shown(page, i)
        assert page.text_content("#pass-title").startswith("Backward: dW1")
        caption = page.text_content("#pass-caption")
        if preset == "vanishing-sigmoid":
            assert "vanished" in caption
        page.click("#inspector-enlarge")  # the views enlarged, as a teacher (or a student) looks at one
        page.evaluate("() => document.querySelector('#pass-bar').scrollIntoView({ block: 'start' })")
        SCREENSHOTS.mkdir(exist_ok=True)
        size = f"{width}x{height}"
        page.screenshot(path=str(SCREENSHOTS / f"backprop-{preset}-{size}.png"))
    finally:
        context.close()
