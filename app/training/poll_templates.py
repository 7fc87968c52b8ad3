"""The questions a driver can ask the class about its own run, and how each finds its true answer
from the run: a template writes the question and its choices at the step it is asked, and then
answers it, at once (a gradient norm now, dL/dz now) or from the steps the run takes next (the
test loss after n steps, a divergence within n steps, the first point to flip class).

Every number comes from the core's own passes (network.py's forward, loss and backward) on the
run's parameters in float64, never from a formula of our own. Each `answer` is a dict: "choice" (the
index of the right choice), "points" (the points that flipped first) or "value" and "tolerance" (a
number), and always "text", the answer in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.core.network import backward, forward, loss, predict

KINDS = ("choice", "point", "number")
MAX_AHEAD = 10_000  # steps a question may look ahead


class PollError(ValueError):
    """A poll that cannot be asked, or a vote or change that does not fit; `field` names what to
    change, `status` is the HTTP status it answers with (422 bad input, 409 the poll's state, 429 a
    limit)."""

    def __init__(self, message: str, field: str = "body", status: int = 422):
        super().__init__(message)
        self.field = field
        self.status = status


@dataclass
class Asked:
    """A question as a template writes it at the step it is asked."""

    question: str
    kind: str  # choice: one of `choices`; point: a point's index; number: a value
    choices: list[str] = field(default_factory=list)
    until_step: int = 0  # the step the run must reach for the answer (the asking step: known now)
    answer: dict | None = None  # known at once
    pending: dict = field(default_factory=dict)  # what the answer is later computed from


def _params64(run) -> dict:
    return {name: value.astype(np.float64) for name, value in run.params.items()}


def test_loss(run) -> float:
    """The run's loss on its test points (its training points if it has none) now, in float64,
    with its penalties, as network.py computes it."""
    d = run.dataset
    rows = d.test if len(d.test) else d.train
    params = _params64(run)
    c = run.config
    with np.errstate(over="ignore", invalid="ignore"):  # a non-finite loss is checked by the caller
        fwd = forward(params, run.inputs(d.X[rows]).astype(np.float64), run.activation)
        return float(loss(params, fwd, run.Y[rows], c.lam, run.loss_name, c.l1))


def predictions(run) -> np.ndarray:
    """The class the run predicts for every point (N,) now."""
    return predict(_params64(run), run.inputs(run.dataset.X).astype(np.float64), run.activation)


class Now:
    """What the polls awaiting their answer read of the run after one step, each number computed
    once for them all (a forward pass over every point costs as much as a step)."""

    def __init__(self, run):
        self.run = run
        self._classes: np.ndarray | None = None

    @property
    def classes(self) -> np.ndarray:
        if self._classes is None:
            self._classes = point_classes(self.run)
        return self._classes


def point_classes(run) -> np.ndarray:
    """predictions(run) as uint8, the way a poll keeps them (a run has at most 64 classes)."""
    return predictions(run).astype(np.uint8)


def training_backward(run):
    """network.py's backward pass over the run's training points now, in float64."""
    d, c = run.dataset, run.config
    params = _params64(run)
    with np.errstate(over="ignore", invalid="ignore"):  # non-finite numbers are checked by the caller
        fwd = forward(params, run.inputs(d.X_train).astype(np.float64), run.activation)
        return backward(params, fwd, run.Y[d.train], c.lam, run.loss_name, c.l1)


def _finite(values: list[float], what: str) -> None:
    """PollError (409) if a number a question is built on overflowed: the run must be reset."""
    if not all(np.isfinite(values)):
        raise PollError(
            f"{what} is not a finite number at this step: reset the run before asking", "template", 409
        )


def _ahead(params: dict) -> int:
    n = params.get("n", 50)
    if not isinstance(n, int) or not 1 <= n <= MAX_AHEAD:
        raise PollError(f"n must be a whole number of steps from 1 to {MAX_AHEAD}, got {n!r}", "n")
    return n


class Template:
    name = ""
    kind = "choice"
    waits = False  # whether the answer waits for steps (else it is known when asked)

    def ask(self, run, params: dict) -> Asked:
        raise NotImplementedError

    def at_step(self, run, poll, now: Now) -> dict | None:
        """After each of the run's steps while the answer is awaited: the answer, or None yet;
        `now` holds what every awaiting poll reads of this step, computed once."""
        return None

    def stopped(self, run, poll) -> dict | None:
        """The run stopped (diverged) before the answer's step: the answer it gives, or None."""
        return None


class LossAfter(Template):
    name = "loss_after"
    waits = True

    def ask(self, run, params):
        n = _ahead(params)
        which = "test" if len(run.dataset.test) else "training"
        baseline = test_loss(run)
        _finite([baseline], f"the {which} loss")
        return Asked(
            question=f"After {n} more steps, will the {which} loss be higher or lower than now?",
            kind="choice",
            choices=["lower", "higher"],
            until_step=run.step_count + n,
            pending={"baseline": baseline, "data_version": run.data_version},
        )

    def at_step(self, run, poll, now):
        if run.data_version != poll.pending.get("data_version"):  # the losses would be on other points
            return {"text": "no answer: the points were changed before the loss was compared"}
        if run.step_count < poll.until_step:
            return None
        before, after = poll.pending["baseline"], test_loss(run)
        if not np.isfinite(after):  # overflowed on the held-out points before the batch did
            return {"choice": 1, "text": f"higher: it overflowed by step {run.step_count}", "before": before}
        higher = after > before
        return {
            "choice": int(higher),
            "text": f"{'higher' if higher else 'lower'}: {before:.4g} at step {poll.step}, "
            f"{after:.4g} at step {run.step_count}",
            "before": before,
            "after": after,
        }

    def stopped(self, run, poll):
        return {"choice": 1, "text": f"higher: the run diverged at step {run.step_count + 1}"}


class LargerGradient(Template):
    name = "larger_gradient"

    def ask(self, run, params):
        O = run.config.layers + 1
        a, b = params.get("layers", [1, 2])
        for where, l in (("layers.0", a), ("layers.1", b)):
            if not 1 <= l <= O:
                raise PollError(f"{where}: this run's weight matrices are W1 ... W{O}, got W{l}", where)
        if a == b:
            raise PollError("layers: name two different weight matrices", "layers")
        grads = training_backward(run).grads()
        norms = [float(np.linalg.norm(grads[f"W{a}"])), float(np.linalg.norm(grads[f"W{b}"]))]
        _finite(norms, "a gradient norm")
        right = int(norms[1] > norms[0])
        return Asked(
            question=f"Which weight matrix has the larger gradient norm now, W{a} or W{b}?",
            kind="choice",
            choices=[f"W{a}", f"W{b}"],
            until_step=run.step_count,
            answer={
                "choice": right,
                "text": f"W{(a, b)[right]}: ‖dW{a}‖ = {norms[0]:.4g}, ‖dW{b}‖ = {norms[1]:.4g}",
                "norms": norms,
            },
        )


class Diverges(Template):
    name = "diverges"
    waits = True

    def ask(self, run, params):
        n = _ahead(params)
        if run.status in ("diverged", "failed"):
            raise PollError(f"the run has {run.status}: reset it before asking", "template", 409)
        return Asked(
            question=f"Will the learning rate {run.config.learning_rate:g} make the run diverge "
            f"within {n} steps?",
            kind="choice",
            choices=["yes", "no"],
            until_step=run.step_count + n,
        )

    def at_step(self, run, poll, now):
        if run.step_count < poll.until_step:
            return None
        return {"choice": 1, "text": f"no: still finite at step {run.step_count}"}

    def stopped(self, run, poll):
        return {"choice": 0, "text": f"yes: it diverged at step {run.step_count + 1}"}


class FirstFlip(Template):
    name = "first_flip"
    kind = "point"
    waits = True

    def ask(self, run, params):
        n = _ahead(params)
        return Asked(
            question=f"Which point will flip class first (within {n} steps)? Click it on the plane.",
            kind="point",
            until_step=run.step_count + n,
            pending={"classes": point_classes(run), "data_version": run.data_version},
        )

    def at_step(self, run, poll, now):
        if run.data_version != poll.pending.get("data_version"):
            return {"points": [], "text": "no answer: the points were changed before one flipped"}
        flipped = np.flatnonzero(now.classes != poll.pending["classes"])
        if len(flipped):
            shown = flipped.tolist()
            return {
                "points": shown,
                "step": run.step_count,
                "text": f"point{'s' if len(flipped) > 1 else ''} {', '.join(map(str, shown[:8]))}"
                f"{' …' if len(flipped) > 8 else ''} flipped first, at step {run.step_count}",
            }
        if run.step_count >= poll.until_step:
            return {"points": [], "text": f"no point flipped by step {run.step_count}"}
        return None

    def stopped(self, run, poll):
        return {"points": [], "text": f"the run diverged at step {run.step_count + 1} before a point flipped"}


class OutputDelta(Template):
    name = "output_delta"
    kind = "number"

    def ask(self, run, params):
        N, C, O = len(run.dataset.train), run.C, run.config.layers + 1
        sample, c = params.get("sample", 0), params.get("class", 1)
        if not 0 <= sample < N:
            raise PollError(f"sample must be a training sample, 0 to {N - 1}, got {sample}", "sample")
        if not 0 <= c < C:
            raise PollError(f"class must be 0 to {C - 1}, got {c}", "class")
        tolerance = params.get("tolerance", 0.05)
        value = float(training_backward(run).dz[-1][sample, c])  # the core's own dz(O), its row `sample`
        _finite([value], f"dL/dz{O}")
        within = max(abs(value) * tolerance, 1e-9)
        return Asked(
            question=f"What is dL/dz{O} for training sample {sample}, class {c}? (within {tolerance:.0%})",
            kind="number",
            until_step=run.step_count,
            answer={"value": value, "tolerance": within, "text": f"{value:.6g} (±{within:.2g})"},
        )


class FreeText(Template):
    name = "text"

    def ask(self, run, params):
        choices = params["choices"]
        right = params.get("answer")
        if right is not None and not 0 <= right < len(choices):
            raise PollError(f"answer must be the index of one of the {len(choices)} choices", "answer")
        return Asked(
            question=params["question"],
            kind="choice",
            choices=list(choices),
            until_step=run.step_count,
            answer=None if right is None else {"choice": right, "text": choices[right]},
        )


TEMPLATES = {
    t.name: t for t in (LossAfter(), LargerGradient(), Diverges(), FirstFlip(), OutputDelta(), FreeText())
}


def is_right(answer: dict | None, kind: str, choice) -> bool | None:
    """Whether a vote matches the answer; None while there is none, or when it names no right choice
    (a free text without one, a loss_after whose points changed, a run reset before the answer)."""
    if answer is None:
        return None
    if kind == "choice":
        return choice == answer["choice"] if "choice" in answer else None
    if kind == "point":
        return choice in answer.get("points", [])
    return abs(choice - answer["value"]) <= answer["tolerance"]
