"""The page under its Content-Security-Policy, in a real browser: plotly.js, KaTeX, the page's
modules and its WebSocket all work with script-src 'self' (no eval, no inline script), and the
policy is enforced, not just sent."""

from __future__ import annotations

import pytest

from .dashboard import FIRST_FRAME

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (e) =>
  (window.cspViolations = window.cspViolations || []).push(`${e.violatedDirective} ${e.blockedURI}`));"""


def test_the_page_draws_and_typesets_under_its_policy_with_no_violation(page, recorder, live_server):
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(f"{live_server.url}/")
    assert "script-src 'self';" in response.headers["content-security-policy"]
    page.wait_for_function(FIRST_FRAME, timeout=15_000)
    page.click("#tab-derivation")
    page.click("#derivation-next")
    page.wait_for_selector(".derivation .stage .katex", timeout=15_000)  # KaTeX, loaded on demand
    page.click("#tab-slice")
    page.wait_for_selector("#slice-chart .scatterlayer .trace", timeout=15_000)  # plotly.js, on demand
    assert page.evaluate("() => window.cspViolations || []") == []
    assert recorder.unexpected_errors() == []  # Chrome logs each refusal ("Refused to ...") as an error

    # An injected inline script is refused, and reported as such.
    recorder.expect_error("Content Security Policy")
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.injected = true"; document.body.append(s); }""")
    page.wait_for_function("() => (window.cspViolations || []).length > 0", timeout=5_000)
    assert page.evaluate("() => window.injected") is None
    assert page.evaluate("() => window.cspViolations") == ["script-src-elem inline"]


def test_the_api_reference_renders_offline_under_its_policy(page, recorder, live_server):
    """/docs draws Swagger UI from our own copy, with every request kept on this server (a room
    with no internet still has the REST reference)."""
    page.add_init_script(RECORD_VIOLATIONS)
    elsewhere = []
    page.on("request", lambda r: r.url.startswith(live_server.url) or elsewhere.append(r.url))
    page.goto(f"{live_server.url}/docs")
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=15_000)
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("backprop-visualizer")
    assert page.locator(".opblock").count() > 20  # every route, from /openapi.json
    assert elsewhere == [] and page.evaluate("() => window.cspViolations || []") == []
    assert recorder.unexpected_errors() == []
