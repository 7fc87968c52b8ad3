// The derivation panel's pieces that need no DOM: where a deep reply's stages go, how a layer and
// a shape are written, and what of a highlight event's detail is taken.
import assert from "node:assert/strict";
import { test } from "node:test";

import { batchShapeText } from "../../static/panels/derivation/batch.js";
import { readDetail } from "../../static/panels/derivation/highlight.js";
import { layerTitle, outputLayer, sub } from "../../static/panels/derivation/layer_groups.js";
import { sampleLayout, shapeText } from "../../static/panels/derivation/stages.js";

const stage = (name, phase, layer) => ({ name, phase, layer });
// A 2-hidden-layer reply's sample stages, as the server orders them (O = 3).
const DEEP = [
  ...["x", "z1", "a1", "z2", "a2", "z3", "y_hat", "y", "loss"].map((n, i) =>
    stage(n, "forward", [0, 1, 1, 2, 2, 3, 3, 3, 3][i]),
  ),
  ...["dL_dy_hat", "J", "dz3_long", "dz3", "dz3_difference", "dW3", "db3", "da2", "dz2", "dW2", "db2"].map(
    (n, i) => stage(n, "backward", [3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2][i]),
  ),
  ...["da1", "dz1", "dW1", "db1", "dx"].map((n, i) => stage(n, "backward", [1, 1, 1, 1, 0][i])),
];

test("a deep reply's output layer is its largest layer, and its two ways are named for it", () => {
  assert.equal(outputLayer(DEEP), 3);
  const places = sampleLayout(DEEP, 3);
  assert.deepEqual(places.longWay, ["dL_dy_hat", "J", "dz3_long"]);
  assert.equal(places.own, "dz3");
  assert.equal(places.difference, "dz3_difference");
  assert.deepEqual(
    places.rest.map((s) => s.name),
    ["dW3", "db3", "da2", "dz2", "dW2", "db2", "da1", "dz1", "dW1", "db1", "dx"],
  );
  assert.equal(places.forward.length, 9);
});

test("layers and widths are written with subscripts, depth-1 letters as they were", () => {
  assert.equal(sub(12), "₁₂");
  assert.equal(layerTitle(2, 3, 5), "Layer 2: hidden, H₂ = 5 units");
  assert.equal(layerTitle(3, 3, 2), "Layer 3: the output, C = 2 classes");
  assert.equal(shapeText(["H2", "H3"], [5, 4]), "H₂×H₃ = 5×4");
  assert.equal(shapeText(["H", "C"], [5, 2]), "H×C = 5×2");
  assert.equal(batchShapeText(["N", "H1"], [160, 8]), "(N, H₁) = (160, 8)");
  assert.equal(batchShapeText(["2", "H"], [2, 8]), "(2, H) = (2, 8)");
});

test("a highlight detail is read safely: a known form, an integer n or null, names", () => {
  assert.deepEqual(readDetail({ form: "sample", n: 3, stages: ["dz3"] }), {
    form: "sample",
    n: 3,
    stages: ["dz3"],
  });
  assert.deepEqual(readDetail({ form: "batch", n: null, stages: [] }), {
    form: "batch",
    n: null,
    stages: [],
  });
  assert.deepEqual(readDetail({ form: "batch", n: 1.5 }), { form: "batch", n: null, stages: [] });
  assert.equal(readDetail({ form: "other", stages: ["x"] }), null);
  assert.equal(readDetail(null), null);
});
