// The usual mistake beside the right answer: the output delta dz2 (deeper, dz{O}) from the
// diagonal of the softmax Jacobian only, and what it does to dW2 (dW{O}), for the one point the
// derivation shows. It is cross-entropy's mistake: an mse run's reply has none.

import { el } from "../../lib/dom.js";
import { formatNumber } from "../../lib/format.js";
import { sub } from "./layer_groups.js";
import { drawStage } from "./stage_row.js";
import { shapeText } from "./stages.js";

// The server works the mistake out (the reply's `mistake`); its stages by the names it gives them,
// dz{O}, dz{O}_difference and dW{O} for the output layer O.
function rowOf(name) {
  if (name.endsWith("_difference")) return "difference";
  return name.startsWith("dW") ? "dW2" : "wrong";
}

function whyText(O) {
  return (
    `The single-term derivative keeps only the diagonal of J, as if ŷᵣ depended on z${sub(O)}ᵣ alone. For the true ` +
    "class it happens to be right, −(1 − ŷₜ)/N = (ŷₜ − 1)/N; for every other class it gives 0 instead of ŷᵣ/N, " +
    "because the off-diagonal terms −ŷᵣŷₖ of J are missing: the wrong classes are never pushed down."
  );
}

// stageRow(name) makes a line as the derivation's others are. Returns the column, the note
// under the columns, and draw(stage, N).
export function mistakeColumn(stageRow) {
  const rows = {
    wrong: stageRow("mistake-dz2"),
    difference: stageRow("mistake-difference"),
    dW2: stageRow("mistake-dW2"),
  };
  const verdict = el("p", "mistake-verdict");
  const column = el("div", "way way-mistake", [
    el("h5", "", "✗ the common mistake: J's diagonal only"),
    ...Object.values(rows).map((r) => r.row),
    verdict,
  ]);
  const why = el("p", "mistake-why", whyText(2));
  column.hidden = true;
  why.hidden = true;

  // mistake: the derivation reply's `mistake`, numbers, TeX and worst differences as sent.
  function draw(mistake) {
    const O = Number(mistake.stages[0].name.match(/\d+/)[0]); // the output layer: dz{O}
    why.textContent = whyText(O);
    for (const s of mistake.stages) {
      const r = rows[rowOf(s.name)];
      drawStage(r, s.tex, s.value, s.shape, shapeText(s.dims, s.shape));
    }
    verdict.textContent =
      `On this point its dz${sub(O)} is off by up to ${formatNumber(mistake.dz2_max_abs_difference)}, ` +
      `and its dW${sub(O)} by up to ` +
      `${formatNumber(mistake.dW2_max_abs_difference)} (relative error ${formatNumber(mistake.dW2_max_rel_error, 2)}).`;
  }

  return { column, why, draw };
}
