"""The numbers a user inspects, recomputed in float64 from a copy of the session's parameters:
gradients on the training set, the gradient check, the derivation for one sample, the grid, a
student's gradients compared with ours, one hidden unit, the input gradients."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.core.activations import get_activation
from app.core.compare import AGREES_BELOW, compare_gradients
from app.core.derivation import Stage, derive
from app.core.gradcheck import PASS_THRESHOLD, gradient_check
from app.core.grid import decision_grid, grid_axes
from app.core.hidden_space import hidden_space
from app.core.loss_slice import loss_slice
from app.core.losses import get_loss
from app.core.mistakes import MISTAKES_BY_NAME
from app.core.network import PARAM_NAMES, backward, forward, loss
from app.core.units import unit_view

from .history import finite_or_none
from .session import Session


def activation_info(name: str) -> dict:
    """What the page shows of an activation, from its entry: how f and f' are written, its peak
    slope and the range of its values."""
    act = get_activation(name)
    return {
        "name": act.name,
        "tex": act.tex,
        "derivative_tex": act.df_tex(),
        "derivative_text": act.df_text(),
        "peak_slope": act.peak_slope,
        "value_range": list(act.value_range),
    }


def as_list(array: np.ndarray):
    """A float array as nested lists, non-finite entries as None (JSON has no NaN)."""
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 0:
        return finite_or_none(array)
    if np.all(np.isfinite(array)):
        return array.tolist()
    return [as_list(row) for row in array] if array.ndim > 1 else [finite_or_none(v) for v in array]


@dataclass(frozen=True)
class At:
    """The step a report describes and what it needs of the run at that step."""

    step: int
    lam: float
    learning_rate: float


def params64(session: Session, at_step: int | None = None) -> tuple[At, dict]:
    """The parameters now, or at an earlier step kept in the session's snapshot ring, in float64.
    An earlier step uses today's lam: the ring keeps weights, not settings."""
    snap = session.player.state()
    step, params = snap.step, snap.params
    if at_step is not None and at_step != snap.step:
        with session.player.lock:
            step, params = session.run.snapshots.at(at_step)
            params = {name: value.copy() for name, value in params.items()}
    at = At(step, snap.lam, snap.learning_rate)
    return at, {name: params[name].astype(np.float64) for name in PARAM_NAMES}


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
    fwd = forward(params, d.X_train, session.run.activation)
    grads = backward(params, fwd, Y, snap.lam).grads()
    return {
        "step": snap.step,
        "loss": finite_or_none(loss(params, fwd, Y, snap.lam)),
        "lam": snap.lam,
        "n_train": int(len(d.train)),
        "grads": {
            name: {"shape": list(g.shape), "values": as_list(g), "norm": finite_or_none(np.linalg.norm(g))}
            for name, g in grads.items()
        },
    }


def gradcheck(session: Session, max_entries: int, seed: int, at_step: int | None = None) -> dict:
    snap, params = params64(session, at_step)
    d = session.run.dataset
    report = gradient_check(
        params,
        d.X_train,
        session.run.Y[d.train],
        session.run.activation,
        snap.lam,
        max_entries=max_entries,
        seed=seed,
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
    }


def derivation(session: Session, n: int, at_step: int | None = None) -> dict:
    """Derivation for training sample n (0 <= n < N_train); `index` is its row among all points."""
    snap, params = params64(session, at_step)
    d = session.run.dataset
    worked = derive(params, d.X_train, session.run.Y[d.train], n, session.run.activation)
    mistake = worked.mistake
    return {
        "step": snap.step,
        "n": n,
        "index": int(d.train[n]),
        "N": worked.N,
        "activation": worked.activation,
        "lam": snap.lam,
        "stages": [stage_out(s) for s in worked.stages],
        "activation_info": activation_info(worked.activation),
        "two_ways": {
            "max_abs_difference": finite_or_none(worked.dz2_max_abs_difference),
            "max_abs_dz2": finite_or_none(worked.dz2_max_abs),
            "agree": worked.two_ways_agree,
        },
        "mistake": {
            "name": mistake.name,
            "title": mistake.title,
            "explanation": mistake.explanation,
            "stages": [stage_out(s) for s in mistake.stages],
            "dz2_max_abs_difference": finite_or_none(mistake.dz2_max_abs_difference),
            "dW2_max_abs_difference": finite_or_none(mistake.dW2_max_abs_difference),
            "dW2_max_rel_error": finite_or_none(mistake.dW2_max_rel_error),
        },
    }


def stage_out(stage: Stage) -> dict:
    return {
        "name": stage.name,
        "equation": stage.equation,
        "phase": stage.phase,
        "shape": list(stage.shape),
        "value": as_list(stage.value),
        "tex": stage.tex,
    }


def grid(session: Session, G: int, at_step: int | None = None) -> dict:
    snap, params = params64(session, at_step)
    box = session.run.dataset.box
    xs, ys = grid_axes(box, G)
    y_hat = decision_grid(params, box, G, session.run.activation)
    return {
        "step": snap.step,
        "G": G,
        "box": list(box),
        "x": xs.tolist(),
        "y": ys.tolist(),
        "probabilities": as_list(y_hat),
    }


MAX_DIFFERING_LISTED = 200


def compare(session: Session, given: dict, at_step: int | None = None) -> dict:
    """A student's gradients against ours at the current parameters, and the mistake that explains them."""
    snap, params = params64(session, at_step)
    d = session.run.dataset
    result = compare_gradients(
        params, d.X_train, session.run.Y[d.train], given, session.run.activation, snap.lam
    )
    return {
        "step": snap.step,
        "threshold": AGREES_BELOW,
        "all_agree": result.all_agree,
        "params": {
            name: {
                "expected_shape": list(c.expected_shape),
                "given_shape": None if c.given_shape is None else list(c.given_shape),
                "max_rel_error": finite_or_none(c.max_rel_error),
                "agrees": c.agrees,
                "differing": [list(i) for i in c.differing[:MAX_DIFFERING_LISTED]],
                "differing_count": len(c.differing),
                "rel_error": None if c.rel_error is None else as_list(c.rel_error),
                "ours": as_list(c.ours),
                "given": None if c.given is None else as_list(c.given),
                "differs": None if c.differs is None else c.differs.tolist(),
            }
            for name, c in result.params.items()
        },
        "explained_by": result.explained_by,
        "all_given": result.all_given,
    }


def compare_inputs(session: Session, at_step: int | None = None) -> dict:
    """Everything a student needs to compute this run's gradients with their own code: the
    training points, their targets Y (label smoothing applied), the parameters, lam, f."""
    snap, params = params64(session, at_step)
    d = session.run.dataset
    Y = session.run.Y[d.train]
    H, C = params["W2"].shape
    return {
        "about": "backprop-visualizer inputs: compute dW1, db1, dW2, db2 of L at these parameters",
        "loss": f"L = {get_loss('cross_entropy').text} + lam/2 (|W1|^2 + |W2|^2); "
        "z1 = X W1 + b1, a1 = f(z1), z2 = a1 W2 + b2",
        "session": session.id,
        "step": snap.step,
        "activation": session.run.activation,
        "lam": snap.lam,
        "label_smoothing": session.run.config.label_smoothing,
        "N": int(len(d.train)),
        "C": int(C),
        "H": int(H),
        "X": as_list(d.X_train),
        "labels": d.labels_train.tolist(),
        "Y": as_list(Y),
        **{name: as_list(params[name]) for name in PARAM_NAMES},
    }


EXAMPLE_KINDS = ("ours", *MISTAKES_BY_NAME)


def gradient_example(session: Session, kind: str, at_step: int | None = None) -> dict:
    """Gradients to try the comparison with: ours ("ours"), or what one of the usual mistakes gives
    (its name), as {"gradients": {"dW1": ...}}, ready to send to compare as they are."""
    if kind not in EXAMPLE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(EXAMPLE_KINDS)}; got {kind!r}")
    snap, params = params64(session, at_step)
    d = session.run.dataset
    Y = session.run.Y[d.train]
    fwd = forward(params, d.X_train, session.run.activation)
    if kind == "ours":
        grads = backward(params, fwd, Y, snap.lam).grads()
    else:
        grads = MISTAKES_BY_NAME[kind].gradients(params, fwd, Y, snap.lam)
    return {
        "step": snap.step,
        "kind": kind,
        "gradients": {f"d{name}": as_list(grads[name]) for name in PARAM_NAMES},
    }


def unit(session: Session, j: int, G: int, at_step: int | None = None) -> dict:
    """Hidden unit j: its activation over the plane and its error dz1 at each training point."""
    snap, params = params64(session, at_step)
    d = session.run.dataset
    view = unit_view(params, d.X_train, session.run.Y[d.train], d.box, G, j, session.run.activation, snap.lam)
    return {
        "step": snap.step,
        "unit": view.j,
        "G": G,
        "box": list(d.box),
        "a1_grid": as_list(view.a1_grid),
        "a1": as_list(view.a1),
        "dz1": as_list(view.dz1),
        "train": d.train.tolist(),
        "w_in": as_list(view.w_in),
        "b": finite_or_none(view.b),
        "w_out": as_list(view.w_out),
        "activation_info": activation_info(session.run.activation),
        "a1_range": as_list(np.asarray(view.a1_range)),
        "dz1_max_abs": finite_or_none(np.max(np.abs(view.dz1), initial=0.0)),
        "db1": finite_or_none(view.db1),
    }


def input_gradients(session: Session, at_step: int | None = None) -> dict:
    """dL/dx for every training point, and each point's share of |y_hat - y| (how hard it pulls)."""
    snap, params = params64(session, at_step)
    d = session.run.dataset
    Y = session.run.Y[d.train]
    fwd = forward(params, d.X_train, session.run.activation)
    back = backward(params, fwd, Y, snap.lam)
    residual = np.abs(fwd.y_hat - Y).sum(axis=1)  # (N,)
    total = residual.sum()
    return {
        "step": snap.step,
        "train": d.train.tolist(),
        "dX": as_list(back.dX),
        "residual": as_list(residual),
        "share": as_list(residual / total if total > 0 else residual),
    }


def loss_along_gradient(
    session: Session, t_max: float | None, points: int, at_step: int | None = None
) -> dict:
    """L(theta - t g) for t from 0 to t_max (default 3 learning rates); one SGD step is t = lr."""
    snap, params = params64(session, at_step)
    d = session.run.dataset
    t_max = 3 * snap.learning_rate if t_max is None else t_max
    Y = session.run.Y[d.train]
    lr = snap.learning_rate
    out = loss_slice(params, d.X_train, Y, session.run.activation, snap.lam, t_max, points, t_marked=lr)
    return {
        "step": snap.step,
        "learning_rate": lr,
        "t": as_list(out["t"]),
        "loss": as_list(out["loss"]),
        "grad_norm": finite_or_none(out["grad_norm"]),
        "loss_after_step": finite_or_none(out["loss_marked"]),
        "slope": finite_or_none(out["slope"]),
        "best_t": finite_or_none(out["best_t"]),
    }


HIDDEN_DECISION_CELLS = 64  # cells a side of the output layer's decision over the hidden plane


def hidden(session: Session, lines: int, samples: int, at_step: int | None = None) -> dict:
    """The training points and the input grid's lines as the hidden layer maps them, in 2-D."""
    snap, params = params64(session, at_step)
    d = session.run.dataset
    view = hidden_space(
        params, d.X_train, d.box, session.run.activation, lines, samples, decision_cells=HIDDEN_DECISION_CELLS
    )
    decision = None
    if view.decision is not None:
        label, confidence = view.decision
        decision = {
            "cells": HIDDEN_DECISION_CELLS,
            "label": label.tolist(),
            "confidence": as_list(np.round(confidence, 4)),  # 4 digits are plenty for a colour
        }
    return {
        "step": snap.step,
        "train": d.train.tolist(),
        "points": as_list(view.points),
        "grid": as_list(view.grid),
        "exact": view.projection.exact,
        "explained": finite_or_none(view.projection.explained),
        "input_grid": as_list(view.input_grid),
        "extent": [finite_or_none(v) for v in view.extent],
        "decision": decision,
    }


def timeline(session: Session) -> dict:
    with session.player.lock:
        return {
            "step": session.run.step_count,
            "steps": session.run.snapshots.steps(),
            "stride": session.run.snapshots.stride,
        }
