"""The OpenAPI document states the rules the server enforces: its own limits (set by its settings)
as schema maxima, and every status a route can answer. Each limit written there is exactly where
the server's answer turns from yes to no."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.api.settings import Settings
from app.main import create_app

from ..conftest import LOCAL, auth


@pytest.fixture
def tight(tmp_path):
    settings = Settings(
        data_dir=str(tmp_path), max_hidden=16, max_points=300, max_grid=60, max_steps_per_request=40
    )
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        yield client


def maximum(schema: dict) -> int:
    return next(b for b in schema.get("anyOf", [schema]) if b.get("type") != "null")["maximum"]


@pytest.mark.slow  # among the quick loop's heaviest (0.5-1.1 s): the full suite runs it
def test_the_servers_limits_are_schema_maxima_and_hold_exactly_there(tight):
    doc = tight.get("/openapi.json").json()
    models = doc["components"]["schemas"]
    assert maximum(models["RunConfig"]["properties"]["hidden"]) == 16
    assert maximum(models["DatasetConfig"]["properties"]["n_samples"]) == 300
    assert maximum(models["StepRequest"]["properties"]["n"]) == 40
    grid = next(
        p for p in doc["paths"]["/api/sessions/{session_id}/grid"]["get"]["parameters"] if p["name"] == "G"
    )
    assert grid["schema"]["maximum"] == 60

    assert tight.post("/api/sessions", json={"hidden": 16}).status_code == 201
    assert tight.post("/api/sessions", json={"hidden": 17}).status_code == 422
    assert tight.post("/api/sessions", json={"dataset": {"n_samples": 301}}).status_code == 422
    run = tight.post("/api/sessions", json={"dataset": {"n_samples": 300}}).json()
    h = auth(run["token"])
    assert tight.post(f"/api/sessions/{run['id']}/step", json={"n": 40}, headers=h).status_code == 200
    assert tight.post(f"/api/sessions/{run['id']}/step", json={"n": 41}, headers=h).status_code == 422
    assert tight.get(f"/api/sessions/{run['id']}/grid", params={"G": 60}).status_code == 200
    assert tight.get(f"/api/sessions/{run['id']}/grid", params={"G": 61}).status_code == 422


@pytest.mark.slow  # among the quick loop's heaviest (0.5-1.1 s): the full suite runs it
def test_index_parameters_have_their_outer_bounds_in_the_schema(client):
    paths = client.get("/openapi.json").json()["paths"]
    (n,) = [
        p for p in paths["/api/sessions/{session_id}/derivation/{n}"]["get"]["parameters"] if p["name"] == "n"
    ]
    (j,) = [p for p in paths["/api/sessions/{session_id}/units/{j}"]["get"]["parameters"] if p["name"] == "j"]
    assert n["schema"]["maximum"] == 99_999 and j["schema"]["maximum"] == 1023


@pytest.mark.slow  # among the quick loop's heaviest (0.5-1.1 s): the full suite runs it
def test_a_full_store_is_a_documented_507_on_save_and_import(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "507" in paths["/api/runs"]["post"]["responses"]
    assert "507" in paths["/api/sessions/{session_id}/save"]["post"]["responses"]


def test_only_presets_this_server_can_start_are_listed(tight, client):
    everywhere = {p["name"] for p in client.get("/api/presets").json()}
    listed = tight.get("/api/presets").json()
    assert listed and {p["name"] for p in listed} < everywhere  # some need more than 16 units here
    for preset in listed:
        assert tight.post("/api/sessions", json=preset["config"]).status_code == 201, preset["name"]


def test_every_write_documents_the_perimeters_refusals(client):
    paths = client.get("/openapi.json").json()["paths"]
    writes = [
        (route, method)
        for route, path in paths.items()
        for method in path
        if method in ("post", "patch", "delete")
    ]
    assert len(writes) >= 10
    for route, method in writes:
        assert {"403", "413", "415"} <= set(paths[route][method]["responses"]), (route, method)
    # and the perimeter answers them as documented
    assert (
        client.post("/api/sessions", content="{}", headers={"Content-Type": "text/plain"}).status_code == 415
    )
    assert client.post("/api/sessions", json={}, headers={"Origin": "http://evil.example"}).status_code == 403


@pytest.mark.slow  # among the quick loop's heaviest (0.5-1.1 s): the full suite runs it
def test_init_scale_steps_per_second_and_remove_state_their_bounds(client):
    models = client.get("/openapi.json").json()["components"]["schemas"]
    number = next(
        b for b in models["RunConfig"]["properties"]["init_scale"]["anyOf"] if b.get("type") == "number"
    )
    assert (number["minimum"], number["maximum"]) == (1e-30, 100)
    assert models["RunConfig"]["properties"]["steps_per_second"]["minimum"] == 0.01
    assert models["PointsEdit"]["properties"]["remove"]["items"]["minimum"] == 0
    assert client.post("/api/sessions", json={"steps_per_second": 1e-12}).status_code == 422
