"""The pin a download of "check your gradient" carries, and a check sends back: which session,
which step, which inputs (a hash of the parameters, the points, their targets, lam and f)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.training.config import Strict
from app.training.issued_inputs import HASH_HEX

SESSION_ID = r"^[A-Za-z0-9_-]{1,64}$"
PARAMS_HASH = rf"^[0-9a-f]{{{HASH_HEX}}}$"


class InputsPin(Strict):
    """The `pin` of GET .../compare/inputs, as it came: compare at exactly those inputs."""

    session: str = Field(pattern=SESSION_ID, description="the session the inputs were downloaded from")
    step: int = Field(ge=0, le=2**53, description="the step they were downloaded at")
    params_hash: str = Field(
        pattern=PARAMS_HASH, description=f"{HASH_HEX} lowercase hex digits, as the download gave them"
    )


class PinOut(BaseModel):
    session: str
    step: int
    params_hash: str = Field(
        description="a digest of the float64 parameters, training points, targets, lam and activation"
    )


class PinnedOut(PinOut):
    message: str = Field(description="'compared with the inputs you downloaded at step k'")
