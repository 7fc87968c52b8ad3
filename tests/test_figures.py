"""Figures drawn by the server: an SVG that parses as XML with a point for every point of the run
and the step in its title, a PNG at the asked width whose regions have the colour of the class the
core's forward pass says wins there, and every bad query a 422 naming its field."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.core.features import expand
from app.core.network import forward
from app.figures import palette

from .conftest import auth

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[1]


def trained(client, steps=200, **config):
    created = client.post("/api/sessions", json=config).json()
    client.post(f"/api/sessions/{created['id']}/step", json={"n": steps}, headers=auth(created["token"]))
    return created["id"], client.app.state.registry.get(created["id"])


def test_figure_colours_are_the_pages():
    js = (ROOT / "static/lib/palette.js").read_text()
    block = js[js.index("CLASS_COLORS = [") : js.index("];", js.index("CLASS_COLORS = ["))]
    assert tuple(re.findall(r'"(#[0-9A-Fa-f]{6})"', block)) == palette.CLASS_COLORS
    assert f"const MAX_TINT = {palette.MAX_TINT};" in js


def test_boundary_svg_is_xml_with_every_point_and_the_step_in_its_title(client):
    sid, session = trained(client, dataset={"kind": "spiral"}, hidden=8)
    reply = client.get(f"/api/sessions/{sid}/figures/boundary.svg")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("image/svg+xml")
    assert reply.headers["content-disposition"] == 'attachment; filename="boundary-step200.svg"'
    root = ET.fromstring(reply.content)
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert "step 200" in root.find(f"{SVG}title").text
    d = session.run.dataset
    points = [e for e in root.iter() if "point" in (e.get("class") or "").split()]
    assert len(points) == len(d.X)
    assert len(root.findall(f"{SVG}circle")) == len(d.train)  # training points are circles, test diamonds
    assert len(root.findall(f"{SVG}image")) == 1  # the regions: one embedded PNG
    assert any("step 200" in (t.text or "") for t in root.iter(f"{SVG}text"))


def test_boundary_png_regions_are_the_class_the_forward_pass_picks(client):
    sid, session = trained(client, steps=300)
    width = 400
    svg = ET.fromstring(client.get(f"/api/sessions/{sid}/figures/boundary.svg?width={width}").content)
    png = client.get(f"/api/sessions/{sid}/figures/boundary.png?width={width}")
    image = np.asarray(Image.open(io.BytesIO(png.content)).convert("RGB")).astype(float)
    assert image.shape[1] == width
    region = svg.find(f"{SVG}image")
    left, top, side = (float(region.get(k)) for k in ("x", "y", "width"))
    run = session.run
    x0, x1, y0, y1 = run.dataset.box
    params = {k: v.astype(np.float64) for k, v in run.params.items()}
    marks = [(float(c.get("cx")), float(c.get("cy"))) for c in svg.iter(f"{SVG}circle")]
    marks += [tuple(map(float, p.get("points").split()[0].split(","))) for p in svg.iter(f"{SVG}polygon")]
    rng = np.random.default_rng(0)
    checked = 0
    for px, py in rng.uniform([left + 4, top + 4], [left + side - 4, top + side - 4], (400, 2)):
        if min(np.hypot(px - mx, py - my) for mx, my in marks) < 14:
            continue  # under or beside a point's marker
        x, y = x0 + (px - left) / side * (x1 - x0), y1 - (py - top) / side * (y1 - y0)
        y_hat = forward(params, expand(np.array([[x, y]]), run.features), run.activation).y_hat[0]
        k = int(np.argmax(y_hat))
        if y_hat[k] < 0.9:
            continue  # near the boundary: the grid's cell may straddle it
        expected = palette.region_image(y_hat[None, None, :])[0, 0].astype(float)
        other = palette.hex_rgb(palette.class_color(1 - k))
        pixel = image[int(py), int(px)]
        assert np.abs(pixel - expected).max() < 20, (x, y, pixel, expected)
        assert np.abs(pixel - expected).sum() < np.abs(pixel - (255 + (other - 255) * 0.7)).sum()
        checked += 1
    assert checked >= 20


@pytest.mark.slow  # among the quick loop's heaviest (0.5-0.8 s): the full suite runs it
def test_loss_with_another_run_draws_both_dashed_and_named(client):
    a, _ = trained(client, steps=50)
    fork = client.post(f"/api/sessions/{a}/fork", json={"changes": {"learning_rate": 0.1}}).json()
    client.post(f"/api/sessions/{fork['id']}/step", json={"n": 30}, headers=auth(fork["token"]))
    root = ET.fromstring(
        client.get(f"/api/sessions/{a}/figures/loss.svg", params={"with": fork["id"]}).content
    )
    lines = list(root.iter(f"{SVG}polyline"))
    dashed = [line for line in lines if line.get("stroke-dasharray")]
    assert len(dashed) == 4  # the other run's train and test curves and their legend samples
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "learning rate 1:" in texts and "learning rate 0.1:" in texts
    png = Image.open(
        io.BytesIO(client.get(f"/api/sessions/{a}/figures/compare.png?with={fork['id']}").content)
    )
    assert png.format == "PNG" and png.width == 800


@pytest.mark.parametrize(
    "query, field",
    [
        ("boundary.png?width=100", "width"),
        ("boundary.png?width=5000", "width"),
        ("boundary.png?step=3", "step"),
        ("boundary.gif", "fmt"),
        ("weights.png", "kind"),
        ("loss.svg?with=nobody", "with"),
        ("compare.svg", "with"),
    ],
)
def test_bad_figure_queries_name_their_field(client, query, field):
    sid, _ = trained(client, steps=300 if field == "step" else 5)  # past 256 steps, every other is kept
    reply = client.get(f"/api/sessions/{sid}/figures/{query}")
    assert reply.status_code == 422
    detail = reply.json()["detail"]
    named = detail.startswith(f"{field}:") if isinstance(detail, str) else detail[0]["loc"][-1] == field
    assert named, detail
    if field == "step":
        assert "it keeps 0, 2, 4" in detail  # the kept steps, as a fork names them


def test_figure_of_unknown_session_is_404(client):
    assert client.get("/api/sessions/nobody/figures/boundary.png").status_code == 404
