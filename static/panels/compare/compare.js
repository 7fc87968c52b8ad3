// Check your own gradient (POST .../compare): a student downloads the session's training points
// and parameters, computes dW1, db1, dW2, db2 with their own code, pastes or uploads them (JSON
// or CSV), and sees per parameter the relative error against ours, the entries that differ
// highlighted, and the usual mistake named when one explains the difference.

import { el, formatNumber } from "./dom.js";
import { getView, postView } from "./inspect_api.js";

const PARAMS = ["W1", "b1", "W2", "b2"];
const MAX_ROWS = 8; // cells shown per parameter; the counts say how many differ in all
const MAX_COLS = 10;

const SNIPPET = `import json, numpy as np
d = json.load(open("bpv-inputs.json"))
X, Y = np.array(d["X"]), np.array(d["Y"])          # (N, 2), (N, C)
W1, b1 = np.array(d["W1"]), np.array(d["b1"])      # (2, H), (H,)
W2, b2 = np.array(d["W2"]), np.array(d["b2"])      # (H, C), (C,)
lam, N = d["lam"], len(X)
# ... your forward pass and backward pass for
#     L = mean cross-entropy + lam/2 (|W1|^2 + |W2|^2) ...
json.dump({"gradients": {"dW1": dW1.tolist(), "db1": db1.tolist(),
                         "dW2": dW2.tolist(), "db2": db2.tolist()}},
          open("mine.json", "w"))`;

const EXAMPLES = [
  { value: "", text: "or try an example…" },
  { value: "ours", text: "our own gradient (agrees)" },
  { value: "summed", text: "our gradient × N (summed loss)" },
  { value: "transposed", text: "our gradient, transposed" },
];

// The gradients in pasted text, for the request and for showing "yours" beside "ours":
// { body, given: { W1: array, ... } | null } or { message } when the JSON names nothing useful.
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
    if (!Object.keys(gradients).length) return { message: "the JSON has none of dW1, db1, dW2, db2 (or W1, b1, W2, b2)" };
    const given = Object.fromEntries(Object.entries(gradients).map(([k, v]) => [k.replace(/^d/, ""), v]));
    return { body: { gradients }, given };
  }
  return { body: { csv: text }, given: readCsv(text) };
}

// CSV blocks headed by a parameter's name (the server's format, app/training/uploads.py); only
// for showing the student's own numbers, so anything odd gives null and the server has its say.
function readCsv(text) {
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
    const row = line.trim().split(/[,\s;]+/).filter(Boolean).map(Number);
    if (row.some((v) => !Number.isFinite(v))) return null;
    blocks[current].push(row);
  }
  for (const [name, rows] of Object.entries(blocks)) if (name.startsWith("b")) blocks[name] = rows.flat();
  return blocks;
}

function asRows(value) {
  if (!Array.isArray(value)) return [[value]];
  return Array.isArray(value[0]) ? value : [value];
}

function transpose(m) {
  return m[0].map((_, c) => m.map((row) => row[c]));
}

export function create(root) {
  root.classList.add("compare");

  // ---- the student's side: inputs out, gradients in --------------------------------------
  const download = el("button", "", "Download the inputs (JSON)");
  download.type = "button";
  download.id = "compare-download";
  const downloadStatus = el("span", "muted compare-download-status");
  const snippet = el("details", "compare-snippet", [el("summary", "", "How to load them in numpy"), el("pre", "", SNIPPET)]);
  const input = el("textarea", "compare-input");
  input.id = "compare-input";
  input.spellcheck = false;
  input.placeholder =
    '{"dW1": [[…], […]], "db1": […], "dW2": [[…], …], "db2": […]}\n\nor CSV, each block under its name:\ndW1\n0.01, -0.02, …\n0.03, 0.00, …\ndb1\n…';
  input.setAttribute("aria-label", "your gradients, as JSON or CSV");
  const file = el("input");
  file.type = "file";
  file.accept = ".json,.csv,.txt,application/json,text/csv,text/plain";
  file.id = "compare-file";
  const check = el("button", "primary", "Check my gradient");
  check.type = "button";
  check.id = "compare-check";
  const example = el("select");
  example.id = "compare-example";
  example.setAttribute("aria-label", "fill in an example");
  for (const e of EXAMPLES) {
    const option = el("option", "", e.text);
    option.value = e.value;
    example.append(option);
  }
  const rest = el("p", "muted compare-rest");
  const left = el("div", "compare-left", [
    el("h3", "", ["1. Get this run's inputs", download, downloadStatus]),
    el("div", "muted", ["The training points and the current parameters: X (N×2), Y (N×C), W1, b1, W2, b2, λ, the activation. ", snippet]),
    el("h3", "", "2. Paste or upload the dW1, db1, dW2, db2 your code computes"),
    // The buttons above the box, so they stay in view on a laptop.
    el("div", "compare-actions", [check, el("label", "compare-file-label", ["or upload ", file]), example]),
    input,
    rest,
  ]);

  // ---- the answer --------------------------------------------------------------------------
  const verdict = el("div", "compare-verdict");
  verdict.id = "compare-verdict";
  verdict.append(el("p", "muted", "Your result appears here: per parameter the relative error against ours, the entries that differ, and the usual mistake that explains them."));
  const params = el("div", "compare-params");
  params.id = "compare-params";
  const right = el("div", "compare-right", [verdict, params]);
  root.append(el("div", "compare-cols", [left, right]));

  let hello = null;
  let downloadedStep = null;

  function showMessage(text) {
    verdict.replaceChildren(el("p", "error", text));
    params.replaceChildren();
  }

  async function submit() {
    if (!hello) return;
    const read = readSubmission(input.value);
    if (read.message) {
      showMessage(read.message);
      return;
    }
    check.disabled = true;
    // Compare with the parameters the student downloaded, even if the run has moved on since.
    const query = downloadedStep === null ? undefined : { at_step: downloadedStep };
    const result = await postView(hello.session.id, "compare", read.body, query);
    check.disabled = false;
    if (!result.ok) {
      showMessage(result.message);
      return;
    }
    draw(result.data, read.given);
  }

  function draw(d, given) {
    root.dataset.step = String(d.step);
    const parts = [];
    if (d.all_agree && Object.keys(d.params).length === PARAMS.length) {
      parts.push(el("p", "verdict-good", `✓ All four agree with ours (relative error at most ${formatNumber(d.threshold, 1)}): your backprop is right.`));
    } else if (d.all_agree) {
      const sent = Object.keys(d.params).map((n) => `d${n}`).join(", ");
      parts.push(el("p", "verdict-good", `✓ ${sent} agree with ours. Send the others too to check the whole backward pass.`));
    } else if (d.explained_by.length) {
      for (const m of d.explained_by) {
        const box = el("div", "mistake-named", [
          el("p", "mistake-title", ["Recognised: ", el("strong", "", m.title)]),
          el("p", "", m.explanation),
          el("p", "muted", `It explains ${m.params.map((p) => `d${p}`).join(", ")}.`),
        ]);
        box.dataset.mistake = m.name;
        parts.push(box);
      }
    } else {
      parts.push(
        el("p", "verdict-bad", "✗ Your gradient differs from ours, and none of the usual mistakes explains it."),
        el(
          "p",
          "",
          "Look at which parameters differ: if only dW1 and db1 do, the error is below dz1 (the activation's " +
            "derivative, or da1 = dz2 W2ᵀ); if all four do, start at dz2 = (ŷ − y)/N. The Derivation tab works one point through.",
        ),
      );
    }
    if (downloadedStep !== null && downloadedStep !== d.step) {
      // at_step finds the nearest kept step at or before it; a long run thins old steps out
      parts.push(
        el(
          "p",
          "error",
          `You downloaded the inputs at step ${downloadedStep}, but the nearest step the server still keeps is ` +
            `${d.step}: ours are that step's gradients. Download again and recompute.`,
        ),
      );
    }
    verdict.replaceChildren(...parts);
    params.replaceChildren(...PARAMS.filter((n) => d.params[n]).map((n) => paramBlock(n, d.params[n], given?.[n], d.threshold)));
  }

  function paramBlock(name, p, yours, threshold) {
    const shape = (s) => (s ? s.join("×") || "scalar" : "–");
    const head = el("p", "compare-param-head", [
      el("strong", "", `d${name}`),
      ` ${shape(p.expected_shape)} · `,
      p.given_shape && p.given_shape.join() !== p.expected_shape.join()
        ? el("span", "error-text", `you sent ${shape(p.given_shape)}`)
        : `max relative error ${formatNumber(p.max_rel_error, 2)} · `,
      p.agrees ? el("span", "badge badge-pass", "✓ agrees") : el("span", "badge badge-fail", `✗ ${p.differing_count} differ`),
    ]);
    const block = el("div", "compare-param", [head]);
    block.dataset.param = name;
    if (!p.rel_error) return block;
    // The cells: yours above ours, the ones that differ marked. Biases as one row.
    const ours = asRows(p.ours);
    const rel = asRows(p.rel_error);
    let mine = null;
    try {
      mine = yours === undefined || yours === null ? null : asRows(yours);
      if (mine && mine.length !== ours.length) mine = ours.length === 1 && mine[0].length === 1 ? [mine.flat()] : transpose(mine);
    } catch {
      mine = null;
    }
    const rows = Math.min(ours.length, MAX_ROWS);
    const cols = Math.min(ours[0].length, MAX_COLS);
    const table = el("table", "compare-cells");
    for (let r = 0; r < rows; r++) {
      const tr = el("tr");
      for (let c = 0; c < cols; c++) {
        const differs = rel[r][c] > threshold;
        const cell = el("td", differs ? "differs" : "", [
          el("span", "yours", mine?.[r]?.[c] !== undefined ? formatNumber(mine[r][c]) : ""),
          el("span", "ours", `ours ${formatNumber(ours[r][c])}`),
        ]);
        cell.title = `d${name}[${ours.length > 1 ? `${r},${c}` : c}]: relative error ${formatNumber(rel[r][c], 2)}`;
        tr.append(cell);
      }
      table.append(tr);
    }
    block.append(table);
    if (rows < ours.length || cols < ours[0].length) {
      block.append(el("p", "muted", `showing ${rows}×${cols} of ${shape(p.expected_shape)}; ${p.differing_count} entries differ in all`));
    }
    return block;
  }

  async function downloadInputs() {
    if (!hello) return;
    const result = await getView(hello.session.id, "parameters");
    if (!result.ok) {
      downloadStatus.textContent = result.message;
      return;
    }
    const { x, y, label, train } = hello.points;
    const C = hello.classes;
    const eps = hello.session.config.label_smoothing || 0;
    const p = result.data.params;
    const inputs = {
      about: "backprop-visualizer inputs: compute dW1, db1, dW2, db2 of L at these parameters",
      loss: "L = -(1/N) sum(Y * log softmax(z2)) + lam/2 (|W1|^2 + |W2|^2); z1 = X W1 + b1, a1 = f(z1), z2 = a1 W2 + b2",
      session: hello.session.id,
      step: result.data.step,
      activation: hello.session.config.activation,
      lam: hello.session.config.lam,
      label_smoothing: eps,
      N: train.length,
      C,
      H: hello.session.config.hidden,
      X: train.map((i) => [x[i], y[i]]),
      labels: train.map((i) => label[i]),
      Y: train.map((i) => Array.from({ length: C }, (_, k) => (k === label[i] ? 1 - eps : 0) + eps / C)),
      W1: p.W1.values,
      b1: p.b1.values,
      W2: p.W2.values,
      b2: p.b2.values,
    };
    downloadedStep = result.data.step;
    // A data: URL, not a blob: one, so the file is made here with no request at all.
    const link = el("a");
    link.href = `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(inputs))}`;
    link.download = `bpv-inputs-step${downloadedStep}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    downloadStatus.textContent = `the inputs at step ${downloadedStep}: your gradient is compared with ours at that step`;
  }

  async function fillExample() {
    const kind = example.value;
    example.value = "";
    if (!kind || !hello) return;
    const result = await getView(hello.session.id, "gradients");
    if (!result.ok) {
      showMessage(result.message);
      return;
    }
    const N = result.data.n_train;
    const gradients = {};
    for (const name of PARAMS) {
      let g = result.data.grads[name].values;
      if (kind === "summed") g = Array.isArray(g[0]) ? g.map((row) => row.map((v) => v * N)) : g.map((v) => v * N);
      if (kind === "transposed" && Array.isArray(g[0])) g = transpose(g);
      gradients[`d${name}`] = g;
    }
    input.value = JSON.stringify({ gradients }, null, 1);
    submit();
  }

  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    input.value = await chosen.text();
    file.value = "";
    submit();
  });
  check.addEventListener("click", submit);
  download.addEventListener("click", downloadInputs);
  example.addEventListener("change", fillExample);

  return {
    begin(message) {
      hello = message;
      downloadedStep = null;
      rest.textContent =
        `Over REST: POST ${location.origin}/api/sessions/${message.session.id}/compare with ` +
        `{"gradients": {"dW1": …}} or {"csv": "…"} (the file the snippet writes).`;
    },
    setPoints(points) {
      if (hello) hello = { ...hello, points };
    },
    update() {},
  };
}
