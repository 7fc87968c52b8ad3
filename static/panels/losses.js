// Loss (train and test, linear or log scale) and accuracy beside it: one Plotly figure with two
// subplots, so one call redraws both. Scrubbed back, a dotted line marks the step the other
// panels show.

import { baseLayout, LineChart, yNumbers } from "../lib/linechart.js";
import { SPLIT_STYLE } from "../lib/palette.js";
import { StepSeries } from "./step_series.js";

function trace(split, axis, showlegend) {
  const { color, dash } = SPLIT_STYLE[split];
  return {
    type: "scatter",
    mode: "lines",
    name: split,
    legendgroup: split,
    showlegend,
    xaxis: axis === 1 ? "x" : "x2",
    yaxis: axis === 1 ? "y" : "y2",
    line: { color, dash, width: 2.5 },
    hovertemplate: `${split} %{y:.4g}<extra></extra>`,
  };
}

// A dotted vertical line at `step` (none for null).
function stepMark(step) {
  if (step === null) return [];
  const line = { color: "#333", width: 2, dash: "dot" };
  return [{ type: "line", xref: "x", yref: "paper", x0: step, x1: step, y0: 0, y1: 1, line }];
}

// section: the panel (#loss-chart, #loss-log); charts: the ChartScheduler that redraws it.
export function mount(section, _store, { charts }) {
  const el = section.querySelector("#loss-chart");
  const logToggle = section.querySelector("#loss-log");
  const layout = {
    ...baseLayout(el),
    xaxis: { domain: [0, 0.56], title: { text: "step" }, rangemode: "tozero" },
    yaxis: {
      title: { text: "loss" },
      type: logToggle.checked ? "log" : "linear",
      automargin: true, // a diverging run's 1e37 needs the room
      ...yNumbers(),
      nticks: 6,
    },
    // A narrow plot: few ticks, so large type (a projector) never turns them on their side.
    xaxis2: { domain: [0.7, 1], title: { text: "step" }, anchor: "y2", rangemode: "tozero", nticks: 4 },
    yaxis2: {
      title: { text: "accuracy" },
      automargin: true,
      anchor: "x2",
      range: [0, 1.02],
      tickformat: ".0%",
    },
  };
  const chart = new LineChart(
    el,
    [trace("train", 1, true), trace("test", 1, true), trace("train", 2, false), trace("test", 2, false)],
    layout,
  );
  charts.add(chart);
  logToggle.addEventListener("change", (event) =>
    chart.relayout({ "yaxis.type": event.target.checked ? "log" : "linear" }),
  );
  let marked = null;

  const series = new StepSeries(chart, charts, {
    // The history's loss and accuracy were measured before each step's update, the test
    // columns after it; frames measure after, so the training columns move back one step.
    fromHistory: (h) => {
      const before = h.step.map((s) => s - 1);
      return [
        { x: before, y: h.loss },
        { x: h.step, y: h.test_loss },
        { x: before, y: h.accuracy },
        { x: h.step, y: h.test_accuracy },
      ];
    },
    fromFrame: (f) => [f.train_loss, f.test_loss, f.train_accuracy, f.test_accuracy],
  });

  return {
    begin: (hello) => series.begin(hello),
    update: (frame) => series.update(frame),
    showStep(step) {
      if (step === marked || !el.data) return;
      marked = step;
      chart.relayout({ shapes: stepMark(step) });
    },
  };
}
