"""The gradient check keeps to a budget of work: a wide deep run checks fewer entries a parameter,
says so, and still checks every parameter against finite differences."""

from __future__ import annotations

from app.training.reports import weights
from app.training.reports.weights import affordable_entries

from .test_depth_api import create


def test_the_entries_a_parameter_follow_the_work_two_forward_passes_each_cost():
    # 3 x 256 on 1600 points with the seven features: an entry is 2 x 1600 x 134,400 multiply-adds
    assert affordable_entries((7, 256, 256, 256, 3), 1600, 100) == 5
    assert affordable_entries((2, 8, 3), 160, 100) == 100  # a classroom run: all it asks
    assert affordable_entries((7, 1024, 16, 1024, 16, 1024, 16, 8), 80_000, 100) == 1  # never none


def test_a_check_over_budget_checks_fewer_entries_says_why_and_still_passes(client, monkeypatch):
    sid, _ = create(client, {"hidden": [16, 16]})
    whole = client.get(f"/api/sessions/{sid}/gradcheck").json()
    assert whole["entries_per_parameter"] == 100 and whole["fewer_entries"] is None
    monkeypatch.setattr(weights, "GRADCHECK_WORK", 3e6)  # as if the run were a hundred times wider
    r = client.get(f"/api/sessions/{sid}/gradcheck")
    assert r.status_code == 200
    cut = r.json()
    n = cut["entries_per_parameter"]
    assert 1 <= n < 100 and f"{n} entries a parameter, not the 100 asked" in cut["fewer_entries"]
    assert set(cut["params"]) == set(whole["params"])
    assert all(p["entries_checked"] == min(n, p["entries_total"]) for p in cut["params"].values())
    assert cut["passed"]
