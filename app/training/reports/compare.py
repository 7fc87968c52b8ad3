"""A student's gradients against ours, what they need to compute theirs, and examples to try."""

from __future__ import annotations

from app.core.compare import AGREES_BELOW, compare_gradients
from app.core.losses import get_loss
from app.core.mistakes import MISTAKES_BY_NAME, RIGHT, derive
from app.core.network import PARAM_NAMES, forward

from ..history import finite_or_none
from ..session import Session
from .common import as_list, params64

MAX_DIFFERING_LISTED = 200


def _array_block(c) -> dict:
    """One array's comparison (a parameter's gradient or an intermediate) as the answer gives it."""
    return {
        "expected_shape": list(c.expected_shape),
        "given_shape": None if c.given_shape is None else list(c.given_shape),
        "shape_message": c.shape_message,
        "max_rel_error": finite_or_none(c.max_rel_error),
        "agrees": c.agrees,
        "differing": [list(i) for i in c.differing[:MAX_DIFFERING_LISTED]],
        "differing_count": len(c.differing),
        "first_wrong": c.first_wrong,
        "rel_error": None if c.rel_error is None else as_list(c.rel_error),
        "ours": as_list(c.ours),
        "given": None if c.given is None else as_list(c.given),
        "differs": None if c.differs is None else c.differs.tolist(),
    }


def compare(session: Session, given: dict, at_step: int | None = None, sample: int | None = None) -> dict:
    """A student's gradients (and intermediates) against ours at the current parameters, the
    smallest set of known mistakes that explains them, and where the first wrong one starts."""
    snap, params = params64(session, at_step)
    d = session.run.dataset
    result = compare_gradients(
        params, d.X_train, session.run.Y[d.train], given, session.run.activation, snap.lam, sample
    )
    return {
        "step": snap.step,
        "threshold": AGREES_BELOW,
        "all_agree": result.all_agree,
        "params": {name: _array_block(c) for name, c in result.params.items()},
        "intermediates": {name: _array_block(c) for name, c in result.intermediates.items()},
        "sample": result.sample,
        "explained_by": result.explained_by,
        "unexplained": result.unexplained,
        "summary": result.summary,
        "where": result.where,
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


def gradient_example(
    session: Session,
    kind: str,
    at_step: int | None = None,
    form: str | None = None,
    with_intermediates: bool = False,
) -> dict:
    """Gradients to try the comparison with: ours ("ours"), or what one of the catalogue's mistakes
    gives (its id, in its first form unless `form` names another), as {"gradients": {"dW1": ...}},
    ready to send to compare as they are; with_intermediates adds dz2, da1, dz1 for the batch."""
    if kind not in EXAMPLE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(EXAMPLE_KINDS)}; got {kind!r}")
    snap, params = params64(session, at_step)
    d = session.run.dataset
    Y = session.run.Y[d.train]
    activation = session.run.activation
    fwd = forward(params, d.X_train, activation)
    if kind == "ours":
        if form is not None:
            raise ValueError(f"form is for a mistake's example; 'ours' has none, got {form!r}")
        record = RIGHT
    else:
        mistake = MISTAKES_BY_NAME[kind]
        if not mistake.applies(activation):
            raise ValueError(
                f"kind {kind} is a mistake made with {', '.join(mistake.applies_to)} only; this run's "
                f"activation is {activation}"
            )
        chosen = mistake.form(form)
        record, form = chosen.change(RIGHT), chosen.name
    derived = derive(record, params, fwd, Y, snap.lam)
    gradients = {f"d{name}": as_list(derived.grads[name]) for name in PARAM_NAMES}
    if with_intermediates:
        gradients |= {name: as_list(value) for name, value in derived.intermediates.items()}
    return {"step": snap.step, "kind": kind, "form": form, "gradients": gradients}
