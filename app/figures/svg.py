"""A Scene as SVG text: valid XML with a viewBox and a <title>, the regions one embedded PNG (a
G x G image, a few kilobytes, where a rect a cell would be tens of thousands of elements)."""

from __future__ import annotations

import base64
import io
from xml.sax.saxutils import escape

from PIL import Image

from .palette import MARKER_EDGE
from .scene import Marker, Picture, Polyline, Rect, Scene, Text

ANCHORS = {"start": "start", "middle": "middle", "end": "end"}


def n(value: float) -> str:
    """A coordinate, to a tenth of a pixel."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def png_data_uri(rgb) -> str:
    out = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(out, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def diamond_points(m: Marker) -> str:
    d = m.r * 1.3
    return " ".join(
        f"{n(x)},{n(y)}" for x, y in ((m.x, m.y - d), (m.x + d, m.y), (m.x, m.y + d), (m.x - d, m.y))
    )


def element(item) -> str:
    if isinstance(item, Rect):
        fill = item.fill or "none"
        stroke = f' stroke="{item.stroke}" stroke-width="{n(item.stroke_width)}"' if item.stroke else ""
        box = f'x="{n(item.x)}" y="{n(item.y)}" width="{n(item.w)}" height="{n(item.h)}"'
        return f'<rect {box} fill="{fill}"{stroke}/>'
    if isinstance(item, Picture):
        return (
            f'<image x="{n(item.x)}" y="{n(item.y)}" width="{n(item.w)}" height="{n(item.h)}" '
            f'preserveAspectRatio="none" href="{png_data_uri(item.rgb)}"/>'
        )
    if isinstance(item, Marker):
        if item.shape == "circle":
            return (
                f'<circle class="point {item.kind}" cx="{n(item.x)}" cy="{n(item.y)}" r="{n(item.r)}" '
                f'fill="{item.fill}" stroke="{MARKER_EDGE}" stroke-width="1"/>'
            )
        return (
            f'<polygon class="point {item.kind}" points="{diamond_points(item)}" fill="{item.fill}" '
            f'stroke="{MARKER_EDGE}" stroke-width="1.6"/>'
        )
    if isinstance(item, Polyline):
        dash = f' stroke-dasharray="{n(3 * item.width)} {n(2 * item.width)}"' if item.dashed else ""
        points = " ".join(f"{n(x)},{n(y)}" for x, y in item.points)
        return (
            f'<polyline points="{points}" fill="none" stroke="{item.stroke}" stroke-width="{n(item.width)}" '
            f'stroke-linejoin="round"{dash}/>'
        )
    if isinstance(item, Text):
        weight = ' font-weight="bold"' if item.bold else ""
        return (
            f'<text x="{n(item.x)}" y="{n(item.y)}" font-size="{n(item.size)}" fill="{item.fill}" '
            f'text-anchor="{ANCHORS[item.anchor]}"{weight}>{escape(item.text)}</text>'
        )
    raise TypeError(f"a scene holds no {type(item).__name__}")


def write_svg(scene: Scene) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{scene.width}" height="{scene.height}" '
        f'viewBox="0 0 {scene.width} {scene.height}" font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{escape(scene.title)}</title>",
        f'<rect width="{scene.width}" height="{scene.height}" fill="{scene.background}"/>',
        *(element(item) for item in scene.items),
        "</svg>",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
