// One loss chart for both runs: the shared past before the fork drawn once, faint, then each
// run's training loss (solid) and test loss (dashed) in its own colour from the fork step on.
// Fed by each side's hello (its history) and frames; a side whose step goes back (reset) loses
// its points from there on.

import { SIDE_COLORS } from "../lib/palette.js";
import { StepChart } from "../lib/stepchart.js";
import { xFrom } from "./fork_view.js";

const PAST = 0;
const TRACES = {
  left: { train: 1, test: 3 },
  right: { train: 2, test: 4 },
};

// history -> { train: { x, y }, test: { x, y } } as the main page's loss chart reads it: the
// training columns were measured before each step's update (x = step - 1), the test after.
function fromHistory(h) {
  return {
    train: { x: h.step.map((s) => s - 1), y: h.loss },
    test: { x: h.step, y: h.test_loss },
  };
}

const where = (series, keep) => ({
  x: series.x.filter((x, k) => keep(x, series.y[k])),
  y: series.y.filter((_, k) => keep(series.x[k], series.y[k])),
});

// el: the chart's box; logToggle: its log-scale checkbox.
export function mountLossPair(el, logToggle) {
  const chart = new StepChart(
    el,
    [{ domain: [0, 1], y: { title: "loss", log: logToggle.checked } }],
    [
      { name: "before the fork", color: SIDE_COLORS.past, dash: "solid" },
      { name: "left train", color: SIDE_COLORS.left, dash: "solid" },
      { name: "right train", color: SIDE_COLORS.right, dash: "solid" },
      { name: "left test", color: SIDE_COLORS.left, dash: "dash" },
      { name: "right test", color: SIDE_COLORS.right, dash: "dash" },
    ],
    { label: "training and test loss of both runs over the steps, from the fork step on" },
  );
  logToggle.addEventListener("change", () => chart.setAxis(0, { log: logToggle.checked }));
  let forkStep = 0;
  const lastStep = { left: -1, right: -1 };

  const current = () => chart.traces.map((t) => ({ x: t.x, y: t.y }));
  const keepForkInView = () => chart.setXFrom(0, xFrom(forkStep, Math.max(lastStep.left, lastStep.right)));

  return {
    chart,
    setForkStep(step) {
      forkStep = step;
    },
    // A side's stream began: its history up to now (the shared rows included) draws the past
    // (once: both sides have the same rows before the fork) and its own lines after it.
    begin(key, hello) {
      const h = fromHistory(hello.history);
      const series = current();
      const past = where(h.train, (x) => x <= forkStep);
      const joint = past.x.length ? past.x[past.x.length - 1] : forkStep;
      series[PAST] = past;
      series[TRACES[key].train] = where(h.train, (x) => x >= joint);
      series[TRACES[key].test] = where(h.test, (x) => x >= forkStep);
      lastStep[key] = hello.session.step - 1; // the frame of this very step is the next point
      keepForkInView();
      chart.reset(series);
    },
    update(key, frame) {
      const f = frame.header;
      if (f.step <= lastStep[key]) {
        // Reset to the fork step: this side's points from there on are gone.
        const series = current();
        for (const i of Object.values(TRACES[key])) series[i] = where(series[i], (x) => x < f.step);
        chart.reset(series);
      }
      const values = [null, null, null, null, null];
      values[TRACES[key].train] = f.train_loss;
      values[TRACES[key].test] = f.test_loss;
      chart.push(f.step, values);
      lastStep[key] = f.step;
      keepForkInView();
      chart.draw();
    },
  };
}
