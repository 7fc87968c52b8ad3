// Loss (train and test, linear or log scale) and accuracy beside it: one chart with two plots,
// drawn with every frame. Scrubbed back, a dotted line marks the step the other panels show.

import { SPLIT_STYLE } from "../lib/palette.js";
import { StepChart } from "../lib/stepchart.js";
import { StepSeries } from "./step_series.js";

function trace(split, plot) {
  return { name: split, plot, legend: plot === 0, ...SPLIT_STYLE[split] };
}

// section: the panel (#loss-chart, #loss-log).
export function mount(section) {
  const el = section.querySelector("#loss-chart");
  const logToggle = section.querySelector("#loss-log");
  const chart = new StepChart(
    el,
    [
      { domain: [0, 0.56], y: { title: "loss", log: logToggle.checked } },
      { domain: [0.6, 1], y: { title: "accuracy", range: [0, 1.02], percent: true } },
    ],
    [trace("train", 0), trace("test", 0), trace("train", 1), trace("test", 1)],
    { label: "loss and accuracy over the steps, train and test" },
  );
  logToggle.addEventListener("change", (event) => chart.setAxis(0, { log: event.target.checked }));

  const series = new StepSeries(chart, {
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
      chart.mark(step);
    },
  };
}
