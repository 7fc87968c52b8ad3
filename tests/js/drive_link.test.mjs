// The driver link and the tokens this browser keeps: the token only in the fragment and in
// storage, one entry per run, the newest first, old ones dropped.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  driveFromLink,
  driverLink,
  memoryStorage,
  searchWithDrive,
  TokenStore,
} from "../../static/lib/drive_link.js";
import { retryDelay } from "../../static/lib/protocol.js";

const DAY = 24 * 3600 * 1000;

test("a driver link carries the id in the query and the token in the fragment only", () => {
  const link = driverLink("http://lab:8000", "abc_-1", "tok-EN_9");
  assert.equal(link, "http://lab:8000/?drive=abc_-1#token=tok-EN_9");
  const url = new URL(link);
  assert.deepEqual(driveFromLink(url.search, url.hash), { id: "abc_-1", token: "tok-EN_9" });
  assert.ok(!url.search.includes("tok-EN_9"), "the token is never in the part a browser sends");
});

test("a driver link with a malformed id or token is read as none", () => {
  assert.deepEqual(driveFromLink("?drive=a%20b", "#token=x<y"), { id: null, token: null });
  assert.deepEqual(driveFromLink("?dataset=moons", ""), { id: null, token: null });
});

test("the address keeps the setup's parameters with drive first, and drops watch", () => {
  assert.equal(searchWithDrive("?dataset=moons&present=1", "S1"), "?drive=S1&dataset=moons&present=1");
  assert.equal(searchWithDrive("?drive=OLD&watch=W&fps=10", "NEW"), "?drive=NEW&fps=10");
  assert.equal(searchWithDrive("?drive=OLD&grid=40", null), "?grid=40");
  assert.equal(searchWithDrive("?drive=OLD", null), "");
});

test("tokens are kept per run, the most recently used first", () => {
  let now = 1000;
  const tokens = new TokenStore(memoryStorage(), () => now);
  tokens.remember("A", "ta");
  now += 10;
  tokens.remember("B", "tb");
  assert.deepEqual(
    tokens.entries().map((e) => e.id),
    ["B", "A"],
  );
  now += 10;
  tokens.touch("A"); // A's page reconnected
  assert.deepEqual(
    tokens.entries().map((e) => [e.id, e.token, e.used]),
    [
      ["A", "ta", 1020],
      ["B", "tb", 1010],
    ],
  );
  tokens.forget("A");
  assert.equal(tokens.tokenFor("A"), null);
  assert.equal(tokens.tokenFor("B"), "tb");
});

test("entries unused for a week, and all but the newest twenty, are pruned", () => {
  let now = 0;
  const storage = memoryStorage();
  storage.setItem("unrelated", "kept");
  const tokens = new TokenStore(storage, () => now);
  tokens.remember("old", "t0");
  now += 8 * DAY;
  for (let i = 0; i < 25; i++) {
    now += 1;
    tokens.remember(`run${i}`, `t${i}`);
  }
  const ids = tokens.entries().map((e) => e.id);
  assert.equal(ids.length, 20);
  assert.equal(ids[0], "run24");
  assert.ok(!ids.includes("old") && !ids.includes("run4"));
  assert.equal(storage.getItem("unrelated"), "kept");
});

test("a corrupt or foreign entry is ignored, and a storage that refuses does not throw", () => {
  const storage = memoryStorage();
  storage.setItem("bpv.drive.X", "{not json");
  storage.setItem("bpv.drive.Y", JSON.stringify({ token: "bad token", used: 1 }));
  const tokens = new TokenStore(storage);
  assert.deepEqual(tokens.entries(), []);
  const full = {
    ...memoryStorage(),
    length: 0,
    key: () => null,
    getItem: () => null,
    setItem: () => {
      throw new Error("QuotaExceededError");
    },
  };
  new TokenStore(full).remember("A", "ta");
});

test("reconnect delays grow, stay under the cap, and are spread at random", () => {
  assert.equal(
    retryDelay(0, () => 0),
    250,
  );
  assert.equal(
    retryDelay(0, () => 1),
    500,
  );
  assert.equal(
    retryDelay(3, () => 1),
    4000,
  );
  assert.equal(
    retryDelay(50, () => 1),
    15000,
  );
  const spread = new Set(Array.from({ length: 100 }, () => retryDelay(2)));
  assert.ok(spread.size > 50, "a hundred viewers do not retry in the same millisecond");
  for (const d of spread) assert.ok(d >= 1000 && d <= 2000);
});
