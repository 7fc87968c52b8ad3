"""Predict, then reveal, in real browsers: the driver asks the class, three viewers (two phones
and the projector) vote from their share links, the driver sees the live count and no histogram
anywhere until the reveal, then the run answers and every page marks the true answer."""

from __future__ import annotations

import contextlib

import httpx
import numpy as np
import pytest

from .conftest import SCREENSHOTS, Recorder, new_context, open_page
from .test_accessibility import failing

pytestmark = pytest.mark.browser

FIRST_FRAME = "() => window.bpv && window.bpv?.framesDrawn > 0"


def open_viewer(browser, live_server, session, width, height, query=""):
    context = new_context(browser, width, height)
    recorder = Recorder()
    page = open_page(context, recorder)
    page.goto(f"{live_server.url}/?watch={session}{query}")
    page.wait_for_function(FIRST_FRAME, timeout=20_000)
    return context, page, recorder


@pytest.mark.slow  # four pages at once: about ten seconds
def test_driver_asks_three_viewers_vote_histogram_only_on_reveal(dash, browser, live_server):
    dash.open()
    session = dash.session_id()
    contexts = []
    try:
        phone_a = open_viewer(browser, live_server, session, 390, 844)
        phone_b = open_viewer(browser, live_server, session, 390, 844)
        projector = open_viewer(browser, live_server, session, 1280, 720, "&present=1")
        contexts = [phone_a, phone_b, projector]
        viewers = [c[1] for c in contexts]
        assert not dash.page.is_visible("#poll")  # nothing asked yet
        assert all(not v.is_visible("#poll-ask-open") for v in viewers)  # asking is the driver's

        # The driver asks: test loss after 10 steps, higher or lower?
        dash.page.click("#poll-ask-open")
        dash.page.select_option("#poll-template", "loss_after")
        dash.page.fill("#poll-f-n", "10")
        dash.page.click("#poll-ask-send")
        dash.page.wait_for_selector("#poll-question")
        question = dash.page.text_content("#poll-question")
        assert "After 10 more steps" in question
        poll_url = f"{live_server.url}/api/sessions/{session}/polls/1"
        for v in viewers:
            v.wait_for_selector("#poll-choice-1")
            assert v.text_content("#poll-question") == question

        # The class votes; one phone changes its mind. The driver's count is live.
        phone_a[1].click("#poll-choice-1")
        phone_a[1].wait_for_function("() => window.bpv?.poll?.mine === 1")
        phone_a[1].click("#poll-choice-0")
        phone_b[1].click("#poll-choice-1")
        projector[1].click("#poll-choice-0")
        for v, choice in zip(viewers, (0, 1, 0), strict=True):
            v.wait_for_function(f"() => window.bpv?.poll?.mine === {choice}")
            assert v.get_attribute(f"#poll-choice-{choice}", "aria-pressed") == "true"
        dash.page.wait_for_function("() => document.getElementById('poll-count')?.textContent === '3 voted'")
        # A phone reloads: its page offers back the viewer id the server gave it, and keeps its vote.
        kept = f"() => sessionStorage.getItem('bpv.viewer.{session}')"
        given = phone_a[1].evaluate(kept)
        assert given and httpx.get(poll_url, params={"viewer": given}).json()["mine"] == 0
        phone_a[1].reload()
        phone_a[1].wait_for_function(FIRST_FRAME, timeout=20_000)
        phone_a[1].wait_for_function("() => window.bpv?.poll?.mine === 0")
        assert phone_a[1].evaluate(kept) == given
        assert phone_a[1].get_attribute("#poll-choice-0", "aria-pressed") == "true"
        assert httpx.get(poll_url).json()["voters"] == 3  # the same vote, not a fourth
        assert failing(phone_a[1]) == []  # a phone's card while voting
        # No histogram anywhere before the reveal, the driver's (at the projector) included.
        for page in (dash.page, *viewers):
            assert page.locator("#poll-histogram").count() == 0
        SCREENSHOTS.mkdir(exist_ok=True)
        dash.page.screenshot(path=str(SCREENSHOTS / "poll-driver.png"))
        phone_a[1].screenshot(path=str(SCREENSHOTS / "poll-phone.png"))

        # Reveal: every page draws the counts, the server's: 2 lower, 1 higher.
        dash.page.click("#poll-reveal")
        for page in (dash.page, *viewers):
            page.wait_for_selector("#poll-histogram")
            counts = page.eval_on_selector_all(
                "#poll-histogram .poll-bar", "bars => bars.map(b => b.dataset.count)"
            )
            assert counts == ["2", "1"]
        late = phone_b[1].locator("#poll-choice-0")
        assert late.count() == 0  # no voting after the close

        # The driver plays the steps; the run answers, and every page marks it with the share right.
        dash.page.click("#step10")
        answer = httpx.get(f"{live_server.url}/api/sessions/{session}/polls/1").json()
        for page in (dash.page, *viewers):
            page.wait_for_selector("#poll-answer")
        answer = httpx.get(f"{live_server.url}/api/sessions/{session}/polls/1").json()
        assert answer["state"] == "answered"
        right = answer["choices"][answer["answer"]["choice"]]
        words = projector[1].text_content("#poll-answer")
        assert (
            answer["answer"]["text"] in words
            and f"{round(answer['right_share'] * 100)}% got it right" in words
        )
        assert (
            phone_a[1].text_content("#poll-mine")
            == f"Your vote: lower{' ✓ right' if right == 'lower' else ' ✗ not this time'}"
        )
        marked = projector[1].text_content("#poll-histogram .is-right .poll-bar-label")
        assert marked == f"✓ {right}"
        projector[1].screenshot(path=str(SCREENSHOTS / "poll-projector.png"))
        assert failing(phone_b[1]) == []  # a phone's card, revealed and answered
        phone_b[1].screenshot(path=str(SCREENSHOTS / "poll-phone-answered.png"))

        # The driver downloads the results: the server's CSV, the question's counts and answer.
        href = dash.page.get_attribute("#poll-csv", "href")
        csv_text = httpx.get(f"{live_server.url}{href}").text
        assert question in csv_text and answer["answer"]["text"] in csv_text

        # The poll sits on the timeline at its step.
        assert dash.page.locator(".timeline-mark").count() == 1
        for _, _, recorder in contexts:
            assert recorder.unexpected_errors() == []
    finally:
        for context, page, _ in contexts:
            with contextlib.suppress(Exception):
                page.close()
            context.close()


def test_a_point_poll_takes_a_click_on_a_training_point(dash, browser, live_server):
    dash.open()
    session = dash.session_id()
    token = dash.page.evaluate("(id) => JSON.parse(localStorage.getItem('bpv.drive.' + id)).token", session)
    url = f"{live_server.url}/api/sessions/{session}"
    r = httpx.post(
        f"{url}/polls", json={"template": "first_flip", "n": 30}, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 201
    context, page, recorder = open_viewer(browser, live_server, session, 1280, 720)
    try:
        page.wait_for_selector(".poll-pick")
        points = httpx.get(f"{url}/export").json()["points"]
        box = httpx.get(f"{url}/grid", params={"G": 2}).json()["box"]
        heat = page.locator("#boundary-heat").bounding_box()

        def pixel(i):
            return (
                heat["x"] + (points["x"][i] - box[0]) / (box[1] - box[0]) * heat["width"],
                heat["y"] + (1 - (points["y"][i] - box[2]) / (box[3] - box[2])) * heat["height"],
            )

        # The training point farthest from any other, so the click cannot be taken for a neighbour.
        xy = np.array([pixel(i) for i in range(len(points["x"]))])
        gaps = np.linalg.norm(xy[:, None] - xy[None], axis=2) + np.eye(len(xy)) * 1e9
        index = max(points["train"], key=lambda i: gaps[i].min())
        page.mouse.click(*xy[index])
        page.wait_for_function(f"() => window.bpv?.poll?.mine === {index}")
        assert f"point {index}" in page.text_content(".poll-pick")
        mine = httpx.get(
            f"{url}/polls/1",
            params={"viewer": page.evaluate(f"() => sessionStorage.getItem('bpv.viewer.{session}')")},
        )
        assert mine.json()["mine"] == index
        assert page.get_attribute("#tab-derivation", "aria-selected") != "true"  # a vote, not the derivation
        assert page.get_attribute("#poll-plane", "data-rings") == "1"  # my pick, ringed
        assert page.locator("#poll-histogram").count() == 0
        r = httpx.post(f"{url}/polls/1/reveal", headers={"Authorization": f"Bearer {token}"})
        assert r.json()["counts"] == [[index, 1]]
        page.wait_for_selector("#poll-histogram")  # the clicked points, counted, on the plane too
        assert page.text_content("#poll-histogram .poll-bar-label").endswith(f"point {index}")
        assert page.get_attribute("#poll-plane", "data-rings") == "1"
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "poll-point-revealed.png"))
        assert recorder.unexpected_errors() == []
    finally:
        page.close()
        context.close()


def test_q_asks_the_class_in_presentation_mode(dash):
    dash.open("?present=1")
    assert not dash.page.is_visible("#poll-ask-open")  # the form, and its button, are hidden there
    dash.page.keyboard.press("q")
    dash.page.wait_for_selector("#poll-ask", state="visible")
    dash.page.select_option("#poll-template", "larger_gradient")
    dash.page.click("#poll-ask-send")
    dash.page.wait_for_selector("#poll-question")
    assert "W1 or W2" in dash.page.text_content("#poll-question")
    assert not dash.page.is_visible("#poll-ask")
    assert failing(dash.page) == []  # the driver's card: labelled, in a landmark, legible
