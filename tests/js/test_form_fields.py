"""The page's settings form and the run's configuration are the same set of fields: every field
of RunConfig (and so of DatasetConfig and Hyperparameters) has a box in the form, the form has no
box the server does not take, and the page sends each one where RunConfig has it. Also: the JS
unit tests under node's test runner, so a failing one fails this suite too."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pydantic import BaseModel

from app.training.config import DatasetConfig, Hyperparameters, RunConfig

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
# What the page cannot enter: a 'points' dataset's points come from drawing them (a 'points'
# message) or from the REST API, not from the form.
NOT_IN_THE_FORM = {"dataset.points"}

needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def config_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every leaf field of a pydantic model, nested models walked: {"dataset.kind", "hidden", ...}."""
    paths = set()
    for name, field in model.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            paths |= config_paths(field.annotation, f"{prefix}{name}.")
        else:
            paths.add(f"{prefix}{name}")
    return paths


def page_fields() -> list[dict]:
    """static/lib/config.js's FIELDS, as node reads the module."""
    script = "import('./static/lib/config.js').then((m) => console.log(JSON.stringify(m.FIELDS)))"
    out = subprocess.run([NODE, "-e", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@needs_node
def test_the_page_fields_are_the_run_config_fields():
    fields = page_fields()
    paths = {".".join(f["path"]) for f in fields}
    assert paths == config_paths(RunConfig) - NOT_IN_THE_FORM
    assert {f"dataset.{name}" for name in DatasetConfig.model_fields} - NOT_IN_THE_FORM <= paths
    # What may change during a run is exactly what Hyperparameters takes, and only that.
    assert {f["path"][-1] for f in fields if f.get("live")} == set(Hyperparameters.model_fields)


@needs_node
def test_the_form_has_a_box_for_every_page_field_and_no_other(client):
    html = client.get("/").text
    boxes = set(re.findall(r'<(?:input|select) id="f-([a-z_0-9]+)" name="\1"', html))
    assert boxes == {f["key"] for f in page_fields()}


@needs_node
@pytest.mark.slow  # node's whole JS suite, 2 s; make test runs it on its own too
def test_the_js_unit_tests_pass():
    """tests/js/*.test.mjs (the store, the formatter, the throttle, ...) under node --test."""
    result = subprocess.run([NODE, "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
