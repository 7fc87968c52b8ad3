"""The `units` query of the network diagram's routes: "1:0,1:7,2:3" (layer:unit pairs, its
pattern checked by the route) read as {layer: [units]}."""

from __future__ import annotations


def units_by_layer(units: str | None) -> dict[int, list[int]] | None:
    """{layer: [unit, ...]} in the order given, or None when no `units` was sent."""
    if units is None:
        return None
    wanted: dict[int, list[int]] = {}
    for pair in units.split(","):
        layer, unit = (int(v) for v in pair.split(":"))
        wanted.setdefault(layer, []).append(unit)
    return wanted
