// A student's gradients as they paste or upload them (JSON or CSV), read for the request and
// for showing "yours" beside "ours". No DOM here: node's test runner checks it directly.

export const PARAMS = ["W1", "b1", "W2", "b2"];

// The gradients in pasted text: { body, given: { W1: array, ... } | null } or { message } when
// there is nothing to send (the JSON names nothing useful, or is not JSON).
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
      const name = key.replace(/^d/, "");
      if (PARAMS.includes(name)) gradients[key] = value;
    }
    if (!Object.keys(gradients).length) {
      return { message: "the JSON has none of dW1, db1, dW2, db2 (or W1, b1, W2, b2)" };
    }
    const given = Object.fromEntries(Object.entries(gradients).map(([k, v]) => [k.replace(/^d/, ""), v]));
    return { body: { gradients }, given };
  }
  return { body: { csv: text }, given: readCsv(text) };
}

// CSV blocks headed by a parameter's name (the server's format, app/training/uploads.py); only
// for showing the student's own numbers, so anything odd gives null and the server has its say.
export function readCsv(text) {
  const blocks = {};
  let current = null;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const header = line.match(/^\s*#?\s*d?(W1|b1|W2|b2)\s*:?\s*$/);
    if (header) {
      current = header[1];
      blocks[current] = [];
      continue;
    }
    if (!current) return null;
    const row = line
      .trim()
      .split(/[,\s;]+/)
      .filter(Boolean)
      .map(Number);
    if (row.some((v) => !Number.isFinite(v))) return null;
    blocks[current].push(row);
  }
  for (const [name, rows] of Object.entries(blocks)) if (name.startsWith("b")) blocks[name] = rows.flat();
  return blocks;
}

// A scalar, a vector or a matrix as rows: 3 -> [[3]], [1, 2] -> [[1, 2]].
export function asRows(value) {
  if (!Array.isArray(value)) return [[value]];
  return Array.isArray(value[0]) ? value : [value];
}

export function transpose(m) {
  return m[0].map((_, c) => m.map((row) => row[c]));
}

// The page's arithmetic for this panel, on the server's numbers: the inputs file a student
// downloads (the training points X, their targets Y with label smoothing eps: 1 − eps on the
// class and eps / C spread over all, and the parameters), and the examples that fill the box
// (ours, ours × N as a summed loss gives, ours transposed).
export function studentInputs({ points, classes: C, config, sessionId }, parameters) {
  const { x, y, label, train } = points;
  const eps = config.label_smoothing || 0;
  const p = parameters.params;
  return {
    about: "backprop-visualizer inputs: compute dW1, db1, dW2, db2 of L at these parameters",
    loss: "L = -(1/N) sum(Y * log softmax(z2)) + lam/2 (|W1|^2 + |W2|^2); z1 = X W1 + b1, a1 = f(z1), z2 = a1 W2 + b2",
    session: sessionId,
    step: parameters.step,
    activation: config.activation,
    lam: config.lam,
    label_smoothing: eps,
    N: train.length,
    C,
    H: config.hidden,
    X: train.map((i) => [x[i], y[i]]),
    labels: train.map((i) => label[i]),
    Y: train.map((i) => Array.from({ length: C }, (_, k) => (k === label[i] ? 1 - eps : 0) + eps / C)),
    W1: p.W1.values,
    b1: p.b1.values,
    W2: p.W2.values,
    b2: p.b2.values,
  };
}

export function exampleGradients(kind, gradients) {
  const N = gradients.n_train;
  const out = {};
  for (const name of PARAMS) {
    let g = gradients.grads[name].values;
    if (kind === "summed")
      g = Array.isArray(g[0]) ? g.map((row) => row.map((v) => v * N)) : g.map((v) => v * N);
    if (kind === "transposed" && Array.isArray(g[0])) g = transpose(g);
    out[`d${name}`] = g;
  }
  return out;
}
