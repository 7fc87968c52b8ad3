"""The forward and backward pass as the stages a network diagram lights, one layer at a time.

Every number is network.forward's and network.backward's own, in float64 (nothing is recomputed
here but means, sums and the products a link carries). Two forms:

- one sample n (its row of the batch pass, as the derivation's sample form has it): a unit shows
  its own value (x, a(l), y_hat, delta(l) = dz(l)), a forward link W(l)_ij the product it adds,
  a(l-1)_i * W(l)_ij, a backward link the sample's share of dW(l), outer(a(l-1), delta(l));
- the batch (every training point, as the gradients report has them): a forward unit shows its
  mean activation over the batch and a forward link mean(a(l-1))_i * W(l)_ij, the mean of what it
  adds; a backward unit shows db(l) = sum over n of delta(l) (the batch's own per-unit quantity)
  and a backward link dW(l).

The stages, with O = L + 1 the output layer:

    forward   the inputs (layer 0); layer 1 ... L (links W(l), units a(l)); the output (links W(O),
              units y_hat); the loss
    backward  the loss; delta(O) at the output's units; the links W(O) lit with dW(O); delta(L) on
              layer L's units, the links W(O) lit with the error each carries back,
              delta(O)_j * W(O)_ij (its share of da(L)_i); W(L) with dW(L); ... delta(1); dW(1);
              dx at the inputs, the links W(1) lit with delta(1)_j * W(1)_ij

Each carries the derivation's stage names it stands for (its `derivation`), so a page can light
the matching line of the worked derivation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .losses import get_loss
from .network import Params, backward, forward, loss

PHASES = ("forward", "backward")
# delta(l) this many times smaller than the output's is "vanishing", this many times larger
# "exploding": the words a caption uses.
VANISHING = 10.0


@dataclass(frozen=True)
class PassStage:
    """One stage the diagram lights: the units of one layer, the links into one layer, or both."""

    phase: str  # "forward" or "backward"
    layer: int  # 0 for the inputs, l for layer l, L + 1 for the output
    title: str  # a few words: "delta(3) on layer 3's units"
    caption: str  # what it shows and its numbers, in words
    tex: str  # its equation, typeset
    text: str  # its equation, in plain text
    unit_layer: int | None  # the layer whose units are lit (0 the inputs), or None
    units: np.ndarray | None  # (H(unit_layer),) the value each lit unit shows
    unit_quantity: str  # what that value is: "a2", "mean a2", "dz3", "db3"
    link_layer: int | None  # l: the links of W(l) are lit, or None
    links: np.ndarray | None  # (H(l-1), H(l)) the value each lit link shows
    link_quantity: str  # "a1 * W2", "mean a1 * W2", "dW2", "a1 dz2 (sample n's share)"
    derivation: tuple[str, ...]  # the derivation's stage names it corresponds to
    # what the lit links carry: "value" (forward), "gradient" (dW(l)), "error" (delta back), or ""
    link_kind: str = ""


@dataclass(frozen=True)
class Pass:
    """One pass's stages, for sample n (or None: the batch), with the loss they end or start at."""

    direction: str
    sample: int | None
    N: int
    loss: float
    stages: list[PassStage]


def _largest(values: np.ndarray) -> tuple[float, tuple[int, ...]]:
    """(max |v|, its index) of an array."""
    flat = np.abs(values).ravel()
    k = int(np.argmax(flat))
    return float(flat[k]), tuple(int(i) for i in np.unravel_index(k, values.shape))


def _number(v: float) -> str:
    return f"{v:.3g}"


def _against(big: float, small: float, what: str) -> str:
    """How `small` compares with `big`, the value of `what`, in words: "221× smaller than ‖dW7‖"."""
    if not (np.isfinite(big) and np.isfinite(small)):
        return f"beside {what}: not a finite number"
    if small == 0:
        return f"zero, as {what} is" if big == 0 else f"zero beside {what}"
    if big == 0:
        return f"while {what} is zero"
    ratio = big / small
    return (
        f"{_number(ratio)}× smaller than {what}"
        if ratio >= 1
        else f"{_number(1 / ratio)}× larger than {what}"
    )


def _flow_words(l: int, out: int, here: float, at_output: float) -> str:
    """What delta(l)'s size says against the output's: vanishing, exploding, or kept."""
    if l == out:
        return ""
    words = f"; {_against(at_output, here, f'at the output (δ{out})')}"
    if here * VANISHING < at_output:
        return words + ": the gradient is vanishing on its way back"
    if here > VANISHING * at_output:
        return words + ": the gradient is exploding on its way back"
    return words + ": the gradient keeps its size"


def pass_stages(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    activation: str = "tanh",
    lam: float = 0.0,
    loss_name: str = "cross_entropy",
    l1: float = 0.0,
    direction: str = "backward",
    sample: int | None = None,
) -> Pass:
    """The stages of one pass over X (N, F) with targets Y (N, C), in float64: for row `sample` of
    the batch pass, or for the whole batch (sample None). ValueError naming direction or sample."""
    if direction not in PHASES:
        raise ValueError(f"direction must be forward or backward, got {direction!r}")
    params = {name: np.asarray(p, dtype=np.float64) for name, p in params.items()}
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    N = X.shape[0]
    if sample is not None and not 0 <= sample < N:
        raise ValueError(f"sample must be below the number of training points, {N}; got {sample}")
    fwd = forward(params, X, activation)
    back = backward(params, fwd, Y, lam, loss_name, l1)
    total = float(loss(params, fwd, Y, lam, loss_name, l1))
    make = _forward_stages if direction == "forward" else _backward_stages
    stages = make(params, fwd, back, Y, activation, loss_name, lam, l1, sample, total)
    return Pass(direction, sample, N, total, stages)


def _row(array: np.ndarray, sample: int | None, mean: bool = True) -> np.ndarray:
    """Sample n's row, or the batch's mean (mean) or sum (not mean) over its rows."""
    if sample is not None:
        return array[sample]
    return array.mean(axis=0) if mean else array.sum(axis=0)


def _forward_stages(params, fwd, back, Y, activation, loss_name, lam, l1, sample, total):
    act, lossf = get_activation(activation), get_loss(loss_name)
    L = fwd.L
    out = L + 1
    batch = sample is None
    who = "the batch's mean" if batch else f"point {sample}'s"
    mean = "mean " if batch else ""
    x = _row(fwd.X, sample)
    v, (i,) = _largest(x)
    stages = [
        PassStage(
            "forward",
            0,
            "the inputs",
            f"The inputs: {who} features, the largest |x| {_number(v)} (input {i})"
            + (", each unit's value its mean over the batch." if batch else "."),
            r"a_0 = X" if batch else r"a_0 = x",
            "a0 = X" if batch else "a0 = x",
            0,
            x,
            f"{mean}x",
            None,
            None,
            "",
            ("X",) if batch else ("x",),
        )
    ]
    for l in range(1, out + 1):
        a_in = _row(fwd.a_in(l), sample)
        W = params[f"W{l}"]
        carried = a_in[:, None] * W  # (H(l-1), H(l)) what each link adds to z(l) (on average)
        into = f"a_{l - 1}" if l > 1 else ("X" if batch else "x")
        link_quantity = f"{mean}{into.replace('_', '')} * W{l}"
        if l < out:
            a = _row(fwd.a[l - 1], sample)
            z = _row(fwd.z[l - 1], sample)
            va, (j,) = _largest(a)
            tex = rf"z_{l} = {into} W_{l} + b_{l},\quad a_{l} = {act.tex}(z_{l})"
            text = f"z{l} = {into.replace('_', '')} @ W{l} + b{l}; a{l} = {act.name}(z{l})"
            caption = (
                f"Layer {l}: each link carries {link_quantity} into z{l}; "
                f"each unit shows {who} a{l} = {act.name}(z{l}), the largest |a{l}| {_number(va)} "
                f"(unit {j}, z{l} = {_number(z[j])})."
            )
            names = (f"W{l}", f"z{l}", f"a{l}") if batch else (f"z{l}", f"a{l}")
            stages.append(
                PassStage(
                    "forward",
                    l,
                    f"layer {l}: z{l} and a{l}",
                    caption,
                    tex,
                    text,
                    l,
                    a,
                    f"{mean}a{l}",
                    l,
                    carried,
                    link_quantity,
                    names,
                    "value",
                )
            )
        else:
            y_hat = _row(fwd.y_hat, sample)
            vk, (k,) = _largest(y_hat)
            caption = (
                f"The output: each link carries {link_quantity} into z{out}; each class shows "
                f"{who} y_hat = softmax(z{out}), the largest {_number(vk)} (class {k})."
            )
            names = (f"W{out}", f"z{out}", "y_hat") if batch else (f"z{out}", "y_hat")
            stages.append(
                PassStage(
                    "forward",
                    out,
                    "the output: y_hat",
                    caption,
                    rf"z_{out} = {into} W_{out} + b_{out},\quad \hat y = \operatorname{{softmax}}(z_{out})",
                    f"z{out} = {into.replace('_', '')} @ W{out} + b{out}; y_hat = softmax(z{out})",
                    out,
                    y_hat,
                    f"{mean}y_hat",
                    out,
                    carried,
                    link_quantity,
                    names,
                    "value",
                )
            )
    stages.append(_loss_stage("forward", fwd, Y, lossf, lam, l1, sample, total, out))
    return stages


def _loss_stage(phase, fwd, Y, lossf, lam, l1, sample, total, out):
    """The loss: the classes show the target y (the batch's share of each class)."""
    batch = sample is None
    y = _row(Y, sample)
    if batch:
        caption = f"The loss over the batch: L = {_number(total)}"
    else:
        sample_loss = float(
            lossf.value(
                fwd.log_y_hat[sample : sample + 1], fwd.y_hat[sample : sample + 1], Y[sample : sample + 1]
            )
        )
        caption = (
            f"The loss of point {sample} (class {int(np.argmax(y))}): {_number(sample_loss)}; "
            f"its share of the batch's L = {_number(total)} is {_number(sample_loss)} / N"
        )
    penalty = " with the L2 term" if lam else ""
    penalty += " and the L1 term" if l1 else ""
    caption += f"{penalty}. Each class shows the target y" + (" averaged over the batch." if batch else ".")
    if phase == "backward":
        caption += " The backward pass starts here: how L changes with each weight."
    if batch:
        names = ("y_hat", "Y") if phase == "forward" else ("Y",)
    else:
        names = ("y", "loss") if phase == "forward" else ("loss", "dL_dy_hat")
    return PassStage(
        phase,
        out,
        "the loss",
        caption,
        rf"L = \frac1N \textstyle\sum_n \big({lossf.sample_tex}\big)",
        f"L = (1/N) sum_n ({lossf.sample_text})",
        out,
        y,
        "mean y" if batch else "y",
        None,
        None,
        "",
        names,
    )


def _backward_stages(params, fwd, back, Y, activation, loss_name, lam, l1, sample, total):
    act, lossf = get_activation(activation), get_loss(loss_name)
    L = fwd.L
    out = L + 1
    batch = sample is None
    stages = [_loss_stage("backward", fwd, Y, lossf, lam, l1, sample, total, out)]
    at_output = None
    for l in range(out, 0, -1):
        delta = _row(back.dz[l - 1], sample, mean=False)  # sample n's delta(l), or db(l)
        vd, (j,) = _largest(delta)
        if at_output is None:
            at_output = vd
        quantity = f"db{l}" if batch else f"dz{l}"
        value_words = f"db{l} = Σn δ{l} over the batch" if batch else f"δ{l} = dz{l} of point {sample}"
        if l == out:
            tex = rf"\delta_{{{out}}} = " + (lossf.batch_delta_tex if batch else lossf.delta_tex)
            text = f"dz{out} = {lossf.batch_delta_text if batch else lossf.delta_text}"
            how = f"the output's error, dL/dz{out} of the {loss_name.replace('_', '-')} loss"
            names = (f"dz{out}",) if batch else ("J", f"dz{out}_long", f"dz{out}")
        else:
            df_tex = act.df_tex(z=f"z_{l}", a=f"a_{l}")
            tex = rf"\delta_{l} = (\delta_{l + 1} W_{l + 1}^\top) \odot {df_tex}"
            text = f"dz{l} = (dz{l + 1} @ W{l + 1}.T) * {act.df_factor_text(z=f'z{l}', a=f'a{l}')}"
            how = f"δ{l + 1} sent back through W{l + 1}, times {act.name}'s slope f′(z{l})"
            names = (f"da{l}", f"dz{l}")
        caption = (
            f"δ{l} on {'the output' if l == out else f'layer {l}'}'s units ({how}): each shows "
            f"{value_words}; the largest |{quantity}| {_number(vd)} (unit {j})"
            + _flow_words(l, out, vd, at_output)
            + "."
        )
        where = "the output" if l == out else f"layer {l}"
        flow, flow_quantity = (None, "") if l == out else _flow_back(params, back, l, sample)
        if flow is not None:
            caption += f" The links of W{l + 1} carry δ{l + 1} back: each shows {flow_quantity}."
        stages.append(
            PassStage(
                "backward",
                l,
                f"δ{l} on {where}'s units",
                caption,
                tex,
                text,
                l,
                delta,
                quantity,
                None if flow is None else l + 1,
                flow,
                flow_quantity,
                names,
                "" if flow is None else "error",
            )
        )
        stages.append(_weight_gradient_stage(params, fwd, back, l, sample, lam, l1, out))
    dx = _row(back.dX, sample, mean=False)
    vx, (i,) = _largest(dx)
    flow, flow_quantity = _flow_back(params, back, 0, sample)
    stages.append(
        PassStage(
            "backward",
            0,
            "dx at the inputs",
            (
                f"dx at the inputs: which way the loss pushes "
                f"{'the batch (Σn dX)' if batch else f'point {sample}'}'s features, "
                f"the largest |dx| {_number(vx)} (input {i}). The links of W1 carry δ1 back: "
                f"each shows {flow_quantity}. The pass is done: every dW is known."
            ),
            r"dX = \delta_1 W_1^\top" if batch else r"dx = \delta_1 W_1^\top",
            "dX = dz1 @ W1.T" if batch else "dx = dz1 @ W1.T",
            0,
            dx,
            "Σn dX" if batch else "dx",
            1,
            flow,
            flow_quantity,
            ("dX",) if batch else ("dx",),
            "error",
        )
    )
    return stages


def _flow_back(params, back, l, sample):
    """The error flowing back to layer l along the links of W(l+1): link (i, j) carries
    delta(l+1)_j * W(l+1)_ij, its share of da(l)_i = sum over j (a row sums to da(l)_i, or to dx_i
    at the inputs). The batch's: db(l+1)_j * W(l+1)_ij, each link's share of sum over n of da(l).
    Returns ((H(l), H(l+1)) values, their quantity)."""
    delta_next = _row(back.dz[l], sample, mean=False)  # (H(l+1),) delta(l+1), or db(l+1)
    carried = params[f"W{l + 1}"] * delta_next[None, :]  # (H(l), H(l+1))
    quantity = f"{'db' if sample is None else 'dz'}{l + 1} * W{l + 1}"
    into = "dx" if l == 0 else f"da{l}"
    if sample is None:
        into = f"Σn {'dX' if l == 0 else into}"
    return carried, f"{quantity} (its share of {into})"


def _weight_gradient_stage(params, fwd, back, l, sample, lam, l1, out):
    """The links of W(l) lit with dW(l) (the batch's) or sample n's share outer(a(l-1), delta(l))."""
    batch = sample is None
    into = "X" if l == 1 else f"A_{l - 1}"
    if batch:
        dW = back.dW[l - 1]
        quantity = f"dW{l}"
        tex = rf"dW_{l} = {into}^\top \delta_{l}"
        text = f"dW{l} = {'X' if l == 1 else f'a{l - 1}'}.T @ dz{l}"
        if lam:
            tex += rf" + \lambda W_{l}"
            text += f" + lam * W{l}"
        if l1:
            tex += rf" + \lambda_1 \operatorname{{sign}}(W_{l})"
            text += f" + l1 * sign(W{l})"
    else:
        a_in = fwd.a_in(l)[sample]
        dW = np.outer(a_in, back.dz[l - 1][sample])  # (H(l-1), H(l)) sample n's share
        quantity = f"{'x' if l == 1 else f'a{l - 1}'} dz{l} (point {sample}'s share of dW{l})"
        tex = rf"dW_{l} \mathrel{{+}}= {'x' if l == 1 else f'a_{l - 1}'}^\top \delta_{l}"
        text = f"dW{l} += outer({'x' if l == 1 else f'a{l - 1}'}, dz{l})"
    v, (i, j) = _largest(dW)
    norm = float(np.linalg.norm(dW))
    at_output = float(
        np.linalg.norm(back.dW[-1] if batch else np.outer(fwd.a_in(out)[sample], back.dz[-1][sample]))
    )
    against = "" if l == out else f", {_against(at_output, norm, f'‖dW{out}‖')}"
    if l != out and norm * VANISHING < at_output:
        against += ": this layer barely learns, the gradient vanished on its way back"
    elif l != out and norm > VANISHING * at_output:
        against += ": this layer takes huge steps, the gradient exploded on its way back"
    caption = (
        f"The links of W{l} light with {quantity}: the largest |dW{l}| {_number(v)} "
        f"(W{l}[{i}, {j}]), ‖dW{l}‖ = {_number(norm)}{against}"
        + ("" if batch else "; summed over every point (and plus λW) it is the batch's dW")
        + f". db{l} is {'Σn δ' + str(l) if batch else 'δ' + str(l)} itself."
    )
    return PassStage(
        "backward",
        l,
        f"dW{l} on the links into {'the output' if l == out else f'layer {l}'}",
        caption,
        tex,
        text,
        None,
        None,
        "",
        l,
        dW,
        quantity,
        (f"dW{l}", f"db{l}"),
        "gradient",
    )
