"""The title of twins in words: what the right run changed, from which step
("learning rate 1 → 0.1 from step 50")."""

from __future__ import annotations

from .config import RunConfig

# The settings a fork can change, as a class reads them, in the order a title lists them.
LABELS = {
    "learning_rate": "learning rate",
    "optimizer": "optimizer",
    "beta1": "β1 (momentum)",
    "loss": "loss",
    "activation": "activation",
    "lam": "L2 λ",
    "l1": "L1",
    "batch_size": "batch size",
    "label_smoothing": "label smoothing",
    "seed": "mini-batch order (seed)",
    "noise": "data noise",
    "steps_per_second": "speed (steps/s)",
}
VALUE_WORDS = {
    "cross_entropy": "cross-entropy",
    "mse": "MSE",
    "sgd": "plain SGD",
    "adam": "Adam",
    None: "full",
}


def _setting(config: RunConfig, name: str):
    return config.dataset.noise if name == "noise" else getattr(config, name)


def _words(value) -> str:
    if isinstance(value, str | None) and value in VALUE_WORDS:
        return VALUE_WORDS[value]
    return f"{value:g}" if isinstance(value, float) else str(value)


def twins_title(left: RunConfig, right: RunConfig, step: int) -> str:
    """What differs between the left's config and the right's, in words, and the fork step."""
    changed = [
        f"{label} {_words(_setting(left, name))} → {_words(_setting(right, name))}"
        for name, label in LABELS.items()
        if _setting(left, name) != _setting(right, name)
    ]
    what = ", ".join(changed) if changed else "the same run twice"
    return f"{what} from step {step}"
