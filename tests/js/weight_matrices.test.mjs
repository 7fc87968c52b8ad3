// The weights view at depth: every W(l) and dW(l) of a 3-hidden-layer frame, in layer order,
// each matrix's columns the units of a layer, and the rows named for what they are.
import assert from "node:assert/strict";
import { test } from "node:test";

import { weightLayers } from "../../static/lib/layers.js";
import { matrixSpecs } from "../../static/panels/weight_matrices.js";

// A 3-layer frame's arrays (features x1, x2, x1²; widths 8, 16, 4; 3 classes), as decodeFrame
// gives them, shuffled: the view orders them itself.
const array = (shape) => ({ data: new Float32Array(shape[0] * (shape[1] ?? 1)), shape });
const ARRAYS = {
  grid: array([64, 64, 3]),
  dW3: array([16, 4]),
  W4: array([4, 3]),
  W1: array([3, 8]),
  dW1: array([3, 8]),
  b1: array([8]),
  W2: array([8, 16]),
  dW2: array([8, 16]),
  W3: array([16, 4]),
  dW4: array([4, 3]),
};
const RUN = { features: ["x1", "x2", "x1_sq"] };

test("every layer's weights and gradient, in layer order, W(l) beside dW(l)", () => {
  assert.deepEqual(weightLayers(ARRAYS), [1, 2, 3, 4]);
  const specs = matrixSpecs(ARRAYS, RUN);
  assert.deepEqual(
    specs.map((s) => s.title),
    ["W1", "dL/dW1", "W2", "dL/dW2", "W3", "dL/dW3", "W4ᵀ", "dL/dW4ᵀ"],
  );
  assert.deepEqual(
    specs.map((s) => s.transposed),
    [false, false, false, false, false, false, true, true],
    "only the output layer is turned, so a hidden unit keeps its column",
  );
});

test("the rows: the input features, the units of the layer before, the classes", () => {
  const [w1, , w2, , w3, , w4] = matrixSpecs(ARRAYS, RUN);
  assert.deepEqual(w1.rowLabels(3), ["x₁", "x₂", "x₁²"]);
  assert.deepEqual(w2.rowLabels(8), ["a₁[0]", "a₁[1]", "a₁[2]", "a₁[3]", "a₁[4]", "a₁[5]", "a₁[6]", "a₁[7]"]);
  assert.deepEqual(w3.rowLabels(16), ["a₂, 16"], "a wide layer's rows share one label");
  assert.equal(w3.rowName(11), "a₂[11]", "the readout still names the row");
  assert.deepEqual(
    w4.rowLabels(3).map((r) => r.text),
    ["class 0", "class 1", "class 2"],
  );
  assert.equal(w4.rowName(2), "class 2");
});

test("one hidden layer is the four matrices it always was", () => {
  const specs = matrixSpecs(
    { W1: array([2, 5]), dW1: array([2, 5]), W2: array([5, 2]), dW2: array([5, 2]) },
    {},
  );
  assert.deepEqual(
    specs.map((s) => [s.name, s.title, s.transposed]),
    [
      ["W1", "W1", false],
      ["dW1", "dL/dW1", false],
      ["W2", "W2ᵀ", true],
      ["dW2", "dL/dW2ᵀ", true],
    ],
  );
  assert.deepEqual(specs[0].rowLabels(2), ["x₁", "x₂"], "a run without features has x1, x2");
});

test("the parameters' names and shapes at depth, from the run's config", async () => {
  const { hiddenLayers, paramNames, paramShapes } = await import("../../static/lib/layers.js");
  const config = { hidden: [8, 16, 4], features: ["x1", "x2", "x1_sq"] };
  assert.equal(hiddenLayers(config.hidden), 3);
  assert.equal(hiddenLayers(5), 1);
  assert.deepEqual(paramNames(3), ["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"]);
  assert.deepEqual(paramShapes(config, 3), {
    W1: "3×8",
    b1: "8",
    W2: "8×16",
    b2: "16",
    W3: "16×4",
    b3: "4",
    W4: "4×3",
    b4: "3",
  });
  assert.deepEqual(paramShapes({ hidden: 5 }, 2), { W1: "2×5", b1: "5", W2: "5×2", b2: "2" });
});
