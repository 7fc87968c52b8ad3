// The run configuration as the page sees it: form text <-> RunConfig, the link, and where a
// server error belongs.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  describeDetail,
  describeSocketError,
  FIELDS,
  flatten,
  fromQuery,
  locate,
  parseField,
  toConfig,
  toQuery,
} from "../../static/lib/config.js";

const DEFAULTS = {
  dataset: { kind: "moons", n_samples: 200, noise: null, classes: null, train_fraction: 0.8, seed: 0 },
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

test("a configuration survives the form: flatten, then toConfig", () => {
  const values = flatten(DEFAULTS);
  assert.equal(values.noise, "", "null shows as an empty box");
  assert.equal(values.data_seed, "0");
  const { config, errors } = toConfig(values);
  assert.deepEqual(errors, {});
  assert.deepEqual(config, DEFAULTS);
});

test("what the form cannot read is named per field", () => {
  const { errors } = toConfig({ ...flatten(DEFAULTS), hidden: "abc", n_samples: "2.5", learning_rate: "" });
  assert.deepEqual(errors, {
    n_samples: '"2.5" is not a whole number',
    hidden: '"abc" is not a whole number: widths such as 8, 8, 4',
    learning_rate: "enter a value",
  });
});

test("init_scale takes fan_in or a number", () => {
  const field = FIELDS.find((f) => f.key === "init_scale");
  assert.equal(parseField(field, "fan_in"), "fan_in");
  assert.equal(parseField(field, " 0.01 "), 0.01);
});

test("a link holds every field and the view options it was given", () => {
  const query = toQuery(flatten(DEFAULTS), { present: "1" });
  const { values, view } = fromQuery(`?${query}`);
  assert.deepEqual(values, flatten(DEFAULTS));
  assert.deepEqual(view, { present: "1" });
  assert.deepEqual(fromQuery("?hidden=7").values, { hidden: "7" });
});

test("a server error goes next to the field it names", () => {
  assert.equal(
    locate(["body", "dataset", "n_samples"], "Input should be greater than or equal to 4"),
    "n_samples",
  );
  assert.equal(locate(["body", "dataset", "seed"], "bad"), "data_seed");
  assert.equal(locate([], "hidden must be at most 1024"), "hidden");
  assert.equal(locate(["body", "dataset"], "Value error, classes: moons has 2 classes"), "classes");
  assert.equal(locate([], "something else"), "general");
  assert.deepEqual(describeDetail("too many sessions"), [{ where: "general", message: "too many sessions" }]);
  assert.deepEqual(describeSocketError("learning_rate: Input should be greater than 0"), {
    where: "learning_rate",
    message: "Input should be greater than 0",
  });
});
