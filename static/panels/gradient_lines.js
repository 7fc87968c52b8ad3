// The gradient chart's lines for a network of L hidden layers: which lines there are, and each
// line's value from the run's history and from a frame's header, as the server sent them.
// Three views: the norm of each layer's gradient ‖dW(l)‖, the update/weight ratio |ΔW(l)| / |W(l)|,
// and ‖δ(l)‖ = ‖dL/dz(l)‖ from the header's `deltas`. One hidden layer keeps its four lines (W1,
// b1, W2, b2, blue and orange) as it always had; deeper, the weights' lines only, a shade a layer.

import { paramNames } from "../lib/layers.js";
import { layerColor, PARAM_STYLE } from "../lib/palette.js";

export const VIEWS = {
  norm: { title: "‖dL/dP‖", label: (p) => `‖d${p}‖` },
  ratio: { title: "|ΔP| / |P|", label: (p) => `${p} update/weight` },
  delta: { title: "‖δ(l)‖ = ‖dL/dz(l)‖", label: (l) => `‖δ${l}‖` },
};
// Deeper, seven lines share the legend: each is named by its matrix alone (the axis says what of it).
const SHORT = { norm: (p) => p, ratio: (p) => p, delta: (l) => `δ${l}` };

const positive = (v) => (v > 0 ? v : null); // a log axis has no place for 0

function layerStyle(l, n) {
  if (n === 2) return PARAM_STYLE[`W${l}`]; // one hidden layer: the colours it always had
  return { color: layerColor(l, n), dash: "solid" };
}

// layers: L. -> { params, traces: [{ name, view, color, dash }], fromHistory(h), fromFrame(header) }
export function gradientLines(layers) {
  const n = layers + 1; // the weight matrices
  const all = paramNames(layers);
  const params = layers === 1 ? all : all.filter((p) => p.startsWith("W"));
  const levels = Array.from({ length: n }, (_, i) => i + 1);
  const style = (p) => (layers === 1 ? PARAM_STYLE[p] : layerStyle(Number(p.slice(1)), n));
  const label = (view, x) => (layers === 1 ? VIEWS[view].label(x) : SHORT[view](x));
  const traces = [
    ...params.map((p) => ({ name: label("norm", p), view: "norm", ...style(p) })),
    ...params.map((p) => ({ name: label("ratio", p), view: "ratio", ...style(p) })),
    ...levels.map((l) => ({ name: label("delta", l), view: "delta", ...layerStyle(l, n) })),
  ];
  const column = (h, key) => (h[key] ?? []).map(positive);
  return {
    params,
    traces,
    // Norms (and δs) in the history were taken before each step's update (frames: after), ratios
    // of it. A history without a column (an older server's δ) gives its line no points.
    fromHistory(h) {
      const before = h.step.map((s) => s - 1);
      const series = (x, y) => ({ x: y.length ? x : [], y });
      return [
        ...params.map((p) => series(before, column(h, `grad_norm_${p}`))),
        ...params.map((p) => series(h.step, column(h, `ratio_${p}`))),
        ...levels.map((l) => series(before, column(h, `delta_norm_${l}`))),
      ];
    },
    fromFrame: (f) => [
      ...params.map((p) => positive(f.grad[p]?.norm)),
      ...params.map((p) => positive(f.grad[p]?.ratio)),
      ...levels.map((l) => positive(f.deltas?.[l - 1])),
    ],
  };
}
