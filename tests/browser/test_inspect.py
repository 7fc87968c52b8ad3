"""Seeing the derivation, in a real browser at projector size (1920x1080): a clicked point's
worked backprop with the server's numbers, the input-gradient arrows over the boundary, one hidden
unit's view, the gradient check, and a student's wrong gradient named for the mistake it is."""

from __future__ import annotations

import json
import re

import httpx
import numpy as np
import pytest

from app.core.mistakes import MISTAKES
from app.core.network import backward, forward

from .conftest import SCREENSHOTS, close_as_a_new_teacher_follows, new_context, open_page
from .dashboard import Dashboard

pytestmark = pytest.mark.browser

# A digest of a canvas's pixels, and how many are painted at all.
CANVAS_PIXELS = """(id) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0, painted = 0;
  for (let i = 0; i < d.length; i += 4) {
    h = (h * 31 + d[i] * 7 + d[i + 1] * 3 + d[i + 2] + d[i + 3]) >>> 0;
    if (d[i + 3]) painted += 1;
  }
  return {hash: h, painted};
}"""

# Every Plotly chart lies within its panel: after a panel changed size, they have followed it.
CHARTS_FIT = """() => [...document.querySelectorAll('.panel .main-svg')].every(svg => {
  const r = svg.getBoundingClientRect(), p = svg.closest('.panel').getBoundingClientRect();
  return r.top >= p.top - 1 && r.bottom <= p.bottom + 1;
})"""

# Numbers as the page typesets them: 0.1234, -5.678{\times}10^{-4} (a scalar), plain in an array.
TEX_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)(?:\{\\times\}10\^\{(-?\d+)\})?")
TEXT_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
TEX_FACTOR = re.compile(r"\s*=\s*\{?10\^\{(-?\d+)\}\s*\\cdot(.*)", re.S)


def tex_factor(tex: str) -> tuple[int, str]:
    """(the power of ten in front, the rest) of '= {10^{-3} \\cdot [a & b]}', or (0, tex)."""
    factor = TEX_FACTOR.match(tex)
    return (int(factor[1]), factor[2]) if factor else (0, tex)


def tex_numbers(tex: str) -> list[float]:
    """The numbers of '= {10^{-3} \\cdot [a & b]}' (the common power of ten taken out) or '= [a & b]'."""
    power, tex = tex_factor(tex)
    return [float(m) * 10.0 ** (int(e or 0) + power) for m, e in TEX_NUMBER.findall(tex)]


def text_numbers(text: str) -> list[float]:
    return [float(v) for v in TEXT_NUMBER.findall(text.replace("−", "-"))]


def assert_shown(shown: list[float], expected, digits: int = 4) -> None:
    """What the page shows is the expected values, to the digits it shows them with."""
    expected = np.ravel(np.asarray(expected, dtype=float))
    assert len(shown) == len(expected), (shown, expected)
    np.testing.assert_allclose(shown, expected, rtol=10.0 ** (1 - digits), atol=1e-300)


def assert_array_shown(shown: list[float], expected, digits: int = 3) -> None:
    """What the derivation shows of an array is its values: the largest entry to `digits`
    significant digits, every other entry to as many decimals."""
    expected = np.ravel(np.asarray(expected, dtype=float))
    assert len(shown) == len(expected), (shown, expected)
    top = np.max(np.abs(expected), initial=0.0)
    step = 10.0 ** (np.floor(np.log10(top)) + 1 - digits) if top > 0 else 0.0
    np.testing.assert_allclose(shown, expected, rtol=1e-9, atol=0.5 * step * (1 + 1e-9) + 1e-300)


@pytest.fixture(scope="module")
def projector(browser):
    """A 1920x1080 screen, shared by this module's pages (plotly.js stays cached)."""
    context = new_context(browser, 1920, 1080)
    yield context
    context.close()


@pytest.fixture
def dash(projector, recorder, live_server):
    page = open_page(projector, recorder)
    yield Dashboard(page, live_server)
    errors = recorder.unexpected_errors()
    close_as_a_new_teacher_follows(page)
    assert errors == [], "the page logged errors"
    assert recorder.foreign_urls() == [], "the page asked for something off this machine"


def opened_at_step_10(dash: Dashboard) -> str:
    """The default run, paused after 10 steps (so REST and the page see the same weights)."""
    dash.open()
    dash.page.click("#step10")
    dash.wait_for_step("s >= 10")
    return dash.session_id()


def rest(dash: Dashboard, path: str, **params) -> dict:
    response = httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/{path}", params=params)
    response.raise_for_status()
    return response.json()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"inspect-{name}.png"))


def test_clicking_a_point_shows_its_derivation_with_the_servers_numbers(dash):
    opened_at_step_10(dash)
    page = dash.page
    points = rest(dash, "export")["points"]
    box = rest(dash, "grid", G=2)["box"]
    heat = page.locator("#boundary-heat").bounding_box()

    def pixel(i):
        return (
            heat["x"] + (points["x"][i] - box[0]) / (box[1] - box[0]) * heat["width"],
            heat["y"] + (1 - (points["y"][i] - box[2]) / (box[3] - box[2])) * heat["height"],
        )

    # The training point farthest from any other, so the click cannot be taken for a neighbour.
    xy = np.array([pixel(i) for i in range(len(points["x"]))])
    gaps = np.linalg.norm(xy[:, None] - xy[None], axis=2) + np.eye(len(xy)) * 1e9
    n = max(range(len(points["train"])), key=lambda k: gaps[points["train"][k]].min())
    page.mouse.click(*xy[points["train"][n]])

    assert page.get_attribute("#tab-derivation", "aria-selected") == "true"
    page.wait_for_selector(f'.derivation[data-n="{n}"][data-step="10"] .stage[data-stage="dx"] .katex')
    d = rest(dash, f"derivation/{n}")
    assert page.text_content(".derivation-point").startswith(f"#{d['index']} of all points")
    stages = {s["name"]: s for s in d["stages"]}
    for name, stage in stages.items():
        tex = page.text_content(f'.stage[data-stage="{name}"] .stage-value annotation')
        digits = 4 if name == "loss" else 2 if name == "dz2_difference" else 3  # a scalar has four
        assert_array_shown(tex_numbers(tex), stage["value"], digits)
    shape = {
        name: page.text_content(f'.stage[data-stage="{name}"] .stage-shape')
        for name in ("J", "dW2", "dW1", "loss")
    }
    assert shape == {"J": "C×C = 2×2", "dW2": "H×C = 5×2", "dW1": "2×H = 2×5", "loss": "scalar"}
    # The long way and the short way agree, and the page says so.
    np.testing.assert_allclose(stages["dz2_long"]["value"], stages["dz2"]["value"], atol=1e-15)
    assert "the same, to rounding" in page.text_content(".two-ways-verdict")
    # The point is ringed on the boundary.
    assert page.evaluate(CANVAS_PIXELS, "boundary-marks")["painted"] > 0

    # The common mistake beside the right answer: -y (1 - y_hat) / N, and how far off it is.
    assert not page.is_visible(".way-mistake")
    page.check("#derivation-mistake")
    page.wait_for_selector('.stage[data-stage="mistake-dz2"] .katex')
    y, y_hat, N = np.array(stages["y"]["value"]), np.array(stages["y_hat"]["value"]), d["N"]
    wrong = -y * (1 - y_hat) / N

    def shown(name):
        return tex_numbers(page.text_content(f'.stage[data-stage="{name}"] .stage-value annotation'))

    assert_array_shown(shown("mistake-dz2"), wrong)
    assert_array_shown(shown("mistake-difference"), wrong - np.array(stages["dz2"]["value"]))
    assert_array_shown(shown("mistake-dW2"), np.outer(stages["a1"]["value"], wrong))
    assert "off-diagonal" in page.text_content(".mistake-why")
    screenshot(page, "derivation-1920x1080")
    # The whole derivation at once, for a person to read (the tab scrolls on a real screen).
    page.evaluate("""() => { document.documentElement.style.setProperty('--roomy-height', '46em');
                             document.getElementById('tab-body-derivation').scrollTop = 0; }""")
    page.wait_for_function(CHARTS_FIT)  # the charts above have followed the taller panel
    page.locator("#tab-body-derivation").screenshot(path=str(SCREENSHOTS / "inspect-derivation-whole.png"))

    # Picking by number works too, and the boundary follows.
    page.fill("#derivation-n", str(n + 1 if n + 1 < len(points["train"]) else n - 1))
    page.press("#derivation-n", "Enter")
    page.wait_for_selector(f'.derivation:not([data-n="{n}"])')


def test_arrows_show_the_input_gradient_and_shading_the_residual(dash):
    opened_at_step_10(dash)
    page = dash.page
    blank = page.evaluate(CANVAS_PIXELS, "boundary-marks")
    assert blank["painted"] == 0

    page.check("#boundary-arrows")
    page.wait_for_function(
        "() => window.bpv?.messages.some(m => m.for === 'options' && m.input_gradients === true)"
    )
    page.wait_for_function(
        "() => document.getElementById('boundary-marks-legend').textContent.includes('longest')"
    )
    arrows = page.evaluate(CANVAS_PIXELS, "boundary-marks")
    assert arrows["painted"] > 200, "the arrows are drawn"
    # The scale written beside them is the server's largest |dL/dx| (float32 in the stream).
    dX = np.array(rest(dash, "input-gradients")["dX"])
    longest = text_numbers(page.text_content("#boundary-marks-legend .legend-arrows").split("=")[-1])[0]
    assert_shown([longest], [np.linalg.norm(dX, axis=1).max()], digits=3)

    page.check("#boundary-residual")
    page.wait_for_function(
        "() => document.getElementById('boundary-marks-legend').textContent.includes('|ŷ − y|')"
    )
    shaded = page.evaluate(CANVAS_PIXELS, "boundary-marks")
    assert shaded["hash"] != arrows["hash"] and shaded["painted"] > arrows["painted"]
    screenshot(page, "arrows-1920x1080")

    # Training moves the arrows with the weights.
    page.click("#step10")
    dash.wait_for_step("s >= 20")
    page.wait_for_function(f"(h) => ({CANVAS_PIXELS})('boundary-marks').hash !== h", arg=shaded["hash"])

    page.uncheck("#boundary-arrows")
    page.uncheck("#boundary-residual")
    page.wait_for_function(
        "() => window.bpv?.messages.some(m => m.for === 'options' && m.input_gradients === false)"
    )
    assert page.evaluate(CANVAS_PIXELS, "boundary-marks")["painted"] == 0
    assert not page.is_visible("#boundary-marks-legend")


def test_hidden_unit_view_shows_the_chosen_units_activation_and_error(dash):
    opened_at_step_10(dash)
    page = dash.page
    page.click("#tab-unit")
    page.wait_for_selector('.unit-view[data-unit="0"]')
    first = page.evaluate(CANVAS_PIXELS, "unit-activation")
    page.select_option("#unit-j", "3")
    page.wait_for_selector('.unit-view[data-unit="3"]')
    unit = rest(dash, "units/3", G=60)
    shown = text_numbers(page.text_content(".unit-weights"))
    # "w_in = W₁[:, 3] = (a, b), b = b₁[3] = c, w_out = W₂[3, :] = (d, e)": indices then values.
    assert_shown(shown, [3, *unit["w_in"], 3, unit["b"], 3, *unit["w_out"]])
    assert page.evaluate(CANVAS_PIXELS, "unit-activation")["hash"] != first["hash"], (
        "unit 3 is drawn, not unit 0"
    )
    assert page.evaluate(CANVAS_PIXELS, "unit-error")["painted"] > 1000
    # The error scale is unit 3's largest |dz1|, and the bias gradient is their sum.
    top = max(abs(v) for v in unit["dz1"])
    ends = page.locator(".unit-figure:nth-child(2) .scale-label").all_text_contents()
    assert_shown([text_numbers(t)[0] for t in ends], [-top, top], digits=2)
    assert "160 training points" in page.text_content(".unit-explain")
    assert_shown(
        text_numbers(page.text_content(".unit-explain p").split("Σ dz₁,ⱼ =")[1])[:1], [sum(unit["dz1"])]
    )
    page.click("#unit-next")
    page.wait_for_selector('.unit-view[data-unit="4"]')
    page.select_option("#unit-j", "3")
    page.wait_for_selector('.unit-view[data-unit="3"]')
    screenshot(page, "unit-1920x1080")


def test_gradient_check_shows_each_parameters_error_badge_and_threshold(dash):
    opened_at_step_10(dash)
    page = dash.page
    page.click("#tab-gradcheck")
    page.wait_for_selector('.gradcheck[data-step="10"] #gradcheck-table tbody tr')
    check = rest(dash, "gradcheck", max_entries=100, seed=0)
    for name, p in check["params"].items():
        row = f'#gradcheck-table tr[data-param="{name}"]'
        assert_shown(
            text_numbers(page.text_content(f"{row} .gradcheck-error")), [p["max_rel_error"]], digits=2
        )
        assert page.text_content(f"{row} .badge") == "✓ pass"
    assert "threshold 1e−4" in page.text_content("#gradcheck-table thead")
    assert "above 1e−4 it is a bug" in page.text_content(".gradcheck .inspect-note")
    # Again every k steps while the tab is open.
    page.select_option("#gradcheck-every", "10")
    page.click("#step10")
    page.wait_for_selector('.gradcheck[data-step="20"]')
    screenshot(page, "gradcheck-1920x1080")


def test_a_students_wrong_gradient_gets_its_mistake_named(dash, tmp_path):
    opened_at_step_10(dash)
    page = dash.page
    page.click("#tab-compare")
    # The student's side: download this run's inputs and compute gradients from them alone.
    with page.expect_download() as download:
        page.click("#compare-download")
    inputs = json.loads(download.value.path().read_text())
    assert inputs["step"] == 10 and len(inputs["X"]) == inputs["N"] == 160
    # The snippet opens the file by the name it was saved under.
    assert download.value.suggested_filename == "bpv-inputs-step10.json"
    assert 'open("bpv-inputs-step10.json")' in page.text_content(".compare-snippet pre")
    assert inputs["W1"] == rest(dash, "parameters")["params"]["W1"]["values"]
    params = {k: np.array(inputs[k]) for k in ("W1", "b1", "W2", "b2")}
    X, Y, lam = np.array(inputs["X"]), np.array(inputs["Y"]), inputs["lam"]
    fwd = forward(params, X, inputs["activation"])

    def submit(text: str) -> None:
        page.fill("#compare-input", text)
        page.click("#compare-check")

    def as_json(grads) -> str:
        return json.dumps({"gradients": {f"d{k}": np.asarray(v).tolist() for k, v in grads.items()}})

    submit(as_json(backward(params, fwd, Y, lam).grads()))
    page.wait_for_selector("#compare-verdict .verdict-good")
    verdict = page.text_content("#compare-verdict")  # the page's words, or the reply's summary
    assert re.search("All four agree|agrees with ours", verdict)

    ours = backward(params, fwd, Y, lam).grads()
    for wrong in MISTAKES:
        made = wrong.gradients(params, fwd, Y, lam)
        if not wrong.applies(inputs["activation"]) or all(np.array_equal(made[k], ours[k]) for k in ours):
            continue  # made with another activation, or invisible here (a lam term at lam = 0)
        submit(as_json(made))
        page.wait_for_selector(f'#compare-verdict .mistake-named[data-mistake="{wrong.name}"]')
        assert wrong.title in page.text_content("#compare-verdict")
        if wrong.name == "transposed":  # no entry to compare: the shape is what differs
            w1 = page.text_content('#compare-params [data-param="W1"]')
            assert "you sent 5×2" in w1
            assert "dW1 should be (2, H) = (2, 5): rows are the 2 inputs" in w1 and "transposed?" in w1
        else:
            assert page.locator("#compare-params td.differs").count() > 0, "the differing entries are marked"
    screenshot(page, "compare-1920x1080")

    # CSV, as np.savetxt writes it, and a file upload: the summed gradient, N times ours.
    mistake = {m.name: m for m in MISTAKES}
    summed = mistake["summed_not_mean"].gradients(params, fwd, Y, lam)
    csv = "\n".join(
        f"# d{k}\n" + "\n".join(", ".join(repr(float(v)) for v in row) for row in np.atleast_2d(g))
        for k, g in summed.items()
    )
    submit(csv)
    page.wait_for_selector('#compare-verdict .mistake-named[data-mistake="summed_not_mean"]')
    assert page.locator('#compare-params [data-param="W1"] td.differs').count() == params["W1"].size
    submit("")
    page.wait_for_selector("#compare-verdict .error")
    upload = tmp_path / "mine.json"
    upload.write_text(as_json(mistake["transposed"].gradients(params, fwd, Y, lam)))
    page.set_input_files("#compare-file", str(upload))
    page.wait_for_selector('#compare-verdict .mistake-named[data-mistake="transposed"]')
    assert "you sent 5×2" in page.text_content('#compare-params [data-param="W1"]')
