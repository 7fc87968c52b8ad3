"""The core math: pure numpy, no web imports. The names most callers need, in one place."""

from .datasets import make_dataset
from .derivation import derive
from .descent import train
from .gradcheck import gradient_check
from .grid import decision_grid
from .network import backward, forward, init_params, loss, loss_and_grads
from .optimizers import make_optimizer
from .targets import one_hot

__all__ = [
    "backward",
    "decision_grid",
    "derive",
    "forward",
    "gradient_check",
    "init_params",
    "loss",
    "loss_and_grads",
    "make_dataset",
    "make_optimizer",
    "one_hot",
    "train",
]
