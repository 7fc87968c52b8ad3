"""Fuzz of POST /api/runs with crafted runs: a real export with one part replaced by anything JSON
(and Python's json) can hold. Whatever comes in: a 4xx or success, never a 5xx; a run that is
taken in can be loaded and stepped; and another session trains throughout."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.api.settings import Settings

from ..conftest import LiveServer, auth

ANYTHING = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def places(node, path=()):
    """Every place in the document: the path to each dict value and list item."""
    yield path
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from places(child, (*path, key))


def at(document, path):
    for key in path:
        document = document[key]
    return document


def near(original):
    """Values of the original's own kind: they pass the schema more often and reach deeper checks."""
    if isinstance(original, bool) or not isinstance(original, (int, float)):
        return ANYTHING
    return st.sampled_from([0, 1, -1, original + 1, original - 1, original * 2, -original, 1e30, 1e39, 2**63])


def replaced(document, path, value):
    document = json.loads(json.dumps(document))
    if not path:
        return value
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return document


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = Settings(
        data_dir=str(tmp_path_factory.mktemp("fuzz-data")),
        max_sessions=200,
        max_hidden=32,
        max_points=400,
        max_saved_runs=100_000,
    )
    with LiveServer(settings) as live:
        http = httpx.Client(base_url=live.url, timeout=30)
        created = http.post(
            "/api/sessions", json={"optimizer": "adam", "learning_rate": 0.05, "batch_size": 16, "hidden": 6}
        ).json()
        h = auth(created["token"])
        http.post(f"/api/sessions/{created['id']}/step", json={"n": 12}, headers=h)
        saved = http.post(f"/api/sessions/{created['id']}/save", headers=h).json()
        document = http.get(f"/api/runs/{saved['id']}/export").json()
        bystander = http.post("/api/sessions", json={"steps_per_second": 100}).json()
        http.post(f"/api/sessions/{bystander['id']}/play", headers=auth(bystander["token"]))
        yield live, http, document, bystander["id"]


@pytest.mark.slow
def test_crafted_imports_never_5xx_and_never_stop_another_run(server):
    live, http, document, bystander = server
    paths = list(places(document))
    start_step = http.get(f"/api/sessions/{bystander}").json()["step"]
    outcomes = {"refused": 0, "taken": 0}

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def one_import(data):
        path = data.draw(st.sampled_from(paths), label="path")
        value = data.draw(ANYTHING | near(at(document, path)), label="value")
        body = json.dumps(replaced(document, path, value))  # NaN and Infinity as Python writes them
        reply = http.post("/api/runs", content=body, headers={"Content-Type": "application/json"})
        assert reply.status_code < 500, (path, value, reply.text[:300])
        if reply.status_code != 201:
            assert 400 <= reply.status_code < 500 and reply.json()["detail"]
            outcomes["refused"] += 1
            return
        outcomes["taken"] += 1
        loaded = http.post(f"/api/runs/{reply.json()['id']}/load")
        assert loaded.status_code in (201, 422), loaded.text[:300]
        if loaded.status_code == 201:
            run = loaded.json()
            stepped = http.post(f"/api/sessions/{run['id']}/step", json={"n": 3}, headers=auth(run["token"]))
            assert stepped.status_code in (200, 409), stepped.text[:300]
            http.delete(f"/api/sessions/{run['id']}", headers=auth(run["token"]))

    one_import()
    time.sleep(0.3)
    end_step = http.get(f"/api/sessions/{bystander}").json()
    assert end_step["status"] == "running" and end_step["step"] > start_step + 10
    assert outcomes["refused"] > 0 and outcomes["taken"] > 0, outcomes  # both doors were exercised
