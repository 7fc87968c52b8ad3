"""One hidden unit, dL/dx at the points, the loss along the gradient, the hidden space."""

from __future__ import annotations

import numpy as np

from app.core.hidden_space import hidden_space
from app.core.loss_slice import loss_slice
from app.core.network import backward, forward
from app.core.units import unit_view

from ..history import finite_or_none
from ..session import Session
from .common import activation_info, as_list, params64, train_inputs


def unit(session: Session, j: int, G: int, at_step: int | None = None, layer: int = 1) -> dict:
    """Hidden unit j of layer `layer`: its activation over the plane and its error dz(l) at each
    training point (a1 and dz1 for the first layer, as the fields are named)."""
    snap, params = params64(session, at_step)
    run = session.run
    d = run.dataset
    view = unit_view(
        params,
        train_inputs(session),
        run.Y[d.train],
        d.box,
        G,
        j,
        run.activation,
        snap.lam,
        layer=layer,
        features=run.features,
        loss_name=run.loss_name,
        l1=snap.l1,
    )
    return {
        "step": snap.step,
        "unit": view.j,
        "layer": layer,
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
    """dL/dx for every training point, and each point's share of |y_hat - y| (how hard it pulls).
    At any depth; dX is per input feature (N, F), so with features other than x1, x2 it is not
    an arrow on the plane."""
    snap, params = params64(session, at_step)
    d = session.run.dataset
    Y = session.run.Y[d.train]
    fwd = forward(params, train_inputs(session), session.run.activation)
    back = backward(params, fwd, Y, snap.lam, session.run.loss_name, snap.l1)
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
    run = session.run
    X = train_inputs(session)
    out = loss_slice(
        params,
        X,
        Y,
        run.activation,
        snap.lam,
        t_max,
        points,
        t_marked=lr,
        loss_name=run.loss_name,
        l1=snap.l1,
    )
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


def hidden(session: Session, lines: int, samples: int, at_step: int | None = None, layer: int = 1) -> dict:
    """The training points and the input grid's lines as hidden layer `layer` maps them (through
    the run's features and the layers below), in 2-D; the output layer's decision over that
    plane only after the last hidden layer, where the output layer alone follows."""
    snap, params = params64(session, at_step)
    run = session.run
    d = run.dataset
    view = hidden_space(
        params,
        d.X_train,
        d.box,
        run.activation,
        lines,
        samples,
        decision_cells=HIDDEN_DECISION_CELLS,
        layer=layer,
        features=run.features,
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
        "layer": view.layer,
        "layers": len(run.config.widths),
        "last": view.last,
        "train": d.train.tolist(),
        "points": as_list(view.points),
        "grid": as_list(view.grid),
        "exact": view.projection.exact,
        "explained": finite_or_none(view.projection.explained),
        "input_grid": as_list(view.input_grid),
        "extent": [finite_or_none(v) for v in view.extent],
        "decision": decision,
    }
