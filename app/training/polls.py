"""A run's polls: questions the driver asks the class about what training will do next.

The life of a poll: open (no vote yet) -> voting (a vote per viewer id, changeable) -> closed ->
revealed (the counts shown) -> answered (revealed, and its true answer known: the template's,
computed from the run when it reaches the steps the answer needs; poll_templates.py).

A poll is part of its run: saved with it, shown on its timeline at its step. A viewer is a random
id the server gave its socket (viewer_ids.py); nothing personal is stored. Votes take the book's
own lock, never the run's, so a class voting at once does not hold up training; the run calls
`after_step` under its own lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from .poll_templates import TEMPLATES, Asked, Now, PollError, is_right

ACCEPTING = ("open", "voting")


@dataclass
class Poll:
    id: int
    step: int  # the run's step when it was asked
    template: str
    params: dict
    asked: Asked
    closed: bool = False
    revealed: bool = False
    votes: dict[str, int | float] = field(default_factory=dict)  # viewer id -> choice
    answer: dict | None = None  # the true answer once known; shown once revealed
    version: int = 0  # grows with every change (a vote included): the driver's view
    public_version: int = 0  # grows with changes every viewer sees (not a vote)

    @property
    def kind(self) -> str:
        return self.asked.kind

    @property
    def until_step(self) -> int:
        return self.asked.until_step

    @property
    def pending(self) -> dict:
        return self.asked.pending

    @property
    def awaiting(self) -> bool:
        """Its answer waits for steps the run has not taken yet."""
        return self.answer is None and TEMPLATES[self.template].waits

    @property
    def state(self) -> str:
        if not self.closed:
            return "voting" if self.votes else "open"
        if not self.revealed:
            return "closed"
        return "answered" if self.answer is not None else "revealed"

    def counts(self):
        """The votes, counted: a count per choice; [point, count] pairs, most voted first; the
        values voted, sorted."""
        if self.kind == "choice":
            tally = [0] * len(self.asked.choices)
            for choice in self.votes.values():
                tally[choice] += 1
            return tally
        if self.kind == "point":
            tally: dict[int, int] = {}
            for choice in self.votes.values():
                tally[choice] = tally.get(choice, 0) + 1
            return sorted(([p, k] for p, k in tally.items()), key=lambda pk: (-pk[1], pk[0]))
        return sorted(self.votes.values())

    def right_share(self) -> float | None:
        if self.answer is None or not self.votes:
            return None
        judged = [is_right(self.answer, self.kind, v) for v in self.votes.values()]
        if None in judged:  # the answer names no right choice: no share got it right or wrong
            return None
        return sum(judged) / len(judged)

    def view(self, driver: bool = False, viewer: str | None = None) -> dict:
        """What a client is shown: the counts once revealed (the driver's, always), the true
        answer once revealed and known; with `viewer`, `mine` (its vote, or None) and
        `mine_right` (whether it was right, once revealed and known)."""
        shown = self.revealed or driver
        params = dict(self.params)
        if not shown:
            params.pop("answer", None)  # a free text's right choice: the driver's until revealed
        out = {
            "id": self.id,
            "step": self.step,
            "template": self.template,
            "question": self.asked.question,
            "kind": self.kind,
            "choices": list(self.asked.choices),
            "params": params,
            "state": self.state,
            "until_step": self.until_step,
            "voters": len(self.votes),
            "counts": self.counts() if shown else None,
            "answer": self.answer if self.revealed else None,
            "right_share": self.right_share() if self.revealed else None,
        }
        if viewer is not None:
            mine = self.votes.get(viewer)
            out["mine"] = mine
            # whether that vote was right, once revealed and known (a page does not judge it)
            out["mine_right"] = (
                is_right(self.answer, self.kind, mine) if self.revealed and mine is not None else None
            )
        return out


MAX_NUMBER_VOTE = 1e6
# first_flip polls awaiting their answer at once in a run: each keeps a class per point, and the
# classes now are computed once a step for them all, but a bound keeps both small.
MAX_AWAITING_FLIPS = 3


class PollBook:
    """The polls of one run, in the order asked, and who is told when one changes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.polls: list[Poll] = []
        self._listeners: list = []  # callables(votes_only: bool)

    # ---- telling ----------------------------------------------------------------------------

    def subscribe(self, listener) -> None:
        """Call `listener(votes_only)` (from whichever thread) whenever a poll changes: votes_only
        when only its votes did. It must be quick and thread-safe."""
        with self.lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener) -> None:
        with self.lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _tell(self, votes_only: bool) -> None:
        with self.lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(votes_only)

    def _changed(self, poll: Poll, votes_only: bool = False) -> None:
        poll.version += 1
        if not votes_only:
            poll.public_version += 1

    # ---- asking and voting ------------------------------------------------------------------

    def ask(self, run, template: str, params: dict, max_polls: int) -> Poll:
        """A new poll on `run` (the caller holds the run's lock); PollError if it cannot be asked."""
        if template not in TEMPLATES:
            raise PollError(f"template must be one of {', '.join(TEMPLATES)}, got {template!r}", "template")
        if template == "first_flip" and self._awaiting_flips() >= MAX_AWAITING_FLIPS:
            raise PollError(
                f"this run already has {MAX_AWAITING_FLIPS} first_flip polls awaiting their answer, "
                "the most at once: play on until they are answered",
                "template",
                409,
            )
        asked = TEMPLATES[template].ask(run, params)
        with self.lock:
            if len(self.polls) >= max_polls:
                raise PollError(
                    f"this run already has {len(self.polls)} polls, the server's limit", "polls", 429
                )
            poll = Poll(
                len(self.polls) + 1, run.step_count, template, dict(params), asked, answer=asked.answer
            )
            self.polls.append(poll)
        self._tell(False)
        return poll

    def _awaiting_flips(self) -> int:
        with self.lock:
            return sum(p.template == "first_flip" and p.awaiting for p in self.polls)

    def get(self, poll_id: int) -> Poll:
        with self.lock:
            if not 1 <= poll_id <= len(self.polls):
                raise PollError(f"no poll {poll_id} in this run", "poll_id", 404)
            return self.polls[poll_id - 1]

    def vote(self, poll_id: int, viewer: str, choice, max_voters: int, points: int) -> Poll:
        """Count `viewer`'s vote (replacing its earlier one); PollError if the poll is closed, the
        choice is not one the poll takes or the poll has its maximum of voters. `points`: how many
        points the run has now (a point poll's choices)."""
        poll = self.get(poll_id)
        with self.lock:
            if poll.closed:
                raise PollError("voting on this poll has closed: your vote was not counted", "poll", 409)
            choice = _checked_choice(poll, choice, points)
            if viewer not in poll.votes and len(poll.votes) >= max_voters:
                raise PollError(
                    f"this poll already has {len(poll.votes)} voters, the server's limit", "viewer", 429
                )
            poll.votes[viewer] = choice
            first = len(poll.votes) == 1
            self._changed(poll, votes_only=not first)  # the first vote turns "open" into "voting"
        self._tell(votes_only=not first)
        return poll

    def close(self, poll_id: int) -> Poll:
        poll = self.get(poll_id)
        with self.lock:
            if poll.closed:
                return poll
            poll.closed = True
            self._changed(poll)
        self._tell(False)
        return poll

    def reveal(self, poll_id: int) -> Poll:
        """Show the counts (closing the voting first if it is open), and the answer once known."""
        poll = self.get(poll_id)
        with self.lock:
            if poll.revealed:
                return poll
            poll.closed = poll.revealed = True
            self._changed(poll)
        self._tell(False)
        return poll

    def views(self, driver: bool = False, viewer: str | None = None) -> list[dict]:
        with self.lock:
            return [poll.view(driver, viewer) for poll in self.polls]

    def versions(self, driver: bool) -> dict[int, int]:
        """Each poll's version as a client of this kind sees it changing."""
        with self.lock:
            return {p.id: p.version if driver else p.public_version for p in self.polls}

    # ---- the run moving on ------------------------------------------------------------------

    @property
    def awaiting(self) -> bool:
        return any(poll.awaiting for poll in self.polls)

    def after_step(self, run) -> None:
        """The run took a step (under its lock): answer the polls whose answer it brought."""
        now = Now(run)
        self._answer(run, lambda template, poll: template.at_step(run, poll, now))

    def after_stop(self, run) -> None:
        """The run diverged: the polls still waiting get the answer that gives."""
        self._answer(run, lambda template, poll: template.stopped(run, poll))

    def after_restart(self, run) -> None:
        """The run went back to step 0: an answer still awaited will not come from this past."""
        text = "no answer: the run was reset before step {}"
        self._answer(run, lambda template, poll: {"text": text.format(poll.until_step)})

    def _answer(self, run, find) -> None:
        waiting = [poll for poll in self.polls if poll.awaiting]
        if not waiting:
            return
        answered = [(poll, find(TEMPLATES[poll.template], poll)) for poll in waiting]
        told = False
        with self.lock:
            for poll, answer in answered:
                if answer is not None:
                    poll.answer = answer
                    self._changed(poll)
                    told = True
        if told:
            self._tell(False)

    # ---- saving -----------------------------------------------------------------------------

    def state(self) -> list[dict]:
        """The polls as a saved run keeps them: the votes as anonymous choices, no viewer id."""
        with self.lock:
            return [
                {
                    "id": p.id,
                    "step": p.step,
                    "template": p.template,
                    "params": dict(p.params),
                    "question": p.asked.question,
                    "kind": p.kind,
                    "choices": list(p.asked.choices),
                    "until_step": p.until_step,
                    "pending": {
                        k: v.tolist() if isinstance(v, np.ndarray) else v
                        for k, v in p.pending.items()
                        if k != "data_version"
                    },
                    "closed": p.closed,
                    "revealed": p.revealed,
                    "votes": list(p.votes.values()),
                    "answer": p.answer,
                }
                for p in self.polls
            ]

    def load_state(self, saved: list[dict], data_version: int) -> None:
        """Polls read back from a saved run (checked by its schema); a poll waiting for a flip or a
        loss watches the restored run's points."""
        polls = []
        for s in saved:
            pending = dict(s["pending"])
            if "classes" in pending:
                pending["classes"] = np.asarray(pending["classes"], dtype=np.uint8)
            if "classes" in pending or "baseline" in pending:
                pending["data_version"] = data_version
            asked = Asked(s["question"], s["kind"], list(s["choices"]), s["until_step"], None, pending)
            votes = {f"saved-{i}": v for i, v in enumerate(s["votes"])}
            polls.append(
                Poll(
                    s["id"],
                    s["step"],
                    s["template"],
                    dict(s["params"]),
                    asked,
                    s["closed"],
                    s["revealed"],
                    votes,
                    s["answer"],
                )
            )
        with self.lock:
            self.polls = polls


def _checked_choice(poll: Poll, choice, points: int):
    """The vote as the poll counts it; PollError naming `choice` if the poll does not take it."""
    if poll.kind == "number":
        if (
            isinstance(choice, bool)
            or not isinstance(choice, (int, float))
            or not abs(choice) <= MAX_NUMBER_VOTE
        ):
            raise PollError(
                f"choice must be a number from -{MAX_NUMBER_VOTE:g} to {MAX_NUMBER_VOTE:g}", "choice"
            )
        return float(choice)
    many = len(poll.asked.choices) if poll.kind == "choice" else points
    if isinstance(choice, bool) or not isinstance(choice, int) or not 0 <= choice < many:
        what = "choice" if poll.kind == "choice" else "point"
        raise PollError(f"choice must be the index of a {what}, 0 to {many - 1}, got {choice!r}", "choice")
    return choice
