// One line of the derivation: the equation, "= value" (a matrix shows its first rows, then how
// many more there are) and the shape, either beside the value or, in the batch form, under it.

import { el } from "../../lib/dom.js";
import { moreRows, texValue, typeset } from "../../lib/tex.js";

// Significant digits of an array's largest entry; every other entry gets as many decimals. Three
// keep eight classes' columns side by side on a laptop; rounding noise needs two.
export const ARRAY_DIGITS = 3;

// form: "sample" or "batch", the data-form the highlight event names rows by (none for the
// mistake's lines, which are no stage of the pass).
export function stageRow(name, { shapeBelow = false, form = null } = {}) {
  const row = el("div", shapeBelow ? "stage stage-below" : "stage");
  row.dataset.stage = name;
  if (form) row.dataset.form = form;
  const eq = el("span", "stage-eq");
  const value = el("span", { className: "stage-value", tabIndex: 0 }); // it scrolls: a keyboard can too
  const more = el("span", { className: "stage-more", hidden: true });
  const shape = el("span", "stage-shape");
  const matrix = el("span", "stage-matrix", shapeBelow ? [value, more, shape] : [value, more]);
  row.append(eq, matrix);
  if (!shapeBelow) row.append(shape);
  return { row, eq, value, more, shape };
}

// Typeset a stage the server sent into its line: its TeX, its value (as sent: the first rows of a
// long matrix), how many rows are not shown, and the shape text.
export function drawStage(r, tex, value, shape, shapeText, digits = ARRAY_DIGITS) {
  typeset(r.eq, tex);
  typeset(r.value, `= ${texValue(value, Array.isArray(value) ? digits : 4)}`);
  const more = moreRows(value, shape);
  r.more.hidden = more === 0;
  r.more.textContent = more ? `… ${more} more row${more === 1 ? "" : "s"}` : "";
  r.shape.textContent = shapeText;
}
