"""Saved runs from the page: save, the list, open in another browser and drive it, download the
run file and upload it back."""

from __future__ import annotations

import json

import httpx
import pytest

from .conftest import Recorder, new_context, open_page
from .dashboard import Dashboard

pytestmark = pytest.mark.browser


def step_to(dash: Dashboard, target: int) -> None:
    while dash.step() < target:
        before = dash.step()
        dash.page.click("#step10")
        dash.wait_for_step(f"s >= {before + 10}")


def save(dash: Dashboard, name: str) -> None:
    dash.page.click("#runs-save")
    dash.page.fill("#save-name", name)
    dash.page.press("#save-name", "Enter")
    dash.page.wait_for_function(
        "(name) => document.getElementById('runs-status').textContent.includes(name)", arg=name
    )


def listed_row(page, name: str):
    page.click("#runs-list")
    row = page.locator("#runs-rows tr", has_text=name)
    row.wait_for()
    return row


@pytest.mark.slow
def test_save_lists_the_run_and_another_browser_opens_it_and_drives_it(dash, browser, live_server):
    dash.open("?dataset=circles&hidden=7")
    step_to(dash, 30)
    step = dash.step()
    # The default name is the data and the step.
    dash.page.click("#runs-save")
    assert dash.page.input_value("#save-name") == f"circles at step {step}"
    dash.page.keyboard.press("Escape")
    assert not dash.page.locator("#save-dialog").is_visible()
    save(dash, "before the break")

    saved = next(
        r for r in httpx.get(f"{live_server.url}/api/runs").json() if r["name"] == "before the break"
    )
    row = listed_row(dash.page, "before the break")
    cells = row.locator("td").all_text_contents()
    assert cells[1] == str(step) and cells[2] == "circles, 200 points"
    assert cells[3] == f"train {100 * saved['accuracy']:.1f}% · test {100 * saved['test_accuracy']:.1f}%"
    assert row.locator("button", has_text="Delete").count() == 1  # this browser saved it
    dash.page.keyboard.press("Escape")
    assert not dash.page.locator("#runs-dialog").is_visible()

    # Another browser (a new context: no storage shared) opens it: at that step, and drivable.
    recorder = Recorder()
    context = new_context(browser)
    context.set_default_timeout(30_000)  # a cold cache: plotly.js is loaded again
    try:
        other = Dashboard(open_page(context, recorder), live_server).open()
        first = other.session_id()
        row = listed_row(other.page, "before the break")
        assert row.locator("button", has_text="Delete").count() == 0  # not this browser's run
        row.locator("button", has_text="Open").click()
        other.page.wait_for_function(
            "(old) => { const p = window.bpv || {}; "
            "return p.sessionId !== old && p.role === 'driver' && p.framesDrawn; }",
            arg=first,
        )
        assert other.wait_for_step(f"s === {step}") == step
        assert other.field("dataset") == "circles" and other.field("hidden") == "7"
        other.page.wait_for_function("() => /dataset=circles.*hidden=7/.test(location.search)")
        other.page.click("#step1")
        assert other.wait_for_step(f"s === {step + 1}") == step + 1
        # the page's previous run is gone, replaced by the opened one
        assert httpx.get(f"{live_server.url}/api/sessions/{first}").status_code == 404
        assert recorder.unexpected_errors() == []
    finally:
        context.close()


@pytest.mark.slow
def test_download_gives_the_run_file_and_upload_lists_it(dash, recorder, tmp_path):
    recorder.expect_error("status of 422")  # the spoiled file, refused on purpose
    dash.open()
    dash.page.click("#step10")
    dash.wait_for_step("s >= 10")
    save(dash, "moons / ten steps")
    row = listed_row(dash.page, "moons / ten steps")
    with dash.page.expect_download() as download:
        row.locator("a", has_text="Download").click()
    assert download.value.suggested_filename == "moons-ten-steps.json"
    path = tmp_path / "run.json"
    download.value.save_as(path)
    document = json.loads(path.read_text())
    assert document["format"] == "backprop-visualizer/saved-run/2" and document["step"] == dash.step()

    document["name"] = "uploaded again"
    path.write_text(json.dumps(document))
    dash.page.set_input_files("#runs-upload", str(path))
    uploaded = dash.page.locator("#runs-rows tr", has_text="uploaded again")
    uploaded.wait_for()
    assert uploaded.locator("td").nth(1).text_content() == str(document["step"])
    assert uploaded.locator("button", has_text="Delete").count() == 1

    # A spoiled file is refused with the field named; a file that is not JSON says so.
    document["params"].pop("b2")
    path.write_text(json.dumps(document))
    dash.page.set_input_files("#runs-upload", str(path))
    error = dash.page.locator("#runs-error")
    error.wait_for()
    assert "run.json was refused" in error.text_content() and "params" in error.text_content()
    (tmp_path / "notes.json").write_text("not json at all")
    dash.page.set_input_files("#runs-upload", str(tmp_path / "notes.json"))
    dash.page.wait_for_function(
        "() => document.getElementById('runs-error').textContent.includes('notes.json')"
    )
    assert "not JSON" in error.text_content()

    # Delete: a second click confirms; the row goes.
    delete = uploaded.locator("button", has_text="Delete")
    delete.click()
    assert delete.text_content() == "Delete: sure?"
    delete.click()
    uploaded.wait_for(state="detached")
