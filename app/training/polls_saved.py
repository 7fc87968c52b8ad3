"""A run's polls as a saved run holds them, checked whole when a file is read back (its votes as
anonymous choices: no viewer's id is kept)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from app.core.bounds import MAX_SAMPLES

from .config import Strict
from .poll_templates import KINDS, TEMPLATES

MAX_POLLS_SAVED = 1000
MAX_VOTES_SAVED = 10_000
QUESTION_CHARS = 300
CHOICE_CHARS = 80
Finite = Annotated[float, Field(allow_inf_nan=False)]
Step = Annotated[int, Field(ge=0, le=2**40)]
# What a poll still awaiting its answer computes it from, by template.
PENDING = {"loss_after": ("baseline",), "first_flip": ("classes",)}


class SavedPending(Strict):
    baseline: Finite | None = Field(None, description="the loss when asked (loss_after)")
    classes: list[Annotated[int, Field(ge=0, le=64)]] | None = Field(
        None, max_length=MAX_SAMPLES, description="each point's class when asked (first_flip)"
    )


class SavedAnswer(Strict):
    text: str = Field(max_length=QUESTION_CHARS)
    choice: int | None = Field(None, ge=0, le=4)
    points: list[Annotated[int, Field(ge=0, le=MAX_SAMPLES)]] | None = Field(None, max_length=MAX_SAMPLES)
    step: Step | None = None
    value: Finite | None = None
    tolerance: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    before: Finite | None = None
    after: Finite | None = None
    norms: list[Finite] | None = Field(None, max_length=2)


class SavedPoll(Strict):
    id: int = Field(ge=1, le=MAX_POLLS_SAVED)
    step: Step
    template: Literal[tuple(TEMPLATES)]
    params: dict[str, Any] = Field(max_length=8)
    question: str = Field(min_length=1, max_length=QUESTION_CHARS)
    kind: Literal[KINDS]
    choices: list[Annotated[str, Field(max_length=CHOICE_CHARS)]] = Field(max_length=5)
    until_step: Step
    pending: SavedPending = Field(default_factory=SavedPending)
    closed: bool
    revealed: bool
    votes: list[int | Finite] = Field(max_length=MAX_VOTES_SAVED)
    answer: SavedAnswer | None = None

    @model_validator(mode="after")
    def votes_fit(self) -> SavedPoll:
        if self.kind != TEMPLATES[self.template].kind:
            raise ValueError(f"kind: a {self.template} poll is a {TEMPLATES[self.template].kind} poll")
        if self.answer is None and TEMPLATES[self.template].waits:
            for name in PENDING.get(self.template, ()):
                if getattr(self.pending, name) is None:
                    raise ValueError(f"pending.{name}: a {self.template} poll awaiting its answer needs it")
        if self.kind == "choice":
            if any(not isinstance(v, int) or not 0 <= v < len(self.choices) for v in self.votes):
                raise ValueError("votes of a choice poll must be indices of its choices")
        if (
            self.answer is not None
            and self.kind == "number"
            and None in (self.answer.value, self.answer.tolerance)
        ):
            raise ValueError("the answer of a number poll must have a value and a tolerance")
        elif self.kind == "point" and any(
            not isinstance(v, int) or not 0 <= v < MAX_SAMPLES for v in self.votes
        ):
            raise ValueError("votes of a point poll must be point indices")
        return self


def check_polls(polls: list[SavedPoll], points: int) -> list[dict]:
    """The saved polls as PollBook.load_state takes them, for a run of `points` points; ValueError
    if their ids are not 1, 2, ... or a first_flip poll's classes are not one per point."""
    if [p.id for p in polls] != list(range(1, len(polls) + 1)):
        raise ValueError("polls must be numbered 1, 2, ... in the order asked")
    for i, p in enumerate(polls):
        if p.pending.classes is not None and len(p.pending.classes) != points:
            raise ValueError(
                f"polls[{i}].pending.classes must hold a class for each of the run's {points} points, "
                f"got {len(p.pending.classes)}"
            )
    return [
        {
            **p.model_dump(),
            "pending": p.pending.model_dump(exclude_none=True),
            "answer": p.answer.model_dump(exclude_none=True) if p.answer else None,
        }
        for p in polls
    ]
