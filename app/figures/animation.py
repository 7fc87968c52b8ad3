"""The GIF of a run's training: one frame a kept step (an even subset of them when there are more
than asked), each the boundary figure (with a second run: the compare figure, its loss chart drawn
up to that frame's step), encoded by Pillow with one palette for every frame."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from app.training.session import Session

from .boundary import boundary_figure
from .compare import compare_figure
from .loss import Curves
from .moment import Moment, history, kept_steps, moments
from .palette import AXIS, MARKER_EDGE, MAX_TINT, TEST_LINE, TEXT, TRAIN_LINE, class_color, hex_rgb
from .png import to_image
from .settings_text import labels

MAX_FRAMES = 120
MAX_WIDTH = 640
MIN_WIDTH = 160
MAX_FPS = 30
# A region's tints in a GIF: 16 show a faint banding and keep a 60-frame GIF of a spiral run at
# 480 px to 0.84 MB (all 240 the palette could hold: 2.9 MB, the banding gone).
TINT_LEVELS = 16
GIF_BYTES = 8 * 2**20  # past this the render fails and says so: fewer frames or a smaller width


def even_subset(steps: list[int], count: int) -> list[int]:
    """`count` of `steps` spread evenly from the first to the last (all of them when fewer)."""
    if len(steps) <= count:
        return list(steps)
    picks = np.round(np.linspace(0, len(steps) - 1, count)).astype(int)
    return [steps[i] for i in picks]


@dataclass(frozen=True)
class Story:
    """What an animation is drawn from, read from the runs when it is asked for: the run's moments
    at the chosen steps, and with a second run, its moments at the same steps and both histories."""

    moments: list[Moment]
    width: int
    fps: int
    other: list[Moment] | None = None
    curves: tuple[Curves, Curves] | None = None

    @property
    def total(self) -> int:
        return len(self.moments)


def story_of(session: Session, other: Session | None, frames: int, width: int, fps: int) -> Story:
    """The steps both runs keep (with `other`), `frames` of them at most, and the runs there."""
    steps = kept_steps(session)
    if other is not None:
        steps = sorted(set(steps) & set(kept_steps(other)))
    steps = even_subset(steps, frames)
    found = moments(session, steps, exact=False)
    if other is None:
        return Story(found, width, fps)
    found_other = moments(other, steps, exact=False)
    a, b = labels(found[-1].config, found_other[-1].config, session.id, other.id)
    curves = (Curves(a, history(session, steps[-1])), Curves(b, history(other, steps[-1]), dashed=True))
    return Story(found, width, fps, found_other, curves)


def up_to(curves: Curves, step: int) -> Curves:
    """The curves as they were at `step`: the history's rows up to it."""
    rows = int(np.searchsorted(curves.history["step"], step, side="right"))
    return Curves(curves.label, {k: v[:rows] for k, v in curves.history.items()}, curves.dashed)


def frame_image(story: Story, i: int) -> Image.Image:
    moment = story.moments[i]
    if story.other is None:
        return to_image(boundary_figure(moment, story.width, "Training"))
    a, b = story.curves
    scene = compare_figure(
        moment,
        story.other[i],
        up_to(a, moment.step),
        up_to(b, moment.step),
        story.width,
        story.moments[-1].step,
    )
    return to_image(scene)


def gif_palette(C: int) -> Image.Image:
    """One palette for every frame, so colours do not flicker: the figures' own colours exactly
    (text, lines, markers), greys for the edges of text, and each class's region tint from white
    to its strongest in TINT_LEVELS steps (fewer when 8 classes leave less room)."""
    fixed = [TEXT, AXIS, MARKER_EDGE, TRAIN_LINE, TEST_LINE, "#ffffff", *(class_color(k) for k in range(C))]
    colors = [tuple(int(v) for v in hex_rgb(c)) for c in fixed]
    colors += [(g, g, g) for g in range(0, 256, 32)]
    levels = min(TINT_LEVELS, (256 - len(colors)) // C)
    for k in range(C):
        rgb = hex_rgb(class_color(k))
        for a in np.linspace(MAX_TINT / levels, MAX_TINT, levels):
            colors.append(tuple(int(round(255 + (v - 255) * a)) for v in rgb))
    colors += [colors[0]] * (256 - len(colors))
    palette = Image.new("P", (1, 1))
    palette.putpalette([v for c in colors for v in c])
    return palette


def render_gif(story: Story, progress: Callable[[int], None]) -> bytes:
    """The GIF, calling progress(frames done) after each frame."""
    frames = []
    for i in range(story.total):
        frames.append(frame_image(story, i))
        progress(i + 1)
    palette = gif_palette(story.moments[0].dataset.C)
    indexed = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    out = io.BytesIO()
    indexed[0].save(
        out,
        "GIF",
        save_all=True,
        append_images=indexed[1:],
        duration=round(1000 / story.fps),
        loop=0,
    )
    return out.getvalue()
