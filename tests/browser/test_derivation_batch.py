"""The derivation's two forms in a real browser: the one point's and the whole batch's in matrix
form, side by side on a laptop, one under the other on a 1280x720 projector and a phone; eight
classes' columns with nothing cut (element boxes inside the panel, in px); a long matrix as its
first rows; the power of ten written once; the check that the two forms agree, as sent."""

from __future__ import annotations

import re

import httpx
import numpy as np
import pytest

from .conftest import SCREENSHOTS, close_as_a_new_teacher_follows, new_context, open_page
from .dashboard import Dashboard
from .test_inspect import assert_array_shown, tex_factor, tex_numbers, text_numbers

pytestmark = pytest.mark.browser

EIGHT_CLASSES = "dataset=blobs&classes=8&hidden=8"  # 200 points, 160 of them for training
BATCH_LOADED = '.form-batch .stage[data-stage="dX"] .katex'
SAMPLE_LOADED = '.form-sample .stage[data-stage="dx"] .katex'

# Every formula of the derivation against the views' panel, in px: a matrix wider than its line
# (it scrolls), or a formula out of the panel's sides, is cut for whoever reads it.
CUT = """() => {
  const body = document.getElementById('tab-body-derivation').getBoundingClientRect();
  const cut = [];
  for (const v of document.querySelectorAll('.derivation .stage-value')) {
    if (!v.offsetParent) continue;  // not shown (the mistake's column, closed)
    const name = v.closest('.form-batch') ? 'batch ' : 'point ';
    const k = v.querySelector('.katex-html').getBoundingClientRect();
    if (v.scrollWidth > v.clientWidth + 1 || k.left < body.left - 1 || k.right > body.right + 1)
      cut.push(name + v.closest('.stage').dataset.stage + ` ${Math.round(k.width)} px in ${v.clientWidth}`);
  }
  return cut;
}"""

# The "⋅" of the factor comes before the matrix's opening bracket, in the typeset formula.
FACTOR_BEFORE_BRACKET = """(row) => {
  const html = row.querySelector('.stage-value .katex-html');
  const dot = [...html.querySelectorAll('.mbin')].find(e => e.textContent === '⋅');
  const bracket = html.querySelector('.mopen');
  return !!(dot && bracket && (dot.compareDocumentPosition(bracket) & Node.DOCUMENT_POSITION_FOLLOWING));
}"""

BOXES = """() => Object.fromEntries(['.form-sample', '.form-batch', '#tab-body-derivation'].map(s => {
  const r = document.querySelector(s).getBoundingClientRect();
  return [s, {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}];
}))"""


@pytest.fixture
def sized(browser, recorder, live_server):
    """sized(width, height, query) -> a Dashboard on a page of that size, showing the derivation."""
    made = []

    def open_sized(width: int, height: int, query: str) -> Dashboard:
        context = new_context(browser, width, height)
        made.append(context)
        page = open_page(context, recorder)
        dash = Dashboard(page, live_server).open(f"?{query}")
        page.evaluate("() => document.getElementById('tab-derivation').click()")
        page.wait_for_selector(BATCH_LOADED, timeout=15_000)
        page.wait_for_selector(SAMPLE_LOADED)
        return dash

    yield open_sized
    for context in made:
        for page in context.pages:
            close_as_a_new_teacher_follows(page)
        context.close()
    assert recorder.unexpected_errors() == [] and recorder.foreign_urls() == []


def derivation(dash: Dashboard, n: int = 0) -> dict:
    reply = httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/derivation/{n}")
    reply.raise_for_status()
    return reply.json()


def annotation(page, form: str, name: str) -> str:
    return page.text_content(f'.form-{form} .stage[data-stage="{name}"] .stage-value annotation')


def matrix_cells(tex: str) -> list[list[str]]:
    body = re.search(r"\\begin\{bmatrix\}(.*)\\end\{bmatrix\}", tex, re.S)[1]
    return [[c.strip() for c in row.split("&")] for row in body.split("\\\\")]


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"derivation-batch-{name}.png"))


@pytest.mark.slow
def test_a_laptop_shows_both_forms_side_by_side_with_all_eight_classes_uncut(sized):
    dash = sized(1366, 768, EIGHT_CLASSES)
    page = dash.page
    boxes = page.evaluate(BOXES)
    sample, batch = boxes[".form-sample"], boxes[".form-batch"]
    assert sample["right"] <= batch["left"] and abs(sample["top"] - batch["top"]) < 2, boxes
    assert batch["width"] >= 450, "half the views' width, enough for eight columns"
    assert page.evaluate(CUT) == []

    # Every column of the eight classes, J whole: no ⋯ in any of them.
    for form, name, rows in [
        ("sample", "J", 8),
        ("sample", "dW2", 8),
        ("sample", "y_hat", 1),
        ("batch", "dz2", 5),
        ("batch", "y_hat", 5),
        ("batch", "W2", 8),
        ("batch", "dW2", 8),
    ]:
        cells = matrix_cells(annotation(page, form, name))
        assert [len(row) for row in cells] == [8] * rows, (form, name, cells)
        assert "cdots" not in annotation(page, form, name)

    # The numbers are the server's, a long matrix its first rows, its shape whole under it.
    d = derivation(dash)
    for stage in d["batch"]["stages"]:
        shown = tex_numbers(annotation(page, "batch", stage["name"]))
        assert_array_shown(shown, stage["value"])
        row = f'.form-batch .stage[data-stage="{stage["name"]}"]'
        dims, shape = stage["dims"], stage["shape"]
        symbolic = f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"
        actual = f"({shape[0]},)" if len(shape) == 1 else f"({', '.join(map(str, shape))})"
        assert page.text_content(f"{row} .stage-shape") in (actual, f"{symbolic} = {actual}")
    dz2 = '.form-batch .stage[data-stage="dz2"]'
    assert page.text_content(f"{dz2} .stage-shape") == "(N, C) = (160, 8)"
    assert page.text_content(f"{dz2} .stage-more") == "… 155 more rows"
    assert page.text_content('.form-batch .stage[data-stage="dW1"] .stage-shape') == "(2, H) = (2, 8)"
    assert not page.is_visible('.form-batch .stage[data-stage="W2"] .stage-more'), "H = 8 rows: all of them"
    # The check that the two forms agree, with the server's numbers.
    for check in d["batch"]["sums"]:
        text = page.text_content(f'.batch-sum[data-sum="{check["name"]}"]')
        assert "the same, to rounding" in text and check["agree"]
        difference, largest = text_numbers(text.split("largest |difference|")[1])[:2]
        assert difference == pytest.approx(check["max_abs_difference"], rel=0.05)
        assert largest == pytest.approx(check["max_abs"], rel=1e-3)
    screenshot(page, "laptop-1366x768")
    page.click("#inspector-enlarge")
    page.wait_for_function("() => document.querySelector('.panel-tabs').classList.contains('enlarged')")
    assert page.evaluate(CUT) == []
    screenshot(page, "laptop-1366x768-enlarged")


def test_the_power_of_ten_is_written_once_outside_the_brackets(sized):
    """At the first step the hidden layer's dz1 spans 1e-3 to 1e-7: once it read
    10⁻³·[−0.01138 … 7.924×10⁻⁴ …], a power inside a power."""
    dash = sized(1366, 768, EIGHT_CLASSES)
    page = dash.page
    scaled = 0
    for row in page.query_selector_all(".derivation .stage"):
        if not row.is_visible() or not row.query_selector(".stage-value .katex"):
            continue
        text = row.query_selector(".stage-value .katex-html").text_content()
        tex = row.query_selector(".stage-value annotation").text_content()
        where = f"{row.get_attribute('data-stage')}: {text}"
        assert "×" not in text, where  # no entry with a power of its own
        assert text.count("⋅") <= 1, where
        if "⋅" in text:  # the one factor, in front of the brackets: "=10−3⋅[…]"
            assert row.evaluate(FACTOR_BEFORE_BRACKET), where
            power, body = tex_factor(tex)
            assert power != 0 and "10^" not in body, where
            scaled += 1
    assert scaled >= 10, "the gradients (1/N-sized) were written with a factor"
    dz1 = np.array(next(s["value"] for s in derivation(dash)["stages"] if s["name"] == "dz1"))
    assert np.max(np.abs(dz1)) / np.min(np.abs(dz1[dz1 != 0])) > 100, "entries of very different sizes"


def test_a_1280x720_projector_stacks_the_forms_and_cuts_nothing_at_1024_hidden_units(sized):
    dash = sized(1280, 720, "dataset=blobs&classes=8&hidden=1024&present=1")
    page = dash.page
    boxes = page.evaluate(BOXES)
    assert boxes[".form-batch"]["top"] >= boxes[".form-sample"]["bottom"], boxes
    assert page.evaluate(CUT) == []
    # The classes' columns whole, the hidden units' rows and columns cut where a whole number ends.
    eight_columns = [("sample", "dW2", 8), ("batch", "W2", 8), ("batch", "dW2", 8), ("batch", "dz2", 5)]
    for form, name, rows in eight_columns:
        cells = matrix_cells(annotation(page, form, name))
        assert [len(row) for row in cells] == [8] * rows and "cdots" not in str(cells), (form, name)
    assert page.text_content('.form-sample .stage[data-stage="dW2"] .stage-more') == "… 1016 more rows"
    assert page.text_content('.form-batch .stage[data-stage="dW2"] .stage-shape') == "(H, C) = (1024, 8)"
    z1 = matrix_cells(annotation(page, "batch", "z1"))
    assert [row[6] for row in z1] == ["\\cdots"] * 5 and len(z1[0]) == 8, "six columns, ⋯, the last"
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.derivation .katex')).fontSize)"
    )
    assert size >= 23, "formulas for the back of the room"
    page.locator(".form-batch").scroll_into_view_if_needed()
    screenshot(page, "projector-1280x720")


def test_a_phone_stacks_the_forms_and_a_wide_matrix_scrolls_by_keyboard(sized):
    dash = sized(390, 844, EIGHT_CLASSES)
    page = dash.page
    boxes = page.evaluate(BOXES)
    assert boxes[".form-batch"]["top"] >= boxes[".form-sample"]["bottom"], boxes
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 390, (
        "the page itself never scrolls sideways"
    )
    scrolling = page.evaluate(
        """() => [...document.querySelectorAll('.derivation .stage-value')]
             .filter(v => v.offsetParent && v.scrollWidth > v.clientWidth + 1)
             .map(v => ({stage: v.closest('.stage').dataset.stage, focusable: v.tabIndex === 0}))"""
    )
    assert scrolling, "eight columns are wider than a phone: those matrices scroll"
    assert all(s["focusable"] for s in scrolling), scrolling
    page.locator(".form-batch").scroll_into_view_if_needed()
    screenshot(page, "phone-390x844")
