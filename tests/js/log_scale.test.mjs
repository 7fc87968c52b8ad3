// The form's log sliders: a position and a value, each the other's inverse to two digits.
import assert from "node:assert/strict";
import { test } from "node:test";

import { LogScale } from "../../static/form/log_scale.js";

test("the ends of the slider are the ends of the scale", () => {
  const scale = new LogScale(-4, 2);
  assert.equal(scale.value(0), 0.0001);
  assert.equal(scale.value(1000), 100);
  assert.equal(scale.position(0.0001), 0);
  assert.equal(scale.position("100"), 1000);
});

test("a value keeps two significant digits and finds its way back", () => {
  const scale = new LogScale(-4, 2);
  assert.equal(scale.value(500), 0.1);
  assert.equal(scale.position(1), 667);
  assert.equal(scale.value(scale.position(0.5)), 0.5);
});

test("a value with no place on a log scale has no position", () => {
  const scale = new LogScale(0, 3);
  assert.equal(scale.position(0), null);
  assert.equal(scale.position("abc"), null);
  assert.equal(scale.position(-1), null);
});
