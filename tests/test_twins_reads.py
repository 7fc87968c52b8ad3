"""A twins reset swaps each twin's Run object (Player.replace_run), so whoever reads a run under its
lock reads `session.run` inside the lock: a frame, a figure's moments, a weight's update each come
from one run, never part from the run a reset replaced and part from its successor."""

from __future__ import annotations

import numpy as np
import pytest

from app.figures.moment import moments
from app.frames.request import FrameRequest, take_job
from app.training.reports.common import params64
from app.training.reports.weight_update import weight_update

from .test_fork import create
from .test_twins import drive, twin


class ResetWhenTaken:
    """The player's lock, taken by a twins reset first: whoever reads the run before taking it
    holds the replaced one."""

    def __init__(self, player, new_run, after: int = 0):
        self.player, self.real, self.new_run = player, player.lock, new_run
        self.after = after  # the reset comes once the lock was taken this many times

    def acquire(self, blocking=True, timeout=-1):
        return self.real.acquire(blocking, timeout)

    def release(self):
        self.real.release()

    def __enter__(self):
        self.real.acquire()
        self.after -= 1
        if self.new_run is not None and self.after < 0:
            run, self.new_run = self.new_run, None
            self.player.replace_run(run)
        return self

    def __exit__(self, *exc):
        self.real.release()


@pytest.fixture
def left_reset_on_lock(client):
    """The left twin at step 5, whose next lock is taken by a reset to step 0 first."""
    twins = twin(client, create(client)["id"])
    drive(client, twins, "step", {"n": 5})
    registry = client.app.state.registry
    pair, left = registry.get_twins(twins["id"]), registry.get(twins["left"]["id"])
    new_left, _ = pair.plan.runs()
    left.player.lock = ResetWhenTaken(left.player, new_left)
    yield left, new_left
    left.player.lock = left.player.lock.real


def test_a_frame_comes_from_the_run_that_holds_the_lock(left_reset_on_lock):
    left, new_left = left_reset_on_lock
    job, data = take_job(left, FrameRequest(8, True))
    assert job.state.step == 0 and data.key == (left.id, new_left.data_version)
    assert data.X_train is new_left.X_train


def test_a_figures_moment_comes_from_the_run_that_holds_the_lock(left_reset_on_lock):
    left, new_left = left_reset_on_lock
    [moment] = moments(left)
    assert moment.step == 0
    assert all(np.array_equal(moment.params[k], new_left.params[k]) for k in new_left.params)


def test_a_weights_update_comes_from_the_run_that_holds_the_lock(left_reset_on_lock):
    left, new_left = left_reset_on_lock
    update = weight_update(left, "W1", (0, 0))
    assert update["step"] == 0 and update["weight"] == float(new_left.params["W1"][0, 0])


def test_an_earlier_steps_parameters_come_from_one_run(client):
    """params64(at_step) reads the run's step, then its kept weights: one lock for both, or a reset
    between them checks at_step against the replaced run and reads the new one's ring."""
    twins = twin(client, create(client)["id"])
    drive(client, twins, "step", {"n": 5})
    registry = client.app.state.registry
    pair, left = registry.get_twins(twins["id"]), registry.get(twins["left"]["id"])
    new_left, _ = pair.plan.runs()
    real = left.player.lock
    left.player.lock = ResetWhenTaken(left.player, new_left, after=1)
    try:
        with pytest.raises(ValueError, match="at_step must be at most the run's step, 0; got 3"):
            params64(left, at_step=3)
    finally:
        left.player.lock = real
