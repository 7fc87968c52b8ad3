// One training point's backprop worked out: the forward pass and the backward pass, one equation
// a line, each with the real numbers and its shape (GET .../derivation/{n}). The output layer's
// gradient is worked twice, the long way through the C×C softmax Jacobian and the short way
// (ŷ − y)/N, side by side with their difference; a toggle puts the usual mistake beside them.

import { el, formatNumber, swatch } from "./dom.js";
import { follower, getView } from "./inspect_api.js";
import { katexReady, texValue, typeset } from "./math.js";
import { classColor } from "./palette.js";

const REFRESH_MS = 800; // while the run trains, the numbers follow it at most this often

const ACTIVATION = { tanh: "\\tanh", relu: "\\operatorname{relu}", sigmoid: "\\sigma" };
const DERIVATIVE = {
  tanh: "(1 - a_1^{2})",
  relu: "\\mathbb{1}[z_1 > 0]",
  sigmoid: "a_1 \\odot (1 - a_1)",
};

// Each stage the server sends, as the lecture notes write it (row vectors: batch in rows), and
// its shape in the notes' letters. "d" is ∂ℓ/∂ of this one sample's share of the mean loss.
const STAGES = {
  x: { tex: (d) => `x = X_{${d.n}}`, shape: "2" },
  z1: { tex: () => "z_1 = x\\,W_1 + b_1", shape: "H" },
  a1: { tex: (d) => `a_1 = ${ACTIVATION[d.activation] ?? d.activation}(z_1)`, shape: "H" },
  z2: { tex: () => "z_2 = a_1 W_2 + b_2", shape: "C" },
  y_hat: { tex: () => "\\hat y = \\operatorname{softmax}(z_2)", shape: "C" },
  y: { tex: () => "y \\;\\text{(target)}", shape: "C" },
  loss: { tex: () => "\\ell = -\\textstyle\\sum_k y_k \\log \\hat y_k", shape: "" },
  dL_dy_hat: { tex: () => "\\frac{\\partial L}{\\partial \\hat y} = -\\,\\frac{y}{\\hat y}\\,\\frac{1}{N}", shape: "C" },
  J: { tex: () => "J = \\frac{\\partial \\hat y}{\\partial z_2} = \\operatorname{diag}(\\hat y) - \\hat y^{\\top} \\hat y", shape: "C×C" },
  dz2_long: { tex: () => "\\mathrm{d}z_2 = \\frac{\\partial L}{\\partial \\hat y}\\, J", shape: "C" },
  dz2: { tex: () => "\\mathrm{d}z_2 = (\\hat y - y)\\,/\\,N", shape: "C" },
  dz2_difference: { tex: () => "\\text{long} - \\text{short}", shape: "C" },
  dW2: { tex: () => "\\mathrm{d}W_2 = a_1^{\\top}\\, \\mathrm{d}z_2", shape: "H×C" },
  db2: { tex: () => "\\mathrm{d}b_2 = \\mathrm{d}z_2", shape: "C" },
  da1: { tex: () => "\\mathrm{d}a_1 = \\mathrm{d}z_2\\, W_2^{\\top}", shape: "H" },
  dz1: { tex: (d) => `\\mathrm{d}z_1 = \\mathrm{d}a_1 \\odot ${DERIVATIVE[d.activation] ?? `${d.activation}'(z_1)`}`, shape: "H" },
  dW1: { tex: () => "\\mathrm{d}W_1 = x^{\\top}\\, \\mathrm{d}z_1", shape: "2×H" },
  db1: { tex: () => "\\mathrm{d}b_1 = \\mathrm{d}z_1", shape: "H" },
  dx: { tex: () => "\\mathrm{d}x = \\mathrm{d}z_1\\, W_1^{\\top}", shape: "2" },
};

const FORWARD = ["x", "z1", "a1", "z2", "y_hat", "y", "loss"];
const LONG_WAY = ["dL_dy_hat", "J", "dz2_long"];
const REST_OF_BACKWARD = ["dW2", "db2", "da1", "dz1", "dW1", "db1", "dx"];

// Why the long way and the short way agree, in one line: J's entries are ŷ_k(δ_kr − ŷ_r).
const WHY = String.raw`\Big(\tfrac{\partial L}{\partial \hat y} J\Big)_r
  = \sum_k \frac{-y_k}{N \hat y_k}\, \hat y_k (\delta_{kr} - \hat y_r)
  = \frac{-y_r + \hat y_r \sum_k y_k}{N} = \frac{\hat y_r - y_r}{N}
  \quad\text{because}\ \textstyle\sum_k y_k = 1`;

function shapeText(symbolic, shape) {
  if (!shape.length) return "scalar";
  const actual = shape.join("×");
  return symbolic && symbolic !== actual ? `${symbolic} = ${actual}` : actual;
}

function maxAbs(values) {
  return values.flat().reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

function relativeError(a, b) {
  const denom = Math.max(Math.abs(a) + Math.abs(b), 1e-300);
  return Math.abs(a - b) / denom;
}

// A stage's line: the equation, "= value", the shape.
function stageRow(name) {
  const row = el("div", "stage");
  row.dataset.stage = name;
  const eq = el("span", "stage-eq");
  const value = el("span", "stage-value");
  const shape = el("span", "stage-shape");
  row.append(eq, value, shape);
  return { row, eq, value, shape };
}

export function create(root, { onSample } = {}) {
  root.classList.add("derivation");

  const nInput = el("input", "derivation-n");
  Object.assign(nInput, { type: "number", min: "0", step: "1", value: "0", id: "derivation-n" });
  nInput.setAttribute("aria-label", "training point number");
  const prev = el("button", "", "◀");
  const next = el("button", "", "▶");
  prev.type = next.type = "button";
  prev.id = "derivation-prev";
  next.id = "derivation-next";
  prev.title = "previous training point";
  next.title = "next training point";
  const ofN = el("span", "muted");
  const point = el("span", "derivation-point");
  const step = el("span", "derivation-step muted");
  const mistakeToggle = el("input");
  mistakeToggle.type = "checkbox";
  mistakeToggle.id = "derivation-mistake";
  const bar = el("div", "inspect-bar", [
    el("label", "", ["Training point ", nInput]),
    prev,
    next,
    ofN,
    el("span", "muted", "(or click one on the plot)"),
    el("label", "toggle", [mistakeToggle, "show the common mistake"]),
    point,
    step,
  ]);
  const note = el("p", "inspect-note");
  const error = el("p", "error");
  error.hidden = true;

  const rows = {};
  for (const name of Object.keys(STAGES)) rows[name] = stageRow(name);

  const forward = el("section", "stages stages-forward", [el("h3", "", "Forward pass"), ...FORWARD.map((n) => rows[n].row)]);

  // The output layer's gradient two ways: the columns say which is which. The usual mistake,
  // when asked for, is a fourth column beside the right answer, computed here from the stages.
  const verdict = el("p", "two-ways-verdict");
  const why = el("div", "two-ways-why");
  const mistakeRows = {
    wrong: stageRow("mistake-dz2"),
    difference: stageRow("mistake-difference"),
    dW2: stageRow("mistake-dW2"),
  };
  const mistakeVerdict = el("p", "mistake-verdict");
  const mistakeColumn = el("div", "way way-mistake", [
    el("h5", "", "✗ the common mistake: J's diagonal only"),
    ...Object.values(mistakeRows).map((r) => r.row),
    mistakeVerdict,
  ]);
  const mistakeWhy = el(
    "p",
    "mistake-why",
    "The single-term derivative keeps only the diagonal of J, as if ŷᵣ depended on z₂ᵣ alone. For the true " +
      "class it happens to be right, −(1 − ŷₜ)/N = (ŷₜ − 1)/N; for every other class it gives 0 instead of ŷᵣ/N, " +
      "because the off-diagonal terms −ŷᵣŷₖ of J are missing: the wrong classes are never pushed down.",
  );
  mistakeColumn.hidden = true;
  mistakeWhy.hidden = true;
  const twoWays = el("div", "two-ways", [
    el("h4", "", "dL/dz₂ two ways: they must agree"),
    el("div", "two-ways-cols", [
      el("div", "way way-long", [el("h5", "", "the long way, through the softmax Jacobian"), ...LONG_WAY.map((n) => rows[n].row)]),
      el("div", "way way-short", [
        el("h5", "", "the short way"),
        rows.dz2.row,
        el("h5", "", "their difference"),
        rows.dz2_difference.row,
        verdict,
      ]),
      mistakeColumn,
    ]),
    mistakeWhy,
    why,
  ]);

  const outputLayer = el("section", "stages stages-output", [el("h3", "", "Backward pass: the output layer"), twoWays]);
  const backward = el("section", "stages stages-backward", [
    el("h3", "", "Backward pass: the weights and the input"),
    ...REST_OF_BACKWARD.map((n) => rows[n].row),
  ]);
  const columns = el("div", "derivation-cols", [forward, outputLayer, backward]);
  root.append(bar, note, error, columns);

  let sessionId = null;
  let trainCount = 0;
  let hello = null;
  let n = 0;
  let visible = false;
  let data = null; // the last reply drawn
  let atStep = null; // the past step the timeline shows, or null when live

  function setN(value) {
    n = Math.max(0, Math.min(trainCount - 1, Math.round(Number(value) || 0)));
    nInput.value = String(n);
  }

  async function load() {
    if (!sessionId || !visible || trainCount === 0) return null;
    const asked = n;
    const query = atStep === null ? undefined : { at_step: atStep }; // scrubbed back: that step's numbers
    const [result] = await Promise.all([getView(sessionId, `derivation/${asked}`, query), katexReady()]);
    if (asked !== n || !visible) return null; // another point was picked meanwhile
    if (!result.ok) {
      error.textContent = result.message;
      error.hidden = false;
      return null;
    }
    error.hidden = true;
    draw(result.data);
    return result.data.step;
  }

  const follow = follower(load, REFRESH_MS);
  const refresh = () => follow.now();

  function draw(d) {
    data = d;
    const stage = Object.fromEntries(d.stages.map((s) => [s.name, s]));
    root.dataset.n = String(d.n);
    root.dataset.step = String(d.step);
    for (const s of d.stages) {
      const r = rows[s.name];
      if (!r) continue;
      typeset(r.eq, STAGES[s.name].tex(d));
      // Rounding noise needs no four digits: two say "this is 1e−19, i.e. nothing".
      typeset(r.value, `= ${texValue(s.value, s.name === "dz2_difference" ? 2 : 4)}`);
      r.shape.textContent = shapeText(STAGES[s.name].shape, s.shape);
    }
    const label = hello ? hello.points.label[d.index] : null;
    const x = stage.x.value;
    point.replaceChildren(
      `#${d.index} of all points, `,
      swatch(classColor(label ?? 0), `class ${label}`),
      ` class ${label}, at (${formatNumber(x[0], 3)}, ${formatNumber(x[1], 3)})`,
    );
    step.textContent = `step ${d.step}`;
    note.textContent =
      `dW₂ means ∂L/∂W₂, and here it is this one point's share of it: L averages over the N = ${d.N} ` +
      `training points, so each share carries 1/N; summed over all N (plus λW, λ = ${d.lam}) they make the full gradient.`;
    const worst = maxAbs(stage.dz2_difference.value);
    const scale = maxAbs(stage.dz2.value);
    verdict.textContent =
      worst <= 1e-12 * Math.max(scale, 1e-300) + 1e-300 || worst < 1e-15
        ? `largest |difference| ${formatNumber(worst)}: the same, to rounding`
        : `largest |difference| ${formatNumber(worst)} against |dz₂| up to ${formatNumber(scale)}`;
    typeset(why, WHY, true);
    drawMistake(stage, d.N);
    onSample?.(d.index);
  }

  function drawMistake(stage, N) {
    if (mistakeColumn.hidden) return;
    const y = stage.y.value;
    const yHat = stage.y_hat.value;
    const a1 = stage.a1.value;
    const right = stage.dz2.value;
    const wrong = y.map((yr, r) => (-yr * (1 - yHat[r])) / N);
    const difference = wrong.map((w, r) => w - right[r]);
    const wrongW2 = a1.map((a) => wrong.map((w) => a * w));
    const rightW2 = stage.dW2.value;
    let worstAbs = 0;
    let worstRel = 0;
    rightW2.forEach((row, h) =>
      row.forEach((v, k) => {
        worstAbs = Math.max(worstAbs, Math.abs(wrongW2[h][k] - v));
        worstRel = Math.max(worstRel, relativeError(wrongW2[h][k], v));
      }),
    );
    const set = (r, eq, value, shape) => {
      typeset(r.eq, eq);
      typeset(r.value, `= ${value}`);
      r.shape.textContent = shape;
    };
    const C = right.length;
    set(mistakeRows.wrong, "\\mathrm{d}z_{2,r} \\overset{?}{=} -\\,y_r (1 - \\hat y_r)\\,/\\,N", texValue(wrong), `C = ${C}`);
    set(mistakeRows.difference, "\\text{mistake} - \\text{short way}", texValue(difference), `C = ${C}`);
    set(
      mistakeRows.dW2,
      "\\text{its } \\mathrm{d}W_2 = a_1^{\\top} \\mathrm{d}z_2^{\\text{mistake}}",
      texValue(wrongW2),
      `H×C = ${a1.length}×${C}`,
    );
    mistakeVerdict.textContent =
      `On this point its dz₂ is off by up to ${formatNumber(maxAbs(difference))}, and its dW₂ by up to ` +
      `${formatNumber(worstAbs)} (relative error ${formatNumber(worstRel, 2)}).`;
  }

  nInput.addEventListener("change", () => {
    setN(nInput.value);
    refresh();
  });
  prev.addEventListener("click", () => {
    setN(n - 1);
    refresh();
  });
  next.addEventListener("click", () => {
    setN(n + 1);
    refresh();
  });
  mistakeToggle.addEventListener("change", () => {
    mistakeColumn.hidden = mistakeWhy.hidden = !mistakeToggle.checked;
    twoWays.classList.toggle("with-mistake", mistakeToggle.checked);
    if (data) drawMistake(Object.fromEntries(data.stages.map((s) => [s.name, s])), data.N);
    if (mistakeToggle.checked) outputLayer.scrollIntoView({ block: "nearest" });
  });

  return {
    begin(message) {
      hello = message;
      sessionId = message.session.id;
      trainCount = message.points.train.length;
      nInput.max = String(Math.max(0, trainCount - 1));
      ofN.textContent = `of ${trainCount}`;
      setN(n);
      refresh();
    },
    // The points changed (drawn or removed by a driver): the numbering follows the new ones.
    setPoints(points) {
      if (!hello) return;
      hello = { ...hello, points };
      trainCount = points.train.length;
      ofN.textContent = `of ${trainCount}`;
      setN(n);
      refresh();
    },
    update(frame) {
      const past = frame.header.past ? frame.header.step : null;
      if (past !== atStep) {
        atStep = past;
        if (visible) refresh();
        return;
      }
      if (visible) follow.stepIs(frame.header.step);
    },
    shown() {
      visible = true;
      refresh();
    },
    hidden() {
      visible = false;
      follow.stop();
      onSample?.(null);
    },
    // Show training point n (its index among hello.points.train).
    select(trainIndex) {
      setN(trainIndex);
      refresh();
    },
  };
}
