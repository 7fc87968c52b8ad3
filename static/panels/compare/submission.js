// A student's gradients as they paste or upload them (JSON or CSV), read for the request; the
// server's answer lays "yours" out beside "ours". No DOM here: node's test runner checks it directly.

export const PARAMS = ["W1", "b1", "W2", "b2"]; // one hidden layer's; W1 ... b7 at depth

// A parameter's name: W1, b1, ..., W7, b7 (a gradient may be sent as dW1 ... db7).
export const isParam = (name) => /^[Wb][1-7]$/.test(name);

// What the backward pass computes on the way (dz2, da1, dz1; at depth dz7 ... dz1 and da6 ...
// da1), which a student may send too, to be told where their error starts.
export const isIntermediate = (name) => /^(dz[1-7]|da[1-6])$/.test(name);

const sendable = (key) => isParam(key.replace(/^d/, "")) || isIntermediate(key);

// The gradients in pasted text: { body } or { message } when there is nothing to send (the
// JSON names nothing useful, or is not JSON). The file the snippet writes also carries the
// downloaded inputs' pin ("inputs") and may name one training point ("sample"): both are sent.
export function readSubmission(text) {
  const t = text.trim();
  if (!t) return { message: "paste your gradients first (JSON or CSV), or upload a file" };
  if (t.startsWith("{")) {
    let parsed;
    try {
      parsed = JSON.parse(t);
    } catch (e) {
      return { message: `that is not valid JSON: ${e.message}` };
    }
    const source = parsed && typeof parsed.gradients === "object" ? parsed.gradients : parsed;
    const gradients = {};
    for (const [key, value] of Object.entries(source || {})) {
      if (sendable(key)) gradients[key] = value;
    }
    if (!Object.keys(gradients).length) {
      return { message: "the JSON has none of dW1, db1, dW2, db2, … (or W1, b1, W2, b2, …)" };
    }
    const body = { gradients };
    if (parsed.inputs && typeof parsed.inputs === "object") body.inputs = parsed.inputs;
    if (Number.isInteger(parsed.sample)) body.sample = parsed.sample;
    return { body };
  }
  return { body: { csv: text } };
}

// A scalar, a vector or a matrix as rows: 3 -> [[3]], [1, 2] -> [[1, 2]].
export function asRows(value) {
  if (!Array.isArray(value)) return [[value]];
  return Array.isArray(value[0]) ? value : [value];
}
