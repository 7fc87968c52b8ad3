"""The form's fields for deeper runs in a real browser, at depth 1: the hidden layers as a list of
widths, the loss, L1, the init and the input features are there, each with its label; they keep
their values across a reload as every field does (the address bar holds them); a list of widths
the page cannot take is named next to its box; and the gradient chart and the weights view draw a
one-hidden-layer run as they always have (its lines' colours in the canvas's pixels, its four
matrices)."""

from __future__ import annotations

import pytest

from .dashboard import FIRST_FRAME

pytestmark = pytest.mark.browser

# The gradient chart's canvas: how many pixels are each line colour's (within a few levels, as
# the canvas antialiases a line's edges).
LINE_PIXELS = """(colours) => {
  const canvas = document.querySelector('#gradient-chart canvas');
  const {width, height} = canvas;
  const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  const rgb = colours.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  const counts = colours.map(() => 0);
  for (let i = 0; i < pixels.length; i += 4) {
    rgb.forEach(([r, g, b], k) => {
      const off = Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b);
      if (off < 12) counts[k] += 1;
    });
  }
  return counts;
}"""

NEW_FIELDS = {
    "hidden": "Hidden layers",
    "loss": "Loss",
    "l1": "L1 λ₁",
    "init_scale": "Init",
}


def test_the_new_fields_are_there_each_with_its_label(dash):
    dash.open()
    for key, label in NEW_FIELDS.items():
        text = dash.page.evaluate(
            "(id) => [...document.getElementById(id).labels].map(l => l.querySelector('.label').textContent)",
            f"f-{key}",
        )
        assert text == [label], f"#f-{key} has the one label {label!r}"
    assert dash.page.eval_on_selector_all("#f-loss option", "os => os.map(o => o.textContent)") == [
        "CE",
        "MSE",
    ]
    assert dash.page.eval_on_selector_all("#init-names option", "os => os.map(o => o.value)") == [
        "fan_in",
        "xavier",
        "he",
        "zeros",
    ]
    # The features: one line saying which are chosen; opened, a group named "Features", a checkbox
    # each, each named by its label.
    dash.page.click("#features-choices summary")
    group = dash.page.get_by_role("group", name="Features")
    labels = ("x₁", "x₂", "x₁²", "x₂²", "x₁·x₂", "sin x₁", "sin x₂")
    assert [group.get_by_role("checkbox", name=n, exact=True).count() for n in labels] == [1] * 7
    # One hidden layer, the width it always had, in the box that takes a list.
    assert dash.field("hidden") == str(dash.session_summary()["config"]["hidden"])


def test_the_new_fields_keep_their_values_across_a_reload(dash):
    dash.open("?hidden=6&features=x1,x2,x1_sq&loss=mse&l1=0.001")
    dash.page.wait_for_function("() => ['hidden=6', 'l1='].every((s) => location.search.includes(s))")
    assert dash.session_summary()["config"]["hidden"] == 6
    dash.page.reload()
    dash.page.wait_for_function(FIRST_FRAME, timeout=15_000)
    assert dash.field("hidden") == "6"
    assert dash.field("loss") == "mse"
    assert dash.field("l1") == "0.001"
    assert dash.field("features") == "x1,x2,x1_sq"
    ticked = dash.page.eval_on_selector_all(
        "#features-choices input[type=checkbox]", "boxes => boxes.filter(b => b.checked).map(b => b.value)"
    )
    assert ticked == ["x1", "x2", "x1_sq"]
    assert dash.page.text_content("#features-choices .feature-summary") == "x₁, x₂, x₁²"


def test_a_list_of_widths_the_page_cannot_take_is_named_and_the_run_lives_on(dash):
    dash.open()
    session = dash.session_id()
    for text, message in [
        ("8, 8, 8, 8, 8, 8, 8", "at most 6 layers, not 7"),
        ("8, 0", "a layer has 1 to 1024 units, not 0"),
        ("8, eight", '"eight" is not a whole number: widths such as 8, 8, 4'),
    ]:
        dash.set_field("hidden", text)
        dash.page.wait_for_selector('[data-error-for="hidden"]:visible')
        assert dash.error_for("hidden") == message
        assert dash.page.get_attribute("#f-hidden", "aria-invalid") == "true"
    assert dash.session_id() == session
    dash.page.click("#step1")
    assert dash.wait_for_step("s >= 1") == 1


def test_one_hidden_layer_draws_its_four_gradient_lines_and_four_matrices(dash):
    dash.open("?hidden=6")
    dash.page.click("#step10")
    dash.wait_for_step("s >= 10")
    dash.page.wait_for_function("() => document.getElementById('gradient-chart').data[0].x.at(-1) === 10")
    names = dash.page.evaluate("() => document.getElementById('gradient-chart').data.map(t => t.name)")
    assert names[:4] == ["‖dW1‖", "‖db1‖", "‖dW2‖", "‖db2‖"]
    blue, orange = dash.page.evaluate(LINE_PIXELS, ["#0072B2", "#D55E00"])
    assert blue > 100 and orange > 100, "W1's and W2's lines in their colours, as before"
    dash.page.click("#tab-weights")
    dash.page.wait_for_selector("#weights .matrix")
    shapes = dash.page.eval_on_selector_all(
        "#weights .matrix",
        "ms => ms.map(m => [m.dataset.matrix, m.querySelector('.matrix-shape').textContent])",
    )
    assert shapes == [["W1", "2×6"], ["dW1", "2×6"], ["W2", "2×6"], ["dW2", "2×6"]]
