// The page store: one copy of the run's state, written by the stream, read by every panel.
import assert from "node:assert/strict";
import { test } from "node:test";

import { PageStore } from "../../static/lib/store.js";

function hello({ step = 0, status = "paused" } = {}) {
  return {
    type: "hello",
    role: "driver",
    session: { id: "abc", step, status, config: { hidden: 5, learning_rate: 1, dataset: { kind: "moons" } } },
    classes: 2,
    points: { x: [0, 1, 2], y: [0, 1, 0], label: [0, 1, 0], train: [0, 1], test: [2] },
    box: [-1, 3, -1, 2],
    history: {},
  };
}

function frame(step, header = {}) {
  return { header: { step, status: "running", ...header }, arrays: {} };
}

test("a hello sets the session, the points and the run's state", () => {
  const store = new PageStore();
  assert.equal(store.sessionId, null);
  assert.equal(store.config, null);
  store.begin(hello({ step: 7 }));
  assert.equal(store.sessionId, "abc");
  assert.equal(store.config.hidden, 5);
  assert.equal(store.classes, 2);
  assert.equal(store.trainCount, 2);
  assert.deepEqual(store.box, [-1, 3, -1, 2]);
  assert.equal(store.step, 7);
  assert.equal(store.status, "paused");
  assert.equal(store.frame, null);
});

test("a frame updates the step, the status and the live settings", () => {
  const store = new PageStore();
  store.begin(hello());
  const f = frame(3, { live: { learning_rate: 0.5 } });
  store.setFrame(f);
  assert.equal(store.frame, f);
  assert.equal(store.step, 3);
  assert.equal(store.status, "running");
  assert.equal(store.setting("learning_rate"), 0.5);
  assert.equal(store.setting("hidden"), 5, "a setting no frame carries comes from the configuration");
});

test("a new hello forgets the last session's frame and live settings", () => {
  const store = new PageStore();
  store.begin(hello());
  store.setFrame(frame(9, { live: { learning_rate: 0.1 } }));
  store.begin(hello({ step: 0 }));
  assert.equal(store.frame, null);
  assert.equal(store.step, 0);
  assert.equal(store.setting("learning_rate"), 1);
});

test("edited points replace the old ones and tell whoever follows them", () => {
  const store = new PageStore();
  store.begin(hello());
  let told = 0;
  store.on("points", () => {
    told += 1;
  });
  const points = { x: [5], y: [5], label: [1], train: [0], test: [] };
  store.setPoints(points, [0, 10, 0, 10]);
  assert.equal(told, 1);
  assert.equal(store.points, points);
  assert.equal(store.trainCount, 1);
  assert.deepEqual(store.box, [0, 10, 0, 10]);
  store.setPoints(points); // no box: the old one stays
  assert.deepEqual(store.box, [0, 10, 0, 10]);
});

test("an ok message's status holds until the next frame", () => {
  const store = new PageStore();
  store.begin(hello());
  store.setStatus("running");
  assert.equal(store.status, "running");
  store.setFrame(frame(1, { status: "paused" }));
  assert.equal(store.status, "paused");
});
