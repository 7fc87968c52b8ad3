"""The live loop's training step: network.py's forward, loss and backward, fast by design.

Same equations and names as network.py, arranged for the machine (measured on two cores):

- b1 folded into the first product by a column of ones (F = 2 inputs here):

      X1 = [X, 1]  (B, 3)      W1b = [W1; b1]  (3, H)      z1 = X1 @ W1b = X @ W1 + b1

  and the same column turns db1 into one more row of dW1: X1.T @ dz1 = [X.T @ dz1; 1.T @ dz1]
  = [dW1; db1], so db1 = dz1.sum(0) costs no pass over the (B, H) array of its own. b2 stays
  apart: its add and its sum are (B, C), and C is small; a1 with a ones column beside it would be
  strided, which halves the speed of tanh (its SIMD loop wants contiguous rows).
- The batch in blocks of rows small enough that a block's (B, H) arrays stay in the core's cache:
  every row's forward and backward depend on that row alone, and every gradient is a sum over
  rows, so the gradients are summed block by block. A 2000 x 500 array does not fit; each extra
  pass over it costs 0.3-0.6 ms from memory, several times the same pass over cached blocks.
- The softmax's max and sum over the C classes of each sample taken class by class, C-1
  elementwise operations over B samples: numpy's reduction along a short last axis costs ~70 ns
  a row (0.2 ms for 2000 rows, 1 ms for a 100 x 100 grid), 5-10 times more.
- W(L+1).T kept contiguous (C rows: BLAS is slower on the view of so narrow a matrix); the
  square hidden-to-hidden W(l) are multiplied through their views (as fast, and no copy).
- Every array preallocated and written with out=, the activation, its derivative and the loss's
  output delta in their in-place forms (activations.py, losses.py), the softmax in its
  class-by-class form (softmax.py).

Deeper networks (hidden widths H1 ... HL) run the same way: the first layer folds b1 in as
above, every later layer adds its bias to its (B, H(l)) product, and the backward pass goes down
the layers with BP1-BP4 of network.py (dW(l) = a(l-1).T @ delta(l), delta(l-1) = (delta(l) @
W(l).T) * f'(z(l-1))), spending each a(l) once dW(l+1) has used it.

dX is not computed: training does not use it (network.backward has it for the display).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .activations import get_activation
from .losses import get_loss
from .network import Params, hidden_widths
from .softmax import log_softmax_rows

# B * H per block: a block's two (B, H) arrays, 512 KB each in float32, stay in a 2 MB L2 cache.
# A deeper network's block holds two (B, H(l)) arrays for every layer: B * (H1 + ... + HL).
BLOCK_ELEMENTS = 1 << 17


class FastStep:
    """Loss and gradients of network.py for one shape (hidden widths, C, activation, loss, F), in
    reused buffers.

        step = FastStep(H, C, "tanh")          # H an int (one layer) or a list of widths
        value, grads = step.loss_and_grads(params, X, Y, lam, l1)

    grads has network.py's names and shapes and lives in buffers the next call overwrites: copy
    what you keep. After a call, step.z2 and step.y_hat (N, C) are the batch's logits and
    probabilities (for its accuracy, say); step.z2 is z(L+1), the logits, at every depth.
    """

    def __init__(
        self,
        H: int | Sequence[int],
        C: int,
        activation="tanh",
        dtype=np.float32,
        block_elements=BLOCK_ELEMENTS,
        loss_name="cross_entropy",
        F: int = 2,
    ):
        self.act = get_activation(activation)  # ValueError naming `activation` for an unknown one
        self.loss = get_loss(loss_name)
        self.widths = widths = hidden_widths(H)
        self.L = L = len(widths)
        self.H, self.C, self.F, self.activation = widths[0], C, F, activation
        self.dtype = np.dtype(dtype)
        self.block_rows = B = max(1, block_elements // sum(widths))
        sizes = (F, *widths, C)
        self.shapes = {f"W{l}": (sizes[l - 1], sizes[l]) for l in range(1, L + 2)}
        self.W1b = np.empty((F + 1, widths[0]), self.dtype)  # [W1; b1]
        self.dW1b = np.empty((F + 1, widths[0]), self.dtype)  # [dW1; db1]
        # W(L+1).T (C, HL), contiguous: BLAS is slower with the view of a matrix this narrow. A
        # square hidden-to-hidden W(l) is used through its view: as fast, and no copy a step.
        self.W_out_T = np.empty((C, widths[-1]), self.dtype)
        self.dW = {l: np.empty(self.shapes[f"W{l}"], self.dtype) for l in range(2, L + 2)}
        self.db = {l: np.empty(sizes[l], self.dtype) for l in range(2, L + 2)}
        self._sums = (*self.dW.values(), *self.db.values(), self.dW1b)
        self._shares = tuple(np.empty_like(total) for total in self._sums)  # one block's, to add
        # where a block writes dW(l), db(l) and [dW1; db1]: the sums (first block) or its shares
        self._outs = {
            first: (dict(zip(self.dW, out[:L])), dict(zip(self.db, out[L : 2 * L])), out[-1])
            for first, out in ((True, self._sums), (False, self._shares))
        }
        self._a = [np.empty((B, H), self.dtype) for H in widths]  # z(l), then a(l) = f(z(l)) in place
        self._delta = [np.empty((B, H), self.dtype) for H in widths]  # da(l), then dz(l) in place
        self.N = 0
        self._fit_rows(1)

    @property
    def dW2(self) -> np.ndarray:
        return self.dW[2]

    @property
    def db2(self) -> np.ndarray:
        return self.db[2]

    def _fit_rows(self, N: int) -> None:
        """Per-sample buffers for a batch of exactly N (small: (N, F+1) and (N, C) each)."""
        if N == self.N:
            return
        self.N = N
        self._X1 = np.ones((N, self.F + 1), self.dtype)  # [X, 1]; the last column stays 1
        shape = (N, self.C)
        self._z2, self._log_y_hat, self._y_hat, self._dz2 = (np.empty(shape, self.dtype) for _ in range(4))
        self._per_sample = np.empty((N, 1), self.dtype)  # a sample's max logit, then its log-sum-exp

    @property
    def z2(self) -> np.ndarray:
        """Logits z(L+1) (N, C) of the last batch."""
        return self._z2

    @property
    def y_hat(self) -> np.ndarray:
        """Probabilities softmax(z(L+1)) (N, C) of the last batch."""
        return self._y_hat

    def loss_and_grads(self, params: Params, X: np.ndarray, Y: np.ndarray, lam: float = 0.0, l1: float = 0.0):
        """(L, grads) at params on the batch X (N, F), Y (N, C): what network.loss and
        network.backward(...).grads() give, in this step's dtype."""
        L, C, F = self.L, self.C, self.F
        for name, shape in self.shapes.items():
            if params[name].shape != shape:
                expected = ", ".join(f"{n} {s}" for n, s in self.shapes.items())
                raise ValueError(
                    f"params must fit hidden={list(self.widths)}, C={C}: {expected}; "
                    f"got {name} {params[name].shape}"
                )
        N = len(X)
        if Y.shape != (N, C):
            raise ValueError(f"Y must have shape ({N}, {C}), got {Y.shape}")
        self._fit_rows(N)
        W1 = params["W1"]
        self.W1b[:F], self.W1b[F] = W1, params["b1"]
        self.W_out_T[...] = params[f"W{L + 1}"].T
        self._X1[:, :F] = X
        for start in range(0, N, self.block_rows):
            rows = slice(start, min(start + self.block_rows, N))
            self._block(rows, Y[rows], params, first=start == 0)
        data_loss = self.loss.value(self._log_y_hat, self._y_hat, Y)  # -(1/N) * sum(Y * log y_hat)
        dW1 = self.dW1b[:F]
        if lam:
            dW1 += lam * W1  # dW1 = X.T @ dz1 + lam * W1
            for l, dW in self.dW.items():
                dW += lam * params[f"W{l}"]  # dW(l) = a(l-1).T @ dz(l) + lam * W(l)
        weights = [params[f"W{l}"] for l in range(1, L + 2)]
        squares = 0.0
        for W in weights:
            squares += float(np.vdot(W, W))
        reg = lam / 2 * squares
        grads = {"W1": dW1, "b1": self.dW1b[F]}
        for l in range(2, L + 2):
            grads[f"W{l}"], grads[f"b{l}"] = self.dW[l], self.db[l]
        if l1:
            for name in self.shapes:
                grads[name] += l1 * np.sign(params[name])  # + l1 * sign(W(l)), 0 at W = 0
            reg += l1 * sum(float(np.sum(np.abs(W))) for W in weights)
        return data_loss + reg, grads

    def _block(self, rows: slice, Y: np.ndarray, params: Params, first: bool) -> None:
        """Forward and backward of the B samples `rows` (Y: their targets): their share of every
        gradient goes into the gradient buffers (written by the first block, added by the others)."""
        B = rows.stop - rows.start
        L, out = self.L, self.L + 1
        X1 = self._X1[rows]  # (B, F+1)
        z2, log_y_hat, y_hat, dz2 = self._z2[rows], self._log_y_hat[rows], self._y_hat[rows], self._dz2[rows]
        dW_out, db_out, dW1b_out = self._outs[first]

        z1 = np.matmul(X1, self.W1b, out=self._a[0][:B])  # z1 = X @ W1 + b1  (B, H1)
        a = [self.act.f_in_place(z1, self._delta[0][:B])]  # a1 = f(z1), over z1; _delta is free till da
        for l in range(2, L + 1):
            z = np.matmul(a[-1], params[f"W{l}"], out=self._a[l - 1][:B])
            z += params[f"b{l}"]  # z(l) = a(l-1) @ W(l) + b(l)  (B, H(l))
            a.append(self.act.f_in_place(z, self._delta[l - 1][:B]))  # a(l) = f(z(l))
        np.matmul(a[-1], params[f"W{out}"], out=z2)
        z2 += params[f"b{out}"]  # z(L+1) = a(L) @ W(L+1) + b(L+1)  (B, C)
        log_softmax_rows(z2, out=log_y_hat, scratch=y_hat, per_sample=self._per_sample[rows])
        np.exp(log_y_hat, out=y_hat)  # y_hat = softmax(z(L+1))

        delta = self.loss.delta_in_place(y_hat, Y, self.N, out=dz2)  # BP1  (y_hat - Y) / N for CE  (B, C)
        for l in range(out, 1, -1):
            np.matmul(a[l - 2].T, delta, out=dW_out[l])  # BP4  a(l-1).T @ delta(l)
            np.add.reduce(delta, axis=0, out=db_out[l])  # BP3  delta(l).sum(0)
            W_T = self.W_out_T if l == out else params[f"W{l}"].T
            da = np.matmul(delta, W_T, out=self._delta[l - 2][:B])  # da(l-1) = delta(l) @ W(l).T
            delta = self.act.times_df_in_place(da, a[l - 2])  # BP2  delta(l-1) = da * f'(z(l-1)); a spent
        np.matmul(X1.T, delta, out=dW1b_out)  # [X.T @ dz1; dz1.sum(0)]  (F+1, H1)
        if not first:
            for total, share in zip(self._sums, self._shares, strict=True):
                total += share
