// One training point's backprop worked out: the forward pass and the backward pass, one equation
// a line, each with the real numbers and its shape (GET .../derivation/{n}), at every depth. The
// output layer's gradient is worked twice, the long way through the C×C softmax Jacobian and the
// loss's own line (cross-entropy's short way (ŷ − y)/N; mse's the same product multiplied out),
// side by side with their difference; for cross-entropy a toggle puts the usual mistake beside
// them. Deeper than one hidden layer the lines are grouped by layer (layer_groups.js). Beside the
// point's form (under it on a narrow screen), the same pass for the whole batch in matrix form
// (batch.js). The network's animated pass marks the current lines (highlight.js).

import { el, swatch } from "../../lib/dom.js";
import { FollowedView } from "../../lib/followed_view.js";
import { formatNumber } from "../../lib/format.js";
import { classColor } from "../../lib/palette.js";
import { getView } from "../../lib/rest.js";
import { katexReady, typeset } from "../../lib/tex.js";
import { batchForm } from "./batch.js";
import { HIGHLIGHT_EVENT, markRows, readDetail, scrollToRows } from "./highlight.js";
import { groupRows, outputLayer, sub } from "./layer_groups.js";
import { mistakeColumn } from "./mistake.js";
import { drawStage, stageRow } from "./stage_row.js";
import { sampleLayout, shapeText } from "./stages.js";

const REFRESH_MS = 800; // while the run trains, the numbers follow it at most this often

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
  const mistakeLabel = el("label", "toggle", [mistakeToggle, "show the common mistake"]);
  const bar = el("div", "inspect-bar", [
    el("label", "", ["Training point ", nInput]),
    prev,
    next,
    ofN,
    el("span", "muted", "(or click one on the plot)"),
    mistakeLabel,
    point,
    step,
  ]);
  const note = el("p", "inspect-note");
  const error = el("p", { className: "error", hidden: true });

  let rows = {}; // by stage name, made when a reply first names them

  const forward = el("section", "stages stages-forward", [el("h3", "", "Forward pass")]);

  // The output layer's gradient two ways: the columns say which is which. The usual mistake,
  // when asked for, is a fourth column beside the right answer.
  const twoWaysTitle = el("h4", "", "dL/dz₂ two ways: they must agree");
  const longTitle = el("h5", "", "the long way, through the softmax Jacobian");
  const ownTitle = el("h5", "", "the short way");
  const longWay = el("div", "way way-long", [longTitle]);
  const ownLine = el("div", "way-own");
  const differenceLine = el("div", "way-difference");
  const verdict = el("p", "two-ways-verdict");
  const why = el("div", { className: "two-ways-why", tabIndex: 0 }); // it scrolls sideways
  const lossNote = el("p", "two-ways-note");
  const mistake = mistakeColumn(stageRow);
  const twoWays = el("div", "two-ways", [
    twoWaysTitle,
    el("div", "two-ways-cols", [
      longWay,
      el("div", "way way-short", [
        ownTitle,
        ownLine,
        el("h5", "", "their difference"),
        differenceLine,
        verdict,
      ]),
      mistake.column,
    ]),
    mistake.why,
    why,
    lossNote,
  ]);

  const outputLayerSection = el("section", "stages stages-output", [
    el("h3", "", "Backward pass: the output layer"),
    twoWays,
  ]);
  const backwardTitle = el("h3", "", "Backward pass: the weights and the input");
  const backward = el("section", "stages stages-backward", [backwardTitle]);
  const batch = batchForm();
  const sample = el("section", "form-sample", [
    el("h3", "form-title", "One training point"),
    el("div", "derivation-cols", [forward, outputLayerSection, backward]),
  ]);
  sample.setAttribute("aria-label", "one training point");
  root.append(bar, note, error, el("div", "derivation-forms", [sample, batch.section]));

  let n = 0;
  let showMistake = false;
  let data = null; // the last reply drawn
  let layout = ""; // the stage names the rows were made for
  let highlight = null; // { form, stages } the animated pass marks, re-marked after each draw
  let scrollToMark = false; // the next marking scrolls its first row into view

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

  // Rows for the reply's stages, made again only when its names change (another depth or loss).
  function rowsFor(d) {
    const names = d.stages.map((st) => st.name).join(" ");
    if (names === layout) return;
    layout = names;
    rows = {};
    for (const st of d.stages) rows[st.name] = stageRow(st.name, { form: "sample" });
    const O = outputLayer(d.stages);
    const places = sampleLayout(d.stages, O);
    groupRows(forward, places.forward, rows, O, d.stages);
    groupRows(backward, places.rest, rows, O, d.stages);
    backwardTitle.textContent =
      O > 2 ? "Backward pass: layer by layer" : "Backward pass: the weights and the input";
    longWay.replaceChildren(longTitle, ...places.longWay.map((name) => rows[name].row));
    ownLine.replaceChildren(rows[places.own].row);
    differenceLine.replaceChildren(rows[places.difference].row);
  }

  function drawTwoWays(d, O) {
    const shortWay = d.two_ways.short_way !== false;
    twoWaysTitle.textContent = shortWay
      ? `dL/dz${sub(O)} two ways: they must agree`
      : `dL/dz${sub(O)}: the long way and ${d.loss}'s own line must agree`;
    ownTitle.textContent = shortWay
      ? "the short way"
      : `${d.loss}'s own line: the same product, multiplied out`;
    const { max_abs_difference: worst, max_abs_dz2: scale, agree } = d.two_ways;
    verdict.textContent = agree
      ? `largest |difference| ${formatNumber(worst)}: the same, to rounding`
      : `largest |difference| ${formatNumber(worst)} against |dz${sub(O)}| up to ${formatNumber(scale)}`;
    if (d.two_ways.why_tex) typeset(why, d.two_ways.why_tex, true);
    lossNote.textContent = d.two_ways.note ?? "";
    lossNote.hidden = !d.two_ways.note;
    // The worked mistake is cross-entropy's: an mse run has none to show.
    mistakeLabel.hidden = !d.mistake;
    if (!d.mistake && showMistake) {
      mistakeToggle.checked = false;
      setMistakeShown(false);
    }
  }

  function draw(d) {
    data = d;
    rowsFor(d);
    const O = outputLayer(d.stages);
    root.dataset.n = String(d.n);
    root.dataset.step = String(d.step);
    root.dataset.layers = String(O - 1);
    for (const st of d.stages) {
      // Rounding noise needs no three digits: two say "this is 1e−19, i.e. nothing".
      const digits = st.name === `dz${O}_difference` ? 2 : undefined;
      drawStage(rows[st.name], st.tex, st.value, st.shape, shapeText(st.dims, st.shape), digits);
    }
    batch.draw(d.batch, d.n, d.N, d.lam, d.l1 ?? 0);
    const points = store.points;
    const label = points ? points.label[d.index] : null;
    const where = points
      ? ` at (${formatNumber(points.x[d.index], 3)}, ${formatNumber(points.y[d.index], 3)})`
      : "";
    point.replaceChildren(
      `#${d.index} of all points, `,
      swatch(classColor(label ?? 0), `class ${label}`),
      ` class ${label}${where}`,
    );
    step.textContent = `at step ${d.step}`;
    const penalty = d.l1 ? `λW + λ₁ sign(W), λ = ${d.lam}, λ₁ = ${d.l1}` : `λW, λ = ${d.lam}`;
    note.textContent =
      `dW${sub(O)} means ∂L/∂W${sub(O)}, and here it is this one point's share of it: L averages over the N = ${d.N} ` +
      `training points, so each share carries 1/N; summed over all N (plus ${penalty}) they make the full gradient.`;
    drawTwoWays(d, O);
    if (showMistake && d.mistake) mistake.draw(d.mistake);
    applyHighlight();
    onSample?.(d.index);
  }

  // Mark the lines the animated pass names; scroll to them only when asked and the panel is visible.
  function applyHighlight() {
    if (!highlight) return;
    const marked = markRows(root, highlight.form, highlight.stages);
    if (marked.length && scrollToMark && view.visible) {
      scrollToRows(marked);
      scrollToMark = false;
    }
  }

  document.addEventListener(HIGHLIGHT_EVENT, (event) => {
    const detail = readDetail(event.detail);
    if (!detail) return;
    highlight = { form: detail.form, stages: detail.stages };
    scrollToMark = detail.stages.length > 0;
    if (detail.form === "sample" && detail.n !== null && detail.n !== n && detail.n < store.trainCount) {
      choose(detail.n); // that point's lines, marked when they come
    }
    applyHighlight();
  });

  function choose(value) {
    setN(value);
    view.follow(true);
  }

  nInput.addEventListener("change", () => choose(nInput.value));
  prev.addEventListener("click", () => choose(n - 1));
  next.addEventListener("click", () => choose(n + 1));
  function setMistakeShown(shown) {
    showMistake = shown;
    mistake.column.hidden = mistake.why.hidden = !showMistake;
    twoWays.classList.toggle("with-mistake", showMistake);
  }
  mistakeToggle.addEventListener("change", () => {
    setMistakeShown(mistakeToggle.checked);
    if (data?.mistake && showMistake) mistake.draw(data.mistake);
    if (showMistake) outputLayerSection.scrollIntoView({ block: "nearest" });
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
