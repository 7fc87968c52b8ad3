"""The forward or backward pass as the network diagram animates it (app/core/pass_stages.py), for
the training points at a step: the batch (every training point, as the gradients report has them)
or one of them, with each stage's links bounded in size."""

from __future__ import annotations

import numpy as np

from app.core.network import layer_sizes
from app.core.pass_stages import pass_stages

from ..session import Session
from .common import as_list, params64, train_inputs

# A stage sends every link of W(l) when it has at most this many; a larger W(l) sends the links
# among the units the diagram shows (those asked for, else the SHOWN_UNITS strongest of a layer),
# so a reply stays some tens of KB at the largest network the limits allow.
MAX_WHOLE_LINKS = 4096
SHOWN_UNITS = 16  # the diagram's units of a wide layer (static/panels/network/model.js)


def strongest_units(params: dict, l: int, most: int = SHOWN_UNITS) -> list[int]:
    """The `most` units of hidden layer l whose incoming plus outgoing |w| is largest, in index
    order: the ones the diagram shows of a wide layer."""
    strength = np.abs(params[f"W{l}"]).sum(axis=0) + np.abs(params[f"W{l + 1}"]).sum(axis=1)
    ranked = sorted(range(len(strength)), key=lambda j: (-strength[j], j))
    return sorted(ranked[:most])


def _shown(params: dict, sizes: tuple[int, ...], wanted: dict[int, list[int]] | None) -> list[list[int]]:
    """For each layer 0 ... L+1 the units whose links a wide W(l) sends: the inputs and the
    classes whole, a narrow layer whole, a wide one's wanted units (checked against its width)
    or its strongest."""
    out = len(sizes) - 1
    shown = []
    for l, width in enumerate(sizes):
        if l in (0, out) or width <= SHOWN_UNITS:
            shown.append(list(range(width)))
        elif wanted and l in wanted:
            bad = [j for j in wanted[l] if not 0 <= j < width]
            if bad:
                raise ValueError(f"units: layer {l} has units 0 to {width - 1}; got {bad[0]}")
            if len(set(wanted[l])) > SHOWN_UNITS:
                raise ValueError(
                    f"units: at most {SHOWN_UNITS} units a layer; got {len(set(wanted[l]))} of layer {l}"
                )
            shown.append(sorted(set(wanted[l])))
        else:
            shown.append(strongest_units(params, l))
    return shown


def _links(values: np.ndarray, rows: list[int], cols: list[int]) -> dict:
    """A stage's links: every one when few, else those among the shown units."""
    if values.size <= MAX_WHOLE_LINKS:
        rows, cols = list(range(values.shape[0])), list(range(values.shape[1]))
    return {
        "whole": len(rows) * len(cols) == values.size,
        "rows": rows,
        "cols": cols,
        "values": as_list(values[np.ix_(rows, cols)]),
    }


def passes(
    session: Session,
    direction: str,
    sample: int | None = None,
    at_step: int | None = None,
    wanted: dict[int, list[int]] | None = None,
) -> dict:
    """The stages of the pass over the training points at the step, in float64."""
    snap, params = params64(session, at_step)
    run = session.run
    X = train_inputs(session)
    if sample is not None and sample >= len(X):
        raise ValueError(f"sample must be below the number of training points, {len(X)}; got {sample}")
    sizes = layer_sizes(params)
    if wanted:
        bad = [l for l in wanted if not 1 <= l < len(sizes) - 1]
        if bad:
            raise ValueError(f"units: the hidden layers are 1 to {len(sizes) - 2}; got layer {bad[0]}")
    shown = _shown(params, sizes, wanted)
    result = pass_stages(
        params,
        X,
        run.Y[run.dataset.train],
        activation=run.activation,
        lam=snap.lam,
        loss_name=run.loss_name,
        l1=snap.l1,
        direction=direction,
        sample=sample,
    )
    stages, cut = [], []
    for stage in result.stages:
        units = links = None
        if stage.units is not None:
            units = {
                "layer": stage.unit_layer,
                "quantity": stage.unit_quantity,
                "values": as_list(stage.units),
            }
        if stage.links is not None:
            l = stage.link_layer
            links = {"layer": l, "name": f"W{l}", "quantity": stage.link_quantity, "kind": stage.link_kind}
            links |= _links(stage.links, shown[l - 1], shown[l])
            if not links["whole"] and stage.phase == result.direction and f"W{l}" not in " ".join(cut):
                rows, cols = stage.links.shape
                cut.append(
                    f"W{l}: the {len(links['rows'])} × {len(links['cols'])} links among the units the "
                    f"diagram shows, of {rows} × {cols}"
                )
        stages.append(
            {
                "phase": stage.phase,
                "layer": stage.layer,
                "title": stage.title,
                "caption": stage.caption,
                "tex": stage.tex,
                "text": stage.text,
                "units": units,
                "links": links,
                "derivation": list(stage.derivation),
            }
        )
    return {
        "step": snap.step,
        "direction": direction,
        "sample": sample,
        "N": result.N,
        "loss": as_list(result.loss),
        "sizes": list(sizes),
        "cut": cut,
        "stages": stages,
    }
