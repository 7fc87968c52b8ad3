// The gradient magnitudes of both runs overlaid: ‖dW(l)‖ of each layer on a log axis, the left
// run's solid, the right run's dashed, a layer's colour the same on both (as the main page's
// gradient chart colours it). Values as the server sent them (gradient_lines.js reads them).

import { hiddenLayers, paramNames } from "../lib/layers.js";
import { layerColor, PARAM_STYLE } from "../lib/palette.js";
import { StepChart } from "../lib/stepchart.js";
import { gradientLines } from "../panels/gradient_lines.js";
import { xFrom } from "./fork_view.js";

const SIDES = ["left", "right"];
const DASH = { left: "solid", right: "dash" };

const where = (series, keep) => ({
  x: series.x.filter((x) => keep(x)),
  y: series.y.filter((_, k) => keep(series.x[k])),
});

export function mountGradientPair(el) {
  const chart = new StepChart(el, [{ domain: [0, 1], y: { title: "‖dW‖", log: true } }], [], {
    label: "the norm of each layer's weight gradient over the steps, both runs, log scale",
  });
  let lines = null; // gradient_lines.js for the runs' depth
  let weights = []; // [{ name, at }]: each weight matrix and its index among the norm lines
  let forkStep = 0;
  const lastStep = { left: -1, right: -1 };

  function layOut(layers) {
    lines = gradientLines(layers);
    const n = layers + 1;
    weights = paramNames(layers)
      .filter((p) => p.startsWith("W"))
      .map((name) => ({ name, at: lines.params.indexOf(name) }));
    const color = (name) => (n === 2 ? PARAM_STYLE[name].color : layerColor(Number(name.slice(1)), n));
    chart.setTraces(
      SIDES.flatMap((key) =>
        weights.map(({ name }) => ({ name: `${name} ${key}`, color: color(name), dash: DASH[key] })),
      ),
    );
    el.dataset.layers = String(layers);
  }

  // trace index of side `key`'s weight w
  const traceOf = (key, w) => SIDES.indexOf(key) * weights.length + w;
  const current = () => chart.traces.map((t) => ({ x: t.x, y: t.y }));
  const keepForkInView = () => chart.setXFrom(0, xFrom(forkStep, Math.max(lastStep.left, lastStep.right)));

  return {
    chart,
    setForkStep(step) {
      forkStep = step;
    },
    begin(key, hello) {
      const layers = hiddenLayers(hello.session.config.hidden);
      if (String(layers) !== el.dataset.layers) layOut(layers);
      const all = lines.fromHistory(hello.history); // norm lines first, in lines.params' order
      const series = current();
      weights.forEach(({ at }, w) => {
        // The shared past is the left run's only (the two are one before the fork).
        const keep = key === "left" ? () => true : (x) => x >= forkStep - 1;
        series[traceOf(key, w)] = where(all[at], keep);
      });
      lastStep[key] = hello.session.step - 1;
      keepForkInView();
      chart.reset(series);
    },
    update(key, frame) {
      if (!lines) return;
      const f = frame.header;
      if (f.step <= lastStep[key]) {
        const series = current();
        weights.forEach((_, w) => {
          series[traceOf(key, w)] = where(series[traceOf(key, w)], (x) => x < f.step);
        });
        chart.reset(series);
      }
      const all = lines.fromFrame(f);
      const values = new Array(chart.traces.length).fill(null);
      weights.forEach(({ at }, w) => {
        values[traceOf(key, w)] = all[at];
      });
      chart.push(f.step, values);
      lastStep[key] = f.step;
      keepForkInView();
      chart.draw();
    },
  };
}
