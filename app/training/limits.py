"""What one server lets a run be: tighter than the schema's outer bounds, set by the server's
settings, and checked the same way for every way a run comes in (created, imported, loaded from
the store, its points edited), so no door is left where a run bigger than the limits gets in."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.bounds import MAX_HIDDEN, MAX_SAMPLES

from .config import RunConfig

# A deep run's step costs about N * sum over l >= 2 of H(l-1) * H(l) for its hidden-to-hidden
# weights, where one layer's costs N * H * (F + C): those weights are bounded by this many times
# max_hidden, 131,072 at the default 1024 (3 layers of 256, or 6 of 160).
HIDDEN_WEIGHTS_PER_MAX_HIDDEN = 128


class LimitExceeded(ValueError):
    """A run larger than this server allows; the message names the field and the limit."""


@dataclass(frozen=True)
class RunLimits:
    max_hidden: int = MAX_HIDDEN
    max_points: int = MAX_SAMPLES

    def check(self, config: RunConfig) -> None:
        """LimitExceeded naming the field if `config` asks for more than this server allows.
        Cheap: it runs before the run's data is built."""
        widths = config.widths
        if max(widths) > self.max_hidden:
            raise LimitExceeded(
                f"hidden must be at most {self.max_hidden} on this server, got {config.hidden}"
                if len(widths) == 1 and isinstance(config.hidden, int)
                else f"hidden: every layer must be at most {self.max_hidden} wide on this server, "
                f"got {list(widths)}"
            )
        hidden_weights = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
        if hidden_weights > self.max_hidden_weights:
            raise LimitExceeded(
                f"hidden: the weights between hidden layers (sum of H(l-1) * H(l)) must be at most "
                f"{self.max_hidden_weights} on this server, got {hidden_weights} for {list(widths)}"
            )
        d = config.dataset
        self.check_points(len(d.points) if d.points else d.n_samples, "dataset")

    @property
    def max_hidden_weights(self) -> int:
        return HIDDEN_WEIGHTS_PER_MAX_HIDDEN * self.max_hidden

    def allows(self, config: RunConfig) -> bool:
        try:
            self.check(config)
        except LimitExceeded:
            return False
        return True

    def check_points(self, n: int, field: str) -> None:
        if n > self.max_points:
            raise LimitExceeded(f"{field}: this server allows at most {self.max_points} points, got {n}")
