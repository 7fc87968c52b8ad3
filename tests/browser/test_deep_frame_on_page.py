"""A deep run's hidden-to-hidden weights and gradients reach the page as scaled float16
(docs/protocol.md) and the page shows the server's values: the Network view's readout of a W2
link against REST's float64 W2 and dW2 at the same step, to the three digits the protocol keeps."""

from __future__ import annotations

import re

import numpy as np
import pytest

from .dashboard import api

NUMBER = r"(−?[0-9.]+(?:e−?[0-9]+)?)"


def number(text: str) -> float:
    return float(text.replace("−", "-"))


@pytest.mark.browser
@pytest.mark.slow  # ten steps, the diagram, six hovers: about 5 s
def test_a_w2_links_weight_and_gradient_on_the_page_are_the_servers(dash):
    dash.open("?hidden=6,6,6")
    page = dash.page
    page.click("#step10")
    step = dash.wait_for_step("s >= 10")
    page.click("#tab-network")
    page.wait_for_selector(f'.network-view[data-step="{step}"]')
    w2_links = '#network-diagram path.network-hit[data-name="W2"]'
    links = page.eval_on_selector_all(w2_links, "ps => ps.map(p => [p.dataset.link, p.dataset.index])")
    assert len(links) == 36  # 6 x 6, every one its own link
    params = api(dash, "parameters", at_step=step)["params"]
    grads = api(dash, "gradients", at_step=step)["grads"]
    W2, dW2 = np.array(params["W2"]["values"]), np.array(grads["W2"]["values"])
    for link, index in links[::7]:
        page.dispatch_event(f'#network-diagram path.network-hit[data-link="{link}"]', "mouseover")
        text = page.text_content("#network-readout")
        i, j = (int(k) for k in index.split(","))
        shown = re.search(rf"W2\[{i}, {j}\] .*: w = {NUMBER}, dL/dw = {NUMBER}", text)
        assert shown, text
        # float16's 2**-11 and the readout's 4 significant digits (5e-4)
        assert number(shown[1]) == pytest.approx(W2[i, j], rel=1e-3)
        assert number(shown[2]) == pytest.approx(dW2[i, j], rel=1e-3, abs=1e-3 * np.max(np.abs(dW2)))
