"""The F-H1-...-HL-C network: L hidden layers of f (tanh, relu, sigmoid, linear), a softmax output,
a loss from losses.py (mean cross-entropy or mean squared error), L2 and L1 penalties on the weights.

Batch in rows, as the classroom derivation writes it (shapes for N samples, F input features,
hidden widths H1 ... HL, C classes; H0 = F and H(L+1) = C):

    a0 = X (N, F)
    z(l) = a(l-1) @ W(l) + b(l)     W(l) (H(l-1), H(l))   b(l) (H(l),)     l = 1 ... L+1
    a(l) = f(z(l))                  (N, H(l))                              l = 1 ... L
    y_hat = softmax(z(L+1))         (N, C)                 Y (N, C), rows sum to 1

and the backward pass is Nielsen's four equations in the same names (delta(l) = dz(l) = dL/dz(l)):

    BP1  delta(L+1) = the loss's output delta                (y_hat - Y) / N for cross-entropy
    BP2  delta(l) = (delta(l+1) @ W(l+1).T) * f'(z(l))       l = L ... 1
    BP3  db(l) = delta(l).sum(0)
    BP4  dW(l) = a(l-1).T @ delta(l) + lam * W(l) + l1 * sign(W(l))

With one hidden layer (L = 1) these are the names the derivation and the mistakes use: z1, a1, z2,
dz2, dW2, db2, da1, dz1, dW1, db1, and PARAM_NAMES = (W1, b1, W2, b2).

Parameters travel as a dict {"W1", "b1", ..., "W{L+1}", "b{L+1}"} and gradients under the same
names, so params["W2"] and grads["W2"] always belong together. Nothing here keeps state between
calls. The activation f, f' and the loss come from activations.py and losses.py, by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .activations import Activation, get_activation
from .bounds import MAX_CLASSES, MAX_HIDDEN, MAX_LAYERS, MIN_CLASSES, MIN_HIDDEN, MIN_LAYERS
from .checks import check_float, check_int
from .features import MAX_FEATURES
from .losses import get_loss
from .softmax import log_softmax

PARAM_NAMES = ("W1", "b1", "W2", "b2")  # one hidden layer; param_names(L) for any depth
WEIGHT_NAMES = ("W1", "W2")  # the ones L2 and L1 regularisation act on; biases are not penalised
INIT_NAMES = ("fan_in", "xavier", "he", "zeros")

Params = dict[str, np.ndarray]


def param_names(L: int) -> tuple[str, ...]:
    """W1, b1, ..., W{L+1}, b{L+1}: the parameters of a network with L hidden layers, in layer order."""
    return tuple(name for l in range(1, L + 2) for name in (f"W{l}", f"b{l}"))


def weight_names(L: int) -> tuple[str, ...]:
    """W1 ... W{L+1}: the ones the penalties act on."""
    return tuple(f"W{l}" for l in range(1, L + 2))


def depth(params: Params) -> int:
    """L, the number of hidden layers of a parameter dict (its weight matrices less one)."""
    return sum(1 for name in params if name[:1] == "W") - 1


def hidden_widths(hidden: int | Sequence[int], name: str = "hidden") -> tuple[int, ...]:
    """(H1, ..., HL) from an int (one layer) or a list of 1-6 widths; ValueError naming `name`."""
    if isinstance(hidden, int | np.integer) and not isinstance(hidden, bool):
        return (check_int(name, hidden, MIN_HIDDEN, MAX_HIDDEN),)
    if not isinstance(hidden, Sequence) or isinstance(hidden, str):
        raise ValueError(f"{name} must be an integer or a list of integers, got {hidden!r}")
    if not MIN_LAYERS <= len(hidden) <= MAX_LAYERS:
        raise ValueError(f"{name} must have from {MIN_LAYERS} to {MAX_LAYERS} layers, got {len(hidden)}")
    return tuple(check_int(f"{name}[{i}]", H, MIN_HIDDEN, MAX_HIDDEN) for i, H in enumerate(hidden))


def _weight_std(scale, fan_in: int, fan_out: int) -> float | None:
    """The std a weight of W (fan_in, fan_out) is drawn with; None for "fan_in" (divided, below)."""
    if scale == "fan_in":
        return None
    if scale == "xavier":
        return float(np.sqrt(2.0 / (fan_in + fan_out)))
    if scale == "he":
        return float(np.sqrt(2.0 / fan_in))
    if scale == "zeros":
        return 0.0
    return scale


def init_params(
    H: int | Sequence[int], C: int, *, seed: int = 0, scale="fan_in", dtype=np.float64, F: int = 2
) -> Params:
    """Seeded initial parameters for hidden widths H (an int: one layer) and C classes, F inputs.

    Each W(l) (fan_in, fan_out) is standard normal times `scale`'s std: "fan_in" means
    1/sqrt(fan_in) (1/sqrt(2) for W1, 1/sqrt(H) for W2, as the from-scratch notebook does),
    "xavier" sqrt(2 / (fan_in + fan_out)) (Glorot), "he" sqrt(2 / fan_in), "zeros" every weight 0
    (every unit of a layer then stays the same as its neighbours: the symmetry lesson), a number
    that fixed std for all (CS231n uses 0.01). Biases start at 0. Draw order W1, W2, ... from
    RandomState(seed), so seed 0 at one layer gives the notebook's own numbers.
    """
    widths = hidden_widths(H, "H")
    C = check_int("C", C, MIN_CLASSES, MAX_CLASSES)
    F = check_int("F", F, 1, MAX_FEATURES)
    seed = check_int("seed", seed, 0, 2**32 - 1)
    if isinstance(scale, str):
        if scale not in INIT_NAMES:
            raise ValueError(
                f"scale must be one of {', '.join(INIT_NAMES)} or a positive number, got {scale!r}"
            )
    else:
        scale = check_float("scale", scale, 0.0, 100.0, lo_open=True)
    rng = np.random.RandomState(seed)
    sizes = (F, *widths, C)
    params = {}
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        std = _weight_std(scale, fan_in, fan_out)
        if std is None:
            W = rng.randn(fan_in, fan_out) / np.sqrt(fan_in)  # divided, not times 1/sqrt: the notebook's bits
        elif std == 0.0:
            W = np.zeros((fan_in, fan_out))
        else:
            W = rng.randn(fan_in, fan_out) * std
        params[f"W{l}"], params[f"b{l}"] = W, np.zeros(fan_out)
    return {name: value.astype(dtype) for name, value in params.items()}


def layer_sizes(params: Params) -> tuple[int, ...]:
    """(F, H1, ..., HL, C) of a parameter dict whose shapes fit together; ValueError naming the
    parameter otherwise."""
    L = depth(params)
    if L < 1:
        raise ValueError("params must have W1, b1, W2, b2 at least")
    names = param_names(L)
    missing = [name for name in names if name not in params]
    extra = [name for name in params if name not in names]
    if missing or extra:
        raise ValueError(f"params must have exactly {', '.join(names)}; missing {missing}, extra {extra}")
    W1 = np.asarray(params["W1"])
    if W1.ndim != 2:
        raise ValueError(f"W1 must have shape (F, H1), got {W1.shape}")
    sizes = [W1.shape[0]]
    for l in range(1, L + 2):
        W, b = np.asarray(params[f"W{l}"]), np.asarray(params[f"b{l}"])
        if W.ndim != 2 or W.shape[0] != sizes[-1]:
            raise ValueError(f"W{l} must have shape ({sizes[-1]}, ...), got {W.shape}")
        sizes.append(W.shape[1])
        if b.shape != (W.shape[1],):
            raise ValueError(f"b{l} must have shape ({W.shape[1]},), got {b.shape}")
    return tuple(sizes)


@dataclass
class Forward:
    """Every intermediate of the forward pass, kept for the backward pass and for display.
    z[l-1] is z(l), a[l-1] is a(l): with one hidden layer, z1, a1 and z2 (the logits)."""

    X: np.ndarray  # (N, F)  a0
    z: list[np.ndarray]  # z(1) ... z(L+1): (N, H(l)) pre-activations, the last the logits (N, C)
    a: list[np.ndarray]  # a(1) ... a(L): (N, H(l)) hidden activations f(z(l))
    log_y_hat: np.ndarray  # (N, C)  log softmax(z(L+1))
    y_hat: np.ndarray  # (N, C)  class probabilities
    activation: str

    @property
    def L(self) -> int:
        return len(self.a)

    def a_in(self, l: int) -> np.ndarray:
        """a(l-1), the input of layer l: X for the first."""
        return self.X if l == 1 else self.a[l - 2]

    @property
    def logits(self) -> np.ndarray:
        """z(L+1) (N, C)."""
        return self.z[-1]

    @property
    def z1(self) -> np.ndarray:
        return self.z[0]

    @property
    def a1(self) -> np.ndarray:
        return self.a[0]

    @property
    def z2(self) -> np.ndarray:
        """z(2): the logits with one hidden layer, the second hidden layer's input sum deeper."""
        return self.z[1]


def forward(params: Params, X: np.ndarray, activation: str = "tanh") -> Forward:
    """Forward pass on X (N, F) in the parameters' dtype."""
    f = get_activation(activation).f
    L = depth(params)
    X = np.asarray(X, dtype=params["W1"].dtype)
    z, a = [], []
    a_prev = X  # a0
    for l in range(1, L + 1):
        z.append(a_prev @ params[f"W{l}"] + params[f"b{l}"])  # z(l) = a(l-1) @ W(l) + b(l)  (N, H(l))
        a.append(f(z[-1]))  # a(l) = f(z(l))  (N, H(l))
        a_prev = a[-1]
    z_out, log_y_hat, y_hat = output_layer(params, a_prev)
    return Forward(X, [*z, z_out], a, log_y_hat, y_hat, activation)


def output_layer(params: Params, a_L: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(z(L+1), log_y_hat, y_hat), each (N, C), from the last hidden activations a(L) (N, HL)."""
    out = depth(params) + 1
    z_out = a_L @ params[f"W{out}"] + params[f"b{out}"]  # (N, C)  z(L+1) = a(L) @ W(L+1) + b(L+1)
    log_y_hat = log_softmax(z_out)  # (N, C)
    y_hat = np.exp(log_y_hat)  # (N, C)  = softmax(z(L+1))
    return z_out, log_y_hat, y_hat


def data_loss(fwd: Forward, Y: np.ndarray, loss_name: str = "cross_entropy") -> float:
    """The data loss of the forward pass against Y (N, C): -(1/N) * sum(Y * log y_hat) for
    cross-entropy, (1/N) * sum(1/2 |y_hat - Y|^2) for mse."""
    return get_loss(loss_name).value(fwd.log_y_hat, fwd.y_hat, Y)


def reg_loss(params: Params, lam: float, l1: float = 0.0) -> float:
    """(lam/2) * sum_l |W(l)|^2 + l1 * sum_l sum |W(l)|; biases are not penalised."""
    weights = [params[name] for name in weight_names(depth(params))]
    squares = 0.0
    for W in weights:
        squares += np.sum(W * W)
    value = float(lam / 2 * squares)
    if l1:
        value += float(l1 * sum(np.sum(np.abs(W)) for W in weights))
    return value


def loss(
    params: Params,
    fwd: Forward,
    Y: np.ndarray,
    lam: float = 0.0,
    loss_name: str = "cross_entropy",
    l1: float = 0.0,
) -> float:
    """L = data loss + (lam/2) * sum_l |W(l)|^2 + l1 * sum_l |W(l)|_1."""
    return data_loss(fwd, Y, loss_name) + reg_loss(params, lam, l1)


@dataclass
class Backward:
    """Every gradient of the backward pass, named d<quantity> = dL/d<quantity>; dz[l-1] is
    delta(l) = dz(l), dW[l-1] is dW(l), da[l-1] is da(l). With one hidden layer: dz2, dW2, db2,
    da1, dz1, dW1, db1."""

    dz: list[np.ndarray]  # delta(1) ... delta(L+1): (N, H(l))
    dW: list[np.ndarray]  # dW(1) ... dW(L+1): (H(l-1), H(l))
    db: list[np.ndarray]  # db(1) ... db(L+1): (H(l),)
    da: list[np.ndarray]  # da(1) ... da(L): (N, H(l))
    dX: np.ndarray  # (N, F)  which way the loss pushes each input point

    def grads(self) -> Params:
        """The parameter gradients under the parameters' own names."""
        grads = {}
        for l, (dW, db) in enumerate(zip(self.dW, self.db, strict=True), start=1):
            grads[f"W{l}"], grads[f"b{l}"] = dW, db
        return grads

    dz1 = property(lambda self: self.dz[0])
    dz2 = property(lambda self: self.dz[1])
    dW1 = property(lambda self: self.dW[0])
    dW2 = property(lambda self: self.dW[1])
    db1 = property(lambda self: self.db[0])
    db2 = property(lambda self: self.db[1])
    da1 = property(lambda self: self.da[0])


def backward(
    params: Params,
    fwd: Forward,
    Y: np.ndarray,
    lam: float = 0.0,
    loss_name: str = "cross_entropy",
    l1: float = 0.0,
) -> Backward:
    """Backward pass of the loss, derived by hand, one equation a line (BP1-BP4, module docstring).

    For cross-entropy the output delta (y_hat - Y) / N is the softmax Jacobian and the loss's
    derivative multiplied out; it holds because every row of Y sums to 1 (derivation.py, the long way).
    """
    delta_out = output_delta(fwd, Y, loss_name)  # (N, C)  BP1
    return backward_from_dz2(params, fwd, delta_out, lam, l1=l1)


def output_delta(fwd: Forward, Y: np.ndarray, loss_name: str = "cross_entropy") -> np.ndarray:
    """delta(L+1) = dL/dz(L+1) (N, C), where the backward pass starts (Nielsen's BP1): (y_hat - Y) / N
    for cross-entropy, the softmax Jacobian times (y_hat - Y) / N for mse."""
    return get_loss(loss_name).delta(fwd.y_hat, Y, Y.shape[0])


def backward_from_dz2(
    params: Params,
    fwd: Forward,
    dz2: np.ndarray,
    lam: float = 0.0,
    activation: Activation | None = None,
    *,
    l1: float = 0.0,
) -> Backward:
    """The backward pass from the output delta dz2 = delta(L+1) (N, C) down: every line after BP1.

    The lines below do not care where the output delta came from: the loss's own, one sample's
    row of it (the derivation), or a wrong one (the mistakes). `activation` replaces fwd's own f'
    (a mistake's wrong derivative); without it, fwd.activation's.
    """
    df = (activation or get_activation(fwd.activation)).df
    L = fwd.L
    dz, dW, db, da = [dz2], [], [], []
    for l in range(L + 1, 0, -1):
        W, delta = params[f"W{l}"], dz[0]
        dW_l = fwd.a_in(l).T @ delta + lam * W  # BP4  dW(l) = a(l-1).T @ delta(l) + lam * W(l)
        if l1:
            dW_l += l1 * np.sign(W)  # + l1 * sign(W(l)), the subgradient 0 at W = 0
        dW.insert(0, dW_l)
        db.insert(0, delta.sum(axis=0))  # BP3  db(l) = delta(l).sum(0)
        if l > 1:
            da.insert(0, delta @ W.T)  # da(l-1) = delta(l) @ W(l).T
            dz.insert(0, da[0] * df(fwd.z[l - 2], fwd.a[l - 2]))  # BP2  delta(l-1) = da(l-1) * f'(z(l-1))
    dX = dz[0] @ params["W1"].T  # (N, F)
    return Backward(dz, dW, db, da, dX)


def loss_and_grads(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "tanh",
    lam: float = 0.0,
    loss_name: str = "cross_entropy",
    l1: float = 0.0,
) -> tuple[float, Params]:
    """Loss and parameter gradients at `params` on (X, Y): one forward and one backward pass."""
    fwd = forward(params, X, activation)
    return loss(params, fwd, Y, lam, loss_name, l1), backward(params, fwd, Y, lam, loss_name, l1).grads()


def predict(params: Params, X: np.ndarray, activation: str = "tanh") -> np.ndarray:
    """Predicted class (N,) for each row of X."""
    return np.argmax(forward(params, X, activation).logits, axis=1)


def accuracy(params: Params, X: np.ndarray, labels: np.ndarray, activation: str = "tanh") -> float:
    """Share of rows of X whose predicted class equals labels (N,)."""
    return float(np.mean(predict(params, X, activation) == labels))
