"""The live loop's training step: network.py's forward, loss and backward, fast by design.

Same equations and names as network.py, arranged for the machine (measured on two cores):

- b1 folded into the first product by a column of ones:

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
- Every array preallocated and written with out=, the activation, its derivative and the loss's
  output delta in their in-place forms (activations.py, losses.py), the softmax in its
  class-by-class form (softmax.py).

dX is not computed: training does not use it (network.backward has it for the display).
"""

from __future__ import annotations

import numpy as np

from .activations import get_activation
from .losses import get_loss
from .network import PARAM_NAMES, Params
from .softmax import log_softmax_rows

# B * H per block: a block's two (B, H) arrays, 512 KB each in float32, stay in a 2 MB L2 cache.
BLOCK_ELEMENTS = 1 << 17


class FastStep:
    """Loss and gradients of network.py for one shape (H, C, activation, loss), in reused buffers.

        step = FastStep(H, C, "tanh")
        value, grads = step.loss_and_grads(params, X, Y, lam)

    grads has network.py's names and shapes and lives in buffers the next call overwrites: copy
    what you keep. After a call, step.z2 and step.y_hat (N, C) are the batch's logits and
    probabilities (for its accuracy, say).
    """

    def __init__(
        self,
        H: int,
        C: int,
        activation="tanh",
        dtype=np.float32,
        block_elements=BLOCK_ELEMENTS,
        loss_name="cross_entropy",
    ):
        self.act = get_activation(activation)  # ValueError naming `activation` for an unknown one
        self.loss = get_loss(loss_name)
        self.H, self.C, self.activation = H, C, activation
        self.dtype = np.dtype(dtype)
        self.block_rows = B = max(1, block_elements // H)
        self.W1b = np.empty((3, H), self.dtype)  # [W1; b1]
        self.W2_T = np.empty((C, H), self.dtype)  # W2.T, contiguous: BLAS is slower with the view
        self.dW1b = np.empty((3, H), self.dtype)  # [dW1; db1]
        self.dW2 = np.empty((H, C), self.dtype)
        self.db2 = np.empty(C, self.dtype)
        self._sums = (self.dW2, self.db2, self.dW1b)
        self._shares = tuple(np.empty_like(total) for total in self._sums)  # one block's, to add
        self._a1 = np.empty((B, H), self.dtype)  # z1, then a1 = f(z1) in place
        self._delta1 = np.empty((B, H), self.dtype)  # da1, then dz1 in place
        self.N = 0
        self._fit_rows(1)

    def _fit_rows(self, N: int) -> None:
        """Per-sample buffers for a batch of exactly N (small: (N, 3) and (N, C) each)."""
        if N == self.N:
            return
        self.N = N
        self._X1 = np.ones((N, 3), self.dtype)  # [X, 1]; the last column stays 1
        shape = (N, self.C)
        self._z2, self._log_y_hat, self._y_hat, self._dz2 = (np.empty(shape, self.dtype) for _ in range(4))
        self._per_sample = np.empty((N, 1), self.dtype)  # a sample's max logit, then its log-sum-exp

    @property
    def z2(self) -> np.ndarray:
        """Logits (N, C) of the last batch."""
        return self._z2

    @property
    def y_hat(self) -> np.ndarray:
        """Probabilities softmax(z2) (N, C) of the last batch."""
        return self._y_hat

    def loss_and_grads(self, params: Params, X: np.ndarray, Y: np.ndarray, lam: float = 0.0):
        """(L, grads) at params on the batch X (N, 2), Y (N, C): what network.loss and
        network.backward(...).grads() give, in this step's dtype."""
        H, C = self.H, self.C
        W1, b1, W2, b2 = (params[name] for name in PARAM_NAMES)
        if W1.shape != (2, H) or W2.shape != (H, C):
            raise ValueError(
                f"params must fit H={H}, C={C}: W1 (2, {H}) and W2 ({H}, {C}), got {W1.shape} and {W2.shape}"
            )
        N = len(X)
        if Y.shape != (N, C):
            raise ValueError(f"Y must have shape ({N}, {C}), got {Y.shape}")
        self._fit_rows(N)
        self.W1b[:2], self.W1b[2] = W1, b1
        self.W2_T[...] = W2.T
        self._X1[:, :2] = X
        for start in range(0, N, self.block_rows):
            rows = slice(start, min(start + self.block_rows, N))
            self._block(rows, Y[rows], W2, b2, first=start == 0)
        data_loss = self.loss.value(self._log_y_hat, self._y_hat, Y)  # -(1/N) * sum(Y * log y_hat)
        dW1 = self.dW1b[:2]
        dW1 += lam * W1  # dW1 = X.T @ dz1 + lam * W1
        self.dW2 += lam * W2  # dW2 = a1.T @ dz2 + lam * W2
        reg = lam / 2 * (float(np.vdot(W1, W1)) + float(np.vdot(W2, W2)))
        grads = {"W1": dW1, "b1": self.dW1b[2], "W2": self.dW2, "b2": self.db2}
        return data_loss + reg, grads

    def _block(self, rows: slice, Y: np.ndarray, W2: np.ndarray, b2: np.ndarray, first: bool) -> None:
        """Forward and backward of the B samples `rows` (Y: their targets): their share of every
        gradient goes into the gradient buffers (written by the first block, added by the others)."""
        B = rows.stop - rows.start
        X1 = self._X1[rows]  # (B, 3)
        z2, log_y_hat, y_hat, dz2 = self._z2[rows], self._log_y_hat[rows], self._y_hat[rows], self._dz2[rows]
        dW2_out, db2_out, dW1b_out = self._sums if first else self._shares

        z1 = np.matmul(X1, self.W1b, out=self._a1[:B])  # z1 = X @ W1 + b1  (B, H)
        a1 = self.act.f_in_place(z1, self._delta1[:B])  # a1 = f(z1), over z1; _delta1 is free till da1
        np.matmul(a1, W2, out=z2)
        z2 += b2  # z2 = a1 @ W2 + b2  (B, C)
        log_softmax_rows(z2, out=log_y_hat, scratch=y_hat, per_sample=self._per_sample[rows])
        np.exp(log_y_hat, out=y_hat)  # y_hat = softmax(z2)

        self.loss.delta_in_place(y_hat, Y, self.N, out=dz2)  # dz2 = (y_hat - Y) / N  (B, C)
        dW2 = np.matmul(a1.T, dz2, out=dW2_out)  # a1.T @ dz2  (H, C)
        db2 = np.sum(dz2, axis=0, out=db2_out)  # dz2.sum(0)  (C,)
        da1 = np.matmul(dz2, self.W2_T, out=self._delta1[:B])  # da1 = dz2 @ W2.T  (B, H)
        dz1 = self.act.times_df_in_place(da1, a1)  # dz1 = da1 * f'(z1), over da1; a1 spent
        dW1b = np.matmul(X1.T, dz1, out=dW1b_out)  # [X.T @ dz1; dz1.sum(0)]  (3, H)
        if not first:
            self.dW2 += dW2
            self.db2 += db2
            self.dW1b += dW1b
