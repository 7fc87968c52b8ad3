// One stage of the passes (GET .../pass) lit on the drawn diagram: its links painted as wide as
// their value (the others dimmed; litStyles, painted by links.js), its units ringed and, where a layer is small, their values
// written on them, and under each column the largest |value| of the stages walked so far, so the
// gradient is seen shrinking (or growing) layer by layer. The values are the server's; the page
// only picks which link of the reply a drawn link is.

import { formatNumber } from "../../lib/format.js";
import { NEGATIVE_COLOR, POSITIVE_COLOR } from "../../lib/palette.js";

const SVG = "http://www.w3.org/2000/svg";
// A layer shows its values on its nodes when it has at most this many (else on hover and focus).
export const VALUES_ON_NODES = 10;

// The value of each drawn link in the stage ({ link index in the model: value }): a link of
// W(l) between units the reply sent. A fold's summed link has none (it stays dimmed).
export function stageLinkValues(model, stage) {
  const values = new Map();
  const links = stage?.links;
  if (!links) return values;
  const rows = new Map(links.rows.map((u, r) => [u, r]));
  const cols = new Map(links.cols.map((u, c) => [u, c]));
  model.links.forEach((link, n) => {
    if (link.name !== links.name || !link.index) return;
    const r = rows.get(link.index[0]);
    const c = cols.get(link.index[1]);
    if (r === undefined || c === undefined) return;
    const v = links.values[r][c];
    if (v !== null) values.set(n, v);
  });
  return values;
}

// The value each drawn node shows in the stage ({ node key: value }).
export function stageUnitValues(model, stage) {
  const values = new Map();
  const units = stage?.units;
  if (!units) return values;
  const column = model.columns.find((c) => c[0]?.layer === units.layer);
  for (const node of column ?? []) {
    if (node.unit !== null && units.values[node.unit] !== null) values.set(node.key, units.values[node.unit]);
  }
  return values;
}

function largest(values) {
  let top = 0;
  for (const v of values) if (v !== null && Math.abs(v) > top) top = Math.abs(v);
  return top;
}

// The scale a pass's links and units are drawn against: the largest |value| over all its stages
// of each kind, so a layer whose gradient is 100× smaller is drawn 100× thinner. Links are scaled
// by what they carry (links.kind: a forward value, dW, or the error sent back), each kind against
// its own largest.
export function passScale(pass) {
  const links = {};
  let units = 0;
  for (const stage of pass.stages) {
    if (stage.links) {
      const kind = stage.links.kind ?? "";
      links[kind] = Math.max(links[kind] ?? 0, largest(stage.links.values.flat()));
    }
    if (stage.units && stage.units.layer !== 0) units = Math.max(units, largest(stage.units.values));
  }
  return { links, units };
}

const DIMMED = "#888";

// Each link's style ({ width, color, alpha, state }, as links.js paints) while stage `index` of
// `pass` is lit: the stage's links as wide as their value against the pass's largest of their
// kind, in their sign's colour; the links of the stages walked kept, fainter (a gradient
// shrinking layer by layer is seen as links thinning towards the inputs); the others dimmed.
// `frame` is the frame's own styles (links.js frameStyles), whose widths the dimmed keep.
export function litStyles(model, g, pass, index, frame) {
  const styles = frame.map((s) => ({ width: s.width, color: DIMMED, alpha: 0.08, state: "dimmed" }));
  const scale = passScale(pass);
  for (let k = 0; k <= index; k++) {
    const stage = pass.stages[k];
    const top = scale.links[stage.links?.kind ?? ""] ?? 0;
    for (const [n, v] of stageLinkValues(model, stage)) {
      const share = top > 0 ? Math.abs(v) / top : 0;
      styles[n] = {
        width: Math.max(0.75, g.widest * 1.3 * share),
        color: v < 0 ? NEGATIVE_COLOR : POSITIVE_COLOR,
        alpha: k === index ? 0.9 : 0.35,
        state: k === index ? "lit" : "walked",
        value: v,
      };
    }
  }
  return styles;
}

// The largest |unit value| of each column in the stages 0..index, the newest winning: the trail
// under the columns ("|δ2| ≤ 3e-5").
export function trail(pass, index) {
  const marks = new Map();
  pass.stages.slice(0, index + 1).forEach((stage) => {
    if (stage.units)
      marks.set(stage.units.layer, { quantity: stage.units.quantity, top: largest(stage.units.values) });
  });
  return marks;
}

function text(x, y, content, className) {
  const t = document.createElementNS(SVG, "text");
  t.setAttribute("x", x);
  t.setAttribute("y", y);
  t.setAttribute("text-anchor", "middle");
  t.setAttribute("class", className);
  t.textContent = content;
  return t;
}

// Light stage `index` of `pass` on drawn (drawing.build's) at geometry g, type `font` px: its
// units ringed, their values, the trail; a null pass clears.
export function light(drawn, model, g, font, pass, index) {
  const root = drawn.root;
  for (const old of root.querySelectorAll(".network-lighting")) old.remove();
  for (const node of drawn.nodes.flat()) node.classList.remove("is-lit");
  if (!pass) {
    root.classList.remove("is-animating");
    return;
  }
  const stage = pass.stages[index];
  const scale = passScale(pass);
  root.classList.add("is-animating");
  const under = group("network-lighting"); // rings, under the nodes
  const over = group("network-lighting"); // values and the trail, over them
  const unitValues = stageUnitValues(model, stage);
  // Values on the nodes where they fit (a few units, nodes wide enough); else on hover and focus.
  const gap = model.columns.length > 1 ? g.centres[1][0][0] - g.centres[0][0][0] : g.width;
  const few = unitValues.size <= VALUES_ON_NODES && gap > 4 * font;
  const half = g.side / 2;
  model.columns.forEach((column, c) => {
    column.forEach((node, i) => {
      if (!unitValues.has(node.key)) return;
      drawn.nodes[c][i].classList.add("is-lit");
      const v = unitValues.get(node.key);
      const [x, y] = g.centres[c][i];
      const share = scale.units > 0 && stage.units.layer !== 0 ? Math.abs(v) / scale.units : 1;
      const pad = 2 + 0.2 * g.side * share;
      under.append(
        svgElement("rect", {
          x: x - half - pad,
          y: y - half - pad,
          width: g.side + 2 * pad,
          height: g.side + 2 * pad,
          rx: 3,
          class: "network-ring",
          stroke: v < 0 ? NEGATIVE_COLOR : POSITIVE_COLOR,
        }),
      );
      if (few) over.append(text(x, y + 0.35 * font, formatNumber(v, 2), "network-value"));
    });
  });
  // The trail: over each column walked, its largest |value|, the current one bold; named in full
  // where the columns are wide apart, else the number alone (the caption names it), staggered.
  const named = gap > 8.5 * font;
  const staggered = !named && gap < 3.2 * font;
  const top = Math.min(...g.centres.map((column) => column[0][1])) - g.side / 2; // the highest node's top
  for (const [l, mark] of trail(pass, index)) {
    const c = model.columns.findIndex((column) => column[0]?.layer === l);
    if (c < 0) continue;
    const current = stage.units?.layer === l;
    const number = formatNumber(mark.top, 2);
    const words = named ? `|${mark.quantity.replace(/^mean /, "")}| ≤ ${number}` : number;
    const y = staggered && c % 2 === 0 ? top - 1.3 * font : top - 0.45 * font;
    over.append(text(g.centres[c][0][0], y, words, `network-trail${current ? " is-current" : ""}`));
  }
  root.insertBefore(under, root.querySelector(".network-nodes"));
  root.append(over);
}

function group(className) {
  return svgElement("g", { class: className });
}

function svgElement(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// What the lit stage says of a node (by key) or a link (by its index in the model), or "".
export function stageWords(model, pass, index, { nodeKey = null, link = null }) {
  const stage = pass?.stages[index];
  if (!stage) return "";
  if (nodeKey !== null) {
    const v = stageUnitValues(model, stage).get(nodeKey);
    return v === undefined ? "" : ` In this stage ${stage.units.quantity} = ${formatNumber(v)}.`;
  }
  const v = stageLinkValues(model, stage).get(link);
  return v === undefined ? "" : ` In this stage ${stage.links.quantity} = ${formatNumber(v)}.`;
}
