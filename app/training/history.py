"""A run's history, one row a step, bounded: past `capacity` rows every other row is dropped,
so a long run keeps its whole course at a coarser step and memory stays flat."""

from __future__ import annotations

import math

from app.core.network import param_names


def columns_for(L: int) -> tuple[str, ...]:
    """The history's columns for a network of L hidden layers: a gradient norm and an
    update/weight ratio for every parameter W1, b1, ..., W(L+1), b(L+1)."""
    return (
        "step",
        "epoch",
        "loss",  # on the step's batch, before its update
        "accuracy",  # on the step's batch, before its update
        *(f"grad_norm_{name}" for name in param_names(L)),
        *(f"ratio_{name}" for name in param_names(L)),
        "test_loss",  # at the parameters after the step; every eval_every steps, else None
        "test_accuracy",
    )


COLUMNS = columns_for(1)  # one hidden layer's


HISTORY_ROWS = 20_000  # rows a run keeps by default; a longer run keeps every other row, and so on


def finite_or_none(value) -> float | None:
    """JSON has no NaN or Infinity: a non-finite number is written as null."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


class History:
    def __init__(self, capacity: int = HISTORY_ROWS, layers: int = 1):
        if capacity < 2:
            raise ValueError(f"capacity must be at least 2, got {capacity}")
        self.capacity = capacity
        self.names = columns_for(layers)
        self.columns: dict[str, list] = {name: [] for name in self.names}
        self.stride = 1  # rows are kept for steps that are multiples of stride

    def __len__(self) -> int:
        return len(self.columns["step"])

    def append(self, row: dict) -> None:
        if row["step"] % self.stride:
            return
        self.columns["step"].append(int(row["step"]))
        for name in self.names[1:]:
            self.columns[name].append(finite_or_none(row.get(name)))
        if len(self) > self.capacity:
            self.stride *= 2
            keep = [i for i, step in enumerate(self.columns["step"]) if step % self.stride == 0]
            for name in self.names:
                column = self.columns[name]
                self.columns[name] = [column[i] for i in keep]

    def state(self) -> dict:
        return {
            "stride": self.stride,
            "columns": {name: list(column) for name, column in self.columns.items()},
        }

    def load_state(self, state: dict) -> None:
        columns = state["columns"]
        if set(columns) != set(self.names):
            raise ValueError(f"history.columns must be exactly {', '.join(self.names)}")
        lengths = {len(column) for column in columns.values()}
        if len(lengths) > 1:
            raise ValueError("history.columns must all have the same length")
        if lengths and lengths.pop() > self.capacity:
            raise ValueError(f"history.columns may hold at most {self.capacity} rows")
        self.stride = int(state["stride"])
        self.columns = {
            name: [int(v) for v in columns[name]]
            if name == "step"
            else [finite_or_none(v) for v in columns[name]]
            for name in self.names
        }

    def clear(self) -> None:
        for column in self.columns.values():
            column.clear()
        self.stride = 1

    def downsampled(self, max_points: int) -> dict[str, list]:
        """At most max_points rows, evenly spaced, always including the last."""
        n = len(self)
        if n <= max_points:
            return {name: list(column) for name, column in self.columns.items()}
        every = math.ceil(n / max_points)
        rows = list(range(n - 1, -1, -every))[::-1]
        return {name: [column[i] for i in rows] for name, column in self.columns.items()}
