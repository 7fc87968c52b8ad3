"""The parameters, their gradients on the training set, the gradient check, the decision grid,
and the steps whose weights are kept."""

from __future__ import annotations

import numpy as np

from app.core.gradcheck import PASS_THRESHOLD, gradient_check
from app.core.grid import decision_grid, grid_axes
from app.core.network import backward, forward, layer_sizes, loss

from ..history import finite_or_none
from ..session import Session
from .common import as_list, params64, train_inputs


def parameters(session: Session, at_step: int | None = None) -> dict:
    snap, params = params64(session, at_step)
    return {
        "step": snap.step,
        "params": {
            name: {"shape": list(p.shape), "values": as_list(p), "norm": finite_or_none(np.linalg.norm(p))}
            for name, p in params.items()
        },
    }


def gradients(session: Session, at_step: int | None = None) -> dict:
    """dL/dparam at the current parameters on the whole training set, float64, with norms."""
    snap, params = params64(session, at_step)
    d = session.run.dataset
    Y = session.run.Y[d.train]
    run = session.run
    fwd = forward(params, train_inputs(session), run.activation)
    back = backward(params, fwd, Y, snap.lam, run.loss_name, snap.l1)
    grads = back.grads()
    return {
        "step": snap.step,
        "loss": finite_or_none(loss(params, fwd, Y, snap.lam, run.loss_name, snap.l1)),
        "deltas": [finite_or_none(np.linalg.norm(dz)) for dz in back.dz],
        "lam": snap.lam,
        "n_train": int(len(d.train)),
        "grads": {
            name: {"shape": list(g.shape), "values": as_list(g), "norm": finite_or_none(np.linalg.norm(g))}
            for name, g in grads.items()
        },
    }


# Each checked entry costs two forward passes over the training points; a request checks no more
# entries than this many multiply-adds allow (about 3 s on one core here), so a wide deep run's
# check answers in seconds, not a minute, and does not hold a core from the others' training.
GRADCHECK_WORK = 2e10


def affordable_entries(sizes: tuple[int, ...], N: int, asked: int) -> int:
    """Entries a parameter to check, at most `asked`, within GRADCHECK_WORK for all 2(L+1)
    parameters of a network of layer sizes (F, H1, ..., C) on N points; at least one each."""
    per_entry = 2 * N * sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    parameters = 2 * (len(sizes) - 1)
    return max(1, min(asked, int(GRADCHECK_WORK // (per_entry * parameters))))


def gradcheck(session: Session, max_entries: int, seed: int, at_step: int | None = None) -> dict:
    snap, params = params64(session, at_step)
    d = session.run.dataset
    X = train_inputs(session)
    per_parameter = affordable_entries(layer_sizes(params), len(X), max_entries)
    report = gradient_check(
        params,
        X,
        session.run.Y[d.train],
        session.run.activation,
        snap.lam,
        max_entries=per_parameter,
        seed=seed,
        loss_name=session.run.loss_name,
        l1=snap.l1,
    )
    params_out = {}
    for name, c in report.items():
        entries = [
            {
                "index": list(index),
                "analytic": finite_or_none(a),
                "numeric": finite_or_none(n),
                "rel_error": finite_or_none(r),
                "kink": bool(k),
            }
            for index, a, n, r, k in zip(c.indices, c.analytic, c.numeric, c.rel_error, c.kinks)
        ]
        params_out[name] = {
            "max_rel_error": finite_or_none(c.max_rel_error),
            "passed": c.passed,
            "entries_checked": len(c.indices),
            "entries_total": int(np.prod(c.shape)),
            "kinks": int(c.kinks.sum()),
            "entries": entries,
            "worst": None if c.worst is None else entries[c.worst],
        }
    return {
        "step": snap.step,
        "threshold": PASS_THRESHOLD,
        "passed": all(c.passed for c in report.values()),
        "params": params_out,
        "entries_per_parameter": per_parameter,
        "fewer_entries": None
        if per_parameter == max_entries
        else f"{per_parameter} entries a parameter, not the {max_entries} asked: each takes two forward "
        f"passes over the {len(X)} training points, and a check is kept to a few seconds",
    }


def grid(session: Session, G: int, at_step: int | None = None) -> dict:
    snap, params = params64(session, at_step)
    box = session.run.dataset.box
    xs, ys = grid_axes(box, G)
    y_hat = decision_grid(params, box, G, session.run.activation, session.run.features)
    return {
        "step": snap.step,
        "G": G,
        "box": list(box),
        "x": xs.tolist(),
        "y": ys.tolist(),
        "probabilities": as_list(y_hat),
    }


def timeline(session: Session) -> dict:
    with session.player.lock:
        return {
            "step": session.run.step_count,
            "steps": session.run.snapshots.steps(),
            "stride": session.run.snapshots.stride,
        }
