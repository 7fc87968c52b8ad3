"""How saturated the hidden layer is: the share of (training point, hidden unit) pairs where the
activation's slope f'(z1) is nearly 0, and the histogram of f'(z1) / its peak behind that share,
with the definition written from the activation's own entry."""

from __future__ import annotations

from app.core.activations import get_activation
from app.core.network import forward

from ..evaluation import SATURATED_BELOW, SLOPE_BINS, relative_slopes, slope_histogram
from ..session import Session
from .common import params64


def saturation(session: Session, at_step: int | None = None) -> dict:
    """The frame's `saturation` and `slopes` at the current parameters (or at_step), in float64."""
    snap, params = params64(session, at_step)
    d = session.run.dataset
    act = get_activation(session.run.activation)
    fwd = forward(params, d.X_train, act.name)
    slopes = relative_slopes(fwd.z1, fwd.a1, act.name)
    return {
        "step": snap.step,
        "share": float((slopes < SATURATED_BELOW).mean()) if slopes.size else 0.0,
        "slopes": slope_histogram(slopes),
        "bins": SLOPE_BINS,
        "saturated_below": SATURATED_BELOW,
        "activation": act.name,
        "definition": f"f'(z1) = {act.df_text()} below {SATURATED_BELOW * act.peak_slope:g}",
        "pairs": int(slopes.size),
    }
