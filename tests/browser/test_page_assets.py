"""The page's files in a real browser: every one from its content-hashed URL, gzipped on the wire,
the charts drawn, the vendored plotly.js basic bundle fetched only when the one chart that needs it
(the loss slice) is opened, and a reload that asks the server for none of them again (only the
HTML)."""

from __future__ import annotations

import pytest

from .conftest import Recorder, new_context, open_page
from .dashboard import Dashboard

pytestmark = pytest.mark.browser

CHARTS_HAVE_POINTS = """() => ['loss-chart', 'gradient-chart'].every(
  (id) => document.getElementById(id).data[0].x.length >= 3)"""

# Each step chart's canvas: its width in px and how many of its pixels are painted dark (a line,
# an axis, a label), and how many points its first series holds.
PAINTED = """() => ['loss-chart', 'gradient-chart'].map((id) => {
  const el = document.getElementById(id);
  const canvas = el.querySelector('canvas');
  const {width, height} = canvas;
  const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  let dark = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 0 && pixels[i] < 160) dark += 1;
  return {id, points: el.data[0].x.length, width, dark};
})"""

SLICE_LINE = """() => {
  const path = document.querySelector('#slice-chart .scatterlayer .trace path.js-line');
  return path ? path.getBBox().width : 0;
}"""


class Wire:
    """Every response as Chrome's DevTools protocol saw it: its URL, status, and the bytes it
    cost on the wire (0 when the browser's cache answered)."""

    def __init__(self, cdp) -> None:
        self.responses: dict[str, dict] = {}
        cdp.send("Network.enable")
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event) -> None:
        response = event["response"]
        self.responses[event["requestId"]] = {
            "url": response["url"],
            "status": response["status"],
            "encoding": {k.lower(): v for k, v in response["headers"].items()}.get("content-encoding"),
            "bytes": None,
        }

    def _finished(self, event) -> None:
        if event["requestId"] in self.responses:
            self.responses[event["requestId"]]["bytes"] = event["encodedDataLength"]

    def take(self) -> list[dict]:
        responses, self.responses = list(self.responses.values()), {}
        return responses


def test_the_page_loads_only_hashed_files_draws_its_charts_and_reloads_them_from_cache(browser, live_server):
    context = new_context(browser)  # a context of its own: an empty cache
    recorder = Recorder()
    try:
        page = open_page(context, recorder)
        wire = Wire(context.new_cdp_session(page))
        dash = Dashboard(page, live_server).open()
        page.click("#play")
        page.wait_for_function(CHARTS_HAVE_POINTS)
        first = wire.take()

        base = live_server.url
        hashed = f"{base}{live_server.app.state.static_tree.prefix}/"
        files = [r for r in first if r["url"].startswith(f"{base}/static/") or "/vendor/" in r["url"]]
        assert len(files) > 40 and all(r["url"].startswith(hashed) for r in files)
        assert all(r["status"] == 200 for r in files)
        others = {r["url"][len(base) :].split("?")[0] for r in first if r not in files}
        assert all(u == "/" or u.startswith("/api/") for u in others), others
        assert not any("/vendor/plotly/" in r["url"] for r in files), "plotly.js waits for the loss slice"
        assert all(r["encoding"] == "gzip" for r in files if r["url"].endswith((".js", ".css")))

        for chart in page.evaluate(PAINTED):  # each step chart painted its line, as wide as the chart
            assert chart["points"] >= 3 and chart["width"] > 100 and chart["dark"] > 200, chart
        assert dash.probe()["framesDrawn"] > 0

        page.click("#tab-slice")  # the one Plotly chart: plotly.js comes now, hashed and gzipped
        page.wait_for_function(f"() => ({SLICE_LINE})() > 100")
        later = wire.take()
        plotly = next(r for r in later if r["url"].endswith("/vendor/plotly/plotly-basic.min.js"))
        assert plotly["url"].startswith(hashed) and plotly["encoding"] == "gzip"
        assert 380_000 < plotly["bytes"] < 420_000  # 1.19 MB unzipped

        page.reload()
        page.wait_for_function("() => window.bpv && window.bpv.framesDrawn > 0")
        again = wire.take()
        # The HTML is asked for again (its address now holds the setup, a URL not yet cached:
        # 200, gzipped; a 304 once it is), and nothing else the page is made of.
        document = next(r for r in again if r["url"].split("?")[0] == f"{base}/")
        assert document["status"] in (200, 304) and document["bytes"] < 6_000
        cached = [r for r in again if r["url"].startswith(hashed)]
        assert len(cached) == len(files) and all(r["bytes"] == 0 for r in cached)
        assert recorder.unexpected_errors() == [] and recorder.foreign_urls() == []
    finally:
        context.close()
