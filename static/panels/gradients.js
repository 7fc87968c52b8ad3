// Gradient magnitudes over steps on a log axis, a line per layer (gradient_lines.js): the norm of
// dL/dP, the update/weight ratio |ΔP| / |P| of each step (about 1e-3 is healthy), or ‖δ(l)‖, the
// error each layer passes back: where it shrinks from the output to the input, the gradients
// vanish. All views are kept as traces and the select only switches which are visible; a run of
// another depth (its hello) lays the lines out again.

import { hiddenLayers } from "../lib/layers.js";
import { StepChart } from "../lib/stepchart.js";
import { gradientLines, VIEWS } from "./gradient_lines.js";
import { StepSeries } from "./step_series.js";

// section: the panel (#gradient-chart, #gradient-view).
export function mount(section) {
  const el = section.querySelector("#gradient-chart");
  const viewSelect = section.querySelector("#gradient-view");
  let view = viewSelect.value || "norm";
  let lines = gradientLines(1);
  const chart = new StepChart(el, [{ domain: [0, 1], y: { title: VIEWS[view].title, log: true } }], [], {
    label: "gradient magnitudes per layer over the steps, log scale",
  });
  const series = new StepSeries(chart, {
    fromHistory: (h) => lines.fromHistory(h),
    fromFrame: (f) => lines.fromFrame(f),
  });

  function layOut(layers) {
    lines = gradientLines(layers);
    chart.setTraces(lines.traces.map((t) => ({ ...t, visible: t.view === view })));
    el.dataset.layers = String(layers);
  }
  layOut(1);

  viewSelect.addEventListener("change", () => {
    view = viewSelect.value;
    chart.setVisible(lines.traces.map((t) => t.view === view));
    chart.setAxis(0, { title: VIEWS[view].title });
  });

  return {
    begin(hello) {
      const layers = hiddenLayers(hello.session.config.hidden);
      if (String(layers) !== el.dataset.layers) layOut(layers);
      series.begin(hello);
    },
    update: (frame) => series.update(frame),
  };
}
