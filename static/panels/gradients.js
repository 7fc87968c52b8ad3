// Gradient magnitudes over steps on a log axis, one line per parameter: the norm of dL/dP, or as
// the second view the update/weight ratio |ΔP| / |P| of each step (about 1e-3 is healthy).
// Both views are kept as traces and the toggle only switches which are visible.

import { baseLayout, LineChart, yNumbers } from "../lib/linechart.js";
import { PARAM_STYLE } from "../lib/palette.js";
import { StepSeries } from "./step_series.js";

const PARAMS = ["W1", "b1", "W2", "b2"];

const VIEWS = {
  norm: { title: "‖dL/dP‖", label: (p) => `‖d${p}‖` },
  ratio: { title: "|ΔP| / |P|", label: (p) => `${p} update/weight` },
};

const positive = (v) => (v > 0 ? v : null); // a log axis has no place for 0

// section: the panel (#gradient-chart, #gradient-view); charts: the ChartScheduler.
export function mount(section, _store, { charts }) {
  const el = section.querySelector("#gradient-chart");
  const viewSelect = section.querySelector("#gradient-view");
  let view = viewSelect.value || "norm";
  const traces = [];
  for (const kind of Object.keys(VIEWS)) {
    for (const p of PARAMS) {
      traces.push({
        type: "scatter",
        mode: "lines",
        name: VIEWS[kind].label(p),
        visible: kind === view,
        line: { color: PARAM_STYLE[p].color, dash: PARAM_STYLE[p].dash, width: 2.5 },
        hovertemplate: `${VIEWS[kind].label(p)} %{y:.3g}<extra></extra>`,
      });
    }
  }
  const layout = {
    ...baseLayout(el),
    xaxis: { title: { text: "step" }, rangemode: "tozero" },
    yaxis: {
      title: { text: VIEWS[view].title },
      type: "log",
      automargin: true,
      ...yNumbers(),
      nticks: 4, // over a few decades Plotly then labels the powers of ten, not 2 and 5 between
    },
  };
  const chart = new LineChart(el, traces, layout);
  charts.add(chart);

  viewSelect.addEventListener("change", () => {
    view = viewSelect.value;
    chart.restyle({ visible: traces.map((_, i) => i < PARAMS.length === (view === "norm")) });
    chart.relayout({ "yaxis.title.text": VIEWS[view].title, "yaxis.autorange": true });
  });

  const series = new StepSeries(chart, charts, {
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
