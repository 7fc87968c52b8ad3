"""The hidden space of a deep run on the page: a layer select (two or more hidden layers), the
picture redrawn for the layer chosen, the captions in that layer's names, the output layer's
decision only after the last hidden layer; at a projector's size and a phone's."""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import SCREENSHOTS, new_context, open_page
from .dashboard import Dashboard, api

# A digest of the hidden-space canvas: changes when any painted pixel changes.
PICTURE = """() => { const c = document.getElementById('hidden-canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let h = 0, n = 0;
  for (let i = 0; i < d.length; i += 4) { h = (h * 31 + d[i] * 7 + d[i + 1] * 3 + d[i + 2]) >>> 0;
    if (d[i + 3] && d[i] !== d[i + 2]) n++; }
  return {hash: h, coloured: n, width: c.width}; }"""


def open_hidden(dash, query):
    dash.open(query)
    dash.page.click("#tab-hidden")
    dash.page.wait_for_selector("#tab-body-hidden[data-layer='1'][data-step]")


def shown_layer(page, l):
    page.wait_for_selector(f"#tab-body-hidden[data-layer='{l}']")


@pytest.mark.browser
def test_switching_layer_redraws_the_picture_in_that_layers_names(dash):
    open_hidden(dash, "?hidden=4,3")
    page = dash.page
    assert page.is_visible("#hidden-layer")
    assert page.eval_on_selector_all("#hidden-layer option", "os => os.map(o => o.textContent)") == [
        "1 (4 units)",
        "2 (3 units)",
    ]
    first = page.evaluate(PICTURE)
    assert first["coloured"] > 2000  # points and grid are drawn
    assert "a₁: H = 4" in page.text_content("#hidden-projection")
    explain = page.text_content("#hidden-explain")
    assert "a₁ = f(x W₁ + b₁)" in explain and "the layers after a₁ are not linear" in explain
    assert page.get_attribute("#tab-body-hidden", "data-decision") == "false"

    page.select_option("#hidden-layer", "2")
    shown_layer(page, 2)
    second = page.evaluate(PICTURE)
    assert second["hash"] != first["hash"]
    assert "a₂: H = 3" in page.text_content("#hidden-projection")
    explain = page.text_content("#hidden-explain")
    assert "a₂ = f(a₁ W₂ + b₂)" in explain and "Only the output layer (z₃ = a₂ W₃ + b₃" in explain
    # what is drawn is what the server sent for layer 2
    step = int(page.get_attribute("#tab-body-hidden", "data-step"))
    sent = api(dash, "hidden-space", layer=2, lines=11, samples=48, at_step=step)
    assert sent["layer"] == 2 and sent["last"] and np.array(sent["points"]).shape[1] == 2


@pytest.mark.browser
def test_one_hidden_layer_has_no_layer_select(dash):
    open_hidden(dash, "?hidden=2")
    assert not dash.page.is_visible("#hidden-layer")
    assert dash.page.get_attribute("#tab-body-hidden", "data-decision") == "true"
    assert "a₁: H = 2, exact" in dash.page.text_content("#hidden-projection")


@pytest.mark.browser
@pytest.mark.slow  # two pages, two sizes
@pytest.mark.parametrize(("width", "height"), [(1280, 720), (390, 844)])
def test_the_last_of_two_exact_layers_shows_the_decision_at_projector_and_phone_size(
    browser, recorder, live_server, width, height
):
    page = open_page(new_context(browser, width, height), recorder)
    dash = Dashboard(page, live_server)
    open_hidden(dash, "?hidden=8,2&dataset=blobs")
    page.select_option("#hidden-layer", "2")
    shown_layer(page, 2)
    assert page.get_attribute("#tab-body-hidden", "data-decision") == "true"
    assert "Background: the output layer's decision" in page.text_content("#hidden-projection")
    page.locator("#tab-body-hidden").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"hidden-space-layer2-{width}x{height}.png"))
    picture = page.evaluate(PICTURE)
    assert picture["coloured"] > 5000
