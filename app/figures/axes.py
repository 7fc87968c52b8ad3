"""Axes for a figure's plots: nice tick values, and a frame with its ticks, numbers and names."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .palette import AXIS, TEXT
from .scene import Polyline, Rect, Scene, Text


def nice_ticks(lo: float, hi: float, n: float = 5) -> tuple[list[float], int]:
    """Round tick values over [lo, hi], about n of them, and the decimals they need (the page's
    niceTicks in static/lib/canvas.js)."""
    raw = (hi - lo) / max(1.0, n)
    if not math.isfinite(raw) or raw <= 0:
        return [lo], 2
    power = 10 ** math.floor(math.log10(raw))
    step = next((m * power for m in (1, 2, 5, 10) if m * power >= raw), 10 * power)
    ticks, t = [], math.ceil(lo / step) * step
    while t <= hi + 1e-9 * step:
        ticks.append(0.0 if abs(t) < step * 1e-9 else t)
        t += step
    return ticks, max(0, -math.floor(math.log10(step)))


@dataclass(frozen=True)
class Frame:
    """A plot's rectangle in pixels and the data range it shows."""

    left: float
    top: float
    w: float
    h: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    def px(self, x: float, y: float) -> tuple[float, float]:
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return (
            self.left + (x - x0) / ((x1 - x0) or 1.0) * self.w,
            self.top + self.h - (y - y0) / ((y1 - y0) or 1.0) * self.h,
        )


def draw_axes(scene: Scene, frame: Frame, font: float, x_name: str, y_name: str) -> None:
    """The frame's border, ticks with their numbers under and left of it, and the axes' names."""
    left, top, w, h = frame.left, frame.top, frame.w, frame.h
    tick, small = 0.35 * font, max(10.0, 0.85 * font)
    scene.add(Rect(left, top, w, h, stroke=AXIS))
    xs, x_dec = nice_ticks(*frame.x_range, w / (4.5 * font))
    for t in xs:
        px, _ = frame.px(t, frame.y_range[0])
        scene.add(Polyline(((px, top + h), (px, top + h + tick)), AXIS, 1.0))
        scene.add(Text(px, top + h + tick + small, f"{t:.{x_dec}f}", small, TEXT, "middle"))
    ys, y_dec = nice_ticks(*frame.y_range, h / (3 * font))
    for t in ys:
        _, py = frame.px(frame.x_range[0], t)
        scene.add(Polyline(((left - tick, py), (left, py)), AXIS, 1.0))
        scene.add(Text(left - tick - 3, py + 0.35 * small, f"{t:.{y_dec}f}", small, TEXT, "end"))
    scene.add(Text(left + w / 2, top + h + tick + small + 1.3 * font, x_name, font, TEXT, "middle"))
    scene.add(Text(left, top - 0.45 * font, y_name, font, TEXT, "start"))  # above, unrotated
