"""What a session shows, now or at an earlier kept step: parameters, gradients, the gradient check,
the worked derivation, history, the decision grid, a hidden unit, dL/dx, the loss along the gradient,
the hidden space, the saturation, every hidden unit's map, the whole run as JSON, and the comparison
with a gradient you computed. No token: none of these changes the run."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from app.core.bounds import MAX_HIDDEN, MAX_LAYERS, MAX_SAMPLES, MAX_UNIT_MAP_GRID, MAX_UNIT_MAP_VALUES
from app.frames import messages
from app.training import reports
from app.training.issued_inputs import NotIssued, OtherRun

from ..deps import MaxGrid, Viewed, inspection_turn
from ..gradient_upload import uploaded_gradients
from ..responses import BAD_INPUT, NO_SUCH, error_responses
from ..schemas.compare import CompareInputsOut, ComparisonOut, GradientExampleOut, GradientUpload
from ..schemas.inspect import (
    DerivationOut,
    ExportOut,
    GradcheckOut,
    GradientsOut,
    GridOut,
    HiddenSpaceOut,
    HistoryOut,
    InputGradientsOut,
    LossSliceOut,
    ParametersOut,
    SaturationOut,
    TimelineOut,
    UnitMapsOut,
    UnitOut,
)
from ..unit_pairs import units_by_layer

router = APIRouter(
    prefix="/api/sessions",
    tags=["inspect"],
    responses=BAD_INPUT | NO_SUCH,
    dependencies=[Depends(inspection_turn)],
)

AtStep = Annotated[
    int | None,
    Query(
        ge=0,
        description="an earlier step, from GET .../timeline (the nearest kept at or before it); default: now",
    ),
]
SampleIndex = Annotated[
    int, Path(ge=0, le=MAX_SAMPLES - 1, description="below the run's number of training points")
]
UnitIndex = Annotated[
    int, Path(ge=0, le=MAX_HIDDEN - 1, description="below the run's number of hidden units")
]
GridSize = Annotated[int, Query(ge=2, le=200)]


@router.get("/{session_id}/parameters", response_model=ParametersOut)
def get_parameters(session: Viewed, at_step: AtStep = None):
    """W1 (2, H), b1 (H,), W2 (H, C), b2 (C,) as they are now (or at_step)."""
    return reports.parameters(session, at_step)


@router.get("/{session_id}/gradients", response_model=GradientsOut)
def get_gradients(session: Viewed, at_step: AtStep = None):
    """The gradients at the current parameters (or at_step) on the whole training set, in float64."""
    return reports.gradients(session, at_step)


@router.get("/{session_id}/gradcheck", response_model=GradcheckOut)
def get_gradcheck(
    session: Viewed,
    max_entries: Annotated[
        int, Query(ge=1, le=500, description="entries per parameter, sampled if more")
    ] = 100,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 0,
    at_step: AtStep = None,
):
    """Backprop against central finite differences in float64, per parameter."""
    return reports.gradcheck(session, max_entries, seed, at_step)


@router.get("/{session_id}/derivation/{n}", response_model=DerivationOut)
def get_derivation(session: Viewed, n: SampleIndex, at_step: AtStep = None):
    """The worked forward and backward pass for training sample n, long way and short way."""
    if n >= len(session.run.dataset.train):
        raise HTTPException(
            422, f"n must be below the number of training points, {len(session.run.dataset.train)}; got {n}"
        )
    return reports.derivation(session, n, at_step)


@router.get("/{session_id}/history", response_model=HistoryOut)
def get_history(session: Viewed, max_points: Annotated[int, Query(ge=2, le=20000)] = 1000):
    """Per step: batch loss and accuracy, gradient norms, update ratios; test loss every 10 steps."""
    with session.player.lock:
        columns = session.run.history.downsampled(max_points)
        step = session.run.step_count
    return HistoryOut(step=step, rows=len(columns["step"]), columns=columns)


@router.get("/{session_id}/grid", response_model=GridOut)
def get_grid(session: Viewed, max_grid: MaxGrid, G: GridSize = 50, at_step: AtStep = None):
    """Class probabilities on a G x G grid over the data's box, in float64."""
    max_grid.check(G)
    return reports.grid(session, G, at_step)


@router.get("/{session_id}/export", response_model=ExportOut)
def export_session(session: Viewed):
    """The whole run as one JSON document: config, points, parameters, history."""
    hello = messages.hello(session, role="viewer", history_points=session.run.history.capacity)
    return ExportOut(
        session=hello["session"],
        points=hello["points"],
        params=reports.parameters(session)["params"],
        history=hello["history"],
    )


@router.post("/{session_id}/compare", response_model=ComparisonOut, responses=error_responses(409))
def compare_gradients(session: Viewed, upload: GradientUpload, at_step: AtStep = None):
    """Check your own gradient: send the dW1, db1, dW2, db2 (at depth dW1 ... db(L+1)) your code
    computes for this session's current parameters and training set (GET .../compare/inputs) and
    see where they differ from ours, and which usual mistake explains the difference. No token
    needed: it changes nothing.
    With `inputs`, the pin of a download (GET .../compare/inputs), compare at exactly the inputs
    downloaded, even after the run trained on or was reset (409 when this run does not hold them);
    else with at_step, against the parameters of that earlier step; else now."""
    pin = None if upload.inputs is None else upload.inputs.model_dump()
    if pin is not None and at_step is not None:
        raise HTTPException(
            422, "send inputs (the downloaded pin) or at_step, not both: each says which step"
        )
    given = uploaded_gradients(upload)
    try:
        return reports.compare(session, given, at_step, upload.sample, pin)
    except OtherRun as e:
        raise HTTPException(
            409, [{"loc": ["body", "inputs", "session"], "msg": str(e), "type": "other_run"}]
        ) from None
    except NotIssued as e:
        raise HTTPException(
            409, [{"loc": ["body", "inputs", "params_hash"], "msg": str(e), "type": "not_issued"}]
        ) from None


@router.get(
    "/{session_id}/compare/inputs", response_model=CompareInputsOut, response_model_exclude_unset=True
)
def get_compare_inputs(session: Viewed, at_step: AtStep = None):
    """What your own code needs to compute this run's gradients: the network's input for the training
    points, their targets Y (label smoothing applied), the parameters of every layer, lam, l1, the
    activation and the loss, with the step they are at
    and the `pin` to send back with your gradients (the run keeps its last 16 downloads for it)."""
    return reports.compare_inputs(session, at_step)


ExampleKind = Annotated[
    Literal[reports.EXAMPLE_KINDS],
    Path(description="'ours', or a catalogue mistake's id: what that mistake's gradient would be"),
]


@router.get("/{session_id}/compare/examples/{kind}", response_model=GradientExampleOut)
def get_gradient_example(
    session: Viewed,
    kind: ExampleKind,
    at_step: AtStep = None,
    form: Annotated[
        str | None, Query(max_length=40, description="the mistake's form, where it has several")
    ] = None,
    with_intermediates: Annotated[
        bool,
        Query(description="add the intermediates (dz2, da1, dz1; at depth dz(L+1) ... dz1) for the batch"),
    ] = False,
):
    """Gradients to try the comparison with: POST its `gradients` to .../compare as they are."""
    return reports.gradient_example(session, kind, at_step, form, with_intermediates)


@router.get("/{session_id}/units/{j}", response_model=UnitOut)
def get_unit(
    session: Viewed,
    max_grid: MaxGrid,
    j: UnitIndex,
    G: GridSize = 50,
    at_step: AtStep = None,
    layer: Annotated[int, Query(ge=1, le=MAX_LAYERS, description="the hidden layer, 1 (the first) to L")] = 1,
):
    """Hidden unit j of layer l: its activation over the plane and the error dz(l) it gets from
    each training point."""
    widths = session.run.config.widths
    if layer > len(widths):
        raise HTTPException(422, f"layer must be at most the run's hidden layers, {len(widths)}; got {layer}")
    if j >= widths[layer - 1]:
        raise HTTPException(
            422,
            f"unit must be below the number of hidden units of layer {layer}, {widths[layer - 1]}; got {j}",
        )
    max_grid.check(G)
    return reports.unit(session, j, G, at_step, layer)


@router.get("/{session_id}/unit-maps", response_model=UnitMapsOut)
def get_unit_maps(
    session: Viewed,
    G: Annotated[
        int,
        Query(
            ge=2,
            le=MAX_UNIT_MAP_GRID,
            description=f"the maps' side; hidden units x G^2 at most {MAX_UNIT_MAP_VALUES}",
        ),
    ] = 16,
    at_step: AtStep = None,
    units: Annotated[
        str | None,
        Query(
            max_length=4000,
            pattern=r"^[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*$",
            description="only these units, as layer:unit pairs, e.g. 1:0,1:7,2:3; default: every hidden unit",
        ),
    ] = None,
):
    """Every hidden unit's activation (or those `units` names) on a G x G grid of the data's box
    (the network diagram's small maps), in float64, layer by layer."""
    return reports.unit_maps(session, G, at_step, units_by_layer(units))


@router.get("/{session_id}/input-gradients", response_model=InputGradientsOut)
def get_input_gradients(session: Viewed, at_step: AtStep = None):
    """dL/dx at every training point (the arrows), and each point's share of |y_hat - y|."""
    return reports.input_gradients(session, at_step)


@router.get("/{session_id}/saturation", response_model=SaturationOut)
def get_saturation(session: Viewed, at_step: AtStep = None):
    """The share of saturated (training point, hidden unit) pairs, where f'(z1) is under 6% of its
    peak, and the histogram of f'(z1) / peak: the frame's `saturation` and `slopes`, in float64."""
    return reports.saturation(session, at_step)


@router.get("/{session_id}/timeline", response_model=TimelineOut)
def get_timeline(session: Viewed):
    """The steps whose weights are kept, for at_step: every step at first, thinned as the run grows."""
    return reports.timeline(session)


@router.get("/{session_id}/loss-slice", response_model=LossSliceOut)
def get_loss_slice(
    session: Viewed,
    t_max: Annotated[float | None, Query(gt=0, le=1e4, description="default: 3 learning rates")] = None,
    points: Annotated[int, Query(ge=2, le=401)] = 61,
    at_step: AtStep = None,
):
    """L(theta - t g) along the full gradient g, for t from 0 to t_max: a step of SGD is t = lr."""
    return reports.loss_along_gradient(session, t_max, points, at_step)


@router.get("/{session_id}/hidden-space", response_model=HiddenSpaceOut)
def get_hidden_space(
    session: Viewed,
    lines: Annotated[int, Query(ge=2, le=50)] = 11,
    samples: Annotated[int, Query(ge=2, le=200)] = 40,
    at_step: AtStep = None,
    layer: Annotated[int, Query(ge=1, le=MAX_LAYERS, description="the hidden layer, 1 (the first) to L")] = 1,
):
    """The training points' hidden activations a(l) of layer l in 2-D (PCA; exact for H(l) <= 2)
    and the input plane's grid lines carried through the layers up to l."""
    layers = len(session.run.config.widths)
    if layer > layers:
        raise HTTPException(422, f"layer must be at most the run's hidden layers, {layers}; got {layer}")
    return reports.hidden(session, lines, samples, at_step, layer)
