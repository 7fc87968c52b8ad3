// Mathematics typeset by the KaTeX vendored under static/vendor/katex (MIT, see its LICENSE),
// so the derivation reads like the lecture notes with no network at all. KaTeX is loaded on
// first use: the boundary and the charts never wait for it.

import { texNumber } from "./format.js";

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

// Which entries of n to show, at most `max`: the first ones, a gap, the last one.
function shown(n, max) {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: max - 2 }, (_, i) => i), null, n - 1];
}

// A row vector [a  b  c] (as the derivation writes it, batch in rows), at most `max` entries.
export function texRow(values, max = 7, digits = 4) {
  const cells = shown(values.length, max).map((i) => (i === null ? "\\cdots" : texNumber(values[i], digits)));
  return `\\begin{bmatrix} ${cells.join(" & ")} \\end{bmatrix}`;
}

// A matrix (a list of rows), at most maxRows x maxCols entries shown.
export function texMatrix(rows, maxRows = 6, maxCols = 7, digits = 4) {
  const cols = shown(rows[0]?.length ?? 0, maxCols);
  const lines = shown(rows.length, maxRows).map((r) =>
    cols
      .map((c) => {
        if (r === null) return c === null ? "\\ddots" : "\\vdots";
        return c === null ? "\\cdots" : texNumber(rows[r][c], digits);
      })
      .join(" & "),
  );
  return `\\begin{bmatrix} ${lines.join(" \\\\ ")} \\end{bmatrix}`;
}

// The power of ten to take out of an array whose entries are all tiny (gradients carry 1/N) or
// huge, as numpy prints them: 10^{-3} · [−4.25  2.13 …] reads better than a row of exponents.
function commonPower(values) {
  const top = values.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
  if (!(top > 0) || (top >= 0.1 && top < 1e4)) return 0;
  return Math.floor(Math.log10(top));
}

// A value of any shape: scalar, vector (a row) or matrix.
export function texValue(value, digits = 4) {
  if (!Array.isArray(value)) return texNumber(value, digits);
  const matrix = Array.isArray(value[0]);
  const power = commonPower(matrix ? value.flat() : value);
  const scale = (v) => (power ? v / 10 ** power : v);
  const body = matrix
    ? texMatrix(
        value.map((row) => row.map(scale)),
        6,
        7,
        digits,
      )
    : texRow(value.map(scale), 7, digits);
  return power ? `10^{${power}} \\cdot ${body}` : body;
}
