// The usual mistake beside the right answer: dz2 from the diagonal of the softmax Jacobian
// only, and what it does to dW2, for the one point the derivation shows.

import { el } from "../../lib/dom.js";
import { formatNumber } from "../../lib/format.js";
import { texValue, typeset } from "../../lib/tex.js";
import { maxAbs } from "./stages.js";

function relativeError(a, b) {
  const denom = Math.max(Math.abs(a) + Math.abs(b), 1e-300);
  return Math.abs(a - b) / denom;
}

// The page's one piece of arithmetic here, from the server's stages of one point (by name: y,
// y_hat, a1, dz2, dW2 as values) and N: the mistaken dz2 = −y (1 − ŷ)/N (C), its difference from
// the right dz2 (C), its dW2 = a1ᵀ dz2 (H×C), and how far that is from the right dW2 at worst.
export function mistakeNumbers(stage, N) {
  const y = stage.y.value;
  const yHat = stage.y_hat.value;
  const a1 = stage.a1.value;
  const right = stage.dz2.value;
  const wrong = y.map((yr, r) => (-yr * (1 - yHat[r])) / N);
  const difference = wrong.map((w, r) => w - right[r]);
  const wrongW2 = a1.map((a) => wrong.map((w) => a * w));
  let worstAbs = 0;
  let worstRel = 0;
  stage.dW2.value.forEach((row, h) => {
    row.forEach((v, k) => {
      worstAbs = Math.max(worstAbs, Math.abs(wrongW2[h][k] - v));
      worstRel = Math.max(worstRel, relativeError(wrongW2[h][k], v));
    });
  });
  return { wrong, difference, wrongW2, worstAbs, worstRel, H: a1.length, C: right.length };
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
  const why = el(
    "p",
    "mistake-why",
    "The single-term derivative keeps only the diagonal of J, as if ŷᵣ depended on z₂ᵣ alone. For the true " +
      "class it happens to be right, −(1 − ŷₜ)/N = (ŷₜ − 1)/N; for every other class it gives 0 instead of ŷᵣ/N, " +
      "because the off-diagonal terms −ŷᵣŷₖ of J are missing: the wrong classes are never pushed down.",
  );
  column.hidden = true;
  why.hidden = true;

  const set = (r, eq, value, shape) => {
    typeset(r.eq, eq);
    typeset(r.value, `= ${value}`);
    r.shape.textContent = shape;
  };

  function draw(stage, N) {
    const m = mistakeNumbers(stage, N);
    const dz2 = "\\mathrm{d}z_{2,r} \\overset{?}{=} -\\,y_r (1 - \\hat y_r)\\,/\\,N";
    set(rows.wrong, dz2, texValue(m.wrong), `C = ${m.C}`);
    set(rows.difference, "\\text{mistake} - \\text{short way}", texValue(m.difference), `C = ${m.C}`);
    const dW2 = "\\text{its } \\mathrm{d}W_2 = a_1^{\\top} \\mathrm{d}z_2^{\\text{mistake}}";
    set(rows.dW2, dW2, texValue(m.wrongW2), `H×C = ${m.H}×${m.C}`);
    verdict.textContent =
      `On this point its dz₂ is off by up to ${formatNumber(maxAbs(m.difference))}, and its dW₂ by up to ` +
      `${formatNumber(m.worstAbs)} (relative error ${formatNumber(m.worstRel, 2)}).`;
  }

  return { column, why, draw };
}
