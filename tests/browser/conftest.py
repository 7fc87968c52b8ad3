"""The browser fixtures: one headless chromium for the whole run, a fresh page per test that
records every request and every console message, and checks after the test that the page made
no request off this machine and logged no error."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .chromium import chromium_path, launch
from .dashboard import Dashboard

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output"


@pytest.fixture(scope="session")
def browser():
    if chromium_path() is None:
        pytest.skip("chromium is not installed (make chromium installs Debian's)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


@dataclass
class Recorder:
    """What a page did: every URL it asked for (HTTP and WebSocket), every console error."""

    urls: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    expected: list[re.Pattern] = field(default_factory=list)

    def expect_error(self, pattern: str) -> None:
        """A console error this test provokes on purpose (Chrome logs every 4xx response)."""
        self.expected.append(re.compile(pattern))

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.expected)]

    def foreign_urls(self) -> list[str]:
        return [u for u in self.urls if not u.startswith("data:") and urlsplit(u).hostname not in LOCAL_HOSTS]


@pytest.fixture
def recorder():
    return Recorder()


def open_page(context, recorder: Recorder):
    page = context.new_page()
    page.on("request", lambda r: recorder.urls.append(r.url))
    page.on("websocket", lambda ws: recorder.urls.append(ws.url))
    page.on("console", lambda m: recorder.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: recorder.errors.append(f"uncaught: {e}"))
    return page


def new_context(browser, width: int = 1366, height: int = 768):
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    return context


@pytest.fixture(scope="module")
def laptop(browser):
    """One browser context (a laptop's screen) for a module's tests: its HTTP cache keeps the
    page's files (plotly.js is 1.2 MB) between pages, as a real browser would."""
    context = new_context(browser)
    yield context
    context.close()


# Closing a page leaves its run playing for its driver to come back, and a page that names no run
# takes back the one its browser drove. The next test is a new teacher on a quiet server: end the
# runs this test drove and forget their tokens, and let a page still starting a run keep none.
END_THE_RUNS_THIS_BROWSER_DROVE = """async () => {
  let store;
  try { store = localStorage; } catch { return; }
  Storage.prototype.setItem = () => {};
  for (const key of Object.keys(store).filter((k) => k.startsWith("bpv.drive."))) {
    const { token } = JSON.parse(store.getItem(key));
    const id = encodeURIComponent(key.slice("bpv.drive.".length));
    await fetch(`/api/sessions/${id}`, { method: "DELETE", headers: { Authorization: `Bearer ${token}` } });
  }
  store.clear();
}"""


def close_as_a_new_teacher_follows(page) -> None:
    """Close a test's page in a context the next test shares, ending the runs it drove."""
    if page.is_closed():
        return
    from playwright.sync_api import Error

    with contextlib.suppress(Error):  # a page still navigating has nothing to end yet
        page.evaluate(END_THE_RUNS_THIS_BROWSER_DROVE)
    page.close(run_before_unload=False)


@pytest.fixture
def page(laptop, recorder):
    page = open_page(laptop, recorder)
    yield page
    errors = recorder.unexpected_errors()
    close_as_a_new_teacher_follows(page)
    assert errors == [], "the page logged errors"
    assert recorder.foreign_urls() == [], "the page asked for something off this machine"


@pytest.fixture
def dash(page, live_server):
    """The page on the laptop, as the tests drive it (not yet opened: dash.open())."""
    return Dashboard(page, live_server)
