"""What the network diagram draws in its hidden nodes: every hidden unit's activation over the box."""

from __future__ import annotations

from app.core.unit_maps import unit_maps as core_unit_maps

from ..session import Session
from .common import as_list, params64


def unit_maps(
    session: Session, G: int, at_step: int | None = None, units: dict[int, list[int]] | None = None
) -> dict:
    """The hidden units' activations (all, or `units`: {layer: [j]}) on a G x G grid of the data's
    box, in float64."""
    snap, params = params64(session, at_step)
    box = session.run.dataset.box
    layers = core_unit_maps(params, box, G, session.run.activation, units, tuple(session.run.features))
    return {
        "step": snap.step,
        "G": G,
        "box": list(box),
        "layers": [
            {
                "layer": layer["layer"],
                "units": layer["units"],
                "range": list(layer["range"]),
                "maps": as_list(layer["maps"]),
            }
            for layer in layers
        ],
    }
