// The answer to "check my gradient": the verdict (all agree, a mistake recognised, or
// neither) and, per parameter, the cells that differ.

import { el } from "../../lib/dom.js";
import { formatNumber } from "../../lib/format.js";
import { asRows } from "./submission.js";

const MAX_ROWS = 8; // cells shown per parameter; the counts say how many differ in all
const MAX_COLS = 10;

// The verdict on a reply of POST .../compare: the elements to show, in order. downloadedStep:
// the step whose inputs the student downloaded (null: none).
export function verdictParts(d, downloadedStep) {
  const parts = [];
  if (d.all_agree && d.all_given) {
    parts.push(
      el(
        "p",
        "verdict-good",
        `✓ All four agree with ours (relative error at most ${formatNumber(d.threshold, 1)}): your backprop is right.`,
      ),
    );
  } else if (d.all_agree) {
    const sent = Object.keys(d.params)
      .map((n) => `d${n}`)
      .join(", ");
    parts.push(
      el(
        "p",
        "verdict-good",
        `✓ ${sent} agree with ours. Send the others too to check the whole backward pass.`,
      ),
    );
  } else if (d.explained_by.length) {
    for (const m of d.explained_by) {
      const box = el("div", "mistake-named", [
        el("p", "mistake-title", ["Recognised: ", el("strong", "", m.title)]),
        el("p", "", m.explanation),
        el("p", "muted", `It explains ${m.params.map((p) => `d${p}`).join(", ")}.`),
      ]);
      box.dataset.mistake = m.name;
      parts.push(box);
    }
  } else {
    parts.push(
      el(
        "p",
        "verdict-bad",
        "✗ Your gradient differs from ours, and none of the usual mistakes explains it.",
      ),
      el(
        "p",
        "",
        "Look at which parameters differ: if only dW1 and db1 do, the error is below dz1 (the activation's " +
          "derivative, or da1 = dz2 W2ᵀ); if all four do, start at dz2 = (ŷ − y)/N. The Derivation tab works one point through.",
      ),
    );
  }
  if (downloadedStep !== null && downloadedStep !== d.step) {
    // at_step finds the nearest kept step at or before it; a long run thins old steps out
    parts.push(
      el(
        "p",
        "error",
        `You downloaded the inputs at step ${downloadedStep}, but the nearest step the server still keeps is ` +
          `${d.step}: ours are that step's gradients. Download again and recompute.`,
      ),
    );
  }
  return parts;
}

// One parameter's answer: its shape, its error and badge, and its cells, yours above ours with
// the ones that differ marked, all as the server laid them out (p.given is yours in our layout).
export function paramBlock(name, p) {
  const shape = (s) => (s ? s.join("×") || "scalar" : "–");
  const head = el("p", "compare-param-head", [
    el("strong", "", `d${name}`),
    ` ${shape(p.expected_shape)} · `,
    p.given_shape && p.given_shape.join() !== p.expected_shape.join()
      ? el("span", "error-text", `you sent ${shape(p.given_shape)}`)
      : `max relative error ${formatNumber(p.max_rel_error, 2)} · `,
    p.agrees
      ? el("span", "badge badge-pass", "✓ agrees")
      : el("span", "badge badge-fail", `✗ ${p.differing_count} differ`),
  ]);
  const block = el("div", "compare-param", [head]);
  block.dataset.param = name;
  if (p.shape_message) block.append(el("p", "error-text compare-shape", p.shape_message));
  if (!p.rel_error) return block;
  // The cells: yours above ours, the ones that differ marked. Biases as one row.
  const ours = asRows(p.ours);
  const rel = asRows(p.rel_error);
  const differing = p.differs === null || p.differs === undefined ? null : asRows(p.differs);
  const mine = p.given === null || p.given === undefined ? null : asRows(p.given);
  const rows = Math.min(ours.length, MAX_ROWS);
  const cols = Math.min(ours[0].length, MAX_COLS);
  const table = el("table", "compare-cells");
  for (let r = 0; r < rows; r++) {
    const tr = el("tr");
    for (let c = 0; c < cols; c++) {
      const differs = Boolean(differing?.[r]?.[c]);
      const cell = el("td", differs ? "differs" : "", [
        el("span", "yours", mine?.[r]?.[c] !== undefined ? formatNumber(mine[r][c]) : ""),
        el("span", "ours", `ours ${formatNumber(ours[r][c])}`),
      ]);
      cell.title = `d${name}[${ours.length > 1 ? `${r},${c}` : c}]: relative error ${formatNumber(rel[r][c], 2)}`;
      tr.append(cell);
    }
    table.append(tr);
  }
  block.append(table);
  if (rows < ours.length || cols < ours[0].length) {
    block.append(
      el(
        "p",
        "muted",
        `showing ${rows}×${cols} of ${shape(p.expected_shape)}; ${p.differing_count} entries differ in all`,
      ),
    );
  }
  return block;
}
