// The poll panel's parts that need no page: the request each template sends, the viewer's id
// kept for the tab, and how a vote reads.
import assert from "node:assert/strict";
import { test } from "node:test";

import { pollRequest, TEMPLATES } from "../../static/panels/poll/templates.js";
import { viewerId } from "../../static/panels/poll/viewer_id.js";

test("each template sends the fields the server's schema names", () => {
  assert.deepEqual(pollRequest("loss_after", { n: "20" }), { template: "loss_after", n: 20 });
  assert.deepEqual(pollRequest("larger_gradient", { a: "1", b: "4" }), {
    template: "larger_gradient",
    layers: [1, 4],
  });
  assert.deepEqual(pollRequest("output_delta", { sample: "7", class: "2" }), {
    template: "output_delta",
    sample: 7,
    class: 2,
  });
  assert.deepEqual(TEMPLATES.map((t) => t.name).sort(), [
    "diverges",
    "first_flip",
    "larger_gradient",
    "loss_after",
    "output_delta",
    "text",
  ]);
});

test("a free question's choices are its non-blank lines, its right choice counted from 1", () => {
  const body = pollRequest("text", { question: "Which?", choices: " a \n\n b\nc ", answer: "2" });
  assert.deepEqual(body, { template: "text", question: "Which?", choices: ["a", "b", "c"], answer: 1 });
  assert.equal(pollRequest("text", { question: "Q", choices: "a\nb", answer: "" }).answer, null);
});

test("a viewer's id is made once and kept for the tab", () => {
  const kept = new Map();
  const storage = { getItem: (k) => kept.get(k) ?? null, setItem: (k, v) => kept.set(k, v) };
  const first = viewerId(storage);
  assert.match(first, /^[A-Za-z0-9_-]{8,64}$/);
  assert.equal(viewerId(storage), first);
  kept.set("bpv.viewer", "<bad id>");
  assert.notEqual(viewerId(storage), "<bad id>");
});
