"""What one server lets a run be: tighter than the schema's outer bounds, set by the server's
settings, and checked the same way for every way a run comes in (created, imported, loaded from
the store, its points edited), so no door is left where a run bigger than the limits gets in."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.bounds import MAX_HIDDEN, MAX_SAMPLES

from .config import RunConfig


class LimitExceeded(ValueError):
    """A run larger than this server allows; the message names the field and the limit."""


@dataclass(frozen=True)
class RunLimits:
    max_hidden: int = MAX_HIDDEN
    max_points: int = MAX_SAMPLES

    def check(self, config: RunConfig) -> None:
        """LimitExceeded naming the field if `config` asks for more than this server allows.
        Cheap: it runs before the run's data is built."""
        if config.hidden > self.max_hidden:
            raise LimitExceeded(
                f"hidden must be at most {self.max_hidden} on this server, got {config.hidden}"
            )
        d = config.dataset
        self.check_points(len(d.points) if d.points else d.n_samples, "dataset")

    def allows(self, config: RunConfig) -> bool:
        try:
            self.check(config)
        except LimitExceeded:
            return False
        return True

    def check_points(self, n: int, field: str) -> None:
        if n > self.max_points:
            raise LimitExceeded(f"{field}: this server allows at most {self.max_points} points, got {n}")
