"""What a figure is made of, in pixels from its top left: the few shapes the two writers (svg.py,
png.py) know. A figure is built once as a Scene and written either way, so the SVG and the PNG of
a figure show the same thing."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str | None = None  # "#rrggbb", None: not filled
    stroke: str | None = None
    stroke_width: float = 1.0


@dataclass(frozen=True)
class Picture:
    """An RGB image (h, w, 3) uint8 stretched over the rectangle: the decision regions."""

    x: float
    y: float
    w: float
    h: float
    rgb: np.ndarray


@dataclass(frozen=True)
class Marker:
    """A data point: a circle (training point) or a diamond (test point), as the page draws them."""

    x: float
    y: float
    r: float
    fill: str
    shape: str = "circle"  # or "diamond"
    kind: str = "train"  # or "test": the SVG's class, so a reader can count them


@dataclass(frozen=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 2.0
    dashed: bool = False


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline's middle ("middle"), or its left/right end
    text: str
    size: float
    fill: str = "#222222"
    anchor: str = "start"  # "start", "middle", "end"
    bold: bool = False


@dataclass
class Scene:
    width: int
    height: int
    title: str  # the SVG's <title>: what the figure shows, in words
    items: list = field(default_factory=list)
    background: str = "#ffffff"

    def add(self, *items) -> None:
        self.items.extend(items)
