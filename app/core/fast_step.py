"""The live loop's training step: network.py's forward, loss and backward, fast by design.

Same equations and names as network.py, arranged for the machine (DESIGN §6):

- Biases folded into the matrix products by a column of ones:

      X1 = [X, 1]  (B, 3)      W1b = [W1; b1]  (3, H)      z1 = X1 @ W1b  = X @ W1 + b1
      A1 = [a1, 1] (B, H+1)    W2b = [W2; b2]  (H+1, C)    z2 = A1 @ W2b  = a1 @ W2 + b2

  and the same column turns each bias gradient into one more row of its weight gradient:
  X1.T @ dz1 = [X.T @ dz1; 1.T @ dz1] = [dW1; db1], so db1 = dz1.sum(0) costs no pass of its own.
- The batch in blocks of rows small enough that a block's (B, H) arrays stay in the core's cache:
  every row's forward and backward depend on that row alone, and every gradient is a sum over
  rows, so the gradients are summed block by block. A 2000 x 500 array does not fit; each extra
  pass over it costs 0.3-0.6 ms from memory, several times the same pass over cached blocks.
- Every array preallocated and written with out=, the activation and its derivative in place.

dX is not computed: training does not use it (network.backward has it for the display).
"""

from __future__ import annotations

import numpy as np

from .activations import get_activation
from .network import Params

BLOCK_ELEMENTS = 1 << 16  # B * H per block: 256 KB of float32, so a block's few arrays fit L2


class FastStep:
    """Loss and gradients of network.py for one shape (H, C, activation), in reused buffers.

    step = FastStep(H, C, "tanh")
    value, grads = step.loss_and_grads(params, X, Y, lam)

    grads has network.py's names and shapes, and is overwritten by the next call: copy what you
    keep. After a call, step.z2 (N, C) and step.y_hat (N, C) hold the batch's logits and
    probabilities (for accuracy, or a test).
    """

    def __init__(self, H: int, C: int, activation: str = "tanh", dtype=np.float32, block_elements=BLOCK_ELEMENTS):
        get_activation(activation)  # ValueError naming `activation` for an unknown one
        self.H, self.C, self.activation = H, C, activation
        self.dtype = np.dtype(dtype)
        self.block_rows = max(1, block_elements // H)
        B = self.block_rows
        self.W1b = np.empty((3, H), self.dtype)  # [W1; b1]
        self.W2b = np.empty((H + 1, C), self.dtype)  # [W2; b2]
        self.dW1b = np.empty((3, H), self.dtype)  # [dW1; db1]
        self.dW2b = np.empty((H + 1, C), self.dtype)  # [dW2; db2]
        self._dW1b_block = np.empty((3, H), self.dtype)
        self._dW2b_block = np.empty((H + 1, C), self.dtype)
        self.A1 = np.ones((B, H + 1), self.dtype)  # [a1, 1] of one block; the last column stays 1
        self.delta1 = np.empty((B, H), self.dtype)  # da1, then dz1 in place
        self.slope = np.empty((B, H), self.dtype)  # f'(z1)
        self._rows = 0
        self._allocate_rows(B)

    def _allocate_rows(self, N: int) -> None:
        """Per-row buffers for batches of up to N rows; a larger batch reallocates them once."""
        self._rows = N
        self.X1 = np.ones((N, 3), self.dtype)  # [X, 1]; the last column stays 1
        self._z2 = np.empty((N, self.C), self.dtype)
        self._log_y_hat = np.empty((N, self.C), self.dtype)
        self._y_hat = np.empty((N, self.C), self.dtype)
        self._dz2 = np.empty((N, self.C), self.dtype)
        self._row_max = np.empty((N, 1), self.dtype)
        self._row_lse = np.empty((N, 1), self.dtype)
        self.N = 0

    @property
    def z2(self) -> np.ndarray:
        """Logits (N, C) of the last batch."""
        return self._z2[: self.N]

    @property
    def y_hat(self) -> np.ndarray:
        """Probabilities softmax(z2) (N, C) of the last batch."""
        return self._y_hat[: self.N]

    def loss_and_grads(self, params: Params, X: np.ndarray, Y: np.ndarray, lam: float = 0.0):
        """(L, grads) at params on the batch X (N, 2), Y (N, C): what network.loss and
        network.backward(...).grads() give, in this step's dtype."""
        H, C = self.H, self.C
        W1, b1, W2, b2 = (params[name] for name in ("W1", "b1", "W2", "b2"))
        if W1.shape != (2, H) or W2.shape != (H, C):
            raise ValueError(f"params must fit H={H}, C={C}: W1 (2, {H}), W2 ({H}, {C}); got {W1.shape}, {W2.shape}")
        N = len(X)
        if Y.shape != (N, C):
            raise ValueError(f"Y must have shape ({N}, {C}), got {Y.shape}")
        if N > self._rows:
            self._allocate_rows(N)
        self.N = N
        self.W1b[:2], self.W1b[2] = W1, b1
        self.W2b[:H], self.W2b[H] = W2, b2
        self.X1[:N, :2] = X
        self.dW1b.fill(0)
        self.dW2b.fill(0)
        data_loss = 0.0
        for start in range(0, N, self.block_rows):
            rows = slice(start, min(start + self.block_rows, N))
            data_loss += self._block(rows, Y[rows], N)
        dW1, dW2 = self.dW1b[:2], self.dW2b[:H]
        dW1 += lam * W1  # + lam * W1: the L2 term's gradient
        dW2 += lam * W2
        reg = lam / 2 * (float(np.vdot(W1, W1)) + float(np.vdot(W2, W2)))
        grads = {"W1": dW1, "b1": self.dW1b[2], "W2": dW2, "b2": self.dW2b[H]}
        return data_loss / N + reg, grads

    def _block(self, rows: slice, Y: np.ndarray, N: int) -> float:
        """Forward and backward of the rows `rows` (B of them); adds their share to dW1b and dW2b
        and returns their summed cross-entropy -sum(Y * log y_hat)."""
        B = rows.stop - rows.start
        X1 = self.X1[rows]  # (B, 3)
        A1 = self.A1[:B]  # (B, H+1)
        z1 = a1 = A1[:, : self.H]  # (B, H): z1, then a1 = f(z1) in place
        z2, log_y_hat, y_hat, dz2 = self._z2[rows], self._log_y_hat[rows], self._y_hat[rows], self._dz2[rows]
        delta1, slope = self.delta1[:B], self.slope[:B]

        np.matmul(X1, self.W1b, out=z1)  # z1 = X @ W1 + b1
        _activate(self.activation, z1)  # a1 = f(z1)
        np.matmul(A1, self.W2b, out=z2)  # z2 = a1 @ W2 + b2
        _log_softmax(z2, log_y_hat, y_hat, self._row_max[rows], self._row_lse[rows])
        np.exp(log_y_hat, out=y_hat)  # y_hat = softmax(z2)
        block_loss = -float(np.vdot(Y, log_y_hat))  # -sum(Y * log y_hat)

        np.subtract(y_hat, Y, out=dz2)
        dz2 /= N  # dz2 = (y_hat - Y) / N
        self.dW2b += np.matmul(A1.T, dz2, out=self._dW2b_block)  # [dW2; db2] += [a1.T @ dz2; dz2.sum(0)]
        da1 = np.matmul(dz2, self.W2b[: self.H].T, out=delta1)  # da1 = dz2 @ W2.T
        _slope(self.activation, a1, slope)  # f'(z1), from a1
        dz1 = np.multiply(da1, slope, out=delta1)  # dz1 = da1 * f'(z1)
        self.dW1b += np.matmul(X1.T, dz1, out=self._dW1b_block)  # [dW1; db1] += [X.T @ dz1; dz1.sum(0)]
        return block_loss


def _activate(name: str, z: np.ndarray) -> None:
    """z <- f(z) in place, the same operations as activations.py (so the same bits)."""
    if name == "tanh":
        np.tanh(z, out=z)
    elif name == "relu":
        np.maximum(z, 0, out=z)
    else:  # sigmoid as 0.5 * (1 + tanh(z / 2)): no exp overflow
        z *= 0.5
        np.tanh(z, out=z)
        z += 1
        z *= 0.5


def _slope(name: str, a: np.ndarray, out: np.ndarray) -> None:
    """out <- f'(z) computed from a = f(z), as activations.py does."""
    if name == "tanh":  # 1 - a**2
        np.multiply(a, a, out=out)
        np.subtract(1, out, out=out)
    elif name == "relu":  # 1 where z > 0, which is where a > 0
        np.greater(a, 0, out=out)
    else:  # sigmoid: a * (1 - a)
        np.subtract(1, a, out=out)
        out *= a


def _log_softmax(z, out, scratch, row_max, row_lse) -> None:
    """out <- log_softmax(z) row-wise (B, C), shifted by the row max as network.log_softmax is."""
    np.max(z, axis=1, keepdims=True, out=row_max)
    np.subtract(z, row_max, out=out)  # shifted
    np.exp(out, out=scratch)
    np.sum(scratch, axis=1, keepdims=True, out=row_lse)
    np.log(row_lse, out=row_lse)
    np.subtract(out, row_lse, out=out)
