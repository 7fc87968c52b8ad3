"""How saturated the hidden layers are: the share of (training point, hidden unit) pairs where the
activation's slope f'(z) is nearly 0, and the histogram of f'(z) / its peak behind that share,
with the definition written from the activation's own entry; over all hidden layers, and for each."""

from __future__ import annotations

import numpy as np

from app.core.activations import get_activation
from app.core.network import forward

from ..evaluation import SATURATED_BELOW, SLOPE_BINS, relative_slopes, slope_histogram
from ..session import Session
from .common import params64, train_inputs


def saturation(session: Session, at_step: int | None = None) -> dict:
    """The frame's `saturation` and `slopes` at the current parameters (or at_step), in float64."""
    snap, params = params64(session, at_step)
    act = get_activation(session.run.activation)
    fwd = forward(params, train_inputs(session), act.name)
    per_layer = [relative_slopes(z, a, act.name).ravel() for z, a in zip(fwd.z[:-1], fwd.a, strict=True)]
    slopes = np.concatenate(per_layer)
    below = f"below {SATURATED_BELOW * act.peak_slope:g}"
    L = len(per_layer)
    return {
        "layers": [
            {
                "layer": layer,
                "share": float((s < SATURATED_BELOW).mean()) if s.size else 0.0,
                "slopes": slope_histogram(s),
                "pairs": int(s.size),
                "definition": f"f'(z{layer}) = {act.df_text(f'z{layer}', f'a{layer}')} {below}",
            }
            for layer, s in enumerate(per_layer, start=1)
        ],
        "step": snap.step,
        "share": float((slopes < SATURATED_BELOW).mean()) if slopes.size else 0.0,
        "slopes": slope_histogram(slopes),
        "bins": SLOPE_BINS,
        "saturated_below": SATURATED_BELOW,
        "activation": act.name,
        "definition": (
            f"f'(z1) = {act.df_text()} {below}"
            if L == 1
            else f"f'(z) = {act.df_text('z', 'a')} {below} in z1 … z{L}"
        ),
        "pairs": int(slopes.size),
    }
