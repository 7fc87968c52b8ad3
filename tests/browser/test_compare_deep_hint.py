"""Check your gradient on a deep run (?hidden=4,3) when no mistake of the catalogue explains what
was sent and no intermediates were: the hint says where to look in the run's own layers (dW3,
dz3), not one hidden layer's "all four" and dz2."""

from __future__ import annotations

import json

import numpy as np
import pytest

from .dashboard import api
from .test_check_your_gradient_deep import check, open_deep_at_step_10

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a run stepped, a check sent: ~10 s


def test_the_hint_when_nothing_explains_names_the_deep_runs_layers(dash):
    open_deep_at_step_10(dash)
    grads = api(dash, "gradients")["grads"]
    mine = {f"d{name}": np.array(g["values"]) for name, g in grads.items()}
    mine["dW2"] = mine["dW2"] * 1.3  # wrong in layer 2 only, as no usual mistake is
    check(dash.page, json.dumps({k: v.tolist() for k, v in mine.items()}))
    verdict = dash.page.text_content("#compare-verdict")
    assert "from dW3 down" in verdict and "start at the output's dz3" in verdict
    assert "all four" not in verdict and "dz2 = (ŷ − y)/N" not in verdict
