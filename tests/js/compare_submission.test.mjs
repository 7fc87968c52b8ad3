// A student's pasted gradients, read as the compare panel reads them.
import assert from "node:assert/strict";
import { test } from "node:test";

import { asRows, readSubmission } from "../../static/panels/compare/submission.js";

test("JSON with or without a gradients key, d-prefixed or not", () => {
  const a = readSubmission('{"gradients": {"dW1": [[1, 2]], "db1": [3]}}');
  assert.deepEqual(a.body, { gradients: { dW1: [[1, 2]], db1: [3] } });
  const b = readSubmission('{"W2": [[1], [2]], "other": 1}');
  assert.deepEqual(b.body, { gradients: { W2: [[1], [2]] } });
});

test("nothing to send gets a message saying what to do", () => {
  assert.match(readSubmission("  ").message, /paste your gradients/);
  assert.match(readSubmission("{nope").message, /not valid JSON/);
  assert.match(readSubmission('{"x": 1}').message, /none of dW1/);
});

test("CSV goes to the server as it is: the server reads it", () => {
  const csv = "# dW1\n1, 2\n3, 4\ndb1\n5 6\n";
  assert.deepEqual(readSubmission(csv), { body: { csv } });
});

test("rows", () => {
  assert.deepEqual(asRows(3), [[3]]);
  assert.deepEqual(asRows([1, 2]), [[1, 2]]);
  assert.deepEqual(asRows([[1], [2]]), [[1], [2]]);
});
