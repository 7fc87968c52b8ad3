// The answer to "check my gradient", as the server wrote it: its one-sentence summary first, the
// mistakes that explain what was sent (each with the correct line), what nothing explains with
// its first wrong entries, where the error starts, and per array (the gradients, and the
// intermediates dz2, da1, dz1 when they were sent) the cells that differ. A field the reply does
// not carry is not shown: nothing here is worked out on the page.

import { el } from "../../lib/dom.js";
import { formatNumber } from "../../lib/format.js";
import { asRows, isParam } from "./submission.js";

const MAX_ROWS = 8; // cells shown per array; the counts say how many differ in all
const MAX_COLS = 10;

// "W1" -> "dW1"; an intermediate ("dz2") is already named as the student wrote it.
export const label = (name) => (isParam(name) ? `d${name}` : name);

const present = (list) => Array.isArray(list) && list.length > 0;

// One recognised mistake: its title, the paragraph saying why, the line to write instead.
function mistakeBox(m) {
  const box = el("div", "mistake-named", [
    el("p", "mistake-title", ["Recognised: ", el("strong", "", m.title)]),
    el("p", "", m.explanation),
    m.fix ? el("p", "mistake-fix", ["The correct line: ", el("code", "", m.fix)]) : null,
    present(m.params) ? el("p", "muted", `It explains ${m.params.map(label).join(", ")}.`) : null,
  ]);
  box.dataset.mistake = m.name;
  if (m.form) box.dataset.form = m.form;
  return box;
}

// An array's first wrong entries as the server listed them: "dW1[0, 2]: yours 0.1, ours 0.03".
export function firstWrongText(name, entries) {
  return entries
    .map((e) => {
      const index = Array.isArray(e.index) ? e.index.join(", ") : String(e.index);
      return `${label(name)}[${index}]: yours ${formatNumber(e.given)}, ours ${formatNumber(e.ours)}`;
    })
    .join("; ");
}

// What differs and no catalogue mistake explains: named, with where each starts to differ.
function unexplainedBox(d) {
  const arrays = { ...(d.params || {}), ...(d.intermediates || {}) };
  const box = el("div", "compare-unexplained", [
    el("p", "verdict-bad", `Not one we know: ${d.unexplained.map(label).join(", ")}.`),
  ]);
  for (const name of d.unexplained) {
    const entries = arrays[name]?.first_wrong;
    if (present(entries)) box.append(el("p", "compare-first-wrong", firstWrongText(name, entries)));
  }
  return box;
}

// The verdict on a reply of POST .../compare: the elements to show, in order.
export function verdictParts(d) {
  const parts = [];
  const explained = present(d.explained_by) ? d.explained_by : [];
  if (d.summary) {
    parts.push(
      el("p", { className: d.all_agree ? "verdict-good" : "verdict-bad", id: "compare-summary" }, d.summary),
    );
  } else if (d.all_agree && d.all_given) {
    parts.push(
      el(
        "p",
        "verdict-good",
        `✓ All four agree with ours (relative error at most ${formatNumber(d.threshold, 1)}): your backprop is right.`,
      ),
    );
  } else if (d.all_agree) {
    const sent = Object.keys(d.params).map(label).join(", ");
    parts.push(
      el(
        "p",
        "verdict-good",
        `✓ ${sent} agree with ours. Send the others too to check the whole backward pass.`,
      ),
    );
  } else if (!explained.length && !present(d.unexplained)) {
    parts.push(
      el(
        "p",
        "verdict-bad",
        "✗ Your gradient differs from ours, and none of the usual mistakes explains it.",
      ),
    );
  }
  if (d.all_agree) return parts;
  parts.push(...explained.map(mistakeBox));
  if (present(d.unexplained)) parts.push(unexplainedBox(d));
  if (d.where?.message) {
    const where = el("p", { className: "compare-where", id: "compare-where" }, d.where.message);
    if (d.where.first_wrong) where.dataset.firstWrong = d.where.first_wrong;
    parts.push(where);
  } else if (!explained.length) {
    parts.push(el("p", "", whereToLook(d)));
  }
  return parts;
}

// Where to look when nothing explains the difference, in the run's own layers (the W's the reply
// compared): one hidden layer as ever; deeper, the highest layer whose gradient differs.
function whereToLook(d) {
  const O = Object.keys(d.params ?? {}).filter((name) => /^W\d+$/.test(name)).length;
  if (O <= 2) {
    return (
      "Look at which parameters differ: if only dW1 and db1 do, the error is below dz1 (the activation's " +
      "derivative, or da1 = dz2 W2ᵀ); if all four do, start at dz2 = (ŷ − y)/N. The Derivation tab works one point through."
    );
  }
  return (
    `Look at which parameters differ, from dW${O} down: the error starts at the highest layer l whose dWl differs, ` +
    `in δl = (δl+1 Wl+1ᵀ) ⊙ f′(zl) or in dWl = al−1ᵀ δl itself; if dW${O} differs too, start at the output's dz${O}. ` +
    "The Derivation tab works one point through, layer by layer."
  );
}

// The per-array blocks in the server's order: the gradients sent, layer by layer, then the
// intermediates sent under a heading, from the output down; deeper than one hidden layer, each
// layer's under its own heading.
export function arrayBlocks(d) {
  const params = Object.keys(d.params ?? {});
  const sent = Object.keys(d.intermediates ?? {});
  const deep = [...params, ...sent].some((n) => Number(n.match(/\d+$/)?.[0]) > 2);
  const blocks = [];
  let layer = null;
  for (const name of params) {
    const l = name.match(/\d+$/)[0];
    if (deep && l !== layer) blocks.push(el("h4", "compare-layer-head", `Layer ${l}`));
    layer = l;
    blocks.push(paramBlock(name, d.params[name]));
  }
  if (sent.length) {
    const head = deep ? "The intermediates you sent, from the output down" : "The intermediates you sent";
    blocks.push(el("h4", "compare-intermediates-head", head));
    blocks.push(...sent.map((n) => paramBlock(n, d.intermediates[n])));
  }
  return blocks;
}

// One array's answer: its shape, its error and badge, and its cells, yours above ours with the
// ones that differ marked, all as the server laid them out (p.given is yours in our layout). Its
// first wrong entries are said in the verdict, for what no mistake explains: where a mistake
// explains an array, its title and fix line say more than the entries.
export function paramBlock(name, p) {
  const shape = (s) => (s ? s.join("×") || "scalar" : "–");
  const sameShape = !p.given_shape || !p.expected_shape || p.given_shape.join() === p.expected_shape.join();
  const head = el("p", "compare-param-head", [
    el("strong", "", label(name)),
    ` ${shape(p.expected_shape)} · `,
    sameShape
      ? `max relative error ${formatNumber(p.max_rel_error, 2)} · `
      : el("span", "error-text", `you sent ${shape(p.given_shape)}`),
    p.agrees
      ? el("span", "badge badge-pass", "✓ agrees")
      : el("span", "badge badge-fail", sameShape ? `✗ ${p.differing_count} differ` : "✗ wrong shape"),
  ]);
  const block = el("div", "compare-param", [head]);
  block.dataset.param = name;
  if (p.shape_message) block.append(el("p", "error-text compare-shape", p.shape_message));
  if (!p.rel_error || !p.ours) return block;
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
      cell.title = `${label(name)}[${ours.length > 1 ? `${r},${c}` : c}]: relative error ${formatNumber(rel[r][c], 2)}`;
      tr.append(cell);
    }
    table.append(tr);
  }
  // A wide matrix scrolls inside its own box: a phone's page never scrolls sideways.
  block.append(el("div", "compare-cells-scroll", table));
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
