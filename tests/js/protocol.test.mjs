// A binary frame read in place: a length-prefixed JSON header, then 4-byte aligned arrays.
import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeFrame } from "../../static/lib/protocol.js";

function encode(header, arrays) {
  let json = JSON.stringify({ ...header, arrays: [] });
  // Offsets depend on the header's length, which depends on the offsets: pad generously.
  const specs = [];
  let text = "";
  for (let pass = 0; pass < 2; pass++) {
    let offset = Math.ceil((4 + json.length + 64) / 4) * 4;
    specs.length = 0;
    for (const [name, { dtype, data, shape }] of Object.entries(arrays)) {
      specs.push({ name, dtype, shape, offset, length: data.length });
      offset += Math.ceil(data.byteLength / 4) * 4;
    }
    json = JSON.stringify({ ...header, arrays: specs });
    text = json.padEnd(specs.length ? specs[0].offset - 4 : json.length, " ");
  }
  const bytes = new TextEncoder().encode(text);
  const end = specs.length
    ? specs.at(-1).offset + Math.ceil(Object.values(arrays).at(-1).data.byteLength / 4) * 4
    : 4 + bytes.length;
  const buffer = new ArrayBuffer(end);
  new DataView(buffer).setUint32(0, bytes.length, true);
  new Uint8Array(buffer, 4).set(bytes);
  Object.values(arrays).forEach(({ data }, i) => {
    new Uint8Array(buffer, specs[i].offset, data.byteLength).set(new Uint8Array(data.buffer));
  });
  return buffer;
}

test("the header and every array come back, the arrays as views of the message", () => {
  const W1 = new Float32Array([1.5, -2, 0.25, 4, 5, 6]);
  const grid = new Uint8Array([0, 255, 128, 7, 9]);
  const buffer = encode(
    { type: "frame", step: 12 },
    { W1: { dtype: "float32", data: W1, shape: [2, 3] }, grid: { dtype: "uint8", data: grid, shape: [5] } },
  );
  const frame = decodeFrame(buffer);
  assert.equal(frame.header.step, 12);
  assert.deepEqual([...frame.arrays.W1.data], [...W1]);
  assert.deepEqual(frame.arrays.W1.shape, [2, 3]);
  assert.equal(frame.arrays.W1.data.buffer, buffer, "a view, not a copy");
  assert.deepEqual([...frame.arrays.grid.data], [...grid]);
});

test("an unknown dtype is an error, not garbage", () => {
  const buffer = encode(
    { type: "frame" },
    { x: { dtype: "float32", data: new Float32Array([1]), shape: [1] } },
  );
  const text = new TextDecoder().decode(new Uint8Array(buffer, 4, new DataView(buffer).getUint32(0, true)));
  const bytes = new TextEncoder().encode(text.replace("float32", "float99"));
  new Uint8Array(buffer, 4).set(bytes);
  assert.throws(() => decodeFrame(buffer), /unknown dtype float99/);
});
