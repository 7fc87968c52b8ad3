"""The page's colours (static/lib/palette.js), for figures drawn by the server: the class colours
and the tint of the decision regions. tests/test_figures.py reads palette.js and checks that these
are its values, so a colour changed there and not here fails a test."""

from __future__ import annotations

import numpy as np

# Okabe & Ito's palette, orange and blue first: palette.js's CLASS_COLORS.
CLASS_COLORS = (
    "#E69F00",
    "#0072B2",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#555555",
)
MAX_TINT = 0.72  # palette.js's: a region at certainty, softened so the points on it stay visible
TRAIN_LINE = "#222222"  # palette.js's SPLIT_STYLE: the training loss
TEST_LINE = "#CC79A7"  # and the test loss
MARKER_EDGE = "#111111"
AXIS = "#444444"
TEXT = "#222222"


def class_color(k: int) -> str:
    return CLASS_COLORS[k % len(CLASS_COLORS)]


def hex_rgb(color: str) -> np.ndarray:
    n = int(color[1:], 16)
    return np.array([(n >> 16) & 255, (n >> 8) & 255, n & 255], dtype=np.float64)


def region_image(y_hat: np.ndarray) -> np.ndarray:
    """The decision regions as RGB (G, G, 3) uint8, rows from the top of the box down, from the
    decision grid's y_hat (G, G, C) (rows from the bottom up): each cell the winning class's colour,
    white at chance (1/C) and MAX_TINT of the colour at certainty, through a square root so the
    band between regions stays narrow, as palette.js's confidenceTables paints it."""
    C = y_hat.shape[-1]
    best = np.argmax(y_hat, axis=-1)
    p = np.take_along_axis(y_hat, best[..., None], axis=-1)[..., 0]
    confidence = np.clip((p - 1 / C) / (1 - 1 / C), 0.0, 1.0)
    a = MAX_TINT * np.sqrt(confidence)
    colors = np.stack([hex_rgb(class_color(k)) for k in range(C)])  # (C, 3)
    rgb = 255 + (colors[best] - 255) * a[..., None]
    return np.round(rgb[::-1]).astype(np.uint8)
