// The same backward pass for the whole batch in matrix form, beside the one point's: one equation
// a line, the shape under each matrix in the notes' letters and in numbers, a long matrix as its
// first rows. The server sends all of it (the reply's `batch`), the check that the two forms
// agree for every layer's dW included. Deeper than one hidden layer its lines are grouped by layer.

import { el } from "../../lib/dom.js";
import { formatNumber } from "../../lib/format.js";
import { groupRows, outputLayer, sub } from "./layer_groups.js";
import { drawStage, stageRow } from "./stage_row.js";
import { dimText } from "./stages.js";

// ["N", "C"] and [160, 8] -> "(N, C) = (160, 8)"; a vector's ["C"] and [8] -> "(C,) = (8,)".
export function batchShapeText(dims, shape) {
  const tuple = (parts) => (parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(", ")})`);
  const symbolic = tuple(dims.map(dimText));
  const actual = tuple(shape);
  return symbolic === actual ? actual : `${symbolic} = ${actual}`;
}

// "dW3" -> "dW₃"; its penalties' gradient "λW₃" (and "+ λ₁ sign(W₃)" with an l1 term).
const subscripted = (name) => name.replace(/\d+/, (k) => sub(k));
const penalty = (name, l1) => {
  const W = subscripted(name.slice(1));
  return l1 ? `λ${W} + λ₁ sign(${W})` : `λ${W}`;
};

export function batchForm() {
  const title = el("h3", "form-title", "The whole batch: matrix form");
  const about = el("p", "inspect-note batch-about");
  const forward = el("div", "batch-phase", [el("h3", "", "Forward pass")]);
  const backward = el("div", "batch-phase", [el("h3", "", "Backward pass")]);
  const sums = el("div", "batch-sums");
  const phases = el("div", "batch-phases", [forward, backward]);
  const section = el("section", "stages form-batch", [title, about, phases, sums]);
  section.setAttribute("aria-label", "the whole batch in matrix form");
  let rows = {}; // by stage name, made when a reply first names them

  function rowsFor(stages) {
    const names = stages.map((s) => s.name).join(" ");
    if (names === Object.keys(rows).join(" ")) return;
    rows = {};
    for (const s of stages) rows[s.name] = stageRow(s.name, { shapeBelow: true, form: "batch" });
    const O = outputLayer(stages);
    for (const [phase, container] of [
      ["forward", forward],
      ["backward", backward],
    ]) {
      groupRows(
        container,
        stages.filter((s) => s.phase === phase),
        rows,
        O,
      );
    }
  }

  // batch: the reply's `batch`; n, N, lam and l1: the reply's.
  function draw(batch, n, N, lam, l1 = 0) {
    rowsFor(batch.stages);
    about.textContent =
      `All N = ${N} training points at once, a row each: the one point's lines stacked into matrices ` +
      `(point ${n} is row ${n} of X, Z₁, …, dZ₁), the 1/N and ${l1 ? "λW + λ₁ sign(W)" : "λW"} written once. ` +
      "A matrix with a row per point " +
      `shows its first ${batch.point_rows_sent}.`;
    for (const s of batch.stages) {
      drawStage(rows[s.name], s.tex, s.value, s.shape, batchShapeText(s.dims, s.shape));
    }
    sums.replaceChildren(
      el("h3", "", "The two forms are one computation"),
      ...batch.sums.map((check) =>
        el(
          "p",
          { className: "batch-sum", "data-sum": check.name },
          `Σₙ (point n's ${subscripted(check.name)}) + ${penalty(check.name, l1)} − ${subscripted(check.name)} above: ` +
            `largest |difference| ${formatNumber(check.max_abs_difference, 2)}, against |${subscripted(check.name)}| ` +
            `up to ${formatNumber(check.max_abs)} (λ = ${lam}${l1 ? `, λ₁ = ${l1}` : ""}): ` +
            (check.agree ? "the same, to rounding." : "they differ."),
        ),
      ),
    );
  }

  return { section, draw };
}
