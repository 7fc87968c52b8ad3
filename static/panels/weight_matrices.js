// Which matrices the weights view shows, read from the arrays the server sent (a frame's, or a
// past step's over REST): every W(l) and its gradient dW(l), a row of the view per layer. Each
// matrix's columns are the units of a layer: W1 (F x H1) and the hidden ones W(l)
// (H(l-1) x H(l)) as they are, the output layer's W(L+1) transposed (C x H_L), so a hidden unit
// is the same column in its layer's weights and in the next layer's.

import { FEATURE_LABELS } from "../lib/config.js";
import { weightLayers } from "../lib/layers.js";
import { classColor } from "../lib/palette.js";

// Rows named one by one up to this many; more (a wide hidden layer) are one label for them all,
// and the readout under the pointer names the row.
const NAMED_ROWS = 8;

const SUB = "₀₁₂₃₄₅₆₇₈₉";
const subscript = (n) => String(n).replace(/\d/g, (d) => SUB[d]);

// run: { features: names (the config's, or x1, x2 when it has none), classes: C }.
// -> [{ name, title, transposed, layer, betweenHidden, rowLabels(rows), rowName(r) }] in the
// view's order: W1, dW1, W2, dW2, ... betweenHidden: from one hidden layer to the next;
// rowLabels: what the rows' column shows (a string or { text, color } each); rowName(r): row r
// in the readout under the pointer.
export function matrixSpecs(arrays, run) {
  const layers = weightLayers(arrays);
  const last = layers[layers.length - 1];
  const features = (run.features ?? ["x1", "x2"]).map((f) => FEATURE_LABELS[f] ?? f);
  const specs = [];
  for (const l of layers) {
    const output = l === last && l > 1;
    const unit = (i) => `a${subscript(l - 1)}[${i}]`;
    let rowLabels;
    let rowName;
    if (l === 1) {
      rowLabels = () => features;
      rowName = (r) => features[r];
    } else if (output) {
      rowLabels = (rows) =>
        Array.from({ length: rows }, (_, k) => ({ text: `class ${k}`, color: classColor(k) }));
      rowName = (r) => `class ${r}`;
    } else {
      rowLabels = (rows) =>
        rows <= NAMED_ROWS
          ? Array.from({ length: rows }, (_, i) => unit(i))
          : [`a${subscript(l - 1)}, ${rows}`];
      rowName = unit;
    }
    const t = output ? "ᵀ" : "";
    for (const [name, title] of [
      [`W${l}`, `W${l}${t}`],
      [`dW${l}`, `dL/dW${l}${t}`],
    ])
      specs.push({
        name,
        title,
        transposed: output,
        layer: l,
        betweenHidden: l > 1 && !output,
        rowLabels,
        rowName,
      });
  }
  return specs;
}
