// One training point's backprop worked out: the forward pass and the backward pass, one equation
// a line, each with the real numbers and its shape (GET .../derivation/{n}). The output layer's
// gradient is worked twice, the long way through the C×C softmax Jacobian and the short way
// (ŷ − y)/N, side by side with their difference; a toggle puts the usual mistake beside them.
// Beside the point's form (under it on a narrow screen), the same pass for the whole batch in
// matrix form (batch.js).

import { el, swatch } from "../../lib/dom.js";
import { FollowedView } from "../../lib/followed_view.js";
import { formatNumber } from "../../lib/format.js";
import { classColor } from "../../lib/palette.js";
import { getView } from "../../lib/rest.js";
import { katexReady, typeset } from "../../lib/tex.js";
import { batchForm } from "./batch.js";
import { mistakeColumn } from "./mistake.js";
import { drawStage, stageRow } from "./stage_row.js";
import { FORWARD, LONG_WAY, NAMES, REST_OF_BACKWARD, shapeText, WHY } from "./stages.js";

const REFRESH_MS = 800; // while the run trains, the numbers follow it at most this often

function byName(stages) {
  return Object.fromEntries(stages.map((s) => [s.name, s]));
}

// onSample(index): the point shown, by its index among all points (null: none shown).
export function mount(root, store, { onSample } = {}) {
  root.classList.add("derivation");

  const nInput = el("input", {
    className: "derivation-n",
    type: "number",
    min: "0",
    step: "1",
    value: "0",
    id: "derivation-n",
    "aria-label": "training point number",
  });
  const prev = el("button", { type: "button", id: "derivation-prev", title: "previous training point" }, "◀");
  const next = el("button", { type: "button", id: "derivation-next", title: "next training point" }, "▶");
  const ofN = el("span", "muted");
  const point = el("span", "derivation-point");
  const step = el("span", "derivation-step muted");
  const mistakeToggle = el("input", { type: "checkbox", id: "derivation-mistake" });
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
  const error = el("p", { className: "error", hidden: true });

  const rows = {};
  for (const name of NAMES) rows[name] = stageRow(name);

  const forward = el("section", "stages stages-forward", [
    el("h3", "", "Forward pass"),
    ...FORWARD.map((n) => rows[n].row),
  ]);

  // The output layer's gradient two ways: the columns say which is which. The usual mistake,
  // when asked for, is a fourth column beside the right answer.
  const verdict = el("p", "two-ways-verdict");
  const why = el("div", { className: "two-ways-why", tabIndex: 0 }); // it scrolls sideways
  const mistake = mistakeColumn(stageRow);
  const twoWays = el("div", "two-ways", [
    el("h4", "", "dL/dz₂ two ways: they must agree"),
    el("div", "two-ways-cols", [
      el("div", "way way-long", [
        el("h5", "", "the long way, through the softmax Jacobian"),
        ...LONG_WAY.map((n) => rows[n].row),
      ]),
      el("div", "way way-short", [
        el("h5", "", "the short way"),
        rows.dz2.row,
        el("h5", "", "their difference"),
        rows.dz2_difference.row,
        verdict,
      ]),
      mistake.column,
    ]),
    mistake.why,
    why,
  ]);

  const outputLayer = el("section", "stages stages-output", [
    el("h3", "", "Backward pass: the output layer"),
    twoWays,
  ]);
  const backward = el("section", "stages stages-backward", [
    el("h3", "", "Backward pass: the weights and the input"),
    ...REST_OF_BACKWARD.map((n) => rows[n].row),
  ]);
  const batch = batchForm();
  const sample = el("section", "form-sample", [
    el("h3", "form-title", "One training point"),
    el("div", "derivation-cols", [forward, outputLayer, backward]),
  ]);
  sample.setAttribute("aria-label", "one training point");
  root.append(bar, note, error, el("div", "derivation-forms", [sample, batch.section]));

  let n = 0;
  let showMistake = false;
  let data = null; // the last reply drawn

  function setN(value) {
    n = Math.max(0, Math.min(store.trainCount - 1, Math.round(Number(value) || 0)));
    nInput.value = String(n);
  }

  const view = new FollowedView(store, {
    what: () => (store.trainCount ? { n } : null),
    load: async ({ sessionId, atStep, n: asked }) => {
      const query = atStep === null ? undefined : { at_step: atStep }; // scrubbed back: that step's numbers
      const [result] = await Promise.all([getView(sessionId, `derivation/${asked}`, query), katexReady()]);
      return result;
    },
    show: (result, asked) => {
      if (asked.n !== n) return; // another point was picked meanwhile
      if (!result.ok) {
        error.textContent = result.message;
        error.hidden = false;
        return;
      }
      error.hidden = true;
      draw(result.data);
    },
    gap: REFRESH_MS,
  });

  function draw(d) {
    data = d;
    const stage = byName(d.stages);
    root.dataset.n = String(d.n);
    root.dataset.step = String(d.step);
    for (const s of d.stages) {
      const r = rows[s.name];
      if (!r) continue;
      // Rounding noise needs no three digits: two say "this is 1e−19, i.e. nothing".
      const digits = s.name === "dz2_difference" ? 2 : undefined;
      drawStage(r, s.tex, s.value, s.shape, shapeText(s.dims, s.shape), digits);
    }
    batch.draw(d.batch, d.n, d.N, d.lam);
    const label = store.points ? store.points.label[d.index] : null;
    const x = stage.x.value;
    point.replaceChildren(
      `#${d.index} of all points, `,
      swatch(classColor(label ?? 0), `class ${label}`),
      ` class ${label}, at (${formatNumber(x[0], 3)}, ${formatNumber(x[1], 3)})`,
    );
    step.textContent = `at step ${d.step}`;
    note.textContent =
      `dW₂ means ∂L/∂W₂, and here it is this one point's share of it: L averages over the N = ${d.N} ` +
      `training points, so each share carries 1/N; summed over all N (plus λW, λ = ${d.lam}) they make the full gradient.`;
    const { max_abs_difference: worst, max_abs_dz2: scale, agree } = d.two_ways;
    verdict.textContent = agree
      ? `largest |difference| ${formatNumber(worst)}: the same, to rounding`
      : `largest |difference| ${formatNumber(worst)} against |dz₂| up to ${formatNumber(scale)}`;
    typeset(why, WHY, true);
    if (showMistake) mistake.draw(d.mistake);
    onSample?.(d.index);
  }

  function choose(value) {
    setN(value);
    view.follow(true);
  }

  nInput.addEventListener("change", () => choose(nInput.value));
  prev.addEventListener("click", () => choose(n - 1));
  next.addEventListener("click", () => choose(n + 1));
  mistakeToggle.addEventListener("change", () => {
    showMistake = mistakeToggle.checked;
    mistake.column.hidden = mistake.why.hidden = !showMistake;
    twoWays.classList.toggle("with-mistake", showMistake);
    if (data && showMistake) mistake.draw(data.mistake);
    if (showMistake) outputLayer.scrollIntoView({ block: "nearest" });
  });
  // The points changed (drawn or removed by a driver): the numbering follows the new ones.
  store.on("points", () => {
    ofN.textContent = `of ${store.trainCount}`;
    choose(n);
  });

  return {
    begin() {
      view.begin();
      nInput.max = String(Math.max(0, store.trainCount - 1));
      ofN.textContent = `of ${store.trainCount}`;
      choose(n);
    },
    update: () => view.update(),
    showStep: (step) => view.showStep(step),
    shown: () => view.shown(),
    hidden() {
      view.hidden();
      onSample?.(null);
    },
    // Show training point n (its index among the training points).
    select: choose,
  };
}
