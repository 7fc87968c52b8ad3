"""The loss chart: the training loss (on each step's batch) and the test loss over the steps, from
a run's history; with a second run, its two curves too, dashed, each curve named in a legend."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .axes import Frame, draw_axes
from .boundary import font_for
from .palette import TEST_LINE, TEXT, TRAIN_LINE
from .scene import Polyline, Scene, Text


@dataclass(frozen=True)
class Curves:
    """One run's history columns (step, loss, test_loss) and the name its curves go by."""

    label: str
    history: dict
    dashed: bool = False


def points_of(steps: list, values: list, most: int) -> list[tuple[float, float]]:
    """(step, value) with a finite value, at most about `most` of them, evenly through the rows."""
    found = [(s, v) for s, v in zip(steps, values) if v is not None and math.isfinite(v)]
    every = max(1, math.ceil(len(found) / max(1, most)))
    thinned = found[::every]
    if found and thinned[-1] != found[-1]:
        thinned.append(found[-1])
    return thinned


def loss_height(width: float) -> float:
    return 0.5 * width


def draw_loss(
    scene: Scene,
    runs: list[Curves],
    x: float,
    y: float,
    width: float,
    height: float,
    font: float | None = None,
    last_step: int | None = None,
) -> None:
    """The chart in the box at (x, y), width x height: a legend row a run, then the plot, its
    steps up to `last_step` (default: the last drawn; an animation keeps its axis from frame to
    frame)."""
    font = font or font_for(width)
    legend_rows = len(runs)
    left, top = x + 4.0 * font, y + (1.3 * legend_rows + 1.7) * font
    w, h = width - 5.0 * font, y + height - 3.0 * font - top
    most = int(2 * w)
    lines = []
    for run in runs:
        steps = run.history["step"]
        for column, color in (("loss", TRAIN_LINE), ("test_loss", TEST_LINE)):
            pts = points_of(steps, run.history[column], most)
            if pts:
                lines.append((pts, color, run.dashed))
    all_steps = [s for pts, *_ in lines for s, _ in pts] or [0, 1]
    all_values = [v for pts, *_ in lines for _, v in pts] or [0, 1]
    x_end = max(all_steps) if last_step is None else last_step
    x_range = (min(all_steps), max(x_end, min(all_steps) + 1))
    y_range = (0.0, max(all_values) * 1.05 or 1.0)
    frame = Frame(left, top, w, h, x_range, y_range)
    for pts, color, dashed in lines:
        scene.add(Polyline(tuple(frame.px(s, v) for s, v in pts), color, 2.0, dashed))
    draw_axes(scene, frame, font, "step", "loss")
    # the legend: a row a run, its name (when there are two), then a sample of each curve's line
    name_width = 0.62 * 0.9 * font * (max(len(run.label) for run in runs) + 1) + font
    for row, run in enumerate(runs):
        ly = y + (1.2 + 1.3 * row) * font
        lx = left
        if len(runs) > 1:
            scene.add(Text(lx, ly, f"{run.label}:", 0.9 * font, TEXT, bold=True))
            lx += name_width
        for color, split in ((TRAIN_LINE, "train"), (TEST_LINE, "test")):
            scene.add(
                Polyline(
                    ((lx, ly - 0.32 * font), (lx + 2.2 * font, ly - 0.32 * font)), color, 2.5, run.dashed
                )
            )
            scene.add(Text(lx + 2.6 * font, ly, split, 0.9 * font, TEXT))
            lx += 6.0 * font


def loss_figure(runs: list[Curves], width: int) -> Scene:
    height = round(loss_height(width))
    names = " and ".join(run.label for run in runs)
    scene = Scene(width, height, f"Training and test loss over the steps: {names}")
    draw_loss(scene, runs, 0, 0, width, height)
    return scene
