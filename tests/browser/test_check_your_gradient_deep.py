"""Check your gradient on a run of two hidden layers (?hidden=4,3), as a student meets it: the
snippet loads every layer and writes the backward pass as a loop; the student's loop, run on the
download, agrees; the same loop with f' left out is named, in every layer it runs for, and the
answer says the first wrong intermediate from the output down; it reads on a phone and at a
projector (screenshots test-output/compare-deep-*.png)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import SCREENSHOTS, close_as_a_new_teacher_follows, open_page
from .dashboard import Dashboard
from .test_check_your_gradient import NO_HORIZONTAL_SCROLL, YOUR_CODE, download_inputs

pytestmark = pytest.mark.browser

# A student's loop for tanh and cross-entropy at any depth, written from the notes, not app.core.
STUDENT_LOOP = """a = {0: X}; z = {}
for l in range(1, L + 1):
    z[l] = a[l-1] @ W[l] + b[l]; a[l] = np.tanh(z[l])
z[L+1] = a[L] @ W[L+1] + b[L+1]
p = np.exp(z[L+1] - z[L+1].max(axis=1, keepdims=True)); p /= p.sum(axis=1, keepdims=True)
dz = {L + 1: (p - Y) / N}; dW, db, da = {}, {}, {}
for l in range(L + 1, 0, -1):
    dW[l] = a[l-1].T @ dz[l] + lam * W[l] + l1 * np.sign(W[l]); db[l] = dz[l].sum(axis=0)
    if l > 1:
        da[l-1] = dz[l] @ W[l].T; dz[l-1] = da[l-1] * (1 - a[l-1]**2)"""
WITHOUT_F_PRIME = STUDENT_LOOP.replace(" * (1 - a[l-1]**2)", "")


def open_deep_at_step_10(dash: Dashboard) -> None:
    dash.open("?hidden=4,3")
    dash.page.click("#step10")
    dash.wait_for_step("s === 10")
    dash.page.click("#tab-compare")


def mine_from_snippet(page, folder, code: str) -> str:
    """The page's snippet with `code` in place of its placeholder and its optional intermediates
    line taken in, run where the download was saved: the mine.json it writes, as text."""
    snippet = page.text_content(".compare-snippet pre")
    assert YOUR_CODE in snippet and "for l in range(L + 1, 0, -1):" in snippet, "a loop over the layers"
    student = snippet.replace(YOUR_CODE, code).replace("# mine.update(", "mine.update(")
    (folder / "student.py").write_text(student)
    subprocess.run([sys.executable, "student.py"], cwd=folder, check=True, timeout=30)
    return (folder / "mine.json").read_text()


def check(page, text: str) -> None:
    page.fill("#compare-input", text)
    page.click("#compare-check")
    page.wait_for_selector("#compare-verdict #compare-summary")


def right_and_wrong(page, folder, size: str | None = None) -> None:
    inputs, _ = download_inputs(page, folder)
    assert inputs["hidden"] == [4, 3] and "W3" in inputs
    assert "dW1, db1, …, dW3, db3" in page.text_content(".compare-left h3:nth-of-type(2)")
    right = mine_from_snippet(page, folder, STUDENT_LOOP)
    assert set(json.loads(right)["gradients"]) >= {"dW3", "db3", "dz3", "da2", "dz2", "da1", "dz1"}
    check(page, right)
    page.wait_for_selector("#compare-verdict .verdict-good")
    assert "dW3, db3, dz3, da2, dz2, da1 and dz1, each entry within" in page.text_content("#compare-summary")
    if size:
        page.locator("#compare-verdict").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"compare-deep-right-{size}.png"))

    check(page, mine_from_snippet(page, folder, WITHOUT_F_PRIME))
    box = page.locator('#compare-verdict .mistake-named[data-mistake="missing_activation_derivative"]')
    box.wait_for()
    assert "It explains dW1, db1, dW2, db2, dz2, da1, dz1." in box.text_content()
    assert "in every hidden layer l = 1 ... 2" in box.text_content()
    where = page.locator("#compare-where")
    assert where.text_content() == (
        "dz3 is right, da2 is right, dz2 is wrong: look at f'(z2) — dz2 = da2 * (1 - a2**2)"
    )
    assert where.get_attribute("data-first-wrong") == "dz2"
    heads = page.locator("#compare-params h4").all_text_contents()
    assert heads == ["Layer 1", "Layer 2", "Layer 3", "The intermediates you sent, from the output down"]
    assert page.locator('#compare-params [data-param="W3"] .badge-pass').count() == 1
    assert page.locator('#compare-params [data-param="W2"] .badge-fail').count() == 1
    if size:
        page.locator("#compare-verdict").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"compare-deep-wrong-{size}.png"))
        dz2 = '#compare-params [data-param="dz2"]'
        page.eval_on_selector(dz2, "e => e.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(SCREENSHOTS / f"compare-deep-intermediates-{size}.png"))


@pytest.mark.slow
def test_a_deep_runs_right_loop_agrees_and_one_without_f_prime_is_named_with_its_layer(dash, tmp_path):
    open_deep_at_step_10(dash)
    right_and_wrong(dash.page, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("size", [(390, 844), (1280, 720)], ids=["phone", "projector"])
def test_the_deep_answer_reads_on_a_phone_and_at_a_projector(browser, recorder, live_server, tmp_path, size):
    width, height = size
    phone = width < 500
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(30_000)
    page = open_page(context, recorder)
    SCREENSHOTS.mkdir(exist_ok=True)
    try:
        open_deep_at_step_10(Dashboard(page, live_server))
        right_and_wrong(page, tmp_path, f"{width}x{height}")
        assert page.evaluate(NO_HORIZONTAL_SCROLL), "the page scrolls sideways"
        boxes = page.evaluate(
            """() => [...document.querySelectorAll(
                     '#compare-verdict p, .compare-param-head, #compare-params h4')]
                 .map(e => e.getBoundingClientRect())
                 .map(r => ({left: r.left, right: r.right}))"""
        )
        assert boxes and all(b["left"] >= 0 and b["right"] <= width + 0.5 for b in boxes)
        px = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('#compare-where')).fontSize)"
        )
        assert px >= 14, f"where it starts is readable: {px} px"
    finally:
        close_as_a_new_teacher_follows(page)
        context.close()
    assert recorder.unexpected_errors() == []
