"""The line charts keep up with the step counter while the run plays: sampled at every animation
frame of the page, the step the status bar shows, the boundary's frame and the last point of the
loss and gradient charts are the same frame, or the one before it."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Samples, at each animation frame for `ms` milliseconds, what the page is about to paint: the
# status bar's step, the boundary's frame step and each chart's last x. Resolves to the list.
SAMPLE = """(ms) => new Promise((resolve) => {
  const lastX = (id) => {
    const data = document.getElementById(id).data;
    const x = data && data[0].x;
    return x && x.length ? x[x.length - 1] : null;
  };
  const samples = [];
  const end = performance.now() + ms;
  const tick = () => {
    samples.push({
      status: Number(document.querySelector('[data-status="step"]').textContent),
      boundary: window.bpv?.boundaryStep,
      loss: lastX('loss-chart'),
      gradients: lastX('gradient-chart'),
    });
    if (performance.now() < end) requestAnimationFrame(tick);
    else resolve(samples);
  };
  requestAnimationFrame(tick);
})"""


def lags_in_frames(samples: list[dict], what: str) -> list[int]:
    """For each sample, how many frames `what` is behind the status bar: 0 when it shows the same
    step, 1 when it shows the step of the frame before, ... (frames as the status bar showed them)."""
    frames: list[int] = []  # the distinct steps the status bar has shown, in order
    lags = []
    for s in samples:
        if not frames or s["status"] != frames[-1]:
            frames.append(s["status"])
        shown = s[what]
        behind = sum(1 for step in frames if shown is None or step > shown)
        lags.append(behind)
    return lags


def test_the_charts_and_the_boundary_show_the_step_the_status_bar_shows(dash):
    dash.open("?steps_per_second=60")
    dash.page.click("#play")
    dash.wait_for_step("s >= 30")
    samples = dash.page.evaluate(SAMPLE, 4000)
    assert len({s["status"] for s in samples}) > 40, "the run moved on, frame after frame"
    for what in ("boundary", "loss", "gradients"):
        lags = lags_in_frames(samples, what)
        late = [lag for lag in lags if lag > 1]
        print(what, "max lag", max(lags), "share late", len(late) / len(lags))
        assert not late, (
            f"{what}: {len(late)} of {len(lags)} samples more than one frame behind (max {max(lags)})"
        )


def test_pointing_at_a_chart_reads_its_values_at_that_step(dash):
    dash.open()
    for target in (10, 20):
        dash.page.click("#step10")
        dash.wait_for_step(f"s >= {target}")
    dash.page.wait_for_function("() => document.getElementById('loss-chart').data[0].x.includes(20)")
    box = dash.page.locator("#loss-chart canvas").bounding_box()
    dash.page.mouse.move(box["x"] + 0.3 * box["width"], box["y"] + 0.5 * box["height"])
    tip = dash.page.locator("#loss-chart .step-chart-tip")
    tip.wait_for(state="visible")
    train = next(part for part in tip.text_content().split(" · ") if part.startswith("train "))
    value, step = train.removeprefix("train ").removesuffix(")").split(" (step ")
    drawn = dash.trace("loss-chart", 0)
    expected = drawn["y"][drawn["x"].index(int(step))]
    assert float(value.replace("−", "-")) == pytest.approx(expected, rel=2e-3)
    assert 0 < int(step) < 20, "a step in the middle of the run, where the pointer is"
