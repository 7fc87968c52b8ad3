"""Which samples each training step uses: the whole set, or seeded mini-batches epoch by epoch."""

from __future__ import annotations

import numpy as np

from .checks import check_int


class MiniBatches:
    """Index arrays of the samples each step uses.

    Full batch (every index, in order) when batch_size is None or at least N; otherwise each epoch
    is a fresh seeded permutation of the N indices cut into consecutive batches of batch_size (the
    last may be smaller), so the same seed gives the same batches.
    """

    def __init__(self, N: int, batch_size: int | None = None, seed: int = 0):
        self.N = check_int("N", N, 1)
        self.batch_size = None if batch_size is None else check_int("batch_size", batch_size, 1)
        self.rng = np.random.RandomState(seed)
        self.samples_seen = 0
        self._order = np.arange(N)
        self._position = N  # start a fresh epoch on the first call
        self._rng_state = None  # rng.get_state() since the last draw (it costs ~40 us), or None

    def state(self) -> dict:
        """Everything that decides the batches to come, to save and restore a run exactly."""
        name, keys, pos, has_gauss, cached = self.rng.get_state()
        return {
            "batch_size": self.batch_size,
            "samples_seen": self.samples_seen,
            "order": self._order.tolist(),
            "position": self._position,
            "rng": [name, keys.tolist(), pos, has_gauss, cached],
        }

    def snapshot(self) -> dict:
        """state() as arrays, cheap enough for every kept step: the order is this object's own
        array, shared (each epoch draws a new one, none is changed in place), and so is the random
        state, read once after each draw; load_state takes it."""
        if self._rng_state is None:
            self._rng_state = self.rng.get_state()  # its keys: a copy of the generator's
        name, keys, pos, has_gauss, cached = self._rng_state
        return {
            "batch_size": self.batch_size,
            "samples_seen": self.samples_seen,
            "order": self._order,
            "position": self._position,
            "rng": [name, keys, pos, has_gauss, cached],
        }

    def load_state(self, state: dict) -> None:
        order = np.asarray(state["order"], dtype=np.int64)
        if len(order) != self.N or not np.array_equal(np.sort(order), np.arange(self.N)):
            raise ValueError(f"batches.order must be a permutation of 0..{self.N - 1}")
        self.batch_size = (
            None if state["batch_size"] is None else check_int("batch_size", state["batch_size"], 1)
        )
        self.samples_seen = check_int("samples_seen", state["samples_seen"], 0)
        self._position = check_int("position", state["position"], 0)
        self._order = order
        name, keys, pos, has_gauss, cached = state["rng"]
        self.rng.set_state((name, np.asarray(keys, dtype=np.uint32), pos, has_gauss, cached))
        self._rng_state = None

    @property
    def full_batch(self) -> bool:
        return self.batch_size is None or self.batch_size >= self.N

    @property
    def epoch(self) -> float:
        """Passes over the data so far (fractional within an epoch)."""
        return self.samples_seen / self.N

    def next(self) -> np.ndarray | slice:
        if self.full_batch:
            self.samples_seen += self.N
            return slice(None)
        if self._position >= self.N:
            self._order = self.rng.permutation(self.N)
            self._rng_state = None
            self._position = 0
        batch = self._order[self._position : self._position + self.batch_size]
        self._position += len(batch)
        self.samples_seen += len(batch)
        return batch
