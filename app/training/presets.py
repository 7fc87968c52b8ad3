"""Named starting configurations, each teaching one idea: one click on the page, `GET /api/presets`
over REST. The first is what `RunConfig()` gives. Each text says what to look at on the page, and
every number in it is the config's or what the run does (tests/test_presets.py runs each one)."""

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
        "loss. Press play and watch the decision boundary bend around the moons: over 95% of the "
        "training points are right by step 300 (accuracy, top bar).",
        RunConfig(),
    ),
    Preset(
        "moons-500",
        "Moons, 2-500-2 tanh",
        "The same moons with 500 hidden units (lr 0.5): the same kind of boundary, over 95% right by "
        "step 300, but the gradient is spread over many weights: in the Weights and gradients tab each "
        "entry of dW1 is a few times smaller than in the 2-5-2 run.",
        RunConfig(hidden=500, learning_rate=0.5),
    ),
    Preset(
        "spiral-cs231n",
        "Spiral, 3 classes, ReLU 100",
        "The CS231n case study: 300 points on 3 arms, 100 ReLU units, init 0.01, lr 1.0, lam 1e-3. "
        "A linear softmax gets about half right (set Activation to linear); this network gets ~98% "
        "by step 3000: watch the boundary wind along the arms.",
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
        "Targets 0.9/0.1 instead of 1/0: softmax reaches 0.9 at a logit gap of ln 9 ≈ 2.2, so the "
        "logits stop growing there, and W2 (Weights and gradients tab) stays about half the size it "
        "reaches in the moons run. dz2 = (y_hat - y)/N holds all the same: each row of y sums to 1.",
        RunConfig(label_smoothing=0.2),
    ),
    Preset(
        "lr-too-high",
        "Learning rate too high (diverges)",
        "SGD at lr 30 with L2 0.1: each step multiplies the weights by 1 - lr*lam = -2 before the "
        "gradient acts, so they blow up: the run stops as diverged within 100 steps and the banner "
        "says so. Lower the learning rate and reset.",
        RunConfig(learning_rate=30.0, lam=0.1),
    ),
    Preset(
        "tanh-saturation",
        "tanh saturation (init too large)",
        "Initial weights of std 5: most tanh units sit near ±1, where tanh' = 1 - a1² is nearly 0, so "
        "dz1 = da1 · tanh' is nearly 0 and the first layer barely learns. Beside the gradient "
        "magnitudes, Saturated stays above 50% for the first 300 steps; switch that chart to "
        "update / weight: W1 moves several times slower than in the moons run.",
        RunConfig(hidden=20, init_scale=5.0, learning_rate=0.5),
    ),
    Preset(
        "sum-vs-mean",
        "Sum vs mean loss",
        "The notebook sums the gradient over N=200 points with lr 0.01 while printing the mean loss; "
        "that is this run: the mean-loss gradient with lr 0.01 * 200 = 2 and L2 0.01 / 200. Same "
        "steps, different names: step it, and the weights are the notebook's.",
        RunConfig(dataset=DatasetConfig(train_fraction=1.0), hidden=3, learning_rate=2.0, lam=0.01 / 200),
    ),
    Preset(
        "xor",
        "XOR, 2-4-2 tanh",
        "Four quadrants, opposite ones alike: no straight line separates them. Four tanh units get "
        "every training point right by step 300: watch the boundary become a cross, and the Hidden "
        "space tab pull the quadrants apart. Set Hidden units to 2 and it stalls near 84%.",
        RunConfig(dataset=DatasetConfig(kind="xor"), hidden=4, learning_rate=1.0),
    ),
    Preset(
        "blobs-4",
        "Four blobs, softmax with 4 classes",
        "C = 4: the softmax Jacobian in the Derivation tab is 4 x 4, and each class gets a region of "
        "its own on the boundary: over 95% of the points are right by step 100.",
        RunConfig(dataset=DatasetConfig(kind="blobs", classes=4), hidden=6, learning_rate=0.5),
    ),
]

# The lessons of depth: six layers of 16 on the CS231n spiral, the gradient of each layer at step 0.
SPIRAL_300 = DatasetConfig(kind="spiral", n_samples=300, classes=3, train_fraction=1.0)
SIX_BY_16 = [16] * 6

PRESETS += [
    Preset(
        "vanishing-sigmoid",
        "Vanishing gradients (6 × sigmoid)",
        "Six sigmoid layers of 16 on the spiral, init std 1: each layer passes back at most a quarter "
        "of its error (sigmoid' is at most 0.25), so at step 0 the first layer's gradient |dW1| is over a "
        "hundred times smaller than the last layer's |dW7|: the per-layer gradient chart (log axis) "
        "fans out. Xavier init does not save sigmoid: try it.",
        RunConfig(
            dataset=SPIRAL_300,
            hidden=SIX_BY_16,
            activation="sigmoid",
            init_scale=1.0,
            learning_rate=0.5,
            lam=0.0,
        ),
    ),
    Preset(
        "tanh-xavier",
        "The fix: tanh + Xavier",
        "The same six layers of 16 with tanh and Xavier init (std sqrt(2 / (fan_in + fan_out))): "
        "tanh' is 1 at z = 0 and Xavier keeps each layer's z near there, so at step 0 |dW1| is within "
        "ten times |dW7|, and every layer learns.",
        RunConfig(
            dataset=SPIRAL_300,
            hidden=SIX_BY_16,
            activation="tanh",
            init_scale="xavier",
            learning_rate=0.5,
            lam=0.0,
        ),
    ),
    Preset(
        "relu-exploding",
        "Exploding gradients (6 × ReLU, init too large)",
        "Six ReLU layers of 16, init std 3: every layer multiplies the signal it passes on, forward "
        "and back, so at step 0 the first layer's gradient |dW1| is over 1000, and the steps it takes "
        "throw the weights so far that the run diverges within 10 steps. He init brings it back.",
        RunConfig(
            dataset=SPIRAL_300,
            hidden=SIX_BY_16,
            activation="relu",
            init_scale=3.0,
            learning_rate=0.1,
            lam=0.0,
        ),
    ),
    Preset(
        "relu-he",
        "He init for ReLU",
        "The same six ReLU layers of 16 with He init (std sqrt(2 / fan_in)): ReLU zeroes about half "
        "of what reaches it and the 2 makes up for that, so at step 0 |dW1| is below 1 and within ten "
        "times |dW7|.",
        RunConfig(
            dataset=SPIRAL_300,
            hidden=SIX_BY_16,
            activation="relu",
            init_scale="he",
            learning_rate=0.1,
            lam=0.0,
        ),
    ),
    Preset(
        "linear-spiral",
        "Linear classifier on the spiral",
        "CS231n's baseline: the spiral's 300 points with a linear activation, so the whole network is "
        "one linear map and every boundary is a straight line: about half the points right (49% by "
        "step 1000), where the ReLU units of the spiral preset get 98%.",
        RunConfig(
            dataset=SPIRAL_300, hidden=100, activation="linear", init_scale=0.01, learning_rate=1.0, lam=1e-3
        ),
    ),
    Preset(
        "mse-vs-cross-entropy",
        "MSE vs cross-entropy",
        "The spiral preset with the mse loss: where the network is confidently wrong, the softmax's "
        "flat tail squeezes mse's output delta, while cross-entropy's y_hat - y stays large. By step "
        "1000 it gets 84% of the points right where cross-entropy gets over 90%: set Loss back to compare.",
        RunConfig(
            dataset=SPIRAL_300,
            hidden=100,
            activation="relu",
            init_scale=0.01,
            learning_rate=1.0,
            lam=1e-3,
            loss="mse",
        ),
    ),
    Preset(
        "zero-init",
        "Zero init: symmetry",
        "Every weight starts at 0 (two sigmoid layers of 8 on the moons): every unit of a layer "
        "computes the same value and gets the same gradient, so the units stay identical, and the "
        "network is no better than one unit a layer: about half the points right by step 300.",
        RunConfig(hidden=[8, 8], activation="sigmoid", init_scale="zeros", learning_rate=1.0),
    ),
    Preset(
        "features-circles",
        "Features instead of depth (x1², x2² on circles)",
        "The circles with the squares of the coordinates as the inputs and two linear units: a circle is "
        "a straight line in (x1², x2²), so this network, linear all through, gets every training "
        "point right by step 300; with the plain x1, x2 it gets under 60%.",
        RunConfig(
            dataset=DatasetConfig(kind="circles"),
            hidden=2,
            activation="linear",
            features=["x1_sq", "x2_sq"],
            learning_rate=1.0,
            lam=0.0,
        ),
    ),
]

PRESETS_BY_NAME = {p.name: p for p in PRESETS}
