// A phase's lines grouped by layer, for a network deeper than one hidden layer: each layer a
// <details> whose summary names it (hidden layer l and its width, or the output layer), the first
// two and the output's open, the rest folded, so six layers stay navigable at a projector and on a
// phone. The input's one line (x, X, dx, dX) stands on its own. One hidden layer keeps its lines
// as they always were, one list with no headings.

import { el } from "../../lib/dom.js";

export const OPEN_LAYERS = 2; // groups open when first drawn; a reader opens the others

const DIGITS = "₀₁₂₃₄₅₆₇₈₉";

// 3 -> "₃": the layer's number as a subscript, as the page writes dW₃.
export function sub(k) {
  return String(k).replace(/\d/g, (d) => DIGITS[Number(d)]);
}

// The output layer's number O = L + 1: the largest layer a stage names.
export function outputLayer(stages) {
  return stages.reduce((top, s) => Math.max(top, s.layer ?? 0), 0);
}

// What layer l's heading says; width: its units (from a stage's shape), or null.
export function layerTitle(l, O, width) {
  if (l === O) return `Layer ${l}: the output, C = ${width} classes`;
  return `Layer ${l}: hidden, H${sub(l)} = ${width} unit${width === 1 ? "" : "s"}`;
}

// The units of layer l: the last entry of the shape of its z (or dz) stage.
function widthOf(stages, l) {
  const z = stages.find((s) => s.layer === l && /^d?z\d+$/.test(s.name));
  return z ? z.shape[z.shape.length - 1] : null;
}

// Put `stages`' rows (rows[name].row) into `container` after its heading, grouped by their
// `layer` when O > 2; `all`: every stage of the reply, for the layers' widths.
export function groupRows(container, stages, rows, O, all = stages) {
  container.replaceChildren(container.firstChild);
  if (O <= 2) {
    container.append(...stages.map((s) => rows[s.name].row));
    return;
  }
  let group = null;
  let opened = 0;
  for (const s of stages) {
    const layer = s.layer ?? 0;
    if (layer === 0) {
      group = null;
      container.append(rows[s.name].row);
      continue;
    }
    if (!group || group.layer !== layer) {
      const open = opened < OPEN_LAYERS || layer === O;
      opened += 1;
      const details = el("details", { className: "layer-group", open }, [
        el("summary", "layer-title", layerTitle(layer, O, widthOf(all, layer))),
      ]);
      details.dataset.layer = String(layer);
      container.append(details);
      group = { layer, details };
    }
    group.details.append(rows[s.name].row);
  }
}
