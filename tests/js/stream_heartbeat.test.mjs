// A socket that went silent without closing (a laptop that slept) is pinged, and given up for a
// new one when the ping goes unanswered; one that answers is kept. A fake WebSocket stands in.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Stream } from "../../static/lib/protocol.js";

class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static made = [];
  constructor(url, protocols) {
    this.url = url;
    this.protocols = protocols;
    this.readyState = FakeSocket.OPEN;
    this.sent = [];
    this.closed = false;
    FakeSocket.made.push(this);
  }
  send(text) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.closed = true;
  }
}

globalThis.WebSocket = FakeSocket;
const listeners = {};
globalThis.addEventListener = (name, fn) => {
  listeners[name] = fn;
};
globalThis.removeEventListener = (name) => {
  delete listeners[name];
};
globalThis.document = { visibilityState: "visible", addEventListener() {}, removeEventListener() {} };

function openStream() {
  FakeSocket.made = [];
  const states = [];
  const stream = new Stream(
    { url: "ws://x/ws/sessions/s", protocols: ["bpv.v1"] },
    { fps: 30 },
    {
      onState: (s) => states.push(s),
      onHello() {},
      onFrame() {},
      onMessage() {},
      onGone() {},
    },
  );
  stream.connect();
  const ws = FakeSocket.made[0];
  ws.onopen();
  return { stream, ws, states };
}

test("a silent socket is pinged, and replaced when the ping goes unanswered", () => {
  const { stream, ws, states } = openStream();
  const t0 = stream.heardAt;
  stream.check(t0 + 10_000);
  assert.deepEqual(ws.sent.at(-1), { type: "options", fps: 30 }, "not yet silent long enough");
  stream.check(t0 + 16_000);
  assert.deepEqual(ws.sent.at(-1), { type: "ping" });
  stream.check(t0 + 19_000);
  assert.equal(ws.closed, false, "still waiting for the answer");
  stream.check(t0 + 22_000);
  assert.equal(ws.closed, true, "no answer in 5 s: given up");
  assert.equal(states.at(-1), "reconnecting");
  clearTimeout(stream.retryTimer);
  stream.connect(); // what the retry timer does
  assert.equal(FakeSocket.made.length, 2, "a new socket");
  stream.close();
});

test("a socket that answers the ping is kept", () => {
  const { stream, ws } = openStream();
  const t0 = stream.heardAt;
  stream.check(t0 + 16_000);
  assert.deepEqual(ws.sent.at(-1), { type: "ping" });
  ws.onmessage({ data: '{"type":"pong"}' });
  stream.check(performance.now() + 4_000);
  assert.equal(ws.closed, false);
  assert.equal(FakeSocket.made.length, 1);
  stream.close();
});

test("the network coming back checks the socket at once", () => {
  const { stream, ws } = openStream();
  listeners.online();
  assert.deepEqual(ws.sent.at(-1), { type: "ping" });
  stream.close();
  assert.equal(listeners.online, undefined, "a closed stream stops listening");
});
