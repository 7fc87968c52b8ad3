"""The page drives its run over a socket whose URL holds no token, and the server logs no token.

The token goes as a WebSocket subprotocol (docs/protocol.md); chromium fails a handshake whose
answer does not pick one of the protocols it offered, so a page that draws frames and drives
shows that the server answered as a browser requires.
"""

from __future__ import annotations

import pytest

# a live server logging at "info", and the lines it logs during a test (fixtures, used by name)
from tests.security.test_socket_and_types import logged_server, server_log, wait_for_line  # noqa: F401

from .dashboard import Dashboard

pytestmark = pytest.mark.browser


def test_the_page_drives_with_the_token_in_no_url_and_no_log_line(
    page,
    recorder,
    logged_server,  # noqa: F811 (the fixture imported above)
    server_log,  # noqa: F811
):
    dash = Dashboard(page, logged_server).open()
    assert dash.probe()["role"] == "driver"
    dash.page.click("#step10")
    assert dash.wait_for_step("s === 10") == 10
    session = dash.session_id()
    token = logged_server.app.state.registry.get(session).token
    sockets = [u for u in recorder.urls if u.startswith("ws")]
    assert sockets == [f"{logged_server.ws_url}/ws/sessions/{session}"]
    assert wait_for_line(server_log, f"WebSocket /ws/sessions/{session}").endswith("[accepted]")
    assert [line for line in server_log if token in line] == []
