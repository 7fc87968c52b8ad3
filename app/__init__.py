"""backprop-visualizer: see backpropagation through a tanh-softmax network, live."""

__version__ = "0.1.0"
