"""What the run's optimizer would add to one weight next: the update the network diagram's hover
shows. The page cannot work it out (momentum and Adam keep state it never sees), so the server
applies a copy of the optimizer, its state as it is, to the gradient on the whole training set."""

from __future__ import annotations

import copy

import numpy as np

from app.core.network import backward, forward

from ..history import finite_or_none
from ..session import Session


def weight_update(session: Session, name: str, index: tuple[int, ...]) -> dict:
    """The next update of params[name][index] by the run's optimizer (SGD: -lr * g; momentum:
    beta * v - lr * g; Adam: -lr * m_hat / (sqrt(v_hat) + eps)) from the float64 gradient g on
    every training point at the current weights. A full-batch run's next step makes exactly this
    change (in float32); a mini-batch step uses its own batch's gradient."""
    with session.player.lock:
        run = session.run  # read under the lock: a twins reset swaps the Run object
        if name not in run.params:
            raise ValueError(f"name must be one of {', '.join(run.param_names)}; got {name!r}")
        shape = run.params[name].shape
        if len(index) != len(shape) or not all(0 <= i < n for i, n in zip(index, shape, strict=True)):
            raise ValueError(f"index must be within {name}'s shape {list(shape)}; got {list(index)}")
        params = {key: value.astype(np.float64) for key, value in run.params.items()}
        optimizer = copy.deepcopy(run.optimizer)  # its state moves on in delta(): a copy's does
        step, lam, l1 = run.step_count, run.config.lam, run.config.l1
        full_batch = run.batches.full_batch
        # the points as of these weights: an edit of the points replaces the arrays
        X, Y = run.inputs(run.dataset.X_train), run.Y[run.dataset.train]
        activation, loss_name = run.activation, run.loss_name
    fwd = forward(params, X, activation)
    grads = backward(params, fwd, Y, lam, loss_name, l1).grads()
    grad = grads[name].astype(params[name].dtype)
    update = optimizer.delta(name, grad)[index]
    return {
        "step": step,
        "name": name,
        "index": list(index),
        "weight": finite_or_none(params[name][index]),
        "gradient": finite_or_none(grad[index]),
        "update": finite_or_none(update),
        "optimizer": optimizer.name,
        "learning_rate": optimizer.lr,
        "exact": bool(full_batch),
    }
