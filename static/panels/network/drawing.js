// The diagram's SVG: where each node and link goes for a given size, built once per structure
// (the nodes of each column). The links are painted on a canvas under it (links.js); the SVG
// holds an invisible path along each, what the pointer hovers and the keyboard focuses.

import { classColor } from "../../lib/palette.js";
import { linePath, linkLines } from "./links.js";
import { linkName, nodeName } from "./words.js";

const SVG = "http://www.w3.org/2000/svg";
const DENSE_WIDEST = 6;

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// Node centres and size for the model's columns in a box `width` wide, the type `font` px:
// the columns spread over the width between the inputs' and the outputs' labels, each column's
// nodes centred, as large as the height `room` allows (a tall network may scroll).
// headroom: px kept free over the columns (the passes' trail of numbers).
export function geometry(model, width, roomWithHeadroom, font, headroom = 0) {
  const room = roomWithHeadroom - headroom;
  const columns = model.columns;
  const most = Math.max(...columns.map((c) => c.length));
  const left = 3.6 * font; // the inputs' names, then half a node
  const right = 5.8 * font; // half a node, then "class 7"
  const span = Math.max(1, width - left - right);
  const gapX = span / Math.max(1, columns.length - 1);
  const byHeight = (room - 2 * font) / (most * 1.2);
  const side = Math.max(1.3 * font, Math.min(2.4 * font, byHeight, gapX / 2.4));
  const height = most * side * 1.2 + 2 * font; // what the nodes take: narrow columns leave no empty band
  const centres = columns.map((column, c) => {
    const x = left + c * gapX;
    const top = headroom + (height - column.length * side * 1.2) / 2 + 0.6 * side;
    return column.map((_, i) => [x, top + i * side * 1.2]);
  });
  // The thickest link: half a node, at most 10 px, or 6 px where the links are many (a 6 × 16
  // net's 1,400 links at 10 px are a smear, and painting them cost twice as much, measured).
  const widest = Math.max(3, Math.min(0.5 * side, model.dense ? DENSE_WIDEST : 10));
  return { width, height: height + headroom, side, centres, widest };
}

// The whole SVG for the model at geometry g: { root, nodes: [[g element]], hits: [path],
// lines: [each link's line], images: Map(key -> <image>) }; every node is focusable.
export function build(model, g, font) {
  const root = svg("svg", {
    width: g.width,
    height: g.height,
    viewBox: `0 0 ${g.width} ${g.height}`,
    role: "group",
    "aria-label": "the network: inputs, hidden layers, outputs",
  });
  const hitLayer = svg("g", { class: "network-hits" });
  const nodeLayer = svg("g", { class: "network-nodes" });
  root.append(hitLayer, nodeLayer);
  const half = g.side / 2;
  const lines = linkLines(model, g);
  const hits = model.links.map((link, n) => {
    // One tab stop for all the links (the first, then the last one focused); ↑/↓ move along them.
    const hit = svg("path", {
      d: linePath(lines[n]),
      class: "network-hit",
      "data-link": n,
      "data-name": link.name,
      tabindex: n === 0 ? 0 : -1,
    });
    if (link.index) hit.dataset.index = link.index.join(",");
    hit.setAttribute("role", "button");
    hit.setAttribute("aria-label", linkName(model, link));
    hitLayer.append(hit);
    return hit;
  });
  const images = new Map();
  const nodes = model.columns.map((column, c) =>
    column.map((node, i) => {
      const [x, y] = g.centres[c][i];
      const group = svg("g", {
        class: `network-node network-${node.kind}`,
        tabindex: 0,
        role: node.kind === "hidden" && node.unit !== null ? "button" : "img",
        "data-key": node.key,
        "data-kind": node.kind,
        "aria-label": nodeName(node),
      });
      if (node.unit !== null) group.dataset.unit = String(node.unit);
      const box = svg("rect", {
        x: x - half,
        y: y - half,
        width: g.side,
        height: g.side,
        rx: node.kind === "output" ? half : 2,
        class: "network-box",
      });
      if (node.kind === "output") box.style.fill = classColor(node.unit); // over the sheet's white
      group.append(box);
      if (node.kind === "hidden" && node.unit !== null) {
        const image = svg("image", {
          x: x - half + 1,
          y: y - half + 1,
          width: g.side - 2,
          height: g.side - 2,
          preserveAspectRatio: "none",
          class: "network-map",
        });
        group.append(image);
        images.set(node.key, image);
      }
      const label = labelOf(node, x, y, half, font);
      if (label) group.append(label);
      nodeLayer.append(group);
      return group;
    }),
  );
  return { root, nodes, hits, lines, images };
}

// Inputs are named on their left, outputs on their right, a fold inside itself.
function labelOf(node, x, y, half, font) {
  const place = {
    input: { x: x - half - 0.3 * font, y: y + 0.35 * font, anchor: "end" },
    output: { x: x + half + 0.3 * font, y: y + 0.35 * font, anchor: "start" },
  }[node.kind] ?? { x, y: y + half + 0.9 * font, anchor: "middle" }; // a fold's count under it
  if (node.kind === "hidden" && node.unit !== null) return null;
  const text = svg("text", {
    x: place.x,
    y: place.y,
    "text-anchor": place.anchor,
    class: "network-label",
  });
  text.textContent = node.kind === "hidden" ? `+${node.units.length}` : node.label;
  return text;
}
