// Which drawn link and node a stage of the server's pass lights, and with what value: the page
// picks the reply's entries, it computes none.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  litStyles,
  passScale,
  stageLinkValues,
  stageUnitValues,
  trail,
} from "../../static/panels/network/lighting.js";
import { diagramModel } from "../../static/panels/network/model.js";

function array(rows, cols, f) {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = f(i, j);
  return { data, shape: [rows, cols] };
}

// 2 inputs, hidden 20 (folded to 16 + 1) and 3, 2 classes.
function model() {
  const arrays = {
    W1: array(2, 20, (_i, j) => (j + 1) * 0.01),
    W2: array(20, 3, (i) => (i + 1) * 0.01),
    W3: array(3, 2, () => 0.5),
  };
  return diagramModel(arrays, { features: ["x1", "x2"], classes: 2 });
}

const W2_STAGE = {
  units: { layer: 2, quantity: "db2", values: [0.1, -0.3, null] },
  links: {
    name: "W2",
    rows: [4, 19],
    cols: [0, 2],
    values: [
      [1, 2],
      [3, null],
    ],
  },
};

test("a stage lights the drawn links the reply sent, and no folded sum", () => {
  const m = model();
  const values = stageLinkValues(m, W2_STAGE);
  const lit = [...values].map(([n, v]) => [m.links[n].index.join(","), v]);
  // W2[19, 2] is null (not finite): it stays dark; units 0-3 of layer 1 are folded
  assert.deepEqual(lit.sort(), [
    ["19,0", 3],
    ["4,0", 1],
    ["4,2", 2],
  ]);
  for (const n of values.keys()) assert.notEqual(m.links[n].index, null);
});

test("a stage's units are its layer's nodes, a null value left dark", () => {
  const m = model();
  assert.deepEqual(
    [...stageUnitValues(m, W2_STAGE)],
    [
      ["2:0", 0.1],
      ["2:1", -0.3],
    ],
  );
  assert.equal(stageUnitValues(m, { units: null }).size, 0);
});

test("the pass's scale is its largest link of each kind and hidden or output unit, and the trail the newest a layer", () => {
  const pass = {
    stages: [
      { units: { layer: 3, quantity: "db3", values: [0.5, -0.7] }, links: null },
      { units: null, links: { name: "W3", kind: "gradient", rows: [0], cols: [0], values: [[-4]] } },
      { ...W2_STAGE, links: { ...W2_STAGE.links, kind: "error" } },
      { units: { layer: 0, quantity: "Σn dX", values: [9, 1] }, links: null },
    ],
  };
  assert.deepEqual(passScale(pass), { links: { gradient: 4, error: 3 }, units: 0.7 });
  assert.deepEqual(
    [...trail(pass, 2)],
    [
      [3, { quantity: "db3", top: 0.7 }],
      [2, { quantity: "db2", top: 0.3 }],
    ],
  );
});

test("a lit stage's links are as wide as their value against the largest of their kind, the walked fainter", () => {
  const m = model();
  const pass = {
    stages: [
      {
        units: null,
        links: {
          name: "W3",
          kind: "gradient",
          rows: [0, 1, 2],
          cols: [0, 1],
          values: [
            [-4, 2],
            [1, 1],
            [0, 0],
          ],
        },
      },
      { ...W2_STAGE, links: { ...W2_STAGE.links, kind: "error" } },
    ],
  };
  const frame = m.links.map(() => ({ width: 1, color: "red", alpha: 0.85, state: "shown" }));
  const g = { widest: 10 };
  const styles = litStyles(m, g, pass, 1, frame);
  const of = (name, index) =>
    styles[m.links.findIndex((l) => l.name === name && l.index?.join(",") === index)];
  // stage 1 lights W2 (error, its largest 3): 4,0 carries 1 -> 13 px × 1/3
  assert.equal(of("W2", "4,0").state, "lit");
  assert.ok(Math.abs(of("W2", "4,0").width - (10 * 1.3) / 3) < 1e-12);
  assert.equal(of("W2", "19,0").width, 13);
  // stage 0's W3 walked, against dW's own largest, 4
  assert.equal(of("W3", "0,0").state, "walked");
  assert.ok(Math.abs(of("W3", "0,1").width - (13 * 2) / 4) < 1e-12);
  assert.equal(of("W3", "2,0").width, 0.75); // a zero still drawn, a hairline
  // the others dimmed, their frame width kept
  assert.equal(of("W1", "0,4").state, "dimmed");
  assert.equal(of("W1", "0,4").width, 1);
});
