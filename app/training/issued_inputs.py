"""The inputs a session handed out for "check your gradient", kept so that a gradient computed
from them is compared at exactly those inputs, whatever the run did since (trained on, was reset,
had its points edited) and however often the page was reloaded.

A download is pinned by (session, step, params_hash): the hash covers everything the gradient
depends on (the parameters of every layer, the network's input for the training points, their
targets, lam, the activation, and the loss, l1 and the input features where they are not the
default), so an edited file, or one from before any of them changed, does not match.
Each session keeps its own last ISSUED_KEPT downloads: they go when
the session goes, and a pin is only ever looked up in the session it is sent to."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from app.core.features import DEFAULT_FEATURES
from app.core.network import Params, depth, param_names

ISSUED_KEPT = 16  # downloads a session remembers; the oldest is forgotten first
HASH_HEX = 16  # hex digits of params_hash: 64 bits, enough to tell one download from another


def _digest(parts: list[bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))  # lengths first: no two inputs hash the same bytes
        h.update(part)
    return h.hexdigest()


def _array_bytes(name: str, array: np.ndarray) -> list[bytes]:
    array = np.ascontiguousarray(array, dtype=np.float64)
    return [name.encode(), repr(array.shape).encode(), array.tobytes()]


def inputs_hash(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    lam: float,
    activation: str,
    loss: str = "cross_entropy",
    l1: float = 0.0,
    features: tuple[str, ...] = DEFAULT_FEATURES,
) -> str:
    """A short hex digest of everything the gradient depends on, in float64, shapes included. The
    loss, l1 and the features join it, each under its name, where they are not the default: a
    one-hidden-layer cross-entropy download keeps the hash it always had."""
    parts: list[bytes] = []
    for name in param_names(depth(params)):
        parts += _array_bytes(name, params[name])
    parts += _array_bytes("X", X) + _array_bytes("Y", Y)
    parts += [np.float64(lam).tobytes(), activation.encode()]
    if loss != "cross_entropy":
        parts += [b"loss", loss.encode()]
    if l1:
        parts += [b"l1", np.float64(l1).tobytes()]
    if tuple(features) != DEFAULT_FEATURES:
        parts += [b"features", ",".join(features).encode()]
    return _digest(parts)[:HASH_HEX]


@dataclass(frozen=True)
class IssuedInputs:
    """One download: what compare needs to compute the gradient the student computed."""

    session: str
    step: int
    params_hash: str
    params: Params  # float64, W1, b1, ..., W(L+1), b(L+1)
    X: np.ndarray  # (N, F) the network's input for the training points: their features
    Y: np.ndarray  # (N, C) their targets
    lam: float
    activation: str
    loss: str = "cross_entropy"
    l1: float = 0.0
    features: tuple[str, ...] = DEFAULT_FEATURES

    @property
    def pin(self) -> dict:
        """What the download carries and a check sends back."""
        return {"session": self.session, "step": self.step, "params_hash": self.params_hash}


def make_inputs(
    session: str,
    step: int,
    params: Params,
    X,
    Y,
    lam: float,
    activation: str,
    loss: str = "cross_entropy",
    l1: float = 0.0,
    features: tuple[str, ...] = DEFAULT_FEATURES,
) -> IssuedInputs:
    """These inputs as float64 copies nothing can change afterwards, with their hash."""
    params = {name: np.array(params[name], dtype=np.float64) for name in param_names(depth(params))}
    X, Y = np.array(X, dtype=np.float64), np.array(Y, dtype=np.float64)
    for array in (*params.values(), X, Y):
        array.flags.writeable = False
    features = tuple(features)
    params_hash = inputs_hash(params, X, Y, lam, activation, loss, float(l1), features)
    return IssuedInputs(
        session, int(step), params_hash, params, X, Y, float(lam), activation, loss, float(l1), features
    )


class OtherRun(ValueError):
    """A pin that names another session than the one asked."""


class NotIssued(LookupError):
    """A pin this session does not hold: expired, the server restarted, or the file was edited."""


class IssuedRing:
    """A session's last ISSUED_KEPT downloads, by (step, params_hash). Downloads of the same data
    share its arrays, so what a session keeps is one copy of its points and a few parameter sets."""

    def __init__(self, capacity: int = ISSUED_KEPT):
        self.capacity = capacity
        self._kept: OrderedDict[tuple[int, str], IssuedInputs] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def keep(self, issued: IssuedInputs) -> IssuedInputs:
        """Keep a download (the newest; the oldest beyond capacity is forgotten); what is kept."""
        with self._lock:
            issued = self._share_data(issued)
            key = (issued.step, issued.params_hash)
            self._kept.pop(key, None)
            self._kept[key] = issued
            while len(self._kept) > self.capacity:
                self._kept.popitem(last=False)
        return issued

    def _share_data(self, issued: IssuedInputs) -> IssuedInputs:
        for kept in self._kept.values():
            if np.array_equal(kept.X, issued.X) and np.array_equal(kept.Y, issued.Y):
                return IssuedInputs(**{**issued.__dict__, "X": kept.X, "Y": kept.Y})
        return issued

    def find(self, session: str, pin_session: str, step: int, params_hash: str) -> IssuedInputs:
        """The inputs a pin names, looked up only among this session's own downloads. OtherRun when
        the pin names another session; NotIssued when this session never issued it or has let it go."""
        if pin_session != session:
            raise OtherRun(
                f"these inputs belong to another run ({pin_session}), not this one ({session}); "
                "download this run's inputs and compute your gradient from them"
            )
        with self._lock:
            issued = self._kept.get((step, params_hash))
        if issued is None:
            raise NotIssued(
                f"this run does not hold the inputs {params_hash} of step {step}: it keeps its last "
                f"{self.capacity} downloads while it lives, so they were downloaded too long ago, the "
                "server was restarted, or the file was edited; download the inputs again and recompute"
            )
        return issued
