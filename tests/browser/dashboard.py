"""The page as the tests see it: what a person reads on it (the step counter, the error next to a
control) and what is drawn (the boundary's pixels, the loss line's points)."""

from __future__ import annotations

import httpx

FIRST_FRAME = "() => window.bpv && window.bpv?.framesDrawn > 0"

# A digest of the decision-boundary canvas: changes when any painted pixel changes.
BOUNDARY_PIXELS = """() => {
  const c = document.getElementById('boundary-heat');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] * 7 + d[i + 1] * 3 + d[i + 2]) >>> 0;
  return {hash: h, width: c.width, height: c.height};
}"""


class Dashboard:
    def __init__(self, page, server):
        self.page = page
        self.server = server

    def open(self, query: str = "", wait_for_frame: bool = True) -> Dashboard:
        self.page.goto(f"{self.server.url}/{query}")
        if wait_for_frame:
            self.page.wait_for_function(FIRST_FRAME, timeout=15_000)
        return self

    # ---- reading ---------------------------------------------------------------------------

    def step(self) -> int:
        return int(self.page.text_content('[data-status="step"]'))

    def wait_for_step(self, condition: str, timeout: float = 10_000) -> int:
        """Wait until the step counter on the page satisfies `condition`, JS over `s`: 's >= 20'."""
        self.page.wait_for_function(
            "() => { const s = Number(document.querySelector('[data-status=\"step\"]').textContent); "
            f"return {condition}; }}",
            timeout=timeout,
        )
        return self.step()

    def probe(self) -> dict:
        return self.page.evaluate("() => ({...window.bpv, messages: undefined})")

    def session_id(self) -> str:
        return self.page.evaluate("() => window.bpv?.sessionId")

    def session_summary(self) -> dict:
        return httpx.get(f"{self.server.url}/api/sessions/{self.session_id()}").json()

    def boundary_pixels(self) -> dict:
        return self.page.evaluate(BOUNDARY_PIXELS)

    def trace(self, chart_id: str, index: int) -> dict:
        """A Plotly trace's drawn data, read from the chart's own element."""
        return self.page.evaluate(
            "([id, i]) => { const t = document.getElementById(id).data[i]; "
            "return {x: [...t.x], y: [...t.y], name: t.name}; }",
            [chart_id, index],
        )

    def error_for(self, where: str) -> str | None:
        """The error shown next to a control (None when hidden)."""
        slot = self.page.locator(f'[data-error-for="{where}"]')
        return slot.text_content() if slot.is_visible() else None

    def field(self, key: str) -> str:
        return self.page.input_value(f"#f-{key}")

    def url_query(self) -> str:
        return self.page.evaluate("() => location.search")

    # ---- doing -----------------------------------------------------------------------------

    def set_field(self, key: str, value: str) -> None:
        """Type a value and commit it, as a person does: fill, then Enter."""
        selector = f"#f-{key}"
        if self.page.eval_on_selector(selector, "el => el.tagName") == "SELECT":
            self.page.select_option(selector, value)
        else:
            self.page.fill(selector, value)
            self.page.press(selector, "Enter")

    def press(self, key: str) -> None:
        """A key pressed on the page itself, not in a form field."""
        self.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        self.page.keyboard.press(key)

    def wait_until_paused(self) -> None:
        self.page.wait_for_function("() => window.bpv?.status === 'paused'", timeout=5_000)


def api(dash: Dashboard, path: str, **params) -> dict:
    """GET /api/sessions/{the page's session}/{path}: what REST says, to compare with the page."""
    response = httpx.get(f"{dash.server.url}/api/sessions/{dash.session_id()}/{path}", params=params)
    response.raise_for_status()
    return response.json()
