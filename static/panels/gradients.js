// Gradient magnitudes over steps on a log axis, one line per parameter: the norm of dL/dP, or as
// the second view the update/weight ratio |ΔP| / |P| of each step (about 1e-3 is healthy).
// Both views are kept as traces and the toggle only switches which are visible.

import { PARAM_STYLE } from "../lib/palette.js";
import { StepChart } from "../lib/stepchart.js";
import { StepSeries } from "./step_series.js";

const PARAMS = ["W1", "b1", "W2", "b2"];

const VIEWS = {
  norm: { title: "‖dL/dP‖", label: (p) => `‖d${p}‖` },
  ratio: { title: "|ΔP| / |P|", label: (p) => `${p} update/weight` },
};

const positive = (v) => (v > 0 ? v : null); // a log axis has no place for 0

// section: the panel (#gradient-chart, #gradient-view).
export function mount(section) {
  const el = section.querySelector("#gradient-chart");
  const viewSelect = section.querySelector("#gradient-view");
  let view = viewSelect.value || "norm";
  const traces = [];
  for (const kind of Object.keys(VIEWS)) {
    for (const p of PARAMS)
      traces.push({ name: VIEWS[kind].label(p), visible: kind === view, ...PARAM_STYLE[p] });
  }
  const chart = new StepChart(el, [{ domain: [0, 1], y: { title: VIEWS[view].title, log: true } }], traces, {
    label: "gradient magnitudes of W1, b1, W2, b2 over the steps, log scale",
  });

  viewSelect.addEventListener("change", () => {
    view = viewSelect.value;
    chart.setVisible(traces.map((_, i) => i < PARAMS.length === (view === "norm")));
    chart.setAxis(0, { title: VIEWS[view].title });
  });

  const series = new StepSeries(chart, {
    // Norms in the history were taken before each step's update (frames: after), ratios of it.
    fromHistory: (h) => {
      const before = h.step.map((s) => s - 1);
      return [
        ...PARAMS.map((p) => ({ x: before, y: h[`grad_norm_${p}`].map(positive) })),
        ...PARAMS.map((p) => ({ x: h.step, y: h[`ratio_${p}`].map(positive) })),
      ];
    },
    fromFrame: (f) => [
      ...PARAMS.map((p) => positive(f.grad[p].norm)),
      ...PARAMS.map((p) => positive(f.grad[p].ratio)),
    ],
  });

  return {
    begin: (hello) => series.begin(hello),
    update: (frame) => series.update(frame),
  };
}
