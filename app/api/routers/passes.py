"""The network diagram's views of the run: the forward or backward pass stage by stage, and the
update the optimizer would make to one weight. No token: neither changes the run."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from app.core.bounds import MAX_HIDDEN, MAX_SAMPLES
from app.training.reports.passes import passes
from app.training.reports.weight_update import weight_update

from ..deps import Viewed, inspection_turn
from ..responses import BAD_INPUT, NO_SUCH
from ..schemas.passes import PassOut, WeightUpdateOut
from ..unit_pairs import units_by_layer

router = APIRouter(
    prefix="/api/sessions",
    tags=["inspect"],
    responses=BAD_INPUT | NO_SUCH,
    dependencies=[Depends(inspection_turn)],
)


@router.get("/{session_id}/pass", response_model=PassOut)
def get_pass(
    session: Viewed,
    direction: Annotated[Literal["forward", "backward"], Query(description="which pass")] = "backward",
    sample: Annotated[
        int | None,
        Query(ge=0, le=MAX_SAMPLES - 1, description="a training point; default: the batch, every point"),
    ] = None,
    at_step: Annotated[int | None, Query(ge=0, description="an earlier kept step; default: now")] = None,
    units: Annotated[
        str | None,
        Query(
            max_length=4000,
            pattern=r"^[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*$",
            description="a wide layer's units whose links to send, as layer:unit pairs (at most 16 a "
            "layer); default: its 16 with the largest incoming plus outgoing |w|",
        ),
    ] = None,
):
    """The pass as the network diagram lights it, stage by stage: the loss, delta at the output,
    each layer back to dx at the inputs (backward), or the inputs to the loss (forward), each
    stage with its caption, equation, the units' and links' values and the derivation's stages it
    stands for; in float64, for one training point or the batch."""
    return passes(session, direction, sample, at_step, units_by_layer(units))


@router.get("/{session_id}/updates/{name}/{i}/{j}", response_model=WeightUpdateOut)
def get_weight_update(
    session: Viewed,
    name: Annotated[str, Path(pattern=r"^W[1-7]$", description="W1 ... W(L+1)")],
    i: Annotated[int, Path(ge=0, le=MAX_HIDDEN - 1)],
    j: Annotated[int, Path(ge=0, le=MAX_HIDDEN - 1)],
):
    """What the run's optimizer would add to weight name[i, j] next (SGD, momentum or Adam, its
    state as it is now), from the gradient on every training point: the diagram's hover."""
    return weight_update(session, name, (i, j))
