"""The gradient chart and the weights view of a three-hidden-layer run in a real browser. The
server on this branch trains one hidden layer, so the test stands between it and the page: the
real session's stream, its hello saying hidden [8, 8, 4] and each frame carrying every layer's
arrays, `grad` and `deltas` as the protocol has them for any depth (built with the server's own
frame encoder). The page draws a line per layer, in the layer's colour, and a matrix per layer."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.frames.encoding import decode_frame, encode_frame

from .dashboard import FIRST_FRAME

pytestmark = pytest.mark.browser

WIDTHS = [8, 8, 4]
LAYERS = len(WIDTHS) + 1  # weight matrices
# Gradients that vanish towards the input: layer l's norm, and its δ's a little under it.
NORMS = [10.0 ** (layer - LAYERS) for layer in range(1, LAYERS + 1)]  # 1e-3, 1e-2, 0.1, 1
DELTAS = [n / 2 for n in NORMS]


def deepen_hello(message: dict) -> dict:
    message["session"]["config"]["hidden"] = WIDTHS
    return message


def deepen_frame(data: bytes) -> bytes:
    """The real frame with its parameters replaced by a 3-hidden-layer network's."""
    header, arrays = decode_frame(data)
    classes = arrays["W2"].shape[1]
    dims = [2, *WIDTHS, classes]
    rng = np.random.default_rng(header["step"])
    kept = [(name, a) for name, a in arrays.items() if name.lstrip("d")[:1] not in ("W", "b")]
    params, grad = [], {}
    for k in range(1, LAYERS + 1):
        shape = (dims[k - 1], dims[k])
        params += [
            (f"W{k}", rng.standard_normal(shape).astype(np.float32)),
            (f"b{k}", np.zeros(dims[k], np.float32)),
            (f"dW{k}", (NORMS[k - 1] * rng.standard_normal(shape)).astype(np.float32)),
            (f"db{k}", np.zeros(dims[k], np.float32)),
        ]
        for p in (f"W{k}", f"b{k}"):
            grad[p] = {"norm": NORMS[k - 1], "max": NORMS[k - 1], "ratio": 1e-3}
    header.pop("arrays")
    header["grad"] = grad
    header["deltas"] = DELTAS
    return encode_frame(header, kept + params)


@pytest.fixture
def deep(dash):
    """The page, its session's stream deepened on the way (the socket is the real server's)."""

    def route(ws):
        server = ws.connect_to_server()

        def from_server(message):
            if isinstance(message, str):
                parsed = json.loads(message)
                ws.send(json.dumps(deepen_hello(parsed)) if parsed.get("type") == "hello" else message)
            else:
                ws.send(deepen_frame(message))

        server.on_message(from_server)
        ws.on_message(lambda message: server.send(message))

    dash.page.route_web_socket("**/ws/sessions/**", route)
    return dash


LINE_PIXELS = """async (layers) => {
  const base = document.querySelector('script[type=module]').src.replace(/app\\.js$/, '');
  const { layerColor } = await import(base + 'lib/palette.js');
  const canvas = document.querySelector('#gradient-chart canvas');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const colours = Array.from({ length: layers }, (_, i) => layerColor(i + 1, layers));
  return colours.map((hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < pixels.length; i += 4)
      if (Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) < 12) n += 1;
    return n;
  });
}"""


def test_a_three_layer_run_draws_a_gradient_line_per_layer_in_its_colour(deep):
    deep.open("?hidden=6")
    deep.page.click("#step10")
    deep.wait_for_step("s >= 10")
    chart = "document.getElementById('gradient-chart')"
    deep.page.wait_for_function(f"() => {chart}.data[0].x.at(-1) === 10")
    lines = deep.page.evaluate(f"() => {chart}.data.map(t => [t.name, t.visible, t.y.at(-1) ?? null])")
    assert [name for name, *_ in lines] == [
        *[f"W{k}" for k in range(1, 5)],
        *[f"W{k}" for k in range(1, 5)],
        *[f"δ{k}" for k in range(1, 5)],
    ]
    assert [y for _, visible, y in lines if visible] == pytest.approx(NORMS)
    assert min(deep.page.evaluate(LINE_PIXELS, LAYERS)) > 50, "each layer's line in its own colour"
    deep.page.select_option("#gradient-view", "delta")
    lines = deep.page.evaluate(f"() => {chart}.data.map(t => [t.name, t.visible, t.y.at(-1) ?? null])")
    assert [(name, y) for name, visible, y in lines if visible] == [
        (f"δ{k}", pytest.approx(d)) for k, d in zip(range(1, 5), DELTAS)
    ]
    assert deep.page.get_attribute("#gradient-chart", "data-y0") == "log"


def test_a_three_layer_run_shows_every_layers_weights_and_gradients(deep):
    deep.open("?hidden=6")
    deep.page.wait_for_function(FIRST_FRAME)
    deep.page.click("#tab-weights")
    deep.page.click("#step1")
    deep.wait_for_step("s >= 1")
    deep.page.wait_for_function("() => document.querySelectorAll('#weights .matrix').length === 8")
    shapes = deep.page.eval_on_selector_all(
        "#weights .matrix",
        "ms => ms.map(m => [m.querySelector('.matrix-title').textContent, "
        "m.querySelector('.matrix-shape').textContent])",
    )
    assert shapes == [
        ["W1", "2×8"],
        ["dL/dW1", "2×8"],
        ["W2", "8×8"],
        ["dL/dW2", "8×8"],
        ["W3", "8×4"],
        ["dL/dW3", "8×4"],
        ["W4ᵀ", "2×4"],
        ["dL/dW4ᵀ", "2×4"],
    ]
    # Each matrix's cells are painted: its canvas has colour, not only white.
    painted = deep.page.eval_on_selector_all(
        "#weights .matrix canvas",
        """cs => cs.map(c => {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 2] < 200) n += 1;
          return n;
        })""",
    )
    assert all(n > 100 for n in painted), painted
    rows = deep.page.eval_on_selector_all(
        "[data-matrix='W2'] .matrix-row", "rs => rs.map(r => r.textContent)"
    )
    assert rows == [f"a₁[{i}]" for i in range(8)]


def test_the_unit_view_offers_the_first_hidden_layers_units(deep):
    deep.open("?hidden=6")
    deep.page.click("#tab-unit")
    assert deep.page.eval_on_selector_all("#unit-j option", "os => os.map(o => o.value)") == [
        str(j) for j in range(WIDTHS[0])
    ]
