// Your own points in a link: `points=<code>` in the page's address, so that a link reproduces
// drawn or uploaded data. The code is base64url of deflate of a small binary layout:
//
//   byte 0        format (1)
//   byte 1        classes (2..8)
//   bytes 2..17   float32 little-endian: x_min, x_max, y_min, y_max of the points
//   bytes 18..21  uint32 little-endian: n, the number of points
//   then          n uint16 x, n uint16 y (each the point's place between min and max in 65535
//                 steps), n uint8 labels
//
// Coordinates are quantised to 1/65535 of the points' extent: invisible on any plot. A link is
// input like any other: decodePoints refuses a malformed or hostile code with a message (bad
// characters, not deflate, a length that does not fit, a label that is not a class, more points
// than the server takes) and inflates no more than the points it announces can take.

const FORMAT = 1;
const HEAD = 22;
const STEPS = 65535;
const MIN_CLASSES = 2;
const MAX_CLASSES = 8;
// The page's address goes to the server as the request line, and uvicorn (h11) takes a request
// head of at most 16 KiB with its headers: the points get half of that.
export const MAX_LINK_CHARS = 8000;

// bytes through a (de)compression stream; at most `limit` bytes out, else an Error `tooLong`.
async function through(bytes, transform, limit, tooLong = "") {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  const reader = stream.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      reader.cancel();
      throw new Error(tooLong);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function toBase64Url(bytes) {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(code) {
  if (!/^[A-Za-z0-9_-]*$/.test(code)) throw new Error("the code has characters a link code never has");
  const text = atob(code.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

// points: [{ x, y, label }] (or the store's { x: [], y: [], label: [] }); classes: 2..8.
// Resolves to the code.
export async function encodePoints(points, classes) {
  const rows = Array.isArray(points)
    ? points
    : points.x.map((x, i) => ({ x, y: points.y[i], label: points.label[i] }));
  const n = rows.length;
  const bytes = new Uint8Array(HEAD + 5 * n);
  const view = new DataView(bytes.buffer);
  const box = [Infinity, -Infinity, Infinity, -Infinity];
  for (const p of rows) {
    box[0] = Math.min(box[0], p.x);
    box[1] = Math.max(box[1], p.x);
    box[2] = Math.min(box[2], p.y);
    box[3] = Math.max(box[3], p.y);
  }
  for (let i = 0; i < 4; i++) box[i] = Math.fround(box[i]);
  view.setUint8(0, FORMAT);
  view.setUint8(1, classes);
  box.forEach((v, i) => {
    view.setFloat32(2 + 4 * i, v, true);
  });
  view.setUint32(18, n, true);
  const place = (v, lo, hi) =>
    hi > lo ? Math.min(STEPS, Math.max(0, Math.round(((v - lo) / (hi - lo)) * STEPS))) : 0;
  rows.forEach((p, i) => {
    view.setUint16(HEAD + 2 * i, place(p.x, box[0], box[1]), true);
    view.setUint16(HEAD + 2 * n + 2 * i, place(p.y, box[2], box[3]), true);
    view.setUint8(HEAD + 4 * n + i, p.label);
  });
  const packed = await through(bytes, new CompressionStream("deflate"), Infinity);
  return toBase64Url(packed);
}

// code -> { points: [{ x, y, label }], classes }; throws an Error saying what is wrong.
// maxPoints: the server's limit (a link with more could not start a run anyway).
export async function decodePoints(code, maxPoints) {
  if (code.length > MAX_LINK_CHARS * 2)
    throw new Error(`the code is ${code.length} characters, too long for a link`);
  let bytes;
  try {
    const tooLong = `the code holds more than ${maxPoints} points, the most this server takes`;
    bytes = await through(
      fromBase64Url(code),
      new DecompressionStream("deflate"),
      HEAD + 5 * maxPoints,
      tooLong,
    );
  } catch (e) {
    throw new Error(e.message.startsWith("the ") ? e.message : "the code is damaged (cut short or changed?)");
  }
  if (bytes.length < HEAD) throw new Error("the code is cut short");
  const view = new DataView(bytes.buffer);
  if (view.getUint8(0) !== FORMAT)
    throw new Error(`the code's format ${view.getUint8(0)} is not one this page reads`);
  const classes = view.getUint8(1);
  if (classes < MIN_CLASSES || classes > MAX_CLASSES)
    throw new Error(`${classes} classes: from 2 to 8 can be`);
  const box = [0, 1, 2, 3].map((i) => view.getFloat32(2 + 4 * i, true));
  if (!box.every(Number.isFinite) || box[1] < box[0] || box[3] < box[2])
    throw new Error("the points' extent is not a box");
  const n = view.getUint32(18, true);
  if (n < 1 || n > maxPoints) throw new Error(`${n} points: from 1 to ${maxPoints} can be`);
  if (bytes.length !== HEAD + 5 * n)
    throw new Error(`the code holds ${bytes.length} bytes, not the ${HEAD + 5 * n} of ${n} points`);
  const points = [];
  for (let i = 0; i < n; i++) {
    const label = view.getUint8(HEAD + 4 * n + i);
    if (label >= classes)
      throw new Error(`point ${i + 1} has label ${label}, not a class (0 to ${classes - 1})`);
    const qx = view.getUint16(HEAD + 2 * i, true);
    const qy = view.getUint16(HEAD + 2 * n + 2 * i, true);
    points.push({
      x: box[0] + (qx / STEPS) * (box[1] - box[0]),
      y: box[2] + (qy / STEPS) * (box[3] - box[2]),
      label,
    });
  }
  return { points, classes };
}

// The query parameter for points, or an Error saying why they do not fit in a link.
export async function pointsParam(points, classes) {
  const code = await encodePoints(points, classes);
  const n = Array.isArray(points) ? points.length : points.x.length;
  if (code.length > MAX_LINK_CHARS) {
    throw new Error(
      `${n} points are too many for a link (${code.length} characters, at most ${MAX_LINK_CHARS}): ` +
        "save the run (Save run) or download it instead",
    );
  }
  return code;
}
