"""A watcher is never shown a poll's right answer before the driver reveals it: not over REST
without the driver's token, not in the hello, not in a poll message, for every template."""

from __future__ import annotations

import httpx
import pytest

from app.training.poll_templates import TEMPLATES

from .conftest import auth
from .test_polls_stream import next_poll
from .test_stream import Watcher, new_session

ASKED = {
    "loss_after": {"n": 5},
    "larger_gradient": {"layers": [1, 2]},
    "diverges": {"n": 5},
    "first_flip": {"n": 5},
    "output_delta": {"sample": 0, "class": 1},
    "text": {"question": "Which?", "choices": ["a", "b", "c"], "answer": 2},
}


def test_every_template_is_asked_here():
    assert set(ASKED) == set(TEMPLATES)


def holds_no_answer(view: dict) -> None:
    assert view["answer"] is None and view["right_share"] is None, view
    assert "answer" not in view["params"], view
    assert view.get("mine_right") is None, view


@pytest.mark.slow  # about two seconds: six polls over two sockets
def test_a_watcher_sees_no_right_answer_before_the_reveal(live_server):
    c = new_session(live_server)
    sid, h = c["id"], auth(c["token"])
    url = f"{live_server.url}/api/sessions/{sid}/polls"
    early = Watcher(live_server, sid)
    asked = []
    for template, params in ASKED.items():
        r = httpx.post(url, json={"template": template, **params}, headers=h)
        assert r.status_code == 201, r.text
        asked.append(r.json())
        told = next_poll(early)
        assert told["template"] == template
        holds_no_answer(told)
    assert asked[-1]["params"]["answer"] == 2  # the driver's own view keeps what it asked
    late = Watcher(live_server, sid)
    assert [p["template"] for p in late.hello["polls"]] == list(ASKED)
    for view in late.hello["polls"]:
        holds_no_answer(view)
    for poll in asked:
        holds_no_answer(httpx.get(f"{url}/{poll['id']}").json())
        httpx.post(f"{url}/{poll['id']}/close", headers=h)
        holds_no_answer(httpx.get(f"{url}/{poll['id']}").json())
    for view in httpx.get(url).json():
        holds_no_answer(view)
    revealed = httpx.post(f"{url}/{asked[-1]['id']}/reveal", headers=h).json()
    watched = httpx.get(f"{url}/{revealed['id']}").json()
    assert watched["answer"]["choice"] == 2 and watched["params"]["answer"] == 2
    early.close()
    late.close()
