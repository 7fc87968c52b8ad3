// The network diagram's model: the layers read from the parameter names, a link per weight with
// its width ∝ |w|, and a wide layer folded into its 16 strongest units and one "+k more".
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DENSE_LINKS,
  diagramModel,
  linkWidth,
  NARROW_SHOWN_UNITS,
  SHOWN_UNITS,
  SWAP_MARGIN,
  shownUnits,
  WEAK_SHARE,
  weightLayers,
} from "../../static/panels/network/model.js";
import { linkText, nodeText, updateText } from "../../static/panels/network/words.js";

function array(rows, cols, f) {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = f(i, j);
  return { data, shape: [rows, cols] };
}

function vector(n, f) {
  return { data: Float32Array.from({ length: n }, (_, i) => f(i)), shape: [n] };
}

function net(widths, weight = (l, i, j) => (i + 1) * (j % 2 ? -1 : 1) * 0.1 * l) {
  const arrays = {};
  for (let l = 1; l < widths.length; l++) {
    arrays[`W${l}`] = array(widths[l - 1], widths[l], (i, j) => weight(l, i, j));
    arrays[`dW${l}`] = array(widths[l - 1], widths[l], (i, j) => -weight(l, i, j) / 10);
    arrays[`b${l}`] = vector(widths[l], (j) => j / 10);
    arrays[`db${l}`] = vector(widths[l], (j) => -j / 100);
  }
  return arrays;
}

test("the layers are read from the parameter names, at any depth", () => {
  assert.deepEqual(weightLayers(net([2, 5, 3])), [1, 2]);
  assert.deepEqual(weightLayers(net([2, 8, 8, 4, 3])), [1, 2, 3, 4]);
  const model = diagramModel(net([2, 8, 8, 4, 3]), { features: ["x1", "x2"], classes: 3 });
  assert.deepEqual(
    model.columns.map((c) => c.length),
    [2, 8, 8, 4, 3],
  );
  assert.equal(model.links.length, 2 * 8 + 8 * 8 + 8 * 4 + 4 * 3);
  assert.deepEqual(
    model.columns[0].map((n) => n.label),
    ["x1", "x2"],
  );
});

test("a link is as wide as its weight, or its gradient on the toggle", () => {
  const arrays = net([2, 3, 2]);
  const weights = diagramModel(arrays, { features: ["x1", "x2"], classes: 2 });
  const top = Math.max(...weights.links.map((l) => Math.abs(l.weight)));
  assert.equal(weights.scale, top);
  for (const link of weights.links) {
    assert.ok(Math.abs(linkWidth(link, weights.scale, 8) - (8 * Math.abs(link.weight)) / top) < 1e-9);
  }
  const grads = diagramModel(arrays, { features: ["x1", "x2"], classes: 2, which: "gradients" });
  const link = grads.links.find((l) => l.name === "W2" && l.index.join() === "2,1");
  assert.equal(link.shown, arrays.dW2.data[2 * 2 + 1]);
});

test("a layer of 1024 units shows its 16 strongest and folds the rest, links summed", () => {
  const strong = new Set([3, 50, 700, 1023]);
  const arrays = net([2, 1024, 2], (_, i, j) => (strong.has(j) || strong.has(i) ? 1 : 0.001));
  const { shown, folded } = shownUnits(
    1024,
    { rows: 2, cols: 1024, at: (i, j) => arrays.W1.data[i * 1024 + j] },
    {
      rows: 1024,
      cols: 2,
      at: (j, k) => arrays.W2.data[j * 2 + k],
    },
  );
  assert.equal(shown.length, SHOWN_UNITS);
  assert.equal(folded.length, 1008);
  for (const j of strong) assert.ok(shown.includes(j));
  const model = diagramModel(arrays, { features: ["x1", "x2"], classes: 2 });
  assert.equal(model.columns[1].length, 17);
  const fold = model.columns[1][16];
  assert.equal(fold.label, "+1008 more");
  const summed = model.links.find((l) => l.name === "W2" && l.from[1] === 16 && l.to[1] === 0);
  assert.equal(summed.index, null);
  assert.equal(summed.count, 1008);
  assert.ok(Math.abs(summed.weight - 1008 * 0.001) < 1e-6);
  assert.equal(linkWidth(summed, model.scale, 8) <= 8, true);
});

test("a narrow screen asks for fewer units a layer: the strongest 8 of 16, the rest folded", () => {
  const arrays = net([2, 16, 16, 3], (_l, _i, j) => (j % 2 === 0 ? 1 : 0.01));
  const model = diagramModel(arrays, { features: ["x1", "x2"], classes: 3, most: NARROW_SHOWN_UNITS });
  assert.equal(NARROW_SHOWN_UNITS, 8);
  assert.deepEqual(
    model.columns[1].map((n) => n.label),
    ["unit 0", "unit 2", "unit 4", "unit 6", "unit 8", "unit 10", "unit 12", "unit 14", "+8 more"],
  );
  assert.equal(model.columns[2].length, 9);
  assert.equal(diagramModel(arrays, { features: ["x1", "x2"], classes: 3 }).columns[1].length, 16);
});

test("hovering says the weight and its gradient, and the server's update in the optimizer's words", () => {
  const model = diagramModel(net([2, 3, 2]), { features: ["x1", "x2"], classes: 2 });
  const link = model.links[0];
  const [from, to] = [model.columns[0][0], model.columns[1][0]];
  assert.equal(linkText(link, from, to), "W1[0, 0] (x1 → unit 0 of layer 1): w = 0.1, dL/dw = −0.01");
  const adam = { update: -0.0123, optimizer: "adam", learning_rate: 0.5, exact: true };
  assert.equal(updateText(adam), "; adam's next update −η·m̂/(√v̂ + ε) = −0.0123 (η = 0.5)");
  const sgd = { update: 0.005, optimizer: "sgd", learning_rate: 0.5, exact: false };
  assert.match(
    updateText(sgd),
    /^; sgd's next update −η·dL\/dw = 0\.005 \(η = 0\.5\) \(from the whole training set/,
  );
  assert.match(
    nodeText(model.columns[1][2], { bias: 0.2, gradient: -0.02 }),
    /^unit 2 of layer 1: bias b1\[2\] = 0\.2, dL\/db1\[2\] = −0\.02/,
  );
});

test("a dense diagram (6 × 16) marks the links under a fifth of their layer's largest weak", () => {
  const arrays = net([2, 16, 16, 16, 16, 16, 16, 3], (_l, i, j) => (j === 0 ? 1 : 0.1) * (i + 1) * 0.01);
  const model = diagramModel(arrays, { features: ["x1", "x2"], classes: 3 });
  assert.ok(model.links.length > DENSE_LINKS && model.dense);
  for (const link of model.links) {
    const top = Math.max(...model.links.filter((k) => k.name === link.name).map((k) => Math.abs(k.weight)));
    assert.equal(link.weak, Math.abs(link.weight) < WEAK_SHARE * top, `${link.name}[${link.index}]`);
  }
  assert.ok(model.links.some((k) => k.weak) && model.links.some((k) => !k.weak));
  const small = diagramModel(net([2, 5, 3]), { features: ["x1", "x2"], classes: 3 });
  assert.ok(!small.dense && small.links.every((k) => k.weak === undefined));
});

test("a wide layer keeps the units it shows while their ranks only shuffle, and takes a clearly stronger one", () => {
  // 20 units, unit j's strength (j + 1): the top 16 are 4 ... 19
  const strengthOf = (s) => ({ rows: 1, cols: 20, at: (_i, j) => s[j] });
  const none = { rows: 20, cols: 0, at: () => 0 };
  const s = Array.from({ length: 20 }, (_, j) => j + 1);
  const first = shownUnits(20, strengthOf(s), none, 16).shown;
  assert.deepEqual(
    first,
    Array.from({ length: 16 }, (_, j) => j + 4),
  );
  // unit 3 grows past unit 4 (5), but not by the margin: nothing changes
  const shuffled = s.slice();
  shuffled[3] = 6; // past unit 4 (5), under 5 × SWAP_MARGIN
  assert.ok(6 < 5 * SWAP_MARGIN);
  assert.deepEqual(shownUnits(20, strengthOf(shuffled), none, 16, first).shown, first);
  // without the previous units it would have changed
  assert.notDeepEqual(shownUnits(20, strengthOf(shuffled), none, 16).shown, first);
  // unit 0 becomes clearly the strongest: it replaces the weakest shown, unit 4
  const grown = s.slice();
  grown[0] = 100;
  const after = shownUnits(20, strengthOf(grown), none, 16, first).shown;
  assert.deepEqual(after, [0, ...first.filter((j) => j !== 4)]);
  // units from another layer's width (or another count) are not kept
  assert.deepEqual(shownUnits(20, strengthOf(s), none, 16, [25, ...first.slice(1)]).shown, first);
});
