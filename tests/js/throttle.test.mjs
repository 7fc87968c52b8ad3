// The one throttle: the newest wish only, one at a time, at most one start per gap.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Latest } from "../../static/lib/throttle.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits for what a test expects rather than for a fixed time: a busy machine delays timers.
async function until(condition, ms = 5000) {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`not within ${ms} ms: ${condition}`);
    await sleep(2);
  }
}

test("wishes made while a load is in flight collapse into the newest", async () => {
  const loaded = [];
  const shown = [];
  const latest = new Latest(
    async (key) => {
      loaded.push(key);
      await sleep(20);
      return key.toUpperCase();
    },
    (result, key) => shown.push([result, key]),
    { gap: 0 },
  );
  for (const key of ["a", "b", "c", "d"]) latest.want(key);
  await until(() => shown.length === 2);
  await sleep(40); // and nothing after it
  assert.deepEqual(loaded, ["a", "d"]);
  assert.deepEqual(shown, [
    ["A", "a"],
    ["D", "d"],
  ]);
});

test("a wish equal to what is shown is already done", async () => {
  let loads = 0;
  const latest = new Latest(
    () => {
      loads += 1;
    },
    undefined,
    { gap: 0 },
  );
  latest.want("k");
  await sleep(5);
  latest.want("k");
  await sleep(5);
  assert.equal(loads, 1);
});

test("loads start at most once per gap, unless a person asked now", async () => {
  const starts = [];
  const latest = new Latest(() => starts.push(performance.now()), undefined, { gap: 400 });
  latest.want("1");
  latest.want("2");
  await sleep(30);
  assert.equal(starts.length, 1, "the second waits out the gap");
  await until(() => starts.length === 2);
  assert.ok(starts[1] - starts[0] >= 399, "no sooner than the gap");
  latest.want("3", { now: true });
  await until(() => starts.length === 3);
  assert.ok(performance.now() - starts[1] < 400, "now: no waiting out the gap");
});

test("cancel drops what is in flight and what was wished", async () => {
  const shown = [];
  const latest = new Latest(
    async (key) => {
      await sleep(10);
      return key;
    },
    (result) => shown.push(result),
    { gap: 0 },
  );
  latest.want("old");
  latest.cancel();
  await sleep(30);
  assert.deepEqual(shown, []);
  latest.want("new");
  await until(() => shown.length > 0);
  assert.deepEqual(shown, ["new"]);
});
