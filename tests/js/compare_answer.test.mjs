// The compare tab's answer, rendered from a reply of POST .../compare: what a student reads.
import assert from "node:assert/strict";
import { test } from "node:test";

import { holder, installFakeDom } from "./fake_dom.mjs";

installFakeDom();
const { arrayBlocks, verdictParts } = await import("../../static/panels/compare/answer.js");

const block = (agrees, extra = {}) => ({
  expected_shape: [2, 3],
  given_shape: [2, 3],
  shape_message: null,
  max_rel_error: agrees ? 1e-9 : 0.5,
  agrees,
  differing: agrees ? [] : [[0, 1]],
  differing_count: agrees ? 0 : 1,
  rel_error: [
    [0, agrees ? 0 : 0.5, 0],
    [0, 0, 0],
  ],
  ours: [
    [1, 2, 3],
    [4, 5, 6],
  ],
  given: [
    [1, agrees ? 2 : 4, 3],
    [4, 5, 6],
  ],
  differs: [
    [false, !agrees, false],
    [false, false, false],
  ],
  ...extra,
});

// Two mistakes at once, an array nothing explains, the intermediates, and where it starts.
const REPLY = {
  step: 12,
  threshold: 1e-4,
  all_agree: false,
  all_given: true,
  summary: "Two mistakes at once: the sum, not the mean, and f′(z1) left out; db1 is not one we know.",
  explained_by: [
    {
      name: "summed_not_mean",
      form: "data_only",
      title: "Summed, not averaged",
      explanation: "The loss is the mean over the N points, so every gradient carries 1/N.",
      fix: "dz2 = (y_hat - Y) / N",
      fix_tex: "dz_2 = (\\hat y - Y)/N",
      params: ["W2", "b2", "dz2"],
    },
    {
      name: "missing_activation_derivative",
      form: null,
      title: "The activation's derivative left out",
      explanation: "dz1 is da1 times f′(z1), entry by entry.",
      fix: "dz1 = da1 * (1 - a1**2)",
      fix_tex: "dz_1 = da_1 \\odot (1 - a_1^2)",
      params: ["W1", "dz1"],
    },
  ],
  unexplained: ["b1"],
  params: {
    W1: block(false, { first_wrong: [{ index: [0, 1], ours: 2, given: 4 }] }),
    b1: block(false, {
      first_wrong: [
        { index: [1], ours: 0.25, given: -0.125 },
        { index: [2], ours: 3, given: 7 },
      ],
    }),
    W2: block(false),
    b2: block(false),
  },
  intermediates: {
    dz2: block(true),
    da1: block(true),
    dz1: block(false, { first_wrong: [{ index: [0, 1], ours: 2, given: 4 }] }),
  },
  sample: null,
  where: { first_wrong: "dz1", message: "dz2 is right, da1 is right, dz1 is wrong: look at f′(z1)." },
};

test("two mistakes: the summary first, both titles and both lines to fix", () => {
  const parts = verdictParts(REPLY);
  const shown = holder(parts);
  assert.equal(parts[0].id, "compare-summary");
  assert.equal(parts[0].textContent, REPLY.summary);
  const boxes = shown.findAll((n) => n.hasClass("mistake-named"));
  assert.deepEqual(
    boxes.map((b) => b.dataset.mistake),
    ["summed_not_mean", "missing_activation_derivative"],
  );
  assert.equal(boxes[0].dataset.form, "data_only");
  const text = shown.textContent;
  assert.match(text, /Recognised: Summed, not averaged/);
  assert.match(text, /Recognised: The activation's derivative left out/);
  assert.match(text, /The correct line: dz2 = \(y_hat - Y\) \/ N/);
  assert.match(text, /The correct line: dz1 = da1 \* \(1 - a1\*\*2\)/);
  assert.match(text, /It explains dW2, db2, dz2\./);
  assert.match(text, /It explains dW1, dz1\./);
});

test("what nothing explains is named with its first wrong entries, then where it starts", () => {
  const shown = holder(verdictParts(REPLY));
  const text = shown.textContent;
  assert.match(text, /Not one we know: db1\./);
  assert.match(text, /db1\[1\]: yours −0\.125, ours 0\.25; db1\[2\]: yours 7, ours 3/);
  const [where] = shown.findAll((n) => n.id === "compare-where");
  assert.equal(where.textContent, REPLY.where.message);
  assert.equal(where.dataset.firstWrong, "dz1");
  assert.doesNotMatch(text, /none of the usual mistakes/, "the summary says it; no second verdict");
});

test("per array: the cells, and the intermediates under their own heading", () => {
  const shown = holder(arrayBlocks(REPLY));
  const blocks = shown.findAll((n) => n.hasClass("compare-param"));
  assert.deepEqual(
    blocks.map((b) => b.dataset.param),
    ["W1", "b1", "W2", "b2", "dz2", "da1", "dz1"],
  );
  assert.doesNotMatch(blocks[0].textContent, /yours 4, ours 2/, "explained: its fix line says it");
  assert.match(blocks[6].textContent, /^dz1 2×3/);
  assert.match(blocks[4].textContent, /✓ agrees/);
  assert.equal(shown.findAll((n) => n.hasClass("compare-intermediates-head")).length, 1);
  const marked = blocks[0].findAll((n) => n.tagName === "TD" && n.className === "differs");
  assert.equal(marked.length, 1);
  assert.match(marked[0].textContent, /^4ours 2$/);
});

test("a reply without the new fields reads as before, and invents nothing", () => {
  const old = { ...REPLY };
  for (const key of ["summary", "unexplained", "intermediates", "where", "sample"]) delete old[key];
  old.explained_by = [];
  const text = holder(verdictParts(old)).textContent;
  assert.match(text, /none of the usual mistakes explains it/);
  assert.doesNotMatch(text, /Not one we know|The correct line/);
  const blocks = holder(arrayBlocks(old)).findAll((n) => n.hasClass("compare-param"));
  assert.equal(blocks.length, 4);
});

test("a right gradient: the summary, and no mistake boxes", () => {
  const right = { ...REPLY, all_agree: true, summary: "✓ All four agree with ours.", explained_by: [] };
  const parts = verdictParts(right);
  assert.equal(parts.length, 1);
  assert.equal(parts[0].className, "verdict-good");
});

test("a wrong shape says so on its badge and in the sentence, not '0 differ'", () => {
  const transposed = block(false, {
    given_shape: [3, 2],
    shape_message: "dW1 should be (2, H) = (2, 3): rows are the 2 inputs; you sent (3, 2): transposed?",
    max_rel_error: null,
    differing: [],
    differing_count: 0,
    rel_error: null,
    differs: null,
  });
  const shown = holder(arrayBlocks({ ...REPLY, params: { W1: transposed }, intermediates: {} }));
  const text = shown.findAll((n) => n.hasClass("compare-param"))[0].textContent;
  assert.match(text, /you sent 3×2/);
  assert.match(text, /✗ wrong shape/);
  assert.doesNotMatch(text, /0 differ/);
  assert.match(text, /transposed\?/);
});

test("a deep run's answer: a heading per layer, the intermediates from the output down", () => {
  const deep = {
    ...REPLY,
    params: {
      W1: block(true),
      b1: block(true),
      W2: block(false),
      b2: block(true),
      W3: block(false),
      b3: block(true),
    },
    intermediates: {
      dz3: block(true),
      da2: block(true),
      dz2: block(false),
      da1: block(true),
      dz1: block(true),
    },
  };
  const shown = holder(arrayBlocks(deep));
  const heads = shown.findAll((n) => n.tagName === "H4").map((n) => n.textContent);
  assert.deepEqual(heads, [
    "Layer 1",
    "Layer 2",
    "Layer 3",
    "The intermediates you sent, from the output down",
  ]);
  const names = shown.findAll((n) => n.hasClass("compare-param")).map((n) => n.dataset.param);
  assert.deepEqual(names, ["W1", "b1", "W2", "b2", "W3", "b3", "dz3", "da2", "dz2", "da1", "dz1"]);
  const labels = shown.findAll((n) => n.tagName === "STRONG").map((n) => n.textContent);
  assert.deepEqual(labels.slice(0, 6), ["dW1", "db1", "dW2", "db2", "dW3", "db3"]);
  assert.equal(labels[6], "dz3");
});
