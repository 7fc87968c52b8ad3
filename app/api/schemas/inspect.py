"""What a session shows: its parameters, gradients, gradient check, derivation, history, plots
(the comparison with a gradient you computed yourself is in compare.py)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from .sessions import SessionSummary

Nested = Any  # a float, or nested lists of floats; null where a value is not finite


class ParamArray(BaseModel):
    shape: list[int]
    values: Nested
    norm: float | None


class ParametersOut(BaseModel):
    step: int
    params: dict[str, ParamArray] = Field(
        description="W1, b1, ..., W(L+1), b(L+1) in layer order for L hidden layers: W(l) is "
        "(H(l-1), H(l)) and b(l) is (H(l),), H0 the number of input features, H(L+1) the classes "
        "(one hidden layer: W1 (2, H), b1 (H,), W2 (H, C), b2 (C,))"
    )


class GradientsOut(BaseModel):
    step: int
    loss: float | None = Field(
        description="the run's loss (mean cross-entropy or mse) plus the L2 and L1 terms, at these parameters"
    )
    lam: float
    n_train: int
    grads: dict[str, ParamArray] = Field(
        description="dL/dW1, dL/db1, ..., dL/dW(L+1), dL/db(L+1) on the training set, in layer order "
        "(W(l) is (H(l-1), H(l)), H0 the number of features, H(L+1) the classes)"
    )
    deltas: list[float | None] = Field(
        description="|delta(l)| = |dL/dz(l)| on the training set for l = 1 ... L+1, in layer order"
    )


class GradcheckEntry(BaseModel):
    index: list[int]
    analytic: float | None
    numeric: float | None
    rel_error: float | None
    kink: bool = Field(description="relu: the finite difference stepped across a kink, so it is not counted")


class GradcheckParam(BaseModel):
    max_rel_error: float | None
    passed: bool
    entries_checked: int
    entries_total: int
    kinks: int
    entries: list[GradcheckEntry]
    worst: GradcheckEntry | None = Field(
        None, description="the entry with the largest relative error that crossed no kink; null if none did"
    )


class GradcheckOut(BaseModel):
    step: int
    threshold: float
    passed: bool
    params: dict[str, GradcheckParam]
    entries_per_parameter: int = Field(description="the most entries checked in each parameter")
    fewer_entries: str | None = Field(
        default=None, description="why fewer entries were checked than max_entries asked, when they were"
    )


class Stage(BaseModel):
    name: str
    equation: str = Field(
        description="the equation as Python over numpy, which evaluates to `value` given the other stages "
        'by name: "dz1 = da1 * (1 - a1**2)", "dW2 = a1.T @ dz2 + lam * W2"; "a = b = c" is a chain, '
        '"#" starts a comment, and a bare name is a given (X, W1)'
    )
    phase: Literal["forward", "backward"]
    shape: list[int] = Field(description="the whole value's shape, even when `value` is its first rows")
    value: Nested = Field(
        description="the part of the value the page shows: a matrix its first 8 rows (in the batch form one "
        "with a row per point its first point_rows_sent), a vector or matrix more than 9 wide its first 8 "
        "columns and its last; `shape` is the whole"
    )
    tex: str = Field("", description="the equation in TeX, as the lecture notes typeset it")
    dims: list[str] = Field(
        default_factory=list,
        description='the shape in the notes\' letters: ["N", "C"], deeper ["H2", "H3"]; [] for a scalar',
    )
    layer: int = Field(
        0,
        description="the layer the stage belongs to: 0 for the input (x, X, dx, dX); l for z{l}, a{l}, W{l}, "
        "dW{l}, db{l}, dz{l}, da{l}; O = L + 1 for the output's (y_hat, y, Y, loss, dL_dy_hat, J, "
        "dz{O}_long, dz{O}_difference)",
    )


class ActivationInfo(BaseModel):
    name: str
    tex: str = Field(description="f in TeX: a_1 = <tex>(z_1)")
    derivative_tex: str = Field(description="f'(z_1) in TeX, in z_1 and a_1")
    derivative_text: str = Field(description="f'(z1) in plain text, in z1 and a1")
    peak_slope: float = Field(description="the largest f'(z): 1 for tanh and relu, 1/4 for sigmoid")
    value_range: list[float | None] = Field(description="[lowest, highest] value of f; null where unbounded")


class TwoWays(BaseModel):
    max_abs_difference: float | None = Field(
        description="largest |long way - short way| over the classes; null if it is not finite"
    )
    max_abs_dz2: float | None = Field(description="largest |dz2| (the short way)")
    agree: bool = Field(description="the difference is rounding (at most 1e-12 of |dz2|, or below 1e-15)")
    short_way: bool = Field(
        True,
        description="the loss's own line skips J (cross-entropy's (y_hat - y) / N); mse's is the product",
    )
    why_tex: str = Field("", description="the product J.T @ dL/dy_hat worked out entry by entry, in TeX")
    note: str = Field("", description="what that means for learning, in words (mse vs cross-entropy)")


class WorkedMistake(BaseModel):
    name: str = Field(description="the mistake's name, as compare's explained_by names it")
    title: str
    explanation: str
    stages: list[Stage] = Field(
        description="dz2 (the mistake's), dz2_difference (minus the short way's), dW2 (the one it leads to)"
    )
    dz2_max_abs_difference: float | None
    dW2_max_abs_difference: float | None
    dW2_max_rel_error: float | None = Field(description="largest |a - b| / (|a| + |b|) against the right dW2")


class SumOfSamples(BaseModel):
    name: str = Field(description="dW{l}, one for each layer, the output layer's first")
    max_abs_difference: float | None = Field(
        description="largest |sum over n of sample n's dW + lam * W + l1 * sign(W) - the batch form's dW|: "
        "rounding"
    )
    max_abs: float | None = Field(description="largest |dW| of the batch form, for scale")
    agree: bool = Field(description="the difference is rounding: at most 1e-10 of the largest |dW|")


class BatchForm(BaseModel):
    point_rows_sent: int = Field(
        description="a matrix with a row per training point (N rows) has only its first this many rows in "
        "`value`, a weight's (H rows) its first 8; `shape` is always the whole"
    )
    stages: list[Stage] = Field(
        description="X (N, F) ... dW1 (F, H1), dX: network.forward's and network.backward's own arrays, "
        "one equation a line"
    )
    sums: list[SumOfSamples] = Field(
        description="summing the per-sample form's dW over all N samples plus lam * W + l1 * sign(W) gives "
        "the batch dW, for every layer"
    )


class DerivationOut(BaseModel):
    step: int
    n: int = Field(description="index among the training points")
    index: int = Field(description="index among all points (hello.points)")
    N: int
    activation: str
    lam: float
    l1: float = 0.0
    loss: str = Field("cross_entropy", description="the run's loss: cross_entropy or mse")
    layers: int = Field(1, description="L, the hidden layers; the output layer is O = L + 1")
    features: list[str] = Field(default_factory=lambda: ["x1", "x2"], description="the network's inputs")
    stages: list[Stage] = Field(
        description="x, then z{l}, a{l} for l = 1 ... L, z{O}, y_hat, y, loss; dL_dy_hat, J, dz{O}_long, "
        "dz{O}, dz{O}_difference, then dW{l}, db{l}, da{l-1}, dz{l-1} for l = O down to 1, dx"
    )
    activation_info: ActivationInfo | None = None
    two_ways: TwoWays | None = Field(None, description="whether the long way and the short way agree")
    mistake: WorkedMistake | None = Field(
        None,
        description="the usual mistake in the output delta dz{O} for this point, through the same backward "
        "pass; null for mse (the mistake is cross-entropy's)",
    )
    batch: BatchForm | None = Field(
        None, description="the same backward pass for the whole batch of training points, in matrix form"
    )


class HistoryOut(BaseModel):
    step: int
    rows: int
    columns: dict[str, list[float | None]]


class GridOut(BaseModel):
    step: int
    G: int
    box: list[float]
    x: list[float]
    y: list[float]
    probabilities: Nested = Field(description="(G, G, C): [i][j] is y_hat at (x[j], y[i])")


class ExportOut(BaseModel):
    format: Literal["backprop-visualizer/run/1"] = "backprop-visualizer/run/1"
    session: SessionSummary
    points: dict[str, list]
    params: dict[str, ParamArray]
    history: dict[str, list[float | None]]


class UnitOut(BaseModel):
    step: int
    unit: int
    layer: int = Field(
        1,
        description="the unit's hidden layer l: a1, dz1, w_in, b, w_out are a(l), dz(l), W(l), b(l), W(l+1)",
    )
    G: int
    box: list[float]
    a1_grid: Nested = Field(description="(G, G): a1[:, unit] over the grid, rows are y")
    a1: Nested = Field(description="(N_train,): a1[:, unit] at the training points")
    dz1: Nested = Field(
        description="(N_train,): the error dz1[:, unit] backpropagated from each training point"
    )
    train: list[int]
    w_in: Nested
    b: float | None
    w_out: Nested
    activation_info: ActivationInfo | None = None
    a1_range: Nested = Field(
        None,
        description="[low, high] for a1's colour scale: f's range, or +-max|a1_grid| where f is unbounded",
    )
    dz1_max_abs: float | None = Field(None, description="largest |dz1| over the training points")
    db1: float | None = Field(None, description="db1[unit] = the sum of dz1 over the training points")


class InputGradientsOut(BaseModel):
    step: int
    train: list[int]
    dX: Nested = Field(description="(N_train, 2): dL/dx, which way the loss pushes each training point")
    residual: Nested = Field(description="(N_train,): sum over classes of |y_hat - y|")
    share: Nested = Field(description="(N_train,): residual / its sum")


class SaturationLayer(BaseModel):
    layer: int = Field(description="the hidden layer l, 1 ... L")
    share: float = Field(description="share of this layer's (training point, unit) pairs that are saturated")
    slopes: list[int] = Field(description="this layer's pairs by f'(z) / its peak, in `bins` bins")
    pairs: int = Field(description="training points x this layer's units")
    definition: str = Field(
        description="saturated in this layer, in its names: f'(z2) = 1 - a2**2 below 0.06"
    )


class SaturationOut(BaseModel):
    step: int
    share: float = Field(description="share of (training point, hidden unit) pairs that are saturated")
    slopes: list[int] = Field(
        description="how many pairs, every hidden layer's, have f'(z) / its peak in each of `bins` bins"
    )
    bins: int
    saturated_below: float = Field(description="a pair is saturated where f'(z) / its peak is below this")
    activation: str
    definition: str = Field(description="saturated, in the activation's own terms")
    pairs: int = Field(description="training points x hidden units")
    layers: list[SaturationLayer] = Field(description="the same for each hidden layer, in layer order")


class TimelineOut(BaseModel):
    step: int = Field(description="the run's step now")
    steps: list[int] = Field(description="steps whose weights are kept, for at_step")
    stride: int = Field(description="every stride-th step is kept from now on")


class LossSliceOut(BaseModel):
    step: int
    learning_rate: float
    t: Nested
    loss: Nested = Field(description="L(theta - t g); null where it overflows")
    grad_norm: float | None
    loss_after_step: float | None = Field(None, description="L(theta - learning_rate g): one SGD step")
    slope: float | None = Field(None, description="dL/dt at t = 0, which is -|g|^2: the tangent's slope")
    best_t: float | None = Field(None, description="the t of the lowest loss sampled")


class HiddenDecision(BaseModel):
    cells: int = Field(description="cells a side of a grid over extent")
    label: list[list[int]] = Field(description="(cells, cells): the winning class; rows are y, bottom up")
    confidence: Nested = Field(description="(cells, cells): the winner's y_hat at each cell's centre")


class HiddenSpaceOut(BaseModel):
    step: int
    layer: int = Field(1, description="l, the hidden layer shown (1 to L)")
    layers: int = Field(1, description="L, the run's hidden layers")
    last: bool = Field(
        True,
        description="l = L: only the output layer, linear and a softmax, follows, so its class "
        "boundaries are straight in this space; after an inner layer more nonlinear layers follow "
        "and no decision is sent",
    )
    train: list[int]
    points: Nested = Field(description="(N_train, 2): a(l) projected")
    grid: Nested = Field(
        description="(2 * lines, samples, 2): the input grid's lines, through the features and "
        "layers 1 to l, projected"
    )
    exact: bool = Field(description="true for H(l) <= 2: the projection loses nothing")
    explained: float | None = Field(description="share of a(l)'s variance the two axes keep")
    input_grid: Nested = Field(None, description="(2 * lines, samples, 2): the same lines before the map")
    extent: list[float | None] | None = Field(
        None, description="[x_min, x_max, y_min, y_max] that shows the points and the grid in hidden space"
    )
    decision: HiddenDecision | None = Field(
        None,
        description="the last hidden layer with an exact projection (H(L) <= 2): the output layer's "
        "decision over extent",
    )


class UnitMapsLayer(BaseModel):
    layer: int = Field(description="the hidden layer, from 1")
    units: list[int] = Field(description="the units whose maps follow, in this order")
    range: list[float] = Field(description="[low, high] for the maps' colour scale: f's range, or +-max|a|")
    maps: Nested = Field(
        description="(len(units), G, G): unit units[n]'s activation at grid point (x_k, y_i) is maps[n][i][k]"
    )


class UnitMapsOut(BaseModel):
    step: int
    G: int
    box: list[float] = Field(description="[x_min, x_max, y_min, y_max]: the grid's box, the data's")
    layers: list[UnitMapsLayer]
