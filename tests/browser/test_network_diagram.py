"""The network diagram in a real browser: links whose widths follow |w| (and |dL/dw| on the
toggle), the numbers on hover and on focus, a click on a unit opening Hidden unit, the driver's
edit of a weight reaching a second page that watches, a wide layer folded, and the layout at a
laptop, a projector and a phone."""

from __future__ import annotations

import json
import re

import httpx
import numpy as np
import pytest

from .conftest import SCREENSHOTS, new_context, open_page
from .dashboard import Dashboard

pytestmark = pytest.mark.browser

# Every link as the canvas last painted it (the page's probe): its weight's name and index (none
# for a fold's sum), its width in px, its colour.
LINKS = """() => window.bpv.networkLinks.map((l) => ({
  name: l.name, index: l.index, width: l.width, stroke: l.color, state: l.state,
}))"""

# The canvas's pixel (r, g, b, a) at a point of the page, in the canvas's device pixels.
PIXEL = """({x, y}) => {
  const c = document.querySelector('#network-links');
  const box = c.getBoundingClientRect();
  const px = Math.round((x - box.left) * c.width / box.width);
  const py = Math.round((y - box.top) * c.height / box.height);
  return [...c.getContext('2d').getImageData(px, py, 1, 1).data];
}"""

# The nodes of each kind, and hidden nodes per layer.
NODES = """() => [...document.querySelectorAll('#network-diagram .network-node')].map((n) => ({
  kind: n.dataset.kind, key: n.dataset.key, unit: n.dataset.unit ?? null,
  box: (({x, y, width, height}) => ({x, y, width, height}))(n.getBoundingClientRect()),
}))"""

# How many hidden maps have their picture.
MAPS_PAINTED = """() => [...document.querySelectorAll('#network-diagram .network-map')]
  .filter((i) => (i.getAttribute('href') || '').startsWith('data:image/png')).length"""


# A point on link n's hover path where that path is what the pointer meets (curves cross).
LINK_POINT = """(n) => {
  const p = document.querySelector(`#network-diagram .network-hit[data-link="${n}"]`);
  const m = p.getScreenCTM();
  for (const t of [0.3, 0.2, 0.4, 0.25, 0.35, 0.15, 0.45]) {
    const q = p.getPointAtLength(t * p.getTotalLength());
    const x = q.x * m.a + m.e, y = q.y * m.d + m.f;
    if (document.elementFromPoint(x, y) === p) return {x, y};
  }
  return null;
}"""


def on_link(page, n: int, click: bool = False) -> None:
    """Hover (or click) link n where the pointer meets it, as a person would."""
    page.locator(f'#network-diagram .network-hit[data-link="{n}"]').scroll_into_view_if_needed()
    point = page.evaluate(LINK_POINT, n)
    assert point is not None, f"link {n} is covered everywhere"
    page.mouse.move(point["x"], point["y"])
    if click:
        page.mouse.click(point["x"], point["y"])


def link_pixel(page, n: int) -> list[int]:
    """The canvas's colour where link n's hover path is what the pointer meets."""
    page.locator(f'#network-diagram .network-hit[data-link="{n}"]').scroll_into_view_if_needed()
    point = page.evaluate(LINK_POINT, n)
    assert point is not None, f"link {n} is covered everywhere"
    return page.evaluate(PIXEL, point)


def link_number(page, name: str, index: str) -> int:
    return [i for i, x in enumerate(page.evaluate(LINKS)) if x["name"] == name and x["index"] == index][0]


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"network-{name}.png"))


def params(dash: Dashboard, step=None) -> dict:
    query = {} if step is None else {"at_step": step}
    reply = httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/parameters", params=query).json()
    return {name: np.asarray(p["values"]) for name, p in reply["params"].items()}


def open_network(dash: Dashboard, query: str = "?hidden=5", steps: bool = True) -> None:
    dash.open(query)
    if steps:
        dash.page.click("#step10")
        dash.wait_for_step("s >= 10")
    dash.page.click("#tab-network")
    dash.page.wait_for_selector(f'.network-view[data-step="{dash.step()}"]')
    dash.page.wait_for_function(f"() => ({MAPS_PAINTED})() > 0")


def test_links_are_as_wide_as_their_weight_and_coloured_by_its_sign(dash):
    open_network(dash)
    page = dash.page
    page.wait_for_function(f"() => window.bpv.networkLinksStep === {dash.step()}")
    p = params(dash)
    links = page.evaluate(LINKS)
    H, C = p["W2"].shape
    assert len(links) == 2 * H + H * C  # one per weight
    widest = max(link["width"] for link in links)
    scale = max(np.abs(p["W1"]).max(), np.abs(p["W2"]).max())
    for link in links:
        i, j = (int(v) for v in link["index"].split(","))
        w = p[link["name"]][i, j]
        assert link["width"] == pytest.approx(widest * abs(w) / scale, rel=1e-3, abs=2e-3)
        assert link["stroke"] == ("rgb(33,102,172)" if w < 0 else "rgb(178,24,43)")
    # The canvas: the thickest link painted in its sign's colour, where it is drawn; and nothing
    # painted in the corner over the inputs' names, where no link goes.
    thickest = max(range(len(links)), key=lambda n: links[n]["width"])
    r, _, b, a = link_pixel(page, thickest)
    assert a > 100 and ((b > r) if links[thickest]["stroke"] == "rgb(33,102,172)" else (r > b))
    corner = page.evaluate(
        "() => { const b = document.querySelector('#network-links').getBoundingClientRect();"
        " return {x: b.left + 2, y: b.top + 2}; }"
    )
    assert page.evaluate(PIXEL, corner)[3] == 0
    legend = page.text_content("#network-legend")
    assert "the weights w" in legend and "|w|" in legend
    page.click("#network-which")
    page.wait_for_selector('.network-view[data-which="gradients"]')
    grads = httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/gradients").json()["grads"]
    dW = {name: np.asarray(grads[name]["values"]) for name in ("W1", "W2")}
    top = max(np.abs(dW["W1"]).max(), np.abs(dW["W2"]).max())
    for link in page.evaluate(LINKS):
        i, j = (int(v) for v in link["index"].split(","))
        assert link["width"] == pytest.approx(widest * abs(dW[link["name"]][i, j]) / top, rel=2e-3, abs=2e-3)
    assert "the gradients dL/dw" in page.text_content("#network-legend")
    screenshot(page, "gradients-1366x768")


def test_every_hidden_node_holds_its_map_from_one_request(dash):
    asked = []
    dash.page.on("request", lambda r: asked.append(r.url) if "unit-maps" in r.url else None)
    open_network(dash)
    assert dash.page.evaluate(MAPS_PAINTED) == 5
    # One request for every unit's map, not one per node (followed as the run moves, throttled).
    assert 1 <= len(asked) <= 3 and all("G=16" in url for url in asked)
    assert "units=1%3A0%2C1%3A1%2C1%3A2%2C1%3A3%2C1%3A4" in asked[-1]


def test_hovering_a_link_and_focusing_a_node_say_their_numbers(dash):
    open_network(dash)
    page = dash.page
    p = params(dash)
    on_link(page, 0)
    # the update is the server's (GET .../updates/W1/0/0), asked once the pointer rests
    page.wait_for_function("() => document.querySelector('#network-readout').dataset.update !== undefined")
    text = page.text_content("#network-readout")
    assert text.startswith("W1[0, 0] (x1 → unit 0 of layer 1): w = ")
    assert "dL/dw = " in text and "sgd's next update −η·dL/dw = " in text
    update = httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/updates/W1/0/0").json()
    assert float(page.get_attribute("#network-readout", "data-update")) == update["update"]
    assert float(re.search(r"w = (−?[\d.e−]+)", text)[1].replace("−", "-")) == pytest.approx(
        p["W1"][0, 0], rel=1e-3
    )
    page.focus('#network-diagram .network-node[data-key="1:2"]')
    text = page.text_content("#network-readout")
    assert text.startswith("unit 2 of layer 1: bias b1[2] = ") and "dL/db1[2] = " in text
    assert page.is_visible("#network-bigmap")
    page.hover('#network-diagram .network-node[data-key="2:1"] .network-box')
    assert page.text_content("#network-readout").startswith("class 1: bias b2[1] = ")


def test_clicking_a_hidden_node_opens_that_unit(dash):
    open_network(dash)
    page = dash.page
    page.click('#network-diagram .network-node[data-key="1:3"]')
    page.wait_for_selector('.unit-view[data-unit="3"]')
    assert page.get_attribute("#tab-unit", "aria-selected") == "true"
    page.click("#tab-network")
    page.focus('#network-diagram .network-node[data-key="1:4"]')
    page.keyboard.press("Enter")
    page.wait_for_selector('.unit-view[data-unit="4"]')


def test_a_keyboard_user_keeps_their_node_when_the_diagram_is_drawn_anew(dash):
    """A new size rebuilds the SVG (every node a new element): the focus goes to the same node of
    the new drawing, so Enter still opens that unit."""
    open_network(dash)
    page = dash.page
    page.focus('#network-diagram .network-node[data-key="1:2"]')
    builds = page.evaluate("() => window.bpv.networkBuilds")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"] - 120, "height": size["height"]})
    page.wait_for_function(f"() => window.bpv.networkBuilds > {builds}")
    page.wait_for_function("() => document.activeElement?.dataset?.key === '1:2'")
    assert page.evaluate("() => document.activeElement.isConnected")
    page.keyboard.press("Enter")
    page.wait_for_selector('.unit-view[data-unit="2"]')


def test_clicking_a_unit_of_a_deeper_layer_opens_it_in_its_layer(dash):
    """Two hidden layers: a second-layer node opens Hidden unit on layer 2, whose numbers are the
    server's for that unit (w_in from W2's column, w_out from W3's row); the layer can be changed back."""
    open_network(dash, "?hidden=4,3")
    page = dash.page
    page.click('#network-diagram .network-node[data-key="2:1"]')
    page.wait_for_selector('.unit-view[data-unit="1"][data-layer="2"]')
    assert page.get_attribute("#tab-unit", "aria-selected") == "true"
    assert page.is_visible("#unit-layer") and page.input_value("#unit-layer") == "2"
    assert page.eval_on_selector_all("#unit-j option", "os => os.length") == 3
    shown = page.text_content(".unit-weights")
    assert shown.startswith("w_in = W₂[:, 1]") and "w_out = W₃[1, :]" in shown
    p = params(dash, dash.step())
    w_in = np.asarray(json.loads(page.get_attribute(".unit-weights", "data-win")))
    np.testing.assert_allclose(w_in, p["W2"][:, 1], rtol=1e-6, atol=1e-7)
    assert page.text_content(".unit-view figcaption") == "activation a₂,ⱼ"
    # fed layer 1's activations, the unit does not switch along a line: no dashed line is claimed
    assert "so where it switches is a curve, not a line" in page.text_content(".unit-explain")
    page.select_option("#unit-layer", "1")
    page.wait_for_selector('.unit-view[data-layer="1"]')
    assert page.eval_on_selector_all("#unit-j option", "os => os.length") == 4
    assert "Dashed: where z = 0, the line along which" in page.text_content(".unit-explain")


def test_the_drivers_edit_reaches_a_page_that_watches(dash, browser, recorder):
    open_network(dash, steps=False)
    page = dash.page
    context = new_context(browser)
    watcher_page = open_page(context, recorder)
    try:
        watcher = Dashboard(watcher_page, dash.server).open(f"?watch={dash.session_id()}")
        watcher_page.click("#tab-network")
        watcher_page.wait_for_selector('#network-diagram .network-hit[data-name="W2"][data-index="3,1"]')
        n = link_number(page, "W2", "3,1")
        on_link(page, n, click=True)
        page.fill("#network-edit-value", "-4.5")
        page.press("#network-edit-value", "Enter")
        page.wait_for_function(
            "() => document.querySelector('#network-readout').textContent.includes('set to')"
        )
        assert params(dash)["W2"][3, 1] == -4.5
        # The watcher's diagram: that link is now the thickest, and blue.
        watcher_page.wait_for_function(
            """() => {
              const all = window.bpv.networkLinks ?? [];
              const p = all.find((q) => q.name === 'W2' && q.index === '3,1');
              return p && p.color === 'rgb(33,102,172)' && all.every((q) => q.width <= p.width);
            }"""
        )
        r, _, b, a = link_pixel(watcher_page, n)
        assert a > 100 and b > r  # painted blue where it is drawn
        on_link(watcher_page, n)
        assert "w = −4.5" in watcher_page.text_content("#network-readout")
        # A watcher cannot edit: a click on a link opens no form.
        on_link(watcher_page, n, click=True)
        assert not watcher_page.is_visible("#network-edit")
        assert watcher.probe()["role"] == "viewer"
    finally:
        watcher_page.close()
        context.close()


def test_an_edit_that_is_not_a_number_is_refused_on_the_page(dash):
    open_network(dash, steps=False)
    page = dash.page
    on_link(page, 0, click=True)
    page.fill("#network-edit-value", "NaN")
    page.press("#network-edit-value", "Enter")
    assert "finite number" in page.text_content("#network-edit-error")
    assert params(dash)["W1"][0, 0] != 0 and np.isfinite(params(dash)["W1"]).all()


@pytest.mark.slow
def test_a_wide_layer_is_folded_and_keeps_up(dash):
    open_network(dash, "?hidden=1024", steps=False)
    page = dash.page
    nodes = page.evaluate(NODES)
    hidden = [n for n in nodes if n["kind"] == "hidden"]
    assert len(hidden) == 17 and hidden[-1]["key"] == "1:+"  # 16 units and "+1008"
    assert page.text_content('#network-diagram .network-node[data-key="1:+"]').strip() == "+1008"
    assert page.evaluate(MAPS_PAINTED) == 16  # the shown units' maps, asked for by name
    p = params(dash)
    strength = np.abs(p["W1"]).sum(axis=0) + np.abs(p["W2"]).sum(axis=1)
    assert sorted(int(n["unit"]) for n in hidden[:-1]) == sorted(np.argsort(-strength)[:16].tolist())
    page.hover('#network-diagram .network-node[data-key="1:+"] .network-box')
    assert page.text_content("#network-readout").startswith("1008 more units of layer 1")
    # Playing, the page keeps up: every frame drawn (the diagram among the panels) in a few ms.
    page.click("#play")
    start = dash.probe()
    page.wait_for_function(f"() => window.bpv.framesDrawn >= {start['framesDrawn'] + 40}", timeout=20_000)
    end = dash.probe()
    page.click("#play")
    per_frame = (end["drawMs"] - start["drawMs"]) / (end["framesDrawn"] - start["framesDrawn"])
    assert per_frame < 12, f"{per_frame:.1f} ms to draw a frame with the diagram open"
    assert len([n for n in page.evaluate(NODES) if n["kind"] == "hidden"]) == 17
    screenshot(page, "wide-1366x768")


@pytest.mark.parametrize(
    ("width", "height", "query", "name"),
    [
        (1366, 768, "", "1366x768"),
        (1280, 720, "&present=1", "present-1280x720"),
        (390, 844, "", "phone-390x844"),
    ],
)
def test_the_diagram_fits_the_width_at_every_size(browser, live_server, recorder, width, height, query, name):
    context = new_context(browser, width, height)
    page = open_page(context, recorder)
    try:
        dash = Dashboard(page, live_server)
        dash.open(f"?hidden=8{query}")
        page.evaluate("() => document.getElementById('tab-network').click()")  # presenting shows one tab
        page.wait_for_function(f"() => ({MAPS_PAINTED})() === 8")
        page.locator("#network-diagram").scroll_into_view_if_needed()
        diagram = page.locator("#network-diagram svg").bounding_box()
        assert diagram["x"] >= 0 and diagram["x"] + diagram["width"] <= width + 0.5
        nodes = page.evaluate(NODES)
        assert all(n["box"]["x"] >= 0 and n["box"]["x"] + n["box"]["width"] <= width for n in nodes)
        assert min(n["box"]["width"] for n in nodes) >= 14  # a map a few pixels a side
        labels = page.locator("#network-diagram .network-label").evaluate_all(
            "(ls) => ls.map((l) => parseFloat(getComputedStyle(l).fontSize))"
        )
        if "present" in query:
            assert min(labels) >= 16
        screenshot(page, name)
    finally:
        page.close()
        context.close()


def test_scrubbed_back_the_diagram_shows_that_steps_weights_and_maps(dash):
    asked = []
    dash.page.on("request", lambda r: asked.append(r.url) if "unit-maps" in r.url else None)
    open_network(dash)
    page = dash.page
    page.click("#step10")
    dash.wait_for_step("s >= 20")
    page.evaluate(
        "(k) => { const r = document.getElementById('timeline-range'); r.value = String(k);"
        " r.dispatchEvent(new Event('input')); }",
        10,
    )
    page.wait_for_selector('.network-view[data-step="10"]')
    assert page.text_content(".network-step") == "at step 10"
    page.wait_for_function("() => window.bpv.atStep === 10 && window.bpv.networkLinksStep === 10")
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some((e) => e.name.includes('at_step=10'))"
    )
    p = params(dash, 10)
    links = page.evaluate(LINKS)
    widest = max(link["width"] for link in links)
    scale = max(np.abs(p["W1"]).max(), np.abs(p["W2"]).max())
    for link in links:
        i, j = (int(v) for v in link["index"].split(","))
        assert link["width"] == pytest.approx(widest * abs(p[link["name"]][i, j]) / scale, rel=1e-3, abs=2e-3)
    assert any("unit-maps" in url and "at_step=10" in url for url in asked)
