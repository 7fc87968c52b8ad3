"""The boundary figure: a run's decision regions at one step, at the page's colours, its training
points (circles) and test points (diamonds) on them, titled with the step, loss and accuracy."""

from __future__ import annotations

from app.core.bounds import MAX_GRID
from app.core.grid import decision_grid

from .axes import Frame, draw_axes
from .moment import Moment, score
from .palette import TEXT, class_color, region_image
from .scene import Marker, Picture, Scene, Text


def font_for(width: float) -> float:
    """Type size for a figure `width` pixels wide: readable on a slide, never under 11 px."""
    return max(11.0, width / 48)


def grid_size(side: float) -> int:
    """Grid points a side: a cell every 4 pixels or so (the regions are smooth; the writers
    stretch them), within the core's bound."""
    return int(min(MAX_GRID, max(40, round(side / 4))))


def marker_radius(side: float, n: int) -> float:
    """The page's markerRadius (panels/boundary/plot.js): smaller as the data grows."""
    return max(2.2, min(side / 75, 8) * min(1.0, (400 / max(1, n)) ** 0.5))


def score_line(moment: Moment) -> str:
    s = score(moment)
    test = "" if s.test_accuracy is None else f", test {s.test_accuracy:.0%}"
    return f"loss {s.loss:.4g} · accuracy {s.accuracy:.0%}{test}"


def boundary_height(width: float) -> float:
    font = font_for(width)
    return width - 5.0 * font + 7.0 * font  # the square, the title above it and the axes below


def draw_boundary(scene: Scene, moment: Moment, x: float, y: float, width: float, heading: str) -> None:
    """The boundary of `moment` in the box at (x, y), `width` wide and boundary_height(width) high,
    under `heading` (a first title line) and the step with its loss and accuracy."""
    font = font_for(width)
    left, top = x + 4.0 * font, y + 4.2 * font
    side = width - 5.0 * font
    d = moment.dataset
    scene.add(Text(x + width / 2, y + 1.3 * font, heading, 1.1 * font, TEXT, "middle", bold=True))
    scene.add(
        Text(
            x + width / 2, y + 2.7 * font, f"step {moment.step} · {score_line(moment)}", font, TEXT, "middle"
        )
    )
    x0, x1, y0, y1 = d.box
    frame = Frame(left, top, side, side, (x0, x1), (y0, y1))
    y_hat = decision_grid(
        moment.params, d.box, grid_size(side), moment.config.activation, tuple(moment.config.features)
    )
    scene.add(Picture(left, top, side, side, region_image(y_hat)))
    r = marker_radius(side, len(d.X))
    for indices, shape, kind in ((d.train, "circle", "train"), (d.test, "diamond", "test")):
        for i in indices:
            px, py = frame.px(float(d.X[i, 0]), float(d.X[i, 1]))
            scene.add(Marker(px, py, r, class_color(int(d.labels[i])), shape, kind))
    draw_axes(scene, frame, font, "x₁", "x₂")


def boundary_figure(moment: Moment, width: int, heading: str = "Decision boundary") -> Scene:
    scene = Scene(width, round(boundary_height(width)), f"{heading} at step {moment.step}")
    draw_boundary(scene, moment, 0, 0, width, heading)
    return scene
