// The compare page's words for each side and where its charts start, from what the server sent.
import assert from "node:assert/strict";
import { test } from "node:test";

import { memoryStorage, TokenStore } from "../../static/lib/drive_link.js";
import { xFrom } from "../../static/twins/fork_view.js";
import { sideLabels } from "../../static/twins/labels.js";

const base = {
  dataset: { kind: "moons", n_samples: 200, noise: null, classes: null, train_fraction: 0.8, seed: 0 },
  hidden: 5,
  activation: "tanh",
  loss: "cross_entropy",
  learning_rate: 1,
  optimizer: "sgd",
  beta1: 0.9,
  lam: 0.001,
  l1: 0,
  batch_size: null,
  steps_per_second: 60,
  seed: 0,
};

test("each side is named by the settings where the two runs differ", () => {
  assert.deepEqual(sideLabels(base, { ...base, learning_rate: 0.1 }), {
    left: "η = 1",
    right: "η = 0.1",
    keys: ["learning_rate"],
  });
  const mse = sideLabels(base, { ...base, loss: "mse" });
  assert.equal(`${mse.left} | ${mse.right}`, "loss CE | loss MSE");
  const momentum = sideLabels(base, { ...base, optimizer: "momentum" });
  assert.equal(`${momentum.left} | ${momentum.right}`, "plain SGD | momentum");
});

test("a null noise is the dataset's default, and the pace is not a difference", () => {
  const right = { ...base, dataset: { ...base.dataset, noise: 0.4 }, steps_per_second: 5 };
  const labels = sideLabels(base, right, 0.2);
  assert.equal(`${labels.left} | ${labels.right}`, "noise 0.2 | noise 0.4");
  assert.deepEqual(sideLabels(base, { ...base, steps_per_second: 5 }).keys, []);
});

test("the charts keep the steps since the fork in view, and widen back to step 0", () => {
  assert.equal(xFrom(50, 50), 45);
  assert.equal(xFrom(50, 80), 35);
  assert.equal(xFrom(50, 200), 0);
  assert.equal(xFrom(0, 10), 0);
});

test("the twins' tokens are kept apart from the main page's runs", () => {
  const storage = memoryStorage();
  const runs = new TokenStore(storage);
  const twins = new TokenStore(storage, Date.now, "bpv.twins.");
  runs.remember("run1", "tokenA");
  twins.remember("pair1", "tokenB");
  assert.deepEqual(
    runs.entries().map((e) => e.id),
    ["run1"],
  );
  assert.equal(twins.tokenFor("pair1"), "tokenB");
  assert.equal(runs.tokenFor("pair1"), null);
});
