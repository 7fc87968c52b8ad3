"""Figures a run can be exported as, drawn by the server from the run's own parameters, points and
history: the decision boundary, the loss chart and two runs compared, as SVG and PNG, and a GIF of
the training from the kept steps. A figure is a `Scene` (scene.py), which svg.py and png.py write;
the regions come from the core's own decision grid, never a second copy of the forward pass."""
