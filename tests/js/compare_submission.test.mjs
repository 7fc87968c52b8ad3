// A student's pasted gradients, read as the compare panel reads them.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  asRows,
  exampleGradients,
  readCsv,
  readSubmission,
  studentInputs,
  transpose,
} from "../../static/panels/compare/submission.js";

test("JSON with or without a gradients key, d-prefixed or not", () => {
  const a = readSubmission('{"gradients": {"dW1": [[1, 2]], "db1": [3]}}');
  assert.deepEqual(a.body, { gradients: { dW1: [[1, 2]], db1: [3] } });
  assert.deepEqual(a.given, { W1: [[1, 2]], b1: [3] });
  const b = readSubmission('{"W2": [[1], [2]], "other": 1}');
  assert.deepEqual(b.body, { gradients: { W2: [[1], [2]] } });
});

test("nothing to send gets a message saying what to do", () => {
  assert.match(readSubmission("  ").message, /paste your gradients/);
  assert.match(readSubmission("{nope").message, /not valid JSON/);
  assert.match(readSubmission('{"x": 1}').message, /none of dW1/);
});

test("CSV goes to the server as it is, and is read for showing", () => {
  const csv = "# dW1\n1, 2\n3, 4\ndb1\n5 6\n";
  const read = readSubmission(csv);
  assert.deepEqual(read.body, { csv });
  assert.deepEqual(read.given, {
    W1: [
      [1, 2],
      [3, 4],
    ],
    b1: [5, 6],
  });
  assert.equal(readCsv("1, 2\n"), null, "numbers before any name");
  assert.equal(readCsv("W1\n1, x\n"), null);
});

test("rows and transposes", () => {
  assert.deepEqual(asRows(3), [[3]]);
  assert.deepEqual(asRows([1, 2]), [[1, 2]]);
  assert.deepEqual(
    transpose([
      [1, 2],
      [3, 4],
      [5, 6],
    ]),
    [
      [1, 3, 5],
      [2, 4, 6],
    ],
  );
});

test("the inputs file: the training points, smoothed targets, the parameters", () => {
  const store = {
    sessionId: "s",
    classes: 2,
    config: { label_smoothing: 0.1, activation: "tanh", lam: 0.01, hidden: 1 },
    points: { x: [0, 1, 2], y: [5, 6, 7], label: [0, 1, 1], train: [2, 0], test: [1] },
  };
  const values = (v) => ({ values: v });
  const params = { W1: values([[1], [2]]), b1: values([0]), W2: values([[1, -1]]), b2: values([0, 0]) };
  const inputs = studentInputs(store, { step: 4, params });
  assert.deepEqual(inputs.X, [
    [2, 7],
    [0, 5],
  ]);
  assert.deepEqual(inputs.labels, [1, 0]);
  const near = (a, b) => a.every((row, i) => row.every((v, k) => Math.abs(v - b[i][k]) < 1e-12));
  assert.ok(
    near(inputs.Y, [
      [0.05, 0.95],
      [0.95, 0.05],
    ]),
    "1 − eps on the class, eps / C spread over all",
  );
  assert.equal(inputs.N, 2);
  assert.equal(inputs.step, 4);
});

test("the examples: ours, ours × N, ours transposed", () => {
  const grads = { W1: [[1, 2]], b1: [3, 4], W2: [[5], [6]], b2: [7] };
  const reply = {
    n_train: 10,
    grads: Object.fromEntries(Object.entries(grads).map(([k, v]) => [k, { values: v }])),
  };
  assert.deepEqual(exampleGradients("ours", reply).dW1, [[1, 2]]);
  assert.deepEqual(exampleGradients("summed", reply).db1, [30, 40]);
  assert.deepEqual(exampleGradients("transposed", reply).dW2, [[5, 6]]);
  assert.deepEqual(exampleGradients("transposed", reply).db2, [7]);
});
