"""The gradient check on a deep run (?hidden=4,3) counts the parameters it checked: "all 6",
W1 ... b3, not one hidden layer's "all four"."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_a_deep_runs_gradient_check_counts_its_parameters(dash):
    dash.open("?hidden=4,3")
    dash.page.click("#tab-gradcheck")
    dash.page.click("#gradcheck-run")
    dash.page.wait_for_selector("#gradcheck-table tr[data-param='b3']")
    rows = dash.page.eval_on_selector_all(
        "#gradcheck-table tr[data-param]", "rs => rs.map(r => r.dataset.param)"
    )
    assert rows == ["W1", "b1", "W2", "b2", "W3", "b3"]
    text = dash.page.text_content("#tab-body-gradcheck")
    assert "all 6" in text and "all four" not in text
