"""Each template's true answer, against the run's own numbers: run the steps, compute what the
question asks with the core (or read it from the server's own reports), compare."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.network import forward, loss, predict
from app.training.config import Hyperparameters, RunConfig
from app.training.poll_templates import PollError
from app.training.run import Run

from .conftest import auth
from .test_polls import watcher_id

MAX_POLLS = 100


def params64(run: Run) -> dict:
    return {k: v.astype(np.float64) for k, v in run.params.items()}


def core_test_loss(run: Run) -> float:
    d, c = run.dataset, run.config
    fwd = forward(params64(run), run.inputs(d.X_test).astype(np.float64), run.activation)
    return loss(params64(run), fwd, run.Y[d.test], c.lam, run.loss_name, c.l1)


def core_classes(run: Run) -> np.ndarray:
    return predict(params64(run), run.inputs(run.dataset.X).astype(np.float64), run.activation)


def test_loss_after_n_steps_lower_as_the_run_computes_it():
    run = Run(RunConfig())
    poll = run.polls.ask(run, "loss_after", {"n": 15}, MAX_POLLS)
    before = core_test_loss(run)
    for _ in range(14):
        run.step()
    assert poll.answer is None  # one step to go
    run.step()
    after = core_test_loss(run)
    assert after < before
    assert poll.answer["choice"] == 0 and poll.answer["before"] == pytest.approx(before, rel=1e-12)
    assert poll.answer["after"] == pytest.approx(after, rel=1e-12)


def test_loss_after_n_steps_higher_when_the_learning_rate_jumps():
    run = Run(RunConfig(learning_rate=0.5))
    for _ in range(200):
        run.step()
    run.update(Hyperparameters(learning_rate=40.0))
    poll = run.polls.ask(run, "loss_after", {"n": 5}, MAX_POLLS)
    before = core_test_loss(run)
    for _ in range(5):
        run.step()
    assert run.status == "paused"
    after = core_test_loss(run)
    assert after > before and poll.answer["choice"] == 1  # "higher"


def test_larger_gradient_at_depth_matches_the_gradients_report(client):
    r = client.post("/api/sessions", json={"hidden": [8, 8, 8], "init_scale": "xavier"}).json()
    sid, h = r["id"], auth(r["token"])
    client.post(f"/api/sessions/{sid}/step", json={"n": 30}, headers=h)
    poll = client.post(
        f"/api/sessions/{sid}/polls", json={"template": "larger_gradient", "layers": [1, 4]}, headers=h
    ).json()
    assert poll["choices"] == ["W1", "W4"]
    grads = client.get(f"/api/sessions/{sid}/gradients").json()["grads"]
    norms = [grads["W1"]["norm"], grads["W4"]["norm"]]
    answer = client.post(f"/api/sessions/{sid}/polls/{poll['id']}/reveal", headers=h).json()["answer"]
    assert answer["norms"] == pytest.approx(norms, rel=1e-9)
    assert answer["choice"] == int(np.argmax(norms))


def test_diverges_yes_at_the_step_it_diverged():
    run = Run(RunConfig(learning_rate=30.0, lam=0.1))  # far too high
    poll = run.polls.ask(run, "diverges", {"n": 500}, MAX_POLLS)
    while run.step():
        pass
    assert run.status == "diverged" and run.step_count < 500
    assert poll.answer["choice"] == 0 and f"step {run.step_count + 1}" in poll.answer["text"]


def test_diverges_no_after_n_finite_steps():
    run = Run(RunConfig(learning_rate=0.1))
    poll = run.polls.ask(run, "diverges", {"n": 20}, MAX_POLLS)
    for _ in range(19):
        run.step()
    assert poll.answer is None
    run.step()
    assert run.status == "paused" and poll.answer["choice"] == 1


def test_first_flip_names_the_points_that_flipped_first_and_when():
    run = Run(RunConfig(learning_rate=0.3))
    for _ in range(40):
        run.step()
    poll = run.polls.ask(run, "first_flip", {"n": 300}, MAX_POLLS)
    start = core_classes(run)
    flipped, at = np.array([], dtype=int), None
    for _ in range(300):
        run.step()
        now = core_classes(run)
        if np.any(now != start):
            flipped, at = np.flatnonzero(now != start), run.step_count
            break
    assert at is not None, "no point flipped: pick another run for this test"
    assert poll.answer["points"] == flipped.tolist() and poll.answer["step"] == at
    votes = {"viewer-right-01": int(flipped[0]), "viewer-wrong-02": int(np.flatnonzero(now == start)[0])}
    for viewer, point in votes.items():
        run.polls.vote(poll.id, viewer, point, 10, len(run.dataset.labels))
    assert poll.right_share() == 0.5


def test_first_flip_none_within_n_steps():
    run = Run(RunConfig(learning_rate=1e-6))  # too small to move any point's class in 3 steps
    poll = run.polls.ask(run, "first_flip", {"n": 3}, MAX_POLLS)
    for _ in range(3):
        run.step()
    assert poll.answer["points"] == [] and "no point flipped" in poll.answer["text"]


def test_output_delta_is_the_derivations_long_way_value(client):
    r = client.post("/api/sessions", json={"dataset": {"kind": "spiral", "classes": 3}}).json()
    sid, h = r["id"], auth(r["token"])
    client.post(f"/api/sessions/{sid}/step", json={"n": 25}, headers=h)
    body = {"template": "output_delta", "sample": 7, "class": 2, "tolerance": 0.1}
    poll = client.post(f"/api/sessions/{sid}/polls", json=body, headers=h).json()
    assert poll["kind"] == "number" and "dz2" in poll["question"]
    stages = {s["name"]: s for s in client.get(f"/api/sessions/{sid}/derivation/7").json()["stages"]}
    long_way = stages["dz2_long"]["value"][2]  # through the softmax Jacobian, not the short way
    near, far = long_way * 1.05, long_way * 1.5
    for value in (near, far):
        body = {"viewer": watcher_id(client, sid), "choice": value}
        assert client.post(f"/api/sessions/{sid}/polls/{poll['id']}/votes", json=body).status_code == 200
    revealed = client.post(f"/api/sessions/{sid}/polls/{poll['id']}/reveal", headers=h).json()
    assert revealed["answer"]["value"] == pytest.approx(long_way, rel=1e-9, abs=1e-15)
    assert revealed["answer"]["tolerance"] == pytest.approx(abs(long_way) * 0.1)
    assert revealed["right_share"] == 0.5 and revealed["counts"] == sorted([near, far])


def test_free_text_has_an_answer_only_when_the_driver_marks_one():
    run = Run(RunConfig())
    unmarked = run.polls.ask(run, "text", {"question": "Fun?", "choices": ["yes", "no"]}, MAX_POLLS)
    marked = run.polls.ask(run, "text", {"question": "2+2?", "choices": ["3", "4"], "answer": 1}, MAX_POLLS)
    for poll in (unmarked, marked):
        run.polls.vote(poll.id, "viewer-one-0001", 1, 10, 200)
        run.polls.reveal(poll.id)
    assert unmarked.state == "revealed" and unmarked.view()["right_share"] is None
    assert marked.state == "answered" and marked.view()["right_share"] == 1.0


def test_a_reset_before_the_answer_says_so():
    run = Run(RunConfig())
    poll = run.polls.ask(run, "loss_after", {"n": 50}, MAX_POLLS)
    run.step()
    run.restart()
    assert "reset" in poll.answer["text"] and "choice" not in poll.answer


def test_a_question_on_numbers_that_overflowed_is_refused():
    run = Run(RunConfig())
    run.params["W2"][0, 0] = np.inf  # a state that does not hold together (a weight edit refuses it)
    for template, params in (("larger_gradient", {}), ("output_delta", {}), ("loss_after", {"n": 5})):
        with pytest.raises(Exception) as refused:
            run.polls.ask(run, template, params, MAX_POLLS)
        assert refused.value.status == 409 and "reset" in str(refused.value)
    assert run.polls.polls == []


def test_loss_after_gives_no_answer_when_the_points_change():
    run = Run(RunConfig())
    poll = run.polls.ask(run, "loss_after", {"n": 5}, MAX_POLLS)
    run.step()
    run.edit_points([], [0])  # the loss from here is on other points than the baseline's
    run.step()
    assert poll.answer == {"text": "no answer: the points were changed before the loss was compared"}
    for _ in range(5):
        run.step()
    assert "choice" not in poll.answer  # the answer given stays


def test_awaiting_first_flips_share_one_forward_pass_a_step_and_are_bounded(monkeypatch, client):
    from app.training import poll_templates
    from app.training.polls import MAX_AWAITING_FLIPS

    run = Run(RunConfig(learning_rate=1e-9))
    for _ in range(MAX_AWAITING_FLIPS):
        run.polls.ask(run, "first_flip", {"n": 50}, MAX_POLLS)
    classes = run.polls.polls[0].pending["classes"]
    assert classes.dtype == np.uint8 and classes.tolist() == core_classes(run).tolist()
    passes = []
    real = poll_templates.predictions
    monkeypatch.setattr(poll_templates, "predictions", lambda r: passes.append(r.step_count) or real(r))
    for _ in range(3):
        run.step()
    assert [p.awaiting for p in run.polls.polls] == [True] * MAX_AWAITING_FLIPS
    assert passes == [1, 2, 3]  # one pass a step for all of them
    with pytest.raises(PollError, match=f"{MAX_AWAITING_FLIPS} first_flip polls awaiting") as refused:
        run.polls.ask(run, "first_flip", {"n": 50}, MAX_POLLS)
    assert refused.value.status == 409
    run.polls.ask(run, "diverges", {"n": 5}, MAX_POLLS)  # other templates are not held back

    created = client.post("/api/sessions", json={"learning_rate": 1e-9}).json()
    sid, h = created["id"], auth(created["token"])
    for _ in range(MAX_AWAITING_FLIPS):
        r = client.post(f"/api/sessions/{sid}/polls", json={"template": "first_flip"}, headers=h)
        assert r.status_code == 201, r.text
    r = client.post(f"/api/sessions/{sid}/polls", json={"template": "first_flip"}, headers=h)
    assert r.status_code == 409 and f"{MAX_AWAITING_FLIPS} first_flip polls" in r.text


def test_a_vote_is_not_judged_against_an_answer_that_names_no_right_choice():
    run = Run(RunConfig())
    poll = run.polls.ask(run, "loss_after", {"n": 5}, MAX_POLLS)
    run.polls.vote(poll.id, "viewer-some-001", 0, 10, len(run.dataset.labels))
    run.polls.reveal(poll.id)
    run.restart()  # the answer will not come: "no answer: the run was reset ..."
    view = poll.view(viewer="viewer-some-001")
    assert view["state"] == "answered" and "no answer" in view["answer"]["text"]
    assert view["mine"] == 0 and view["mine_right"] is None and view["right_share"] is None
