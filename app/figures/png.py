"""A Scene as a PNG (or as an image, a GIF's frame), drawn with Pillow at twice the size and
scaled down, so lines, circles and text are smooth."""

from __future__ import annotations

import functools
import io
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .palette import MARKER_EDGE
from .scene import Marker, Picture, Polyline, Rect, Scene, Text

SUPERSAMPLE = 2
SUPERSAMPLED_WIDTH = 2400  # a wider figure is drawn at its size: a 2400 px one twice over is 70 MB
FONT_FILES = {  # Debian's fonts-dejavu, with the subscripts and Greek the labels use
    False: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    True: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}  # on the baseline, as SVG's text


@functools.lru_cache(maxsize=64)
def font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    path = FONT_FILES[bold]
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)  # Pillow's own font: without some symbols


def dashes(points, on: float, off: float):
    """The polyline's pieces that are drawn when it is dashed `on` pixels, then `off`."""
    piece, drawn, left = [points[0]], True, on
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        length, at = math.hypot(x1 - x0, y1 - y0), 0.0
        while length - at > left:
            at += left
            point = (x0 + (x1 - x0) * at / length, y0 + (y1 - y0) * at / length)
            if drawn:
                yield [*piece, point]
            piece, drawn, left = [point], not drawn, off if drawn else on
        left -= length - at
        piece.append((x1, y1))
    if drawn and len(piece) > 1:
        yield piece


def draw(canvas: Image.Image, item, k: float) -> None:
    pen = ImageDraw.Draw(canvas)
    if isinstance(item, Rect):
        box = [item.x * k, item.y * k, (item.x + item.w) * k, (item.y + item.h) * k]
        pen.rectangle(box, fill=item.fill, outline=item.stroke, width=round(item.stroke_width * k))
    elif isinstance(item, Picture):
        size = (max(1, round(item.w * k)), max(1, round(item.h * k)))
        canvas.paste(
            Image.fromarray(item.rgb, "RGB").resize(size, Image.Resampling.BILINEAR),
            (round(item.x * k), round(item.y * k)),
        )
    elif isinstance(item, Marker):
        x, y, r = item.x * k, item.y * k, item.r * k
        if item.shape == "circle":
            pen.ellipse([x - r, y - r, x + r, y + r], fill=item.fill, outline=MARKER_EDGE, width=round(k))
        else:
            d = 1.3 * r
            pen.polygon(
                [(x, y - d), (x + d, y), (x, y + d), (x - d, y)],
                fill=item.fill,
                outline=MARKER_EDGE,
                width=round(1.6 * k),
            )
    elif isinstance(item, Polyline):
        points = [(x * k, y * k) for x, y in item.points]
        width = max(1, round(item.width * k))
        pieces = dashes(points, 3 * width, 2 * width) if item.dashed else [points]
        for piece in pieces:
            pen.line(piece, fill=item.stroke, width=width, joint="curve")
    elif isinstance(item, Text):
        face = font(max(6, round(item.size * k)), item.bold)
        pen.text((item.x * k, item.y * k), item.text, fill=item.fill, font=face, anchor=ANCHORS[item.anchor])
    else:
        raise TypeError(f"a scene holds no {type(item).__name__}")


def to_image(scene: Scene, supersample: int = SUPERSAMPLE) -> Image.Image:
    k = supersample if scene.width * supersample <= SUPERSAMPLED_WIDTH else 1
    canvas = Image.new("RGB", (scene.width * k, scene.height * k), scene.background)
    for item in scene.items:
        draw(canvas, item, k)
    if k == 1:
        return canvas
    return canvas.resize((scene.width, scene.height), Image.Resampling.LANCZOS)


def write_png(scene: Scene) -> bytes:
    out = io.BytesIO()
    to_image(scene).save(out, "PNG", optimize=True)
    return out.getvalue()
