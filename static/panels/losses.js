// Loss (train and test, linear or log scale) and accuracy beside it: one Plotly figure with two
// subplots, so one call redraws both.

import { LineChart, baseLayout } from "./linechart.js";
import { SPLIT_STYLE } from "./palette.js";

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

export function create(el, logToggle) {
  const layout = {
    ...baseLayout(el),
    xaxis: { domain: [0, 0.56], title: { text: "step" }, rangemode: "tozero" },
    yaxis: {
      title: { text: "loss" },
      type: logToggle?.checked ? "log" : "linear",
      automargin: true, // a diverging run's 1e37 needs the room
      exponentformat: "power",
      nticks: 6,
    },
    xaxis2: { domain: [0.7, 1], title: { text: "step" }, anchor: "y2", rangemode: "tozero" },
    yaxis2: { title: { text: "accuracy" }, automargin: true, anchor: "x2", range: [0, 1.02], tickformat: ".0%" },
  };
  const chart = new LineChart(
    el,
    [trace("train", 1, true), trace("test", 1, true), trace("train", 2, false), trace("test", 2, false)],
    layout,
  );
  logToggle?.addEventListener("change", () => chart.relayout({ "yaxis.type": logToggle.checked ? "log" : "linear" }));

  return {
    chart,
    begin(hello) {
      const h = hello.history;
      // The history's loss and accuracy were measured before each step's update, the test
      // columns after it; frames measure after, so the training columns move back one step.
      const before = h.step.map((s) => s - 1);
      chart.reset([
        { x: before, y: h.loss },
        { x: h.step, y: h.test_loss },
        { x: before, y: h.accuracy },
        { x: h.step, y: h.test_accuracy },
      ]);
    },
    update(frame) {
      const f = frame.header;
      chart.push(f.step, [f.train_loss, f.test_loss, f.train_accuracy, f.test_accuracy]);
    },
    clear() {
      chart.reset();
    },
  };
}
