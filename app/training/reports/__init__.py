"""The numbers a user inspects, recomputed in float64 from a copy of the session's parameters:
gradients on the training set, the gradient check, the derivation for one sample, the grid, a
student's gradients compared with ours, one hidden unit, the input gradients, the loss along the
gradient, the hidden space, the saturation of the hidden layer, every hidden unit's small map. One
module a group of views; the API reads them all from here."""

from .common import activation_info, as_list, params64
from .compare import EXAMPLE_KINDS, compare, compare_inputs, gradient_example
from .derivation import derivation
from .network import unit_maps
from .saturation import saturation
from .views import hidden, input_gradients, loss_along_gradient, unit
from .weights import gradcheck, gradients, grid, parameters, timeline

__all__ = [
    "EXAMPLE_KINDS",
    "activation_info",
    "as_list",
    "compare",
    "compare_inputs",
    "derivation",
    "gradcheck",
    "gradient_example",
    "gradients",
    "grid",
    "hidden",
    "input_gradients",
    "loss_along_gradient",
    "parameters",
    "params64",
    "saturation",
    "timeline",
    "unit",
    "unit_maps",
]
