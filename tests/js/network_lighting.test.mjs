// Which drawn link and node a stage of the server's pass lights, and with what value: the page
// picks the reply's entries, it computes none.
import assert from "node:assert/strict";
import { test } from "node:test";

import { passScale, stageLinkValues, stageUnitValues, trail } from "../../static/panels/network/lighting.js";
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

test("the pass's scale is its largest link and hidden or output unit, and the trail the newest a layer", () => {
  const pass = {
    stages: [
      { units: { layer: 3, quantity: "db3", values: [0.5, -0.7] }, links: null },
      { units: null, links: { name: "W3", rows: [0], cols: [0], values: [[-4]] } },
      W2_STAGE,
      { units: { layer: 0, quantity: "Σn dX", values: [9, 1] }, links: null },
    ],
  };
  assert.deepEqual(passScale(pass), { links: 4, units: 0.7 });
  assert.deepEqual(
    [...trail(pass, 2)],
    [
      [3, { quantity: "db3", top: 0.7 }],
      [2, { quantity: "db2", top: 0.3 }],
    ],
  );
});
