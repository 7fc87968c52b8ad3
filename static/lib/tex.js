// Mathematics typeset by the KaTeX vendored under static/vendor/katex (MIT, see its LICENSE),
// so the derivation reads like the lecture notes with no network at all. KaTeX is loaded on
// first use: the boundary and the charts never wait for it.

import { texFixed, texNumber } from "./format.js";

let loading = null;

export function katexReady() {
  if (!loading) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL("../vendor/katex/katex.min.css", import.meta.url).href;
    document.head.append(link);
    // The UMD build, imported as a module, defines self.katex (it has no ES exports).
    loading = import("../vendor/katex/katex.min.js").then(() => globalThis.katex);
  }
  return loading;
}

// Typeset `tex` into `el` (which katexReady() must have loaded). Bad TeX shows in red instead of
// throwing, so one odd value never blanks a whole panel.
export function typeset(el, tex, display = false) {
  globalThis.katex.render(tex, el, { displayMode: display, throwOnError: false, output: "htmlAndMathml" });
}

// How many columns a matrix shows whole: every class (C is at most 8). A wider one shows its first
// columns, ⋯ and its last.
export const MAX_COLUMNS = 8;
// A matrix shows its first rows, J (C×C) whole; the page says how many more there are (moreRows).
export const MAX_ROWS = 8;

// Which columns of n to show: all up to MAX_COLUMNS, else the first ones, a gap (null), the last.
function shownColumns(n) {
  if (n <= MAX_COLUMNS) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: MAX_COLUMNS - 2 }, (_, i) => i), null, n - 1];
}

// The power of ten written once in front of an array, chosen from its largest |entry|: none when
// that reads as it is (0.1 to 10⁴), else the largest entry's own (1/N-sized gradients: 10⁻³).
export function commonPower(values) {
  const top = values.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
  if (!(top > 0) || (top >= 0.1 && top < 1e4)) return 0;
  return Math.floor(Math.log10(top));
}

// How an array's entries are written: divided by 10^power, each a plain number with the decimals
// that give the largest entry `digits` significant digits, so the column of numbers never needs a
// power of ten of its own (an entry far below the largest shows as 0). Whole numbers (one-hot
// targets) are written whole.
function entryWriter(values, digits) {
  const power = commonPower(values);
  const finite = values.filter(Number.isFinite);
  const top = finite.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const scaledTop = top / 10 ** power;
  const whole = finite.every(Number.isInteger);
  const decimals = scaledTop > 0 && !whole ? Math.max(0, digits - 1 - Math.floor(Math.log10(scaledTop))) : 0;
  const write = (v) => {
    if (v === null || v === undefined || Number.isNaN(v)) return "\\text{nan}";
    if (!Number.isFinite(v)) return v > 0 ? "\\infty" : "-\\infty";
    return texFixed(v / 10 ** power, decimals);
  };
  return { power, write };
}

// A value of any shape in TeX: a scalar, a vector (a row, as the derivation writes it, batch in
// rows) or a matrix (its first maxRows rows). An array's common power of ten is written once,
// in front of the brackets, from its largest |entry|, and every entry inside is a plain number.
export function texValue(value, digits = 4, maxRows = MAX_ROWS) {
  if (!Array.isArray(value)) return texNumber(value, digits);
  const rows = Array.isArray(value[0]) ? value.slice(0, maxRows) : [value];
  const { power, write } = entryWriter(rows.flat(), digits);
  const columns = shownColumns(rows[0]?.length ?? 0);
  const lines = rows.map((row) => columns.map((c) => (c === null ? "\\cdots" : write(row[c]))).join(" & "));
  const body = `\\begin{bmatrix} ${lines.join(" \\\\ ")} \\end{bmatrix}`;
  // Braced, one unbreakable group: a narrow line breaks after "=", never between 10^k and its matrix.
  return power ? `{10^{${power}} \\cdot ${body}}` : body;
}

// How many rows of a matrix of `shape` texValue leaves out, given the rows it was sent (a reply may
// carry only the first rows of a long matrix): the page writes "… k more rows".
export function moreRows(value, shape, maxRows = MAX_ROWS) {
  if (shape.length !== 2 || !Array.isArray(value)) return 0;
  return shape[0] - Math.min(value.length, maxRows);
}
