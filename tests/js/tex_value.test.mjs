// How the derivation writes an array: its power of ten once, in front, from the largest entry;
// plain numbers inside; every one of eight columns; the first rows of a long matrix.
import assert from "node:assert/strict";
import { test } from "node:test";

import { commonPower, MAX_COLUMNS, moreRows, texValue } from "../../static/lib/tex.js";

// The rows of a bmatrix as lists of entry strings.
function cells(tex) {
  const body = tex.match(/\\begin\{bmatrix\}(.*)\\end\{bmatrix\}/s)[1];
  return body.split("\\\\").map((row) => row.split("&").map((c) => c.trim()));
}

test("the power of ten is written once, outside the brackets, chosen from the largest entry", () => {
  const tex = texValue(
    [
      [-4.25e-3, 2.1e-8],
      [3e-5, 1.5e-3],
    ],
    3,
  );
  assert.equal(tex.match(/10\^/g).length, 1);
  assert.ok(tex.startsWith("{10^{-3} \\cdot \\begin{bmatrix}"), tex);
  assert.ok(!tex.includes("\\times"), "no entry carries a power of its own");
  assert.deepEqual(cells(tex), [
    ["-4.25", "0"],
    ["0.03", "1.50"],
  ]);
});

test("a row reads as it is between 0.1 and 10^4: no factor, the largest keeps its digits", () => {
  assert.equal(commonPower([0.9984, -0.2555, 7.9e-4]), 0);
  assert.equal(
    texValue([0.9984, -0.2555, 7.9e-4], 3),
    "\\begin{bmatrix} 0.998 & -0.256 & 0.001 \\end{bmatrix}",
  );
  assert.equal(commonPower([2e-19, -1e-20]), -19);
  assert.equal(commonPower([12345, 1]), 4);
});

test("one-hot targets are whole numbers, and rounding to zero is 0", () => {
  assert.equal(texValue([1, 0, 0]), "\\begin{bmatrix} 1 & 0 & 0 \\end{bmatrix}");
  assert.deepEqual(cells(texValue([0.5, -1e-9], 3)), [["0.500", "0"]]);
});

test("eight classes: every column; more than eight: the first six, a gap, the last", () => {
  const eight = Array.from({ length: 8 }, (_, c) => (c - 3.5) / 10);
  assert.equal(MAX_COLUMNS, 8);
  assert.equal(cells(texValue([eight, eight]))[0].length, 8);
  assert.ok(!texValue([eight]).includes("cdots"));
  const wide = Array.from({ length: 20 }, (_, c) => c / 10 + 0.1);
  const row = cells(texValue([wide]))[0];
  assert.equal(row.length, 8);
  assert.equal(row[6], "\\cdots");
  assert.equal(row[7], "2.000"); // four digits by default: the largest, 2.000
});

test("a long matrix shows its first rows and says how many are left", () => {
  const rows = Array.from({ length: 5 }, (_, r) => [r, -r]);
  assert.equal(cells(texValue(rows, 3, 8)).length, 5);
  assert.equal(moreRows(rows, [160, 2]), 155); // the server sent the first 5 of 160
  const J = Array.from({ length: 8 }, () => Array(8).fill(0.1));
  assert.equal(cells(texValue(J)).length, 8, "J (8×8) whole");
  assert.equal(moreRows(J, [8, 8]), 0);
  assert.equal(moreRows([1, 2, 3], [3]), 0, "a vector is never cut");
  assert.equal(moreRows(Array(12).fill([1]), [12, 1]), 4);
});
