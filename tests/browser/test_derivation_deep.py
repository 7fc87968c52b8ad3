"""The derivation of a deep run in a real browser: every layer's lines grouped under its heading,
the numbers the server sent, and the animated pass's highlight event marking (and clearing) rows."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from .conftest import SCREENSHOTS, close_as_a_new_teacher_follows, new_context, open_page
from .dashboard import Dashboard
from .test_inspect import assert_array_shown, tex_numbers

pytestmark = pytest.mark.browser

DEEP = "hidden=4,3"  # two hidden layers: the output layer is 3
LOADED = '.form-batch .stage[data-stage="dX"] .katex'
SAMPLE_LOADED = '.form-sample .stage[data-stage="dx"] .katex'

HIGHLIGHT = """(detail) => document.dispatchEvent(new CustomEvent('bpv:derivation-highlight', {detail}))"""
MARKED = """() => [...document.querySelectorAll('.derivation .is-current')].map(r =>
  `${r.dataset.form}:${r.dataset.stage}:${r.getAttribute('aria-current')}`)"""


@pytest.fixture
def deep(browser, recorder, live_server):
    """deep(width, height, query) -> a Dashboard showing the derivation of a deep run."""
    made = []

    def open_deep(width: int, height: int, query: str = DEEP) -> Dashboard:
        context = new_context(browser, width, height)
        made.append(context)
        page = open_page(context, recorder)
        dash = Dashboard(page, live_server).open(f"?{query}")
        page.evaluate("() => document.getElementById('tab-derivation').click()")
        page.wait_for_selector(LOADED, timeout=15_000)
        page.wait_for_selector(SAMPLE_LOADED)
        return dash

    yield open_deep
    for context in made:
        for page in context.pages:
            close_as_a_new_teacher_follows(page)
        context.close()
    assert recorder.unexpected_errors() == [] and recorder.foreign_urls() == []


def derivation(dash: Dashboard, n: int) -> dict:
    reply = httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/derivation/{n}")
    reply.raise_for_status()
    return reply.json()


def shown(page, form: str, name: str) -> list[float]:
    return tex_numbers(page.text_content(f'.form-{form} .stage[data-stage="{name}"] .stage-value annotation'))


def test_a_deep_run_shows_every_layers_lines_with_the_servers_numbers(deep):
    dash = deep(1366, 768)
    page = dash.page
    n = int(page.get_attribute(".derivation", "data-n"))
    d = derivation(dash, n)
    assert d["layers"] == 2 and page.get_attribute(".derivation", "data-layers") == "2"
    for form, stages in (("sample", d["stages"]), ("batch", d["batch"]["stages"])):
        names = page.eval_on_selector_all(
            f".form-{form} .stage[data-form]", "rows => rows.map(r => r.dataset.stage)"
        )
        assert sorted(names) == sorted(s["name"] for s in stages), form
        for stage in stages:
            if stage["name"] in ("dz3", "dW3", "dz2", "dW2", "da2", "z3"):
                assert_array_shown(shown(page, form, stage["name"]), stage["value"])
    tex = page.text_content('.form-sample .stage[data-stage="dW3"] .stage-eq annotation')
    assert tex == r"\mathrm{d}W_3 = a_2^{\top}\, \mathrm{d}z_3"
    # Grouped by layer: a heading a layer, the output's and the first two open.
    titles = page.eval_on_selector_all(
        ".form-sample .stages-backward .layer-group",
        "gs => gs.map(g => [g.dataset.layer, g.open, g.querySelector('summary').textContent])",
    )
    assert [t[:2] for t in titles] == [["3", True], ["2", True], ["1", False]], titles
    assert (
        titles[0][2] == "Layer 3: the output, C = 2 classes"
        and titles[1][2] == "Layer 2: hidden, H₂ = 3 units"
    )
    assert page.text_content(".two-ways h4") == "dL/dz₃ two ways: they must agree"
    assert "dW₃ means ∂L/∂W₃" in page.text_content(".derivation > .inspect-note")
    sums = page.eval_on_selector_all(".batch-sum", "ps => ps.map(p => p.dataset.sum)")
    assert sums == ["dW3", "dW2", "dW1"]


def test_the_highlight_event_marks_the_named_rows_opens_their_layer_and_clears(deep):
    dash = deep(1366, 768)
    page = dash.page
    layer_1 = (
        """() => document.querySelector('.form-batch .stage[data-stage="dW1"]').closest('details').open"""
    )
    assert page.evaluate(layer_1) is False, "the third layer of the backward pass starts folded"
    page.evaluate(HIGHLIGHT, {"form": "batch", "n": None, "stages": ["dz1", "dW1"]})
    assert page.evaluate(MARKED) == ["batch:dz1:step", "batch:dW1:step"]
    assert page.evaluate(layer_1) is True, "a marked row's layer opens"
    box = page.eval_on_selector(
        '.form-batch .stage.is-current[data-stage="dW1"]',
        "r => { const s = getComputedStyle(r); return [s.outlineWidth, s.outlineStyle, s.backgroundColor]; }",
    )
    assert float(box[0].removesuffix("px")) >= 2 and box[1] == "solid" and box[2] != "rgba(0, 0, 0, 0)", box
    # Another form and point: the earlier marks go, that point's lines come and are marked.
    n = int(page.get_attribute(".derivation", "data-n"))
    other = n + 1
    page.evaluate(HIGHLIGHT, {"form": "sample", "n": other, "stages": ["dz3", "dz3_long"]})
    page.wait_for_selector(f'.derivation[data-n="{other}"] .form-sample .stage.is-current[data-stage="dz3"]')
    assert page.evaluate(MARKED) == ["sample:dz3_long:step", "sample:dz3:step"]  # in the page's order
    d = derivation(dash, other)
    dz3 = next(s for s in d["stages"] if s["name"] == "dz3")
    assert_array_shown(shown(page, "sample", "dz3"), dz3["value"])
    page.evaluate(HIGHLIGHT, {"form": "sample", "n": other, "stages": []})
    assert page.evaluate(MARKED) == []


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"derivation-deep-{name}.png"))


@pytest.mark.slow
@pytest.mark.parametrize(("width", "height"), [(1280, 720), (390, 844)])
def test_a_six_layer_derivation_at_a_projector_and_on_a_phone(deep, width, height):
    dash = deep(width, height, "hidden=6,5,4,4,3,3&present=1" if width > 1000 else "hidden=6,5,4,4,3,3")
    page = dash.page
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= width, "no sideways scroll"
    page.evaluate(HIGHLIGHT, {"form": "sample", "n": None, "stages": ["da4", "dz4"]})
    for name in ("da4", "dz4"):
        box = page.locator(f'.form-sample .stage.is-current[data-stage="{name}"]').bounding_box()
        assert box["y"] >= -1 and box["y"] + box["height"] <= height + 1, ("scrolled into view", name, box)
    folded = page.eval_on_selector_all(
        ".form-sample .stages-backward .layer-group", "gs => gs.map(g => [g.dataset.layer, g.open])"
    )
    assert folded[:2] == [["7", True], ["6", True]] and ["4", True] in folded and ["2", False] in folded, (
        folded
    )
    screenshot(page, f"{width}x{height}")
    if width > 1000:  # what a teacher shows: the views' panel enlarged, the marked rows in view
        page.click("#inspector-enlarge")
        page.wait_for_function("() => document.querySelector('.panel-tabs').classList.contains('enlarged')")
        page.evaluate(HIGHLIGHT, {"form": "sample", "n": None, "stages": ["dW4", "db4"]})
        screenshot(page, f"{width}x{height}-enlarged")
    values = np.array([s["layer"] for s in derivation(dash, 0)["stages"]])
    assert values.max() == 7


def test_an_mse_run_with_features_and_l1_shows_its_own_line_and_why_no_short_way(deep):
    dash = deep(1280, 720, "hidden=4,3&loss=mse&l1=0.001&features=x1,x2,x1_sq&present=1")
    page = dash.page
    d = derivation(dash, int(page.get_attribute(".derivation", "data-n")))
    assert d["loss"] == "mse" and d["mistake"] is None and d["features"] == ["x1", "x2", "x1_sq"]
    assert page.is_hidden("#derivation-mistake"), "the worked mistake is cross-entropy's"
    assert "Nothing cancels" in page.text_content(".two-ways-note")
    assert page.text_content(".two-ways h4") == "dL/dz₃: the long way and mse's own line must agree"
    x = next(s for s in d["stages"] if s["name"] == "x")
    assert_array_shown(shown(page, "sample", "x"), x["value"])
    assert page.text_content('.form-sample .stage[data-stage="x"] .stage-shape') == "F = 3"
    eq = page.text_content('.form-batch .stage[data-stage="dW2"] .stage-eq annotation')
    assert eq.endswith(r"+ \lambda_1 \operatorname{sign}(W_2)")
    assert "λW₂ + λ₁ sign(W₂)" in page.text_content('.batch-sum[data-sum="dW2"]')
    page.click("#inspector-enlarge")
    page.wait_for_function("() => document.querySelector('.panel-tabs').classList.contains('enlarged')")
    page.locator(".two-ways").scroll_into_view_if_needed()
    screenshot(page, "mse-1280x720-enlarged")
