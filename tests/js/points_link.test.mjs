// Points in a link: they come back as they went (to the quantisation step), and a malformed or
// hostile code is refused with a message, never an exception of another kind.
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodePoints, encodePoints, MAX_LINK_CHARS, pointsParam } from "../../static/lib/points_link.js";

const MAX = 5000;

function pseudoRandom(seed) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

test("points come back to within a 65535th of their extent, labels and classes exactly", async () => {
  const points = [
    { x: -1.25, y: 0.5, label: 0 },
    { x: 2.5, y: -0.75, label: 2 },
    { x: 0.1, y: 0.2, label: 1 },
  ];
  const { points: back, classes } = await decodePoints(await encodePoints(points, 3), MAX);
  assert.equal(classes, 3);
  assert.equal(back.length, 3);
  back.forEach((p, i) => {
    assert.ok(Math.abs(p.x - points[i].x) <= 3.75 / 65535 + 1e-9);
    assert.ok(Math.abs(p.y - points[i].y) <= 1.25 / 65535 + 1e-9);
    assert.equal(p.label, points[i].label);
  });
  // the store's column form encodes the same
  const columns = { x: points.map((p) => p.x), y: points.map((p) => p.y), label: points.map((p) => p.label) };
  assert.equal(await encodePoints(columns, 3), await encodePoints(points, 3));
});

test("decoding what was decoded gives the same points exactly (a link of a link is stable)", async () => {
  const random = pseudoRandom(3);
  const points = Array.from({ length: 50 }, () => ({
    x: random() * 4 - 2,
    y: random() * 3,
    label: random() < 0.5 ? 0 : 1,
  }));
  const once = (await decodePoints(await encodePoints(points, 2), MAX)).points;
  const twice = (await decodePoints(await encodePoints(once, 2), MAX)).points;
  assert.deepEqual(twice, once);
});

test("a single point, and all points on a line, survive", async () => {
  const { points } = await decodePoints(await encodePoints([{ x: 3, y: 4, label: 1 }], 2), MAX);
  assert.deepEqual(points, [{ x: 3, y: 4, label: 1 }]);
});

test("hundreds of drawn points fit in a link; thousands of random ones are refused with a message", async () => {
  const random = pseudoRandom(7);
  const drawn = Array.from({ length: 400 }, () => ({
    x: random(),
    y: random(),
    label: random() < 0.5 ? 0 : 1,
  }));
  assert.ok((await pointsParam(drawn, 2)).length <= MAX_LINK_CHARS);
  const many = Array.from({ length: 3000 }, () => ({
    x: random(),
    y: random(),
    label: random() < 0.5 ? 0 : 1,
  }));
  await assert.rejects(
    pointsParam(many, 2),
    /3000 points are too many for a link \(\d+ characters, at most 8000\)/,
  );
});

test("a malformed or hostile code gets a message", async () => {
  const good = await encodePoints(
    [
      { x: 0, y: 0, label: 0 },
      { x: 1, y: 1, label: 1 },
    ],
    2,
  );
  const cases = [
    ["", /damaged|cut short/],
    ["abc!", /characters a link code never has/],
    ["AAAA", /damaged/],
    [good.slice(0, good.length - 4), /damaged|cut short|bytes/],
    ["A".repeat(MAX_LINK_CHARS * 2 + 1), /too long/],
  ];
  for (const [code, message] of cases)
    await assert.rejects(decodePoints(code, MAX), message, code.slice(0, 20));
  assert.deepEqual((await decodePoints(good, MAX)).classes, 2);
  await assert.rejects(decodePoints(good, 1), /more than 1 points, the most this server takes/);
});

async function deflated(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate"));
  const out = new Uint8Array(await new Response(stream).arrayBuffer());
  return Buffer.from(out).toString("base64url");
}

function layout({ format = 1, classes = 2, box = [0, 1, 0, 1], n = 1, labels = [0], extra = 0 }) {
  const bytes = new Uint8Array(22 + 5 * labels.length + extra);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, format);
  view.setUint8(1, classes);
  for (const [i, v] of box.entries()) view.setFloat32(2 + 4 * i, v, true);
  view.setUint32(18, n, true);
  for (const [i, label] of labels.entries()) view.setUint8(22 + 4 * labels.length + i, label);
  return bytes;
}

test("a code that inflates to something else is refused, naming what", async () => {
  const cases = [
    [layout({ format: 2 }), /format 2/],
    [layout({ classes: 9 }), /9 classes/],
    [layout({ box: [Number.NaN, 1, 0, 1] }), /extent/],
    [layout({ box: [1, 0, 0, 1] }), /extent/],
    [layout({ n: 0, labels: [] }), /0 points/],
    [layout({ n: 2 }), /not the 32 of 2 points/],
    [layout({ labels: [5] }), /label 5, not a class/],
    [layout({ extra: 3 }), /bytes/],
    [new Uint8Array(5), /cut short/],
  ];
  for (const [bytes, message] of cases)
    await assert.rejects(decodePoints(await deflated(bytes), MAX), message);
});

test("a deflate bomb is not inflated past what the points it may hold need", async () => {
  const bomb = new Uint8Array(5_000_000); // zeros: 5 MB that deflate to a few KB
  const code = await deflated(bomb);
  await assert.rejects(decodePoints(code, MAX), /more than 5000 points/);
});
