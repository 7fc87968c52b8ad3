"""Paired presets: a base run, the step it is trained to, and the one thing the right twin changes
there. `POST /api/twins {"preset"}` trains the base to its step and twins it; each text says what
the pair shows, and tests/test_twins_presets.py checks it in numbers."""

from __future__ import annotations

from dataclasses import dataclass, field

from .config import DatasetConfig, RunConfig
from .fork import ForkChanges, fork_start
from .run import Run


@dataclass(frozen=True)
class TwinsPreset:
    name: str
    title: str
    description: str
    config: RunConfig  # the base run (the left twin goes on with it)
    step: int  # the fork step the base run is trained to
    changes: ForkChanges = field(default_factory=ForkChanges)  # the right twin's


SPIRAL = DatasetConfig(kind="spiral", n_samples=300, classes=3)

TWINS_PRESETS = [
    TwinsPreset(
        "lr_1_vs_0_1",
        "Learning rate 1.0 vs 0.1 from step 50",
        "Both runs share their first 50 steps at learning rate 1.0; then the right one goes on at "
        "0.1. The left's loss jumps up and down from step to step (each step overshoots the valley "
        "it is in), the right's falls smoothly, if more slowly.",
        RunConfig(dataset=SPIRAL, hidden=[16, 16], learning_rate=1.0),
        50,
        ForkChanges(learning_rate=0.1),
    ),
    TwinsPreset(
        "ce_vs_mse",
        "Cross-entropy vs MSE from the same init",
        "Two rings, a network of 8 tanh units, the same first weights; the right one measures its "
        "error as the mean squared error of the softmax output. Its output delta carries the "
        "softmax's slope, small where the network is confidently wrong, so it learns more slowly: "
        "by step 100 the left has 98% of the points right, the right under 80%, and it takes some "
        "75 steps more to catch up.",
        RunConfig(dataset=DatasetConfig(kind="circles"), hidden=8, learning_rate=1.0),
        0,
        ForkChanges(loss="mse"),
    ),
    TwinsPreset(
        "momentum_vs_sgd",
        "Momentum vs plain SGD",
        "The same network from the same first weights at the same learning rate 0.1; the left "
        "keeps a running sum of its past steps (momentum, β1 0.9), the right takes each gradient "
        "as it comes. Momentum's steps grow along the directions the gradient keeps pointing, and "
        "its loss falls sooner.",
        RunConfig(learning_rate=0.1, optimizer="momentum", beta1=0.9),
        0,
        ForkChanges(optimizer="sgd"),
    ),
    TwinsPreset(
        "batch_order",
        "Same init, a different mini-batch order",
        "The same network from the same first weights, learning from mini-batches of 10 points at "
        "learning rate 1.0; only the order in which the points come differs. Each step follows "
        "its batch, so the two boundaries wander along different paths and ‖W − W′‖ grows from "
        "zero, though both learn the moons.",
        RunConfig(batch_size=10, learning_rate=1.0),
        0,
        ForkChanges(seed=1),
    ),
]

TWINS_PRESET_NAMES = tuple(p.name for p in TWINS_PRESETS)
BY_NAME = {p.name: p for p in TWINS_PRESETS}


def base_run(preset: TwinsPreset) -> Run:
    """The preset's base run, trained to its fork step (a few dozen steps: bounded by the presets)."""
    run = Run(preset.config)
    for _ in range(preset.step):
        if not run.step():
            raise RuntimeError(f"the {preset.name} preset's base run stopped at step {run.step_count}")
    return run


def preset_start(preset: TwinsPreset, parent_id: str):
    """The fork start of the preset's twins: its base run at its fork step."""
    return fork_start(base_run(preset), parent_id, None)
