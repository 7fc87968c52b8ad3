"""A room that outlives the teacher's page: a student watches a playing run and keeps counting
steps while the teacher reloads, closes the tab and comes back, or takes over from a second
device with the driver link; the student sees "the teacher is reconnecting" meanwhile, and the
teacher's controls work after each. The student's own socket comes back by itself after a
network drop and after a link that went silent."""

from __future__ import annotations

import pytest

from .conftest import SCREENSHOTS, Recorder, new_context, open_page
from .dashboard import FIRST_FRAME, Dashboard
from .room import LOAD_MS, TcpProxy, Watcher, open_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class Teacher:
    """The teacher's browser: one context (one localStorage), its pages each a Dashboard."""

    def __init__(self, browser, server):
        self.server = server
        self.recorder = Recorder()
        self.context = new_context(browser)

    def open(self, path: str = "/") -> Dashboard:
        dash = Dashboard(open_page(self.context, self.recorder), self.server)
        return open_and_wait(dash, f"{self.server.url}{path}")

    def close(self) -> None:
        self.context.close()
        assert self.recorder.unexpected_errors() == [], "the teacher's page logged errors"
        assert self.recorder.foreign_urls() == []


@pytest.fixture
def teacher(browser, live_server):
    t = Teacher(browser, live_server)
    yield t
    t.close()


@pytest.fixture
def watchers():
    opened: list[Watcher] = []
    yield opened
    for w in opened:
        w.close()


def drive_a_playing_run(teacher: Teacher) -> tuple[Dashboard, str]:
    driver = teacher.open("/")
    driver.page.click("#play")
    driver.page.wait_for_function("() => window.bpv.status === 'running'")
    return driver, driver.session_id()


def is_the_driver_of(dash: Dashboard, session: str) -> None:
    probe = dash.probe()
    assert probe["sessionId"] == session and probe["role"] == "driver"


def controls_work(driver: Dashboard, watcher: Watcher) -> None:
    """Pause and step on the driver's page change the step the student sees; then play again."""
    if driver.probe()["status"] == "running":
        driver.page.click("#play")
    driver.wait_until_paused()
    watcher.dash.wait_until_paused()
    final = driver.session_summary()["step"]
    assert watcher.dash.wait_for_step(f"s === {final}") == final
    driver.page.click("#step10")
    assert watcher.dash.wait_for_step(f"s === {final + 10}") == final + 10
    driver.page.click("#play")
    watcher.keeps_counting()


def away_note(watcher: Watcher) -> str:
    note = watcher.dash.page.locator("#driver-away")
    note.wait_for(state="visible")
    return note.text_content()


def test_driver_reload_keeps_the_room(teacher, watchers, browser, live_server):
    driver, session = drive_a_playing_run(teacher)
    watcher = Watcher(browser, live_server, session)
    watchers.append(watcher)
    watcher.keeps_counting()
    registry = live_server.app.state.registry
    sessions = len(registry)
    for _ in range(3):
        before = watcher.dash.step()
        driver.page.reload(wait_until="commit")
        driver.page.wait_for_function(FIRST_FRAME, timeout=LOAD_MS)
        is_the_driver_of(driver, session)
        assert f"?drive={session}" in driver.page.url
        assert driver.step() >= before  # the same run, where it got to
        watcher.keeps_counting()
    # Reloads take the stored run back: no run is made per reload, so a room of reloading
    # laptops does not fill the server's session limit.
    assert len(registry) == sessions
    assert driver.probe()["status"] == "running"  # playing, as left
    controls_work(driver, watcher)


def test_driver_closes_the_tab_and_reopens_the_site(teacher, watchers, browser, live_server):
    driver, session = drive_a_playing_run(teacher)
    watcher = Watcher(browser, live_server, session)
    watchers.append(watcher)
    watcher.keeps_counting()

    driver.page.close()
    assert "teacher is reconnecting" in away_note(watcher)
    assert watcher.dash.page.is_hidden('[data-error-for="general"]'), "not an error"
    watcher.keeps_counting()  # the run plays on while the teacher is away
    SCREENSHOTS.mkdir(exist_ok=True)
    watcher.dash.page.screenshot(path=str(SCREENSHOTS / "viewer-teacher-away.png"))

    # The site's own address: the class's run comes back, not a new one.
    driver = teacher.open("/")
    is_the_driver_of(driver, session)
    assert "Resumed your run" in driver.page.text_content("#room-note")
    watcher.dash.page.locator("#driver-away").wait_for(state="hidden")
    watcher.keeps_counting()
    controls_work(driver, watcher)

    # The address the tab had (history, a bookmark): /?drive=<id>.
    driver.page.close()
    away_note(watcher)
    driver = teacher.open(f"/?drive={session}")
    is_the_driver_of(driver, session)
    watcher.dash.page.locator("#driver-away").wait_for(state="hidden")
    controls_work(driver, watcher)


def test_the_driver_link_takes_the_run_to_a_second_device(teacher, watchers, browser, live_server):
    driver, session = drive_a_playing_run(teacher)
    watcher = Watcher(browser, live_server, session)
    watchers.append(watcher)
    token = live_server.app.state.registry.get(session).token

    driver.page.click("#share")
    link = driver.page.input_value("#driver-link")
    assert link == f"{live_server.url}/?drive={session}#token={token}"
    assert "keep it private" in driver.page.text_content("#driver-link-section")
    watcher.dash.page.click("#share")
    assert watcher.dash.page.is_hidden("#driver-link-section"), "a watcher is never shown a driver link"
    assert watcher.dash.page.input_value("#driver-link") == ""

    phone_recorder = Recorder()
    phone = new_context(browser, 390, 844)
    try:
        second = Dashboard(open_page(phone, phone_recorder), live_server)
        open_and_wait(second, link)
        is_the_driver_of(second, session)
        assert "#token" not in second.page.url and token not in second.page.url
        assert f"?drive={session}" in second.page.url
        watcher.keeps_counting()
        controls_work(second, watcher)
        # The first device is still a driver too: either may steer.
        is_the_driver_of(driver, session)
        controls_work(driver, watcher)
        # The token never went into a request line: it was in the fragment, then in storage.
        assert not [u for u in phone_recorder.urls if token in u]
    finally:
        phone.close()
    assert phone_recorder.unexpected_errors() == []


def test_a_wrong_token_watches_and_a_gone_run_starts_fresh(teacher, browser, live_server):
    _, session = drive_a_playing_run(teacher)
    recorder = Recorder()
    context = new_context(browser)
    try:
        other = Dashboard(open_page(context, recorder), live_server)
        open_and_wait(other, f"{live_server.url}/?drive={session}#token=not-the-token")
        assert other.probe()["role"] == "viewer" and other.session_id() == session
        assert "you are watching it" in other.error_for("general")
        assert f"watch={session}" in other.page.url and "drive=" not in other.page.url
        assert other.page.is_visible("#watching")

        # A run that no longer exists (expired, deleted, the server restarted): said, and a fresh one.
        other.page.goto(f"{live_server.url}/?drive=NoSuchRun#token=abc", wait_until="commit")
        other.page.wait_for_function(
            "() => window.bpv.framesDrawn > 0 && ![null, 'NoSuchRun'].includes(window.bpv.sessionId)",
            timeout=LOAD_MS,
        )
        fresh = other.session_id()
        assert other.probe()["role"] == "driver" and other.probe()["step"] == 0
        assert "The run you drove has ended" in other.error_for("general")
        assert f"?drive={fresh}" in other.page.url
    finally:
        context.close()
    assert recorder.unexpected_errors() == []


def test_a_setup_link_starts_its_run_and_offers_the_one_this_browser_drove(
    teacher, watchers, browser, live_server
):
    driver, session = drive_a_playing_run(teacher)
    watcher = Watcher(browser, live_server, session)
    watchers.append(watcher)
    driver.page.close()
    away_note(watcher)

    setup = teacher.open("/?dataset=circles")  # a link to a setup: that setup, in a new run
    assert setup.session_id() != session and setup.field("dataset") == "circles"
    offer = setup.page.locator("#room-action")
    offer.wait_for(state="visible")
    assert offer.text_content().startswith("Resume your run (step ")
    new_run = setup.session_id()
    offer.click()
    setup.page.wait_for_function(
        f"() => window.bpv.sessionId === {session!r} && window.bpv.role === 'driver'"
    )
    watcher.dash.page.locator("#driver-away").wait_for(state="hidden")
    assert setup.field("dataset") == "moons"  # the form shows the run it drives
    assert setup.page.is_hidden("#room-note")
    controls_work(setup, watcher)
    # The setup's run was this page's, unwatched: it is deleted, not left to idle.
    assert live_server.app.state.registry.get(new_run) is None


def test_a_viewer_is_told_when_the_server_no_longer_has_the_run(teacher, browser, live_server):
    with TcpProxy(live_server.settings.port) as proxy:
        _, session = drive_a_playing_run(teacher)
        watcher = Watcher(browser, live_server, session, base=proxy.url)
        watcher.keeps_counting()
        # What a restarted server looks like from a student's laptop: the socket drops, and the
        # run it comes back for is not there.
        proxy.cut()
        live_server.app.state.registry.delete(session)
        message = watcher.dash.page.locator('[data-error-for="general"]')
        message.wait_for(state="visible", timeout=30_000)
        assert "The run you were watching has ended" in message.text_content()
        assert "server that restarted" in message.text_content()
        assert watcher.dash.probe()["connection"] == "offline"
        watcher.close()


def test_a_viewer_comes_back_by_itself_after_a_network_drop(teacher, watchers, browser, live_server):
    with TcpProxy(live_server.settings.port) as proxy:
        _, session = drive_a_playing_run(teacher)
        watcher = Watcher(browser, live_server, session, base=proxy.url)
        watchers.append(watcher)
        page = watcher.dash.page
        watcher.keeps_counting()
        opened = proxy.websockets_opened

        proxy.cut()  # the access point dropped everyone
        page.wait_for_function("() => window.bpv.connection === 'reconnecting'")
        page.wait_for_function("() => window.bpv.connection === 'live'", timeout=30_000)
        watcher.keeps_counting()
        assert proxy.websockets_opened == opened + 1

        # A link that goes silent without closing (a laptop that slept): the page notices when the
        # network comes back (or after a silence), gives the dead socket up and connects again.
        proxy.freeze()
        page.evaluate("() => dispatchEvent(new Event('online'))")
        page.wait_for_function("() => window.bpv.connection === 'reconnecting'", timeout=30_000)
        page.wait_for_function("() => window.bpv.connection === 'live'", timeout=30_000)
        watcher.keeps_counting()
        assert proxy.websockets_opened == opened + 2
        watchers.remove(watcher)
        watcher.close()
