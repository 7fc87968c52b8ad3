// Saved runs on the page: the download's file name, and the delete tokens kept in localStorage.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

const stored = new Map();
globalThis.localStorage = {
  getItem: (key) => (stored.has(key) ? stored.get(key) : null),
  setItem: (key, value) => stored.set(key, String(value)),
};
const { fileName } = await import("../../static/panels/runs/runs.js");
const { savedRunTokens } = await import("../../static/panels/runs/tokens.js");

test("a run's file is named after it, in characters every file system takes", () => {
  assert.equal(fileName("moons / ten steps"), "moons-ten-steps.json");
  assert.equal(fileName("Café à l'école"), "Cafe-a-l-ecole.json");
  assert.equal(fileName("../../etc/passwd"), "etc-passwd.json");
  assert.equal(fileName("   "), "run.json");
  assert.equal(fileName("x".repeat(300)).length, 85);
});

beforeEach(() => stored.clear());

test("tokens are kept, forgotten, and dropped for runs no longer listed", () => {
  savedRunTokens.keep("a", "token-a");
  savedRunTokens.keep("b", "token-b");
  assert.equal(savedRunTokens.get("a"), "token-a");
  savedRunTokens.forget("a");
  assert.equal(savedRunTokens.get("a"), null);
  savedRunTokens.keepOnly(["c"]);
  assert.equal(savedRunTokens.get("b"), null);
});

test("storage holding something else is read as no tokens, never an exception", () => {
  for (const junk of ["not json", "[1, 2]", "null", '{"a": 5}']) {
    stored.set("bpv.savedRunTokens", junk);
    assert.equal(savedRunTokens.get("a"), null);
  }
});
