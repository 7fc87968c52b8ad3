"""The export menu on the page: Export -> Boundary PNG downloads a PNG the server drew of this run
at its step, Escape closes the menu, and the animation's progress bar fills up and offers the GIF,
which decodes with a frame a kept step."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import httpx
import pytest
from PIL import Image, ImageSequence

from .dashboard import Dashboard
from .test_presets_show import scrub_to

pytestmark = pytest.mark.browser


def trained(dash: Dashboard, steps: int = 20) -> None:
    dash.open()
    dash.page.click("#step10")
    dash.wait_for_step("s === 10")
    if steps > 10:
        dash.page.click("#step10")
        dash.wait_for_step(f"s === {steps}")


def test_export_boundary_png_downloads_what_the_server_drew(dash, tmp_path):
    trained(dash)
    page = dash.page
    page.click("#export-open")
    assert page.get_attribute("#export-open", "aria-expanded") == "true"
    assert page.locator("#export-compare-png").count() == 0  # no other run on the main page
    with page.expect_download() as download:
        page.click("#export-boundary-png")
    assert download.value.suggested_filename == "boundary-step20.png"
    path = tmp_path / "b.png"
    download.value.save_as(path)
    image = Image.open(path)
    assert image.format == "PNG" and image.width == 1200
    # the same figure the API draws for this run at this step, pixel for pixel
    direct = httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/figures/boundary.png?width=1200")
    assert Image.open(io.BytesIO(direct.content)).tobytes() == image.tobytes()
    page.keyboard.press("Escape")
    assert page.locator("#export-menu").is_hidden()
    assert page.evaluate("() => document.activeElement.id") == "export-open"


def test_export_menu_works_from_the_keyboard_and_says_what_went_wrong(dash, recorder):
    trained(dash, 10)
    page = dash.page
    page.focus("#export-open")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "export-boundary-png"  # focus in the menu
    page.route("**/figures/**", lambda route: route.abort())  # the network drops the request
    recorder.expect_error("ERR_FAILED")  # Chrome logs the dropped request
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Boundary SVG
    page.wait_for_function("() => !document.getElementById('export-error').hidden")
    assert "the server cannot be reached" in page.text_content("#export-error")
    page.unroute("**/figures/**")
    page.keyboard.press("Escape")
    assert page.locator("#export-menu").is_hidden()


@pytest.mark.slow
def test_animation_progress_reaches_done_and_offers_the_gif(dash):
    trained(dash, 20)
    page = dash.page
    page.click("#export-open")
    page.click("#export-gif")
    page.wait_for_function("() => !document.getElementById('export-gif-file').hidden", timeout=30_000)
    progress = page.evaluate(
        "() => { const p = document.getElementById('export-progress'); return [p.value, p.max]; }"
    )
    assert progress == [21, 21]  # steps 0 to 20, every one kept
    assert "21 of 21 frames" in page.text_content("#export-progress-label")
    assert page.get_attribute("#export-progress", "id") == page.get_attribute("#export-progress-label", "for")
    href = page.get_attribute("#export-gif-file", "href")
    gif = Image.open(io.BytesIO(httpx.get(f"{dash.server.url}{href}").content))
    assert gif.format == "GIF" and sum(1 for _ in ImageSequence.Iterator(gif)) == 21


def test_scrubbed_back_the_boundary_export_is_of_the_step_shown(dash, tmp_path):
    """The timeline moved back to step 10 of 20: Export draws the run as it was at step 10 (the
    figure's title and file name), and the loss chart still its whole history."""
    trained(dash, 20)
    scrub_to(dash, 10)
    page = dash.page
    page.click("#export-open")
    with page.expect_download() as download:
        page.click("#export-boundary-svg")
    assert download.value.suggested_filename == "boundary-step10.svg"
    path = tmp_path / "b.svg"
    download.value.save_as(path)
    title = ElementTree.parse(path).getroot().find("{http://www.w3.org/2000/svg}title").text
    assert "step 10" in title
    page.click("#timeline-live")  # back to the run as it is: the menu closed by the click
    page.click("#export-open")
    with page.expect_download() as download:
        page.click("#export-boundary-svg")
    assert download.value.suggested_filename == "boundary-step20.svg"
