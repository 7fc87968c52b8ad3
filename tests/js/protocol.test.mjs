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

// A float16 array's bits as the server writes them (little-endian uint16), padded to 4 bytes.
function float16Bits(bits) {
  return new Uint16Array(bits.length % 2 ? [...bits, 0] : bits);
}

test("a scaled float16 array is read as stored value times 2^exponent, every kind of bit pattern", () => {
  // 1, -2, 0.333251953125 (the float16 nearest 1/3), 65504 (the largest), 2^-24 (the smallest
  // subnormal), 2^-14 (the smallest normal), -0, +inf, nan
  const bits = [0x3c00, 0xc000, 0x3555, 0x7bff, 0x0001, 0x0400, 0x8000, 0x7c00, 0x7e00];
  const exponent = -34;
  const stored = float16Bits(bits);
  const buffer = encode({ type: "frame" }, { dW3: { dtype: "float16", data: stored, shape: [bits.length] } });
  // the exponent goes in the spec the way the server writes it
  const frame = decodeFrame(withSpec(buffer, "dW3", { exponent, length: bits.length }));
  const got = [...frame.arrays.dW3.data];
  const scale = 2 ** exponent;
  const expected = [
    1,
    -2,
    0.333251953125,
    65504,
    2 ** -24,
    2 ** -14,
    -0,
    Number.POSITIVE_INFINITY,
    Number.NaN,
  ];
  assert.equal(got.length, bits.length);
  expected.forEach((v, i) => {
    if (Number.isNaN(v)) assert.ok(Number.isNaN(got[i]));
    else assert.equal(got[i], Math.fround(v * scale), `entry ${i}`);
  });
  assert.ok(frame.arrays.dW3.data instanceof Float32Array);
  assert.equal(Object.is(got[6], -0), true, "the sign of zero is kept");
});

test("a vanishing gradient of 1e-7 comes back non-zero and right to 3 significant digits", () => {
  // 1.234e-7 stored as float16 with exponent -37: 1.234e-7 * 2^37 = 16960.1, float16 16960 (0x7424)
  const frame = decodeFrame(
    withSpec(
      encode({ type: "frame" }, { dW1: { dtype: "float16", data: float16Bits([0x7424]), shape: [1] } }),
      "dW1",
      { exponent: -37, length: 1 },
    ),
  );
  const value = frame.arrays.dW1.data[0];
  assert.ok(Math.abs(value - 1.234e-7) / 1.234e-7 < 2 ** -11, `${value}`);
});

test("a float16 array without its exponent is an error, not a guess", () => {
  const buffer = encode(
    { type: "frame" },
    { W2: { dtype: "float16", data: float16Bits([0x3c00]), shape: [1] } },
  );
  assert.throws(() => decodeFrame(withSpec(buffer, "W2", { length: 1 })), /W2 has no exponent/);
});

// The frame with one array's spec given these fields (the header rewritten in place, padded with
// spaces to its old length, as the server pads it).
function withSpec(buffer, name, fields) {
  const length = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, length)));
  const spec = header.arrays.find((a) => a.name === name);
  Object.assign(spec, fields);
  const text = JSON.stringify(header);
  assert.ok(text.length <= length, "the test's encoder left room in the header");
  new Uint8Array(buffer, 4, length).set(new TextEncoder().encode(text.padEnd(length, " ")));
  return buffer;
}
