"""A student's gradients against ours, what they need to compute theirs, and examples to try."""

from __future__ import annotations

from app.core.compare import AGREES_BELOW, compare_gradients
from app.core.losses import get_loss
from app.core.mistakes import MISTAKES_BY_NAME, RIGHT, derive
from app.core.network import depth, forward, param_names

from ..history import finite_or_none
from ..issued_inputs import IssuedInputs, make_inputs
from ..session import Session
from .common import as_list, params64, train_inputs

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


def compare(
    session: Session,
    given: dict,
    at_step: int | None = None,
    sample: int | None = None,
    pin: dict | None = None,
) -> dict:
    """A student's gradients (and intermediates) against ours, the smallest set of known mistakes
    that explains them, and where the first wrong one starts: at the inputs the pin names
    ({session, step, params_hash}, from a download), else at at_step, else now."""
    at = pinned_inputs(session, pin) if pin is not None else inputs_now(session, at_step)
    result = compare_gradients(
        at.params, at.X, at.Y, given, at.activation, at.lam, sample, loss_name=at.loss, l1=at.l1
    )
    return {
        "step": at.step,
        "pinned": None if pin is None else pinned_reply(at),
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


def inputs_now(session: Session, at_step: int | None = None) -> IssuedInputs:
    """What the gradient depends on now (or at at_step): parameters of every layer, the network's
    input for the training points (their features), targets (label smoothing applied), lam, l1, f
    and the loss; not kept."""
    with session.player.lock:  # parameters, points and targets of one moment: a step or an edit waits
        snap, params = params64(session, at_step)
        run = session.run
        Y = run.Y[run.dataset.train]
        return make_inputs(
            session.id,
            snap.step,
            params,
            train_inputs(session),
            Y,
            snap.lam,
            run.activation,
            run.loss_name,
            snap.l1,
            tuple(run.features),
        )


def pinned_inputs(session: Session, pin: dict) -> IssuedInputs:
    """The inputs a download pinned, from this session's own downloads only: OtherRun or NotIssued
    (issued_inputs.py) when it does not hold them."""
    return session.issued.find(session.id, pin["session"], pin["step"], pin["params_hash"])


def pinned_reply(at: IssuedInputs) -> dict:
    return {**at.pin, "message": f"compared with the inputs you downloaded at step {at.step}"}


def compare_inputs(session: Session, at_step: int | None = None) -> dict:
    """Everything a student needs to compute this run's gradients with their own code: the
    network's input for the training points, their targets Y (label smoothing applied), the
    parameters of every layer, lam, l1, f, the loss, and the pin (session, step, params_hash) that
    has a check sent with it compared at exactly these, which the session keeps (its last few
    downloads) for that. A one-hidden-layer cross-entropy run's download is what it always was,
    with hidden, features, loss_name and l1 added."""
    with session.player.lock:
        at = inputs_now(session, at_step)
        labels = session.run.dataset.labels_train.tolist()
    at = session.issued.keep(at)
    L = depth(at.params)
    O = L + 1
    C = at.params[f"W{O}"].shape[1]
    widths = [int(at.params[f"W{l}"].shape[1]) for l in range(1, O)]
    return {
        "about": "backprop-visualizer inputs: compute "
        + ", ".join(f"d{name}" for name in param_names(L))
        + " of L at these parameters",
        "loss": _loss_text(at, L),
        "session": session.id,
        "step": at.step,
        "params_hash": at.params_hash,
        "pin": at.pin,
        "activation": at.activation,
        "lam": at.lam,
        "label_smoothing": session.run.config.label_smoothing,
        "N": int(len(at.X)),
        "C": int(C),
        "H": widths[0],
        "X": as_list(at.X),
        "labels": labels,
        "Y": as_list(at.Y),
        **{name: as_list(at.params[name]) for name in param_names(L)},
        "hidden": widths,
        "features": list(at.features),
        "loss_name": at.loss,
        "l1": at.l1,
    }


def _loss_text(at: IssuedInputs, L: int) -> str:
    """L and the forward pass in plain text, in the download's own names."""
    O = L + 1
    data = get_loss(at.loss).text.replace("z2", f"z{O}")
    if L == 1 and at.loss == "cross_entropy" and not at.l1:
        return f"L = {data} + lam/2 (|W1|^2 + |W2|^2); z1 = X W1 + b1, a1 = f(z1), z2 = a1 W2 + b2"
    weights = " + ".join(f"|W{l}|^2" for l in range(1, O + 1))
    l1 = f" + l1 (|W1|_1 + ... + |W{O}|_1)" if at.l1 else ""
    return (
        f"L = {data} + lam/2 ({weights}){l1}; a0 = X, for l = 1 ... {L}: z(l) = a(l-1) W(l) + b(l), "
        f"a(l) = f(z(l)); z{O} = a{L} W{O} + b{O}"
    )


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
    ready to send to compare as they are; with_intermediates adds dz(L+1), da(L), dz(L), ..., dz1
    for the batch (dz2, da1, dz1 with one hidden layer)."""
    if kind not in EXAMPLE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(EXAMPLE_KINDS)}; got {kind!r}")
    snap, params = params64(session, at_step)
    run = session.run
    Y = run.Y[run.dataset.train]
    activation, loss_name, L = run.activation, run.loss_name, depth(params)
    fwd = forward(params, train_inputs(session), activation)
    if kind == "ours":
        if form is not None:
            raise ValueError(f"form is for a mistake's example; 'ours' has none, got {form!r}")
        record = RIGHT
    else:
        mistake = MISTAKES_BY_NAME[kind]
        if mistake.applies_to is not None and activation not in mistake.applies_to:
            raise ValueError(
                f"kind {kind} is a mistake made with {', '.join(mistake.applies_to)} only; this run's "
                f"activation is {activation}"
            )
        if not mistake.applies(activation, loss_name):
            raise ValueError(
                f"kind {kind} is a mistake made with the {', '.join(mistake.losses)} loss only; this "
                f"run's loss is {loss_name}"
            )
        chosen = mistake.form(form, L)
        record, form = chosen.change(RIGHT), chosen.name
    derived = derive(record, params, fwd, Y, snap.lam, loss_name, snap.l1)
    gradients = {f"d{name}": as_list(derived.grads[name]) for name in param_names(L)}
    if with_intermediates:
        gradients |= {name: as_list(value) for name, value in derived.intermediates.items()}
    return {"step": snap.step, "kind": kind, "form": form, "gradients": gradients}
