"""The compare figure: two runs' boundaries side by side, each titled with its settings, and one
loss chart of both under them (the second run's curves dashed)."""

from __future__ import annotations

from .boundary import boundary_height, draw_boundary, font_for
from .loss import Curves, draw_loss, loss_height
from .moment import Moment
from .scene import Scene


def compare_figure(
    a: Moment, b: Moment, a_curves: Curves, b_curves: Curves, width: int, last_step: int | None = None
) -> Scene:
    half = width / 2
    top_h = boundary_height(half)
    chart_h = loss_height(width) * 0.8
    scene = Scene(
        width,
        round(top_h + chart_h),
        f"Two runs compared at steps {a.step} and {b.step}: {a_curves.label} and {b_curves.label}",
    )
    draw_boundary(scene, a, 0, 0, half, a_curves.label)
    draw_boundary(scene, b, half, 0, half, b_curves.label)
    draw_loss(scene, [a_curves, b_curves], 0, top_h, width, chart_h, font_for(half), last_step)
    return scene
