"""Polls: the driver asks the class a question about its run (a template tied to the run's numbers,
or free text), viewers vote, the driver closes and reveals, and the run answers it."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response

from app.training.poll_templates import PollError
from app.training.polls import Poll

from ..deps import Authorization, Controlled, ServerSettings, Viewed, check_bearer
from ..responses import BAD_INPUT, CONTROL, NO_SUCH, error_responses
from ..schemas.errors import ErrorOut
from ..schemas.polls import PollOut, PollRequest, ViewerId, VoteRequest, template_params

router = APIRouter(prefix="/api/sessions", tags=["polls"], responses=BAD_INPUT | NO_SUCH)
PollId = Annotated[int, Path(ge=1, le=100_000)]
TOO_MANY = {429: {"model": ErrorOut, "description": "the run's maximum of polls, or the poll's of voters"}}
NOT_NOW = error_responses(409)


def refused(error: PollError) -> HTTPException:
    """A PollError as the API answers it: a 422 naming the field, or its own status and words."""
    if error.status == 422:
        return HTTPException(422, [{"loc": ["body", error.field], "msg": str(error), "type": "value_error"}])
    return HTTPException(error.status, str(error))


def poll_of(session, poll_id: int) -> Poll:
    try:
        return session.run.polls.get(poll_id)
    except PollError as e:
        raise refused(e) from None


def is_driver(session, authorization: str | None) -> bool:
    """Whether the request carries the session's token (the driver sees live counts); a wrong one
    is refused, as on every route that takes it."""
    if authorization is None:
        return False
    check_bearer(authorization, session.token, "this session")
    return True


@router.post(
    "/{session_id}/polls",
    response_model=PollOut,
    status_code=201,
    responses=CONTROL | NOT_NOW | TOO_MANY,
)
def ask_poll(session: Controlled, settings: ServerSettings, request: PollRequest):
    """Ask the class a question (the driver): a template computed from the run (loss_after,
    larger_gradient, diverges, first_flip, output_delta) or free text with 2-5 choices. Its true
    answer is found from the run, at once or when the run reaches the steps it needs (at most 3
    first_flip polls await theirs at once: a fourth is a 409). A playing run is paused once the
    question is asked: the class predicts from where it stands, and the driver plays on."""
    player = session.player
    try:
        with player.lock:
            run = player.run  # under the lock: a twins reset swaps the run
            poll = run.polls.ask(run, request.template, template_params(request), settings.max_polls)
            if player.pair is None:
                player.pause()  # under the lock: the run stands at the step the poll was asked at
    except PollError as e:
        raise refused(e) from None  # a refused question leaves a playing run playing
    if player.pair is not None:
        player.pause()  # twins pause together, taking both their locks: not while holding one
    return poll.view(driver=True)


@router.get("/{session_id}/polls", response_model=list[PollOut], responses=error_responses(403))
def list_polls(session: Viewed, authorization: Authorization = None):
    """The run's polls in the order asked; counts once revealed (the driver's token: always)."""
    return session.run.polls.views(driver=is_driver(session, authorization))


@router.get("/{session_id}/polls.csv", responses={200: {"content": {"text/csv": {}}}})
def export_polls(session: Viewed):
    """The results as CSV, a row per choice (per point voted, per value voted): the question, the
    votes (revealed polls only), the true answer and the share that got it right, once known."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["poll", "step", "question", "state", "choice", "votes", "true_answer", "right_share"])
    for view in session.run.polls.views():
        answer = (view["answer"] or {}).get("text", "")
        share = "" if view["right_share"] is None else f"{view['right_share']:.3f}"
        for choice, votes in _rows(view):
            writer.writerow(
                [
                    view["id"],
                    view["step"],
                    _cell(view["question"]),
                    view["state"],
                    _cell(choice),
                    votes,
                    _cell(answer),
                    share,
                ]
            )
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="polls-{session.id[:16]}.csv"'},
    )


def _rows(view: dict) -> list[tuple[str, int | str]]:
    counts = view["counts"]
    if view["kind"] == "choice":
        return [(c, "" if counts is None else counts[i]) for i, c in enumerate(view["choices"])]
    if counts is None:
        return [("", "")]
    if view["kind"] == "point":
        return [(f"point {p}", k) for p, k in counts] or [("", 0)]
    values: dict[float, int] = {}
    for v in counts:
        values[v] = values.get(v, 0) + 1
    return [(f"{v:g}", k) for v, k in values.items()] or [("", 0)]


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: one that starts like a formula gets a quote first."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@router.get("/{session_id}/polls/{poll_id}", response_model=PollOut, responses=error_responses(403))
def read_poll(
    session: Viewed,
    poll_id: PollId,
    viewer: Annotated[ViewerId | None, Query()] = None,
    authorization: Authorization = None,
):
    """A poll: its question and state, the counts once revealed, the true answer once revealed and
    known; with ?viewer=, that viewer's own vote as `mine`."""
    poll = poll_of(session, poll_id)
    with session.run.polls.lock:
        return poll.view(driver=is_driver(session, authorization), viewer=viewer)


@router.post(
    "/{session_id}/polls/{poll_id}/votes",
    response_model=PollOut,
    responses=NOT_NOW | TOO_MANY | error_responses(403),
)
def vote(session: Viewed, settings: ServerSettings, poll_id: PollId, body: VoteRequest):
    """Vote (anyone watching may), as `viewer`: the id the server gave a watcher's socket in its
    hello (`"viewer"`), valid while that socket is open and for a while after it closes; any other
    id is a 403, so that a client cannot make up voters. A second vote from the same viewer
    replaces the first, until the driver closes the poll (then 409, and the vote is not counted)."""
    if not session.viewer_ids.issued(body.viewer):
        raise HTTPException(
            403, "viewer: not an id this session issued: open its stream, whose hello gives one"
        )
    points = len(session.run.dataset.labels)
    try:
        poll = session.run.polls.vote(poll_id, body.viewer, body.choice, settings.max_poll_voters, points)
    except PollError as e:
        raise refused(e) from None
    session.touch()
    with session.run.polls.lock:
        return poll.view(viewer=body.viewer)


@router.post("/{session_id}/polls/{poll_id}/close", response_model=PollOut, responses=CONTROL)
def close_poll(session: Controlled, poll_id: PollId):
    """Stop the voting (the driver); the counts stay hidden from the class until revealed."""
    poll_of(session, poll_id)
    poll = session.run.polls.close(poll_id)
    with session.run.polls.lock:
        return poll.view(driver=True)


@router.post("/{session_id}/polls/{poll_id}/reveal", response_model=PollOut, responses=CONTROL)
def reveal_poll(session: Controlled, poll_id: PollId):
    """Show the class the counts (closing the voting if it is still open), and the true answer
    once the run has reached the steps it needs."""
    poll_of(session, poll_id)
    poll = session.run.polls.reveal(poll_id)
    with session.run.polls.lock:
        return poll.view(driver=True)
