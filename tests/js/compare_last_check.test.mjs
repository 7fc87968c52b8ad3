// The compare tab's memory across reloads: per session, bounded in size and in number.
import assert from "node:assert/strict";
import { test } from "node:test";

import { memoryStorage } from "../../static/lib/drive_link.js";
import { LastChecks, MAX_CHARS } from "../../static/panels/compare/last_check.js";
import { readSubmission } from "../../static/panels/compare/submission.js";

const PIN = { session: "run-a", step: 20, params_hash: "0123456789abcdef" };

test("a check is kept per session and another session sees none", () => {
  const checks = new LastChecks(memoryStorage(), () => 1000);
  assert.deepEqual(checks.save("run-a", { text: "{}", pin: PIN, atStep: null, step: 20 }), { kept: true });
  assert.deepEqual(checks.load("run-a"), { text: "{}", pin: PIN, atStep: null, step: 20, saved: 1000 });
  assert.equal(checks.load("run-b"), null);
  checks.forget("run-a");
  assert.equal(checks.load("run-a"), null);
});

test("a check over about 1 MB is not kept, and says so", () => {
  const checks = new LastChecks(memoryStorage());
  checks.save("run-a", { text: "small", pin: null, atStep: 3, step: 3 });
  const big = checks.save("run-a", { text: "x".repeat(MAX_CHARS), pin: null, atStep: 3, step: 3 });
  assert.equal(big.kept, false);
  assert.match(big.reason, /over 1 MB/);
  assert.equal(checks.load("run-a"), null, "not the older check in its place");
});

test("storage that refuses, a bad id or a corrupt entry: nothing breaks", () => {
  const full = {
    ...memoryStorage(),
    length: 0,
    key: () => null,
    getItem: () => "{nope",
    setItem: () => {
      throw new Error("QuotaExceededError");
    },
    removeItem() {},
  };
  const checks = new LastChecks(full);
  assert.match(checks.save("run-a", { text: "t" }).reason, /refused/);
  assert.equal(checks.load("run-a"), null);
  assert.equal(checks.save("../x", { text: "t" }).kept, false);
});

test("only the newest few sessions' checks are kept", () => {
  let now = 0;
  const storage = memoryStorage();
  const checks = new LastChecks(storage, () => ++now);
  for (let i = 0; i < 8; i++) checks.save(`run-${i}`, { text: String(i) });
  assert.equal(checks.load("run-0"), null);
  assert.equal(checks.load("run-7").text, "7");
  assert.equal(storage.length, 5);
});

test("the file the snippet writes carries its pin and intermediates to the server", () => {
  const file = JSON.stringify({ inputs: PIN, gradients: { dW1: [[1]], dz1: [[2]], other: 1 }, sample: 3 });
  assert.deepEqual(readSubmission(file).body, {
    gradients: { dW1: [[1]], dz1: [[2]] },
    inputs: PIN,
    sample: 3,
  });
});
