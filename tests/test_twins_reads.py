"""A twins reset swaps each twin's Run object (Player.replace_run), so whoever reads a run under its
lock reads `session.run` inside the lock: a frame, a figure's moments, a weight's update each come
from one run, never part from the run a reset replaced and part from its successor."""

from __future__ import annotations

import numpy as np
import pytest

from app.figures.moment import moments
from app.frames.request import FrameRequest, take_job
from app.training.reports.weight_update import weight_update

from .test_fork import create
from .test_twins import drive, twin


class ResetWhenTaken:
    """The player's lock, taken by a twins reset first: whoever reads the run before taking it
    holds the replaced one."""

    def __init__(self, player, new_run):
        self.player, self.real, self.new_run = player, player.lock, new_run

    def acquire(self, blocking=True, timeout=-1):
        return self.real.acquire(blocking, timeout)

    def release(self):
        self.real.release()

    def __enter__(self):
        self.real.acquire()
        if self.new_run is not None:
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
