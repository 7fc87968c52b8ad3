"""Two runs' settings in words, for the titles of figures that show both: what differs between
them ("learning rate 0.1" beside "learning rate 1"), or, when nothing does, their ids."""

from __future__ import annotations

from app.training.config import RunConfig

# The settings a title names, in the order it names them, and how each is written.
NAMES = {
    "learning_rate": "learning rate",
    "optimizer": "optimizer",
    "beta1": "β",
    "loss": "loss",
    "activation": "activation",
    "lam": "L2 λ",
    "l1": "L1 λ₁",
    "batch_size": "batch",
    "label_smoothing": "label smoothing",
    "seed": "seed",
    "hidden": "hidden",
    "init_scale": "init",
}
LOSS_WORDS = {"cross_entropy": "cross-entropy", "mse": "MSE"}


def value_text(name: str, value) -> str:
    if name == "loss":
        return LOSS_WORDS.get(value, str(value))
    if name == "batch_size" and value is None:
        return "full"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return " × ".join(map(str, value))
    return str(value)


def setting_text(config: RunConfig, names) -> str:
    return ", ".join(f"{NAMES[n]} {value_text(n, getattr(config, n))}" for n in names)


def labels(a: RunConfig, b: RunConfig, a_id: str, b_id: str) -> tuple[str, str]:
    """What tells run a from run b: the settings in which they differ, or their ids."""
    differ = [n for n in NAMES if getattr(a, n) != getattr(b, n)]
    if a.dataset != b.dataset:
        differ.append("data")
    shown = [n for n in differ if n in NAMES][:3]
    if not shown:
        extra = " (other data)" if differ else ""
        return f"run {a_id[:8]}{extra}", f"run {b_id[:8]}{extra}"
    return setting_text(a, shown), setting_text(b, shown)
