// The form at depth: the hidden layers as a list of widths, the loss, L1, the named inits and the
// input features, read from the form's text into the request the page sends, and a bad list named.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  FIELD,
  flatten,
  fromQuery,
  offeredKeys,
  parseField,
  toConfig,
  toQuery,
} from "../../static/lib/config.js";

const DEPTH_DEFAULTS = {
  dataset: { kind: "spiral", n_samples: 300, noise: null, classes: 3, train_fraction: 0.8, seed: 0 },
  hidden: 5,
  activation: "tanh",
  loss: "cross_entropy",
  l1: 0,
  init_scale: "fan_in",
  features: ["x1", "x2"],
  label_smoothing: 0,
  learning_rate: 1,
  optimizer: "sgd",
  beta1: 0.9,
  lam: 0.001,
  batch_size: null,
  steps_per_second: 60,
  seed: 0,
};
const LIMITS = { limits: { maxWidth: 1024 } };

test("a deep run's form builds the request the contract names", () => {
  const values = {
    ...flatten(DEPTH_DEFAULTS),
    hidden: "16, 16, 16, 16, 16, 16",
    activation: "sigmoid",
    loss: "mse",
    l1: "0.0001",
    init_scale: "xavier",
    features: "x1,x2,x1_sq,x2_sq",
  };
  const { config, errors } = toConfig(values, LIMITS);
  assert.deepEqual(errors, {});
  assert.deepEqual(config, {
    ...DEPTH_DEFAULTS,
    hidden: [16, 16, 16, 16, 16, 16],
    activation: "sigmoid",
    loss: "mse",
    l1: 0.0001,
    init_scale: "xavier",
    features: ["x1", "x2", "x1_sq", "x2_sq"],
  });
});

test("one width is one layer, sent as the int a depth-1 request has always had", () => {
  assert.equal(parseField(FIELD.hidden, " 7 ", LIMITS.limits), 7);
  assert.deepEqual(parseField(FIELD.hidden, "8,8,4", LIMITS.limits), [8, 8, 4]);
  assert.deepEqual(parseField(FIELD.hidden, "8 8 4", LIMITS.limits), [8, 8, 4]);
  assert.equal(flatten({ hidden: [8, 8, 4] }).hidden, "8, 8, 4");
  assert.equal(flatten({ hidden: 5 }).hidden, "5");
});

test("a bad list of widths is named next to the field, saying what to type", () => {
  const bad = (text) => toConfig({ ...flatten(DEPTH_DEFAULTS), hidden: text }, LIMITS).errors.hidden;
  assert.equal(bad("8, 8, 8, 8, 8, 8, 8"), "at most 6 layers, not 7");
  assert.equal(bad("8, 0, 4"), "a layer has 1 to 1024 units, not 0");
  assert.equal(bad("8, 2000"), "a layer has 1 to 1024 units, not 2000");
  assert.equal(bad("8, two"), '"two" is not a whole number: widths such as 8, 8, 4');
  assert.equal(bad("8, 2.5"), '"2.5" is not a whole number: widths such as 8, 8, 4');
  assert.equal(bad(""), "enter a value");
});

test("the init is a name or a fixed standard deviation", () => {
  for (const name of ["fan_in", "xavier", "he", "zeros"])
    assert.equal(parseField(FIELD.init_scale, name), name);
  assert.equal(parseField(FIELD.init_scale, "0.5"), 0.5);
  assert.throws(() => parseField(FIELD.init_scale, "glorot"), /"glorot" is not a number/);
});

test("features: at least one, each once; a link carries them as a list of names", () => {
  const errors = (text) => toConfig({ ...flatten(DEPTH_DEFAULTS), features: text }, LIMITS).errors.features;
  assert.equal(errors(""), "choose at least one feature");
  assert.equal(errors("x1,x1"), "x1 is chosen twice");
  const query = toQuery({ ...flatten(DEPTH_DEFAULTS), features: "x1_sq,x2_sq" });
  assert.equal(new URLSearchParams(query).get("features"), "x1_sq,x2_sq");
  assert.equal(fromQuery(`?${query}`).values.features, "x1_sq,x2_sq");
  assert.equal(fromQuery(`?${query}`).values.hidden, "5");
});

test("a field the server's RunConfig does not have is neither checked nor sent", () => {
  const { loss, l1, features, ...olderServer } = DEPTH_DEFAULTS;
  const offered = offeredKeys(olderServer);
  assert.equal(offered.has("loss") || offered.has("l1") || offered.has("features"), false);
  assert.equal(offered.has("hidden"), true);
  const { config, errors } = toConfig({ ...flatten(olderServer), features: "", loss: "" }, { offered });
  assert.deepEqual(errors, {});
  assert.deepEqual(config, olderServer);
  assert.equal("features" in flatten(olderServer), false, "flatten leaves out what the config lacks");
});
