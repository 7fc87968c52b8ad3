// The gradient chart's lines at depth: one a layer, read from a 3-layer frame header and history.
import assert from "node:assert/strict";
import { test } from "node:test";

import { layerColor, PARAM_STYLE } from "../../static/lib/palette.js";
import { gradientLines } from "../../static/panels/gradient_lines.js";

// A frame header of a 3-hidden-layer run, as the server sends it: grad keyed by every parameter
// name, and deltas, ‖δ1‖ .. ‖δ4‖ in layer order.
const grad = (norm, ratio) => ({ norm, max: norm / 2, ratio });
const HEADER = {
  step: 12,
  grad: {
    W1: grad(1e-5, 2e-4),
    b1: grad(3e-6, 1e-4),
    W2: grad(1e-3, 3e-4),
    b2: grad(2e-4, 1e-4),
    W3: grad(0.02, 5e-4),
    b3: grad(0.01, 1e-4),
    W4: grad(0.3, 0.001),
    b4: grad(0.1, 0.002),
  },
  deltas: [2e-6, 3e-4, 0.01, 0.2],
};

test("three hidden layers: a weight line a layer in every view, and a δ line a layer", () => {
  const lines = gradientLines(3);
  assert.deepEqual(lines.params, ["W1", "W2", "W3", "W4"]);
  assert.deepEqual(
    lines.traces.map((t) => `${t.view}:${t.name}`),
    [
      "norm:W1",
      "norm:W2",
      "norm:W3",
      "norm:W4",
      "ratio:W1",
      "ratio:W2",
      "ratio:W3",
      "ratio:W4",
      "delta:δ1",
      "delta:δ2",
      "delta:δ3",
      "delta:δ4",
    ],
    "deeper, a line is named by its matrix: the axis says ‖dL/dP‖, |ΔP| / |P| or ‖δ(l)‖",
  );
  assert.deepEqual(
    lines.fromFrame(HEADER),
    [1e-5, 1e-3, 0.02, 0.3, 2e-4, 3e-4, 5e-4, 0.001, 2e-6, 3e-4, 0.01, 0.2],
  );
});

test("a layer keeps its colour in every view, shaded from the input to the output", () => {
  const lines = gradientLines(3);
  const colours = (view) => lines.traces.filter((t) => t.view === view).map((t) => t.color);
  assert.deepEqual(colours("norm"), colours("ratio"));
  assert.deepEqual(colours("norm"), colours("delta"));
  assert.equal(new Set(colours("norm")).size, 4);
  assert.deepEqual(
    colours("norm"),
    [1, 2, 3, 4].map((l) => layerColor(l, 4)),
  );
});

test("seven layers' colours are all different and all dark enough for a line on white", () => {
  const luminance = (hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
    const lin = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const colours = Array.from({ length: 7 }, (_, i) => layerColor(i + 1, 7));
  assert.equal(new Set(colours).size, 7);
  for (const c of colours) assert.ok(1.05 / (luminance(c) + 0.05) >= 2, `${c} against white`);
});

test("one hidden layer keeps its four lines and its colours", () => {
  const lines = gradientLines(1);
  assert.deepEqual(lines.params, ["W1", "b1", "W2", "b2"]);
  const norms = lines.traces.filter((t) => t.view === "norm");
  assert.deepEqual(
    norms.map((t) => [t.name, t.color, t.dash]),
    ["W1", "b1", "W2", "b2"].map((p) => [`‖d${p}‖`, PARAM_STYLE[p].color, PARAM_STYLE[p].dash]),
  );
  assert.deepEqual(
    lines.traces.filter((t) => t.view === "delta").map((t) => t.name),
    ["‖δ1‖", "‖δ2‖"],
  );
});

test("the history fills every line it has a column for; zeros and a missing column leave gaps", () => {
  const lines = gradientLines(3);
  const history = { step: [1, 2] };
  for (const p of ["W1", "W2", "W3", "W4"]) {
    history[`grad_norm_${p}`] = [0.1, 0.2];
    history[`ratio_${p}`] = [0, 0.001];
  }
  const series = lines.fromHistory(history); // no delta_norm_l columns: an older history
  assert.equal(series.length, 12);
  assert.deepEqual(series[0], { x: [0, 1], y: [0.1, 0.2] }, "norms before the step's update");
  assert.deepEqual(series[4], { x: [1, 2], y: [null, 0.001] }, "a log axis has no place for 0");
  assert.deepEqual(series[8], { x: [], y: [] });
  history.delta_norm_1 = [1e-6, 2e-6];
  assert.deepEqual(lines.fromHistory(history)[8], { x: [0, 1], y: [1e-6, 2e-6] });
});

test("a depth-1 header without deltas (an older server) draws no δ points", () => {
  const header = {
    grad: { W1: grad(0.1, 1e-3), b1: grad(0.1, 1e-3), W2: grad(0.2, 1e-3), b2: grad(0.1, 1e-3) },
  };
  assert.deepEqual(gradientLines(1).fromFrame(header).slice(8), [null, null]);
});
