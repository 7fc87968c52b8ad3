// The live stream (docs/protocol.md): the socket's address and subprotocols, binary frames read
// in place, acknowledged once drawn, and a socket that reconnects by itself: after a close, after
// a network drop, and when a socket went silent without closing (pinged, then replaced).

const ARRAY_TYPES = { float32: Float32Array, uint8: Uint8Array };
const UTF8 = new TextDecoder();

// Every float16 bit pattern's value (65,536 float32s, made on first use): a scaled float16
// array is read by looking its entries up here, then multiplying by its power of two.
let float16Values = null;

function float16Table() {
  if (float16Values) return float16Values;
  float16Values = new Float32Array(1 << 16);
  for (let bits = 0; bits < 1 << 16; bits++) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    if (exponent === 0)
      float16Values[bits] = sign * fraction * 2 ** -24; // zero and subnormals
    else if (exponent === 31) float16Values[bits] = fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else float16Values[bits] = sign * (1024 + fraction) * 2 ** (exponent - 25); // (1 + f/1024) 2^(e-15)
  }
  return float16Values;
}

// A "float16" array with its `exponent` (docs/protocol.md): stored * 2^exponent, as a new
// Float32Array (the only arrays that are copies; a deep run's hidden-to-hidden matrices).
export function readScaled16(buffer, spec) {
  const stored = new Uint16Array(buffer, spec.offset, spec.length);
  const values = float16Table();
  const scale = 2 ** spec.exponent;
  const out = new Float32Array(spec.length);
  for (let i = 0; i < stored.length; i++) out[i] = values[stored[i]] * scale;
  return out;
}

function readArray(buffer, spec) {
  if (spec.dtype === "float16") {
    if (!Number.isInteger(spec.exponent)) throw new Error(`frame array ${spec.name} has no exponent`);
    return readScaled16(buffer, spec);
  }
  const Type = ARRAY_TYPES[spec.dtype];
  if (!Type) throw new Error(`frame array ${spec.name} has unknown dtype ${spec.dtype}`);
  return new Type(buffer, spec.offset, spec.length);
}

// A frame as { header, arrays: { name: { data, shape } } }. float32 and uint8 arrays are views
// into the message buffer, not copies: decoding them costs microseconds whatever H and G are;
// a scaled float16 array is read into a Float32Array (about a millisecond for 100,000 numbers).
export function decodeFrame(buffer) {
  const headerLength = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(UTF8.decode(new Uint8Array(buffer, 4, headerLength)));
  const arrays = {};
  for (const spec of header.arrays) {
    arrays[spec.name] = { data: readArray(buffer, spec), shape: spec.shape };
  }
  return { header, arrays };
}

// Close codes after which reconnecting to the same session is pointless.
export const GONE = {
  4400: "the control token was sent in the URL",
  4403: "wrong token",
  4404: "no such session",
  4410: "session deleted or expired",
  4429: "too many viewers on this session",
};

// The token travels in the socket's subprotocol header, never in its URL: servers log URLs.
const PROTOCOL = "bpv.v1";
const TOKEN_PROTOCOL_PREFIX = "bpv.token.";
const VIEWER_PROTOCOL_PREFIX = "bpv.viewer.";

function socketUrl(path) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

// The driver's socket: { url, protocols } for new WebSocket(url, protocols). The server answers
// with PROTOCOL alone; it never echoes the token back.
export function driverSocket(session) {
  return { url: socketUrl(session.stream), protocols: [PROTOCOL, TOKEN_PROTOCOL_PREFIX + session.token] };
}

// A session's stream without the token: the server makes this socket a read-only viewer. Each
// (re)connect offers back the viewer id the tab was given (keptViewerId), to keep its votes.
export function watcherSocket(sessionId, keptViewerId = () => null) {
  return {
    url: socketUrl(`/ws/sessions/${encodeURIComponent(sessionId)}`),
    get protocols() {
      const viewer = keptViewerId(sessionId);
      return viewer ? [PROTOCOL, VIEWER_PROTOCOL_PREFIX + viewer] : [PROTOCOL];
    },
  };
}

// Reconnecting: exponential backoff with jitter, so that a hundred viewers whose Wi-Fi came back
// at the same moment do not all knock in the same millisecond.
const RETRY_FIRST_MS = 500;
const RETRY_MOST_MS = 15_000;

// The wait before reconnect attempt `attempt` (0, 1, ...): up to 500 ms, 1 s, 2 s, ... 15 s,
// each between half and all of it at random.
export function retryDelay(attempt, random = Math.random) {
  const ceiling = Math.min(RETRY_MOST_MS, RETRY_FIRST_MS * 2 ** Math.min(attempt, 10));
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}

// A socket can be dead without ever closing (a laptop that slept, a Wi-Fi that moved): after
// SILENT_MS without a message the page sends a ping, and a socket that does not answer within
// ANSWER_MS is given up and replaced. A paused run sends nothing, so pings are what keep it checked.
const SILENT_MS = 15_000;
const ANSWER_MS = 5_000;
const CHECK_EVERY_MS = 2_500;

// A watcher's vote on a poll, as the socket takes it: choice is a choice's index, a point's index
// (a "point" poll) or a number (a "number" poll). The server counts it under the viewer id it gave
// this socket in its hello.
export function voteMessage(poll, choice) {
  return { type: "vote", poll, choice };
}

// One session's socket; socket is { url, protocols } as driverSocket or watcherSocket make it.
// Callbacks: onHello(hello), onFrame(frame) which must draw synchronously, onMessage(json) for
// ok/error/points/driver/poll, onState(state) with "connecting" | "live" | "reconnecting", onGone(code,
// message, replacedBy) when the session no longer exists (replacedBy: the id of the run its
// driver started in its place, if any).
export class Stream {
  constructor(socket, options, callbacks) {
    this.socket = socket;
    this.options = options;
    this.callbacks = callbacks;
    this.ws = null;
    this.attempt = 0;
    this.closed = false;
    this.retryTimer = null;
    this.lastError = "";
    this.heardAt = 0; // when the socket last said anything
    this.pingedAt = null; // when an unanswered ping was sent
    this.heartbeat = null;
    // The network came back, or the page was shown again (a laptop woke): check now, not later.
    this.onOnline = () => this.checkNow();
    this.onVisible = () => {
      if (document.visibilityState === "visible") this.checkNow();
    };
  }

  connect() {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.callbacks.onState(this.attempt === 0 ? "connecting" : "reconnecting");
    const ws = new WebSocket(this.socket.url, this.socket.protocols);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => {
      this.attempt = 0;
      this.heard();
      ws.send(JSON.stringify({ type: "options", ...this.options }));
    };
    ws.onmessage = (event) => {
      if (ws !== this.ws) return;
      this.heard();
      this.receive(ws, event.data);
    };
    ws.onclose = (event) => this.closedBy(ws, event.code);
    this.ws = ws;
    this.heardAt = performance.now();
    this.pingedAt = null;
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.check(), CHECK_EVERY_MS);
      addEventListener("online", this.onOnline);
      document.addEventListener("visibilitychange", this.onVisible);
    }
  }

  heard() {
    this.heardAt = performance.now();
    this.pingedAt = null;
  }

  // Ping a silent socket; give up one that did not answer (or never opened) in time.
  check(now = performance.now()) {
    if (this.closed || !this.ws) return;
    const ws = this.ws;
    if (this.pingedAt !== null && now - this.pingedAt > ANSWER_MS) {
      this.giveUp(ws);
    } else if (ws.readyState === WebSocket.CONNECTING && now - this.heardAt > SILENT_MS) {
      this.giveUp(ws); // a handshake that hangs: the server or the network is not there
    } else if (ws.readyState === WebSocket.OPEN && this.pingedAt === null && now - this.heardAt > SILENT_MS) {
      this.ping(ws, now);
    }
  }

  checkNow() {
    if (this.closed) return;
    if (this.retryTimer !== null) {
      // Waiting to retry: the network is back, try soon (a little jitter still spreads a room).
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.connect(), retryDelay(0));
    } else if (this.ws && this.ws.readyState === WebSocket.OPEN && this.pingedAt === null) {
      this.ping(this.ws, performance.now());
    }
  }

  ping(ws, now) {
    this.pingedAt = now;
    ws.send('{"type":"ping"}');
  }

  // The socket is dead but may never say so: stop listening to it and connect a new one.
  giveUp(ws) {
    this.ws = null;
    ws.onclose = null;
    ws.onmessage = null;
    ws.close();
    this.retry();
  }

  receive(ws, data) {
    if (typeof data === "string") {
      const message = JSON.parse(data);
      if (message.type === "pong") return;
      if (message.type === "hello") {
        this.callbacks.onState("live");
        this.callbacks.onHello(message);
      } else {
        if (message.type === "error") this.lastError = message.message;
        if (message.replaced_by) this.replacedBy = message.replaced_by; // the driver's new run
        this.callbacks.onMessage(message);
      }
      return;
    }
    try {
      this.callbacks.onFrame(decodeFrame(data));
    } finally {
      // Acknowledge after drawing, so the server sends the state as it is now, not a backlog;
      // also when drawing failed, or the stream would stall for good.
      if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"ack"}');
    }
  }

  closedBy(ws, code) {
    if (ws !== this.ws || this.closed) return;
    if (code in GONE) {
      this.stopChecking();
      this.closed = true;
      this.callbacks.onGone(code, this.lastError || GONE[code], this.replacedBy);
      return;
    }
    this.ws = null;
    this.retry();
  }

  retry() {
    const delay = retryDelay(this.attempt);
    this.attempt += 1;
    this.callbacks.onState("reconnecting");
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  stopChecking() {
    clearInterval(this.heartbeat);
    this.heartbeat = null;
    removeEventListener("online", this.onOnline);
    document.removeEventListener("visibilitychange", this.onVisible);
  }

  close() {
    this.closed = true;
    this.stopChecking();
    clearTimeout(this.retryTimer);
    if (this.ws) this.ws.close(1000);
  }
}
