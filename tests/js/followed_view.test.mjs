// A REST view that follows the run: only while visible, the newest step, the timeline's step.
import assert from "node:assert/strict";
import { test } from "node:test";

import { FollowedView } from "../../static/lib/followed_view.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function setUp(what = () => ({ n: 0 })) {
  const store = { sessionId: "s", step: 0 };
  const asked = [];
  const shown = [];
  const view = new FollowedView(store, {
    what,
    load: async (wish) => {
      asked.push(wish);
      return `reply ${asked.length}`;
    },
    show: (result, wish) => shown.push([result, wish]),
    gap: 0,
  });
  return { store, view, asked, shown };
}

test("nothing is fetched while the view is hidden", async () => {
  const { store, view, asked } = setUp();
  store.step = 5;
  view.update();
  await sleep(5);
  assert.deepEqual(asked, []);
  view.shown();
  await sleep(5);
  assert.deepEqual(asked, [{ sessionId: "s", atStep: null, live: 5, n: 0 }]);
});

test("each new live step is fetched; the same step is not fetched twice", async () => {
  const { store, view, asked } = setUp();
  view.shown();
  await sleep(5);
  view.update();
  await sleep(5);
  store.step = 6;
  view.update();
  await sleep(5);
  assert.deepEqual(
    asked.map((w) => w.live),
    [0, 6],
  );
});

test("scrubbed back, the timeline's step is fetched and the run is ignored until live again", async () => {
  const { store, view, asked } = setUp();
  view.shown();
  view.showStep(3);
  await sleep(5);
  store.step = 9;
  view.update();
  await sleep(5);
  assert.deepEqual(asked.at(-1), { sessionId: "s", atStep: 3, live: null, n: 0 });
  view.showStep(null);
  await sleep(5);
  assert.deepEqual(asked.at(-1), { sessionId: "s", atStep: null, live: 9, n: 0 });
});

test("what() null: nothing to show, nothing fetched", async () => {
  const { view, asked } = setUp(() => null);
  view.shown();
  await sleep(5);
  assert.deepEqual(asked, []);
});

test("a reply that comes after the view was hidden is not drawn", async () => {
  const { view, shown } = setUp();
  view.shown();
  view.hidden();
  await sleep(5);
  assert.deepEqual(shown, []);
});
