// The poll panel's parts that need no page: the request each template sends, the viewer's id
// kept for the tab, and how a vote reads.
import assert from "node:assert/strict";
import { test } from "node:test";
import { watcherSocket } from "../../static/lib/protocol.js";
import { keepViewerId, keptViewerId } from "../../static/lib/viewer_id.js";
import { pollRequest, TEMPLATES } from "../../static/panels/poll/templates.js";

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

test("the viewer id a hello gave is kept for the tab, per session, and offered back", () => {
  const kept = new Map();
  const storage = { getItem: (k) => kept.get(k) ?? null, setItem: (k, v) => kept.set(k, v) };
  assert.equal(keptViewerId("run-a", storage), null);
  keepViewerId("run-a", "k3J9x0aQ-given", storage);
  keepViewerId("run-b", "<bad id>", storage); // not an id the server gives: not kept
  assert.equal(keptViewerId("run-a", storage), "k3J9x0aQ-given");
  assert.equal(keptViewerId("run-b", storage), null);
  globalThis.location ??= { protocol: "http:", host: "localhost:8000" };
  const socket = watcherSocket("run-a", (id) => keptViewerId(id, storage));
  assert.deepEqual(socket.protocols, ["bpv.v1", "bpv.viewer.k3J9x0aQ-given"]);
  assert.deepEqual(watcherSocket("run-b", (id) => keptViewerId(id, storage)).protocols, ["bpv.v1"]);
});
