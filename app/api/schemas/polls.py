"""Polls: asking the class a question about the run, a vote, and what a client is shown of a poll."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictFloat, StrictInt, field_validator

from app.core.bounds import MAX_SAMPLES
from app.training.config import Strict
from app.training.poll_templates import MAX_AHEAD
from app.training.polls_saved import CHOICE_CHARS, QUESTION_CHARS

Ahead = Annotated[int, Field(ge=1, le=MAX_AHEAD, description="how many steps ahead the question looks")]
Layer = Annotated[int, Field(ge=1, le=7)]
ViewerId = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="the viewer id the server gave a watcher's socket in its hello (8-64 letters, "
        "digits, - or _); random, nothing personal",
    ),
]


class LossAfterPoll(Strict):
    template: Literal["loss_after"]
    n: Ahead = 50


class LargerGradientPoll(Strict):
    template: Literal["larger_gradient"]
    layers: list[Layer] = Field(
        [1, 2], min_length=2, max_length=2, description="the two weight matrices compared, W(a) and W(b)"
    )


class DivergesPoll(Strict):
    template: Literal["diverges"]
    n: Ahead = 50


class FirstFlipPoll(Strict):
    template: Literal["first_flip"]
    n: Ahead = 50


class OutputDeltaPoll(Strict):
    template: Literal["output_delta"]
    sample: int = Field(
        0, ge=0, lt=MAX_SAMPLES, description="a training sample, as derivation/{n} numbers it"
    )
    class_: int = Field(1, ge=0, le=63, alias="class", description="the output unit (class)")
    tolerance: float = Field(
        0.05, ge=0.001, le=0.5, description="how near counts as right, relative to the value"
    )


class TextPoll(Strict):
    template: Literal["text"]
    question: str = Field(min_length=1, max_length=QUESTION_CHARS)
    choices: list[Annotated[str, Field(min_length=1, max_length=CHOICE_CHARS)]] = Field(
        min_length=2, max_length=5
    )
    answer: int | None = Field(None, ge=0, le=4, description="the right choice's index, if there is one")

    @field_validator("question")
    @classmethod
    def not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("question must not be blank")
        return text.strip()

    @field_validator("choices")
    @classmethod
    def choices_not_blank(cls, choices: list[str]) -> list[str]:
        if any(not c.strip() for c in choices):
            raise ValueError("choices must not be blank")
        return [c.strip() for c in choices]


PollRequest = Annotated[
    LossAfterPoll | LargerGradientPoll | DivergesPoll | FirstFlipPoll | OutputDeltaPoll | TextPoll,
    Field(discriminator="template"),
]


def template_params(request: BaseModel) -> dict:
    """The request as the template reads its parameters (without its name)."""
    return request.model_dump(by_alias=True, exclude={"template"})


class VoteRequest(Strict):
    viewer: ViewerId
    choice: StrictInt | StrictFloat = Field(
        description="a choice's index, a point's index (a point poll) or a number (a number poll)"
    )


class PollOut(BaseModel):
    id: int
    step: int = Field(description="the run's step when it was asked: its place on the timeline")
    template: str
    question: str
    kind: Literal["choice", "point", "number"] = Field(
        description="choice: vote a choice's index; point: a point's index; number: a value"
    )
    choices: list[str]
    params: dict[str, Any]
    state: Literal["open", "voting", "closed", "revealed", "answered"]
    until_step: int = Field(description="the step the run must reach for the true answer")
    voters: int
    counts: list[int] | list[list[int]] | list[float] | None = Field(
        description="null until revealed (the driver sees them live): a count per choice; "
        "[point, count] pairs, most voted first; the values voted, sorted"
    )
    answer: dict[str, Any] | None = Field(
        description="the true answer, once revealed and known: choice, points or value and "
        "tolerance, and text"
    )
    right_share: float | None = Field(description="the share of votes that got it right, once answered")
    mine: int | float | None = Field(None, description="the asking viewer's vote (GET with ?viewer=)")
    mine_right: bool | None = Field(
        None, description="whether the asking viewer's vote was right, once revealed and known"
    )
