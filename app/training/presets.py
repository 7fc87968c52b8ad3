"""Named starting configurations, each teaching one idea: one click on the page, `GET /api/presets`
over REST. The first is what `RunConfig()` gives."""

from __future__ import annotations

from dataclasses import dataclass

from .config import DatasetConfig, RunConfig


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    teaches: str
    config: RunConfig


PRESETS = [
    Preset(
        "moons-classic",
        "Moons, 2-5-2 tanh",
        "The from-scratch notebook's data (200 moons, noise 0.2) and a small tanh network on the mean "
        "loss. Watch the boundary bend around the moons.",
        RunConfig(),
    ),
    Preset(
        "moons-500",
        "Moons, 2-500-2 tanh",
        "The same moons with 500 hidden units: more units, the same kind of boundary, and a gradient "
        "spread over many weights (look at the weight heatmaps).",
        RunConfig(hidden=500, learning_rate=0.5),
    ),
    Preset(
        "spiral-cs231n",
        "Spiral, 3 classes, ReLU 100",
        "The CS231n case study: 300 points on 3 arms, 100 ReLU units, init 0.01, lr 1.0, lam 1e-3. "
        "A linear softmax gets about half right; this network gets ~98%.",
        RunConfig(
            dataset=DatasetConfig(kind="spiral", n_samples=300, classes=3, train_fraction=1.0),
            hidden=100,
            activation="relu",
            init_scale=0.01,
            learning_rate=1.0,
            lam=1e-3,
        ),
    ),
    Preset(
        "label-smoothing",
        "Soft labels (label smoothing 0.2)",
        "Targets 0.9/0.1 instead of 1/0: y_hat - y never reaches 0, so the logits stop growing and "
        "the gradient never vanishes. dz2 = (y_hat - y)/N holds all the same: each row of y sums to 1.",
        RunConfig(label_smoothing=0.2),
    ),
    Preset(
        "lr-too-high",
        "Learning rate too high (diverges)",
        "SGD at lr 30 with L2 0.1: each step multiplies the weights by 1 - lr*lam = -2, so they "
        "blow up within a few dozen steps. Lower the learning rate and reset.",
        RunConfig(learning_rate=30.0, lam=0.1),
    ),
    Preset(
        "tanh-saturation",
        "tanh saturation (init too large)",
        "Initial weights of std 5: most tanh units sit at +-1 where tanh' = 1 - a1^2 is ~0, so dz1 "
        "is ~0 and the first layer barely learns. Watch the saturation share and ||dW1||.",
        RunConfig(hidden=20, init_scale=5.0, learning_rate=0.5),
    ),
    Preset(
        "sum-vs-mean",
        "Sum vs mean loss",
        "The notebook sums the gradient over N=200 points with lr 0.01 while printing the mean loss; "
        "that is this run: the mean-loss gradient with lr 0.01 * 200 = 2. Same steps, different names.",
        RunConfig(dataset=DatasetConfig(train_fraction=1.0), hidden=3, learning_rate=2.0, lam=0.01 / 200),
    ),
    Preset(
        "xor",
        "XOR",
        "Four quadrants, opposite ones alike: no straight line separates them, two hidden units can.",
        RunConfig(dataset=DatasetConfig(kind="xor"), hidden=4, learning_rate=1.0),
    ),
    Preset(
        "blobs-4",
        "Four blobs, softmax with 4 classes",
        "C = 4: the softmax Jacobian is 4 x 4, and each class gets a region of its own.",
        RunConfig(dataset=DatasetConfig(kind="blobs", classes=4), hidden=6, learning_rate=0.5),
    ),
]

PRESETS_BY_NAME = {p.name: p for p in PRESETS}
