"""The share dialog's "for slow networks" link: its viewers ask the server for fewer frames and a
coarser grid, and get them."""

from __future__ import annotations

import json
import struct
import time

import pytest

from .conftest import SCREENSHOTS, Recorder, new_context, open_page
from .dashboard import Dashboard

pytestmark = pytest.mark.browser

LIGHT_FPS, LIGHT_GRID = 10, 50
COUNTED = 20  # frames timed at the light link's viewer: two seconds at its rate


def frame_grid_size(payload) -> int | None:
    """G of a binary frame (docs/protocol.md: a uint32 header length, then the JSON header)."""
    if not isinstance(payload, bytes):
        return None
    (length,) = struct.unpack_from("<I", payload)
    return json.loads(payload[4 : 4 + length])["grid"]["G"]


def test_a_viewer_of_the_light_link_asks_for_fewer_frames_and_a_coarser_grid(page, browser, live_server):
    dash = Dashboard(page, live_server).open()
    session = dash.session_id()
    page.click("#share")
    assert page.input_value("#share-link") == f"{live_server.url}/?watch={session}"
    assert page.is_visible("#share-light-hint")
    page.check("#share-light")
    link = page.input_value("#share-link")
    assert link == f"{live_server.url}/?watch={session}&fps={LIGHT_FPS}&grid={LIGHT_GRID}"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("#share-panel").screenshot(path=str(SCREENSHOTS / "share-light.png"))
    page.uncheck("#share-light")
    assert page.input_value("#share-link") == f"{live_server.url}/?watch={session}"
    page.keyboard.press("Escape")

    context = new_context(browser, 390, 844)  # a phone
    recorder = Recorder()
    try:
        viewer = Dashboard(open_page(context, recorder), live_server)
        arrivals: list[tuple[float, int | None]] = []

        def note(ws) -> None:
            ws.on("framereceived", lambda p: arrivals.append((time.monotonic(), frame_grid_size(p))))

        viewer.page.on("websocket", note)
        viewer.page.goto(link)
        viewer.page.wait_for_function("() => window.bpv && window.bpv.framesDrawn > 0", timeout=15_000)
        assert viewer.session_id() == session
        asked = viewer.page.evaluate(
            "() => window.bpv.messages.find(m => m.type === 'ok' && m.for === 'options')"
        )
        assert asked["fps"] == LIGHT_FPS and asked["grid"] == LIGHT_GRID

        page.click("#play")  # the driver plays at 60 steps/s: every frame interval shows a new step
        viewer.wait_for_step("s >= 30")
        first = len(arrivals)
        viewer.page.wait_for_function(
            f"() => window.bpv.framesDrawn >= {viewer.probe()['framesDrawn'] + COUNTED}", timeout=15_000
        )
        page.click("#play")
        counted = [(t, G) for t, G in arrivals[first:] if G is not None]
        assert len(counted) >= COUNTED and {G for _, G in counted} == {LIGHT_GRID}
        rate = (len(counted) - 1) / (counted[-1][0] - counted[0][0])
        assert rate <= LIGHT_FPS * 1.1  # the light rate, not the page's 30 frames/s
        viewer.page.close(run_before_unload=False)
    finally:
        context.close()
    assert recorder.unexpected_errors() == [] and recorder.foreign_urls() == []
