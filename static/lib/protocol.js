// The live stream (docs/protocol.md): the socket's address and subprotocols, binary frames read
// in place, acknowledged once drawn, and a socket that reconnects by itself.

const ARRAY_TYPES = { float32: Float32Array, uint8: Uint8Array };
const UTF8 = new TextDecoder();

// A frame as { header, arrays: { name: { data, shape } } }. The arrays are views into the message
// buffer, not copies: decoding costs microseconds whatever H and G are.
export function decodeFrame(buffer) {
  const headerLength = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(UTF8.decode(new Uint8Array(buffer, 4, headerLength)));
  const arrays = {};
  for (const spec of header.arrays) {
    const Type = ARRAY_TYPES[spec.dtype];
    if (!Type) throw new Error(`frame array ${spec.name} has unknown dtype ${spec.dtype}`);
    arrays[spec.name] = { data: new Type(buffer, spec.offset, spec.length), shape: spec.shape };
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

function socketUrl(path) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

// The driver's socket: { url, protocols } for new WebSocket(url, protocols). The server answers
// with PROTOCOL alone; it never echoes the token back.
export function driverSocket(session) {
  return { url: socketUrl(session.stream), protocols: [PROTOCOL, TOKEN_PROTOCOL_PREFIX + session.token] };
}

// A session's stream without the token: the server makes this socket a read-only viewer.
export function watcherSocket(sessionId) {
  return { url: socketUrl(`/ws/sessions/${encodeURIComponent(sessionId)}`), protocols: [PROTOCOL] };
}

const RETRY_MS = [250, 500, 1000, 2000, 4000];

// One session's socket; socket is { url, protocols } as driverSocket or watcherSocket make it.
// Callbacks: onHello(hello), onFrame(frame) which must draw synchronously, onMessage(json) for
// ok/error/points, onState(state) with "connecting" | "live" | "reconnecting", onGone(code,
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
  }

  connect() {
    this.callbacks.onState(this.attempt === 0 ? "connecting" : "reconnecting");
    const ws = new WebSocket(this.socket.url, this.socket.protocols);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => {
      this.attempt = 0;
      ws.send(JSON.stringify({ type: "options", ...this.options }));
    };
    ws.onmessage = (event) => this.receive(ws, event.data);
    ws.onclose = (event) => this.closedBy(ws, event.code);
    this.ws = ws;
  }

  receive(ws, data) {
    if (typeof data === "string") {
      const message = JSON.parse(data);
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
      this.closed = true;
      this.callbacks.onGone(code, this.lastError || GONE[code], this.replacedBy);
      return;
    }
    const delay = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)];
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

  close() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    if (this.ws) this.ws.close(1000);
  }
}
