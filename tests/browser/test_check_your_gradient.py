"""Check your gradient as a student meets it: the snippet run on the downloaded file writes a
mine.json that is compared at the downloaded step after the run trained on and was reset; the
tab shows the last check again after a reload, from the server; a new run shows none, and refuses
the old run's file in words; the answer reads on a phone and at a projector."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from .conftest import SCREENSHOTS, close_as_a_new_teacher_follows, open_page
from .dashboard import Dashboard

pytestmark = pytest.mark.browser

YOUR_CODE = "# ... your forward pass and backward pass for"

# A student's backward pass for tanh, written from the lecture notes, not from app.core.
STUDENT_CODE = """z1 = X @ W1 + b1; a1 = np.tanh(z1); z2 = a1 @ W2 + b2
p = np.exp(z2 - z2.max(axis=1, keepdims=True)); p /= p.sum(axis=1, keepdims=True)
dz2 = (p - Y) / N
dW2 = a1.T @ dz2 + lam * W2; db2 = dz2.sum(axis=0)
da1 = dz2 @ W2.T; dz1 = da1 * (1 - a1**2)
dW1 = X.T @ dz1 + lam * W1; db1 = dz1.sum(axis=0)"""

NO_HORIZONTAL_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"check-{name}.png"))


def open_at_step_10(dash: Dashboard) -> str:
    dash.open()
    dash.page.click("#step10")
    dash.wait_for_step("s === 10")
    dash.page.click("#tab-compare")
    return dash.session_id()


def download_inputs(page, folder) -> tuple[dict, str]:
    """Download the inputs into `folder` under the name the browser suggests; (inputs, that name)."""
    with page.expect_download() as download:
        page.click("#compare-download")
    name = download.value.suggested_filename
    download.value.save_as(folder / name)
    return json.loads((folder / name).read_text()), name


def run_snippet(page, folder) -> dict:
    """The page's snippet with the student's code in place of its placeholder, run where the
    download was saved: the mine.json it writes."""
    snippet = page.text_content(".compare-snippet pre")
    assert YOUR_CODE in snippet
    (folder / "student.py").write_text(snippet.replace(YOUR_CODE, STUDENT_CODE))
    subprocess.run([sys.executable, "student.py"], cwd=folder, check=True, timeout=30)
    return json.loads((folder / "mine.json").read_text())


def gradients_text(inputs: dict) -> str:
    """The right gradients for downloaded inputs, as a student would paste them (no pin)."""
    X, Y, lam, N = np.array(inputs["X"]), np.array(inputs["Y"]), inputs["lam"], len(inputs["X"])
    W1, b1, W2, b2 = (np.array(inputs[k]) for k in ("W1", "b1", "W2", "b2"))
    scope = {"np": np, "X": X, "Y": Y, "lam": lam, "N": N, "W1": W1, "b1": b1, "W2": W2, "b2": b2}
    exec(STUDENT_CODE, scope)
    return json.dumps({"gradients": {k: scope[k].tolist() for k in ("dW1", "db1", "dW2", "db2")}})


def compare_posts(recorder) -> int:
    return sum(1 for u in recorder.urls if u.split("?")[0].endswith("/compare"))


def test_the_snippets_file_is_checked_at_the_downloaded_step_after_training_on_and_a_reset(dash, tmp_path):
    open_at_step_10(dash)
    page = dash.page
    inputs, name = download_inputs(page, tmp_path)
    assert name == "bpv-inputs-step10.json" and inputs["step"] == 10
    assert f'open("{name}")' in page.text_content(".compare-snippet pre"), "the snippet opens the download"
    assert "the inputs at step 10" in page.text_content("#compare-pin")
    mine = run_snippet(page, tmp_path)
    assert (
        mine["inputs"]
        == inputs["pin"]
        == {
            "session": dash.session_id(),
            "step": 10,
            "params_hash": inputs["params_hash"],
        }
    )
    page.click("#step10")
    dash.wait_for_step("s === 20")
    page.click("#reset")
    dash.wait_for_step("s === 0")
    page.set_input_files("#compare-file", str(tmp_path / "mine.json"))
    page.wait_for_selector("#compare-verdict .verdict-good")
    assert page.text_content("#compare-at") == "Compared with the inputs you downloaded at step 10."
    assert page.get_attribute(".compare[data-step]", "data-step") == "10"


def test_the_tab_shows_the_last_check_again_after_a_reload(dash, laptop, recorder, tmp_path):
    session = open_at_step_10(dash)
    page = dash.page
    inputs, _ = download_inputs(page, tmp_path)
    page.fill("#compare-input", gradients_text(inputs))
    page.click("#compare-check")
    page.wait_for_selector("#compare-verdict .verdict-good")
    page.click("#step10")
    dash.wait_for_step("s === 20")
    page.close(run_before_unload=False)

    # A reload: a new page in the same browser takes the run back, and the tab its last check.
    posted_before = compare_posts(recorder)
    again = Dashboard(open_page(laptop, recorder), dash.server)
    try:
        again.open()
        assert again.session_id() == session and again.step() == 20
        again.page.click("#tab-compare")
        again.page.wait_for_selector("#compare-verdict .verdict-good")
        assert again.page.text_content("#compare-restored") == "Your last check, from step 10:"
        assert again.page.text_content("#compare-at") == "Compared with the inputs you downloaded at step 10."
        assert compare_posts(recorder) == posted_before + 1, "sent again: the numbers are the server's"
        assert "the inputs at step 10" in again.page.text_content("#compare-pin")
        assert 'open("bpv-inputs-step10.json")' in again.page.text_content(".compare-snippet pre")
        assert again.page.locator("#compare-params .compare-param").count() == 4
        screenshot(again.page, "restored-1366x768")

        # One button forgets it: after another reload, the tab is empty.
        again.page.click("#compare-clear")
        assert again.page.locator("#compare-restored").count() == 0
        assert again.page.input_value("#compare-input") == ""
        stored = again.page.evaluate(f"() => localStorage.getItem('bpv.check.{session}')")
        assert stored is None
        again.page.reload()
        again.page.wait_for_function("() => window.bpv?.framesDrawn > 0")
        again.page.click("#tab-compare")
        assert again.page.locator("#compare-verdict .compare-restored").count() == 0
        assert again.page.text_content("#compare-pin") == ""
    finally:
        close_as_a_new_teacher_follows(again.page)


def test_a_new_run_shows_no_old_check_and_refuses_the_old_runs_file(dash, recorder, tmp_path):
    old = open_at_step_10(dash)
    page = dash.page
    download_inputs(page, tmp_path)
    run_snippet(page, tmp_path)
    page.set_input_files("#compare-file", str(tmp_path / "mine.json"))
    page.wait_for_selector("#compare-verdict .verdict-good")

    dash.set_field("hidden", "6")  # another network: a new run
    page.wait_for_function(f"() => window.bpv?.sessionId && window.bpv.sessionId !== '{old}'")
    page.wait_for_selector("#compare-verdict .verdict-good", state="detached")
    assert page.input_value("#compare-input") == ""
    assert page.text_content("#compare-pin") == ""

    recorder.expect_error("409")  # Chrome logs the refusal
    page.set_input_files("#compare-file", str(tmp_path / "mine.json"))
    page.wait_for_selector("#compare-verdict .error")
    said = page.text_content("#compare-verdict .error")
    assert said.startswith("inputs.session: these inputs belong to another run")
    assert "download this run's inputs" in said


@pytest.mark.slow
@pytest.mark.parametrize("size", [(390, 844), (1920, 1080)], ids=["phone", "projector"])
def test_the_answer_reads_on_a_phone_and_at_a_projector(browser, recorder, live_server, size):
    width, height = size
    phone = width < 500
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(30_000)
    page = open_page(context, recorder)
    try:
        dash = Dashboard(page, live_server)
        open_at_step_10(dash)
        page.select_option("#compare-example", "transposed")
        page.wait_for_selector('#compare-verdict .mistake-named[data-mistake="transposed"]')
        page.locator("#compare-verdict").scroll_into_view_if_needed()
        assert page.evaluate(NO_HORIZONTAL_SCROLL), "the page scrolls sideways"
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('#compare-verdict p, .compare-param-head, .compare-shape')]
                 .map(e => e.getBoundingClientRect()).map(r => ({left: r.left, right: r.right}))"""
        )
        assert boxes and all(b["left"] >= 0 and b["right"] <= width + 0.5 for b in boxes)
        screenshot(page, f"answer-{width}x{height}")
        px = page.evaluate(
            """() => ['.mistake-title', '.mistake-named p:not(.mistake-title)']
                 .map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""
        )
        assert px[0] > px[1] >= 14, f"the mistake's title stands out, its words are readable: {px} px"

        # Every entry differs: the cells, yours over ours, marked, within the screen's width.
        page.select_option("#compare-example", "summed_not_mean")
        page.wait_for_selector('#compare-verdict .mistake-named[data-mistake="summed_not_mean"]')
        page.locator('#compare-params [data-param="W2"]').scroll_into_view_if_needed()
        assert page.evaluate(NO_HORIZONTAL_SCROLL), "the page scrolls sideways"
        assert page.locator('#compare-params [data-param="W1"] td.differs').count() == 10
        screenshot(page, f"cells-{width}x{height}")
    finally:
        close_as_a_new_teacher_follows(page)
        context.close()
    assert recorder.unexpected_errors() == []
