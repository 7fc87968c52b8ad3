// How the decision boundary is drawn: the plot square's layout, its axes, the markers of the
// training points (circles) and test points (diamonds), the legend, and the class probabilities
// painted as an image. boundary.js decides when; this module only draws.

import { niceTicks } from "../../lib/canvas.js";
import { el, swatch } from "../../lib/dom.js";
import { classColor } from "../../lib/palette.js";

const SVG = "http://www.w3.org/2000/svg";

export function markerIcon(shape, color) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "-6 -6 12 12");
  svg.setAttribute("class", "marker-icon");
  const mark = document.createElementNS(SVG, shape === "circle" ? "circle" : "path");
  if (shape === "circle") mark.setAttribute("r", "4.2");
  else mark.setAttribute("d", "M0,-5.2 L5.2,0 L0,5.2 L-5.2,0 Z");
  mark.setAttribute("fill", color);
  mark.setAttribute("stroke", "#111");
  mark.setAttribute("stroke-width", shape === "circle" ? "1" : "1.6");
  svg.append(mark);
  return svg;
}

export function drawMarker(ctx, shape, x, y, r) {
  ctx.beginPath();
  if (shape === "circle") {
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  } else {
    const d = r * 1.3;
    ctx.moveTo(x, y - d);
    ctx.lineTo(x + d, y);
    ctx.lineTo(x, y + d);
    ctx.lineTo(x - d, y);
    ctx.closePath();
  }
  ctx.fill();
  ctx.stroke();
}

// The plot square in a width x height box with type size `font`: { left, top, side, font }.
// In a narrow box (a phone) the square takes the width, its axes the least room they need.
export function plotSquare(width, height, font) {
  const narrow = width < 30 * font;
  const margin = { left: (narrow ? 3.2 : 4.2) * font, bottom: 3.2 * font, top: 0.6 * font };
  margin.right = (narrow ? 0.25 : 0.8) * font;
  const room = { w: width - margin.left - margin.right, h: height - margin.top - margin.bottom };
  const side = Math.max(50, Math.min(room.w, room.h));
  return { left: margin.left + Math.max(0, (room.w - side) / 2), top: margin.top, side, font };
}

// The radius of a point's marker: they shrink as the data grows, so thousands of points do not
// become one blob.
export function markerRadius(side, n) {
  return Math.max(2.2, Math.min(side / 75, 8) * Math.min(1, Math.sqrt(400 / Math.max(1, n))));
}

export function drawAxes(ctx, box, rect, toPixel) {
  const [x0, x1, y0, y1] = box;
  const { left, top, side, font } = rect;
  ctx.strokeStyle = "#444";
  ctx.lineWidth = 1;
  ctx.strokeRect(left - 0.5, top - 0.5, side + 1, side + 1);
  ctx.fillStyle = "#333";
  // The tick numbers a size under the axis names, and never under 12 px (a laptop's 11 px read
  // as grey specks from the back of a room).
  ctx.font = `${Math.max(12, 0.9 * font)}px system-ui, sans-serif`;
  const tick = 0.35 * font;
  const xs = niceTicks(x0, x1, side / (4 * font));
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of xs.ticks) {
    const [px] = toPixel(t, y0);
    ctx.beginPath();
    ctx.moveTo(px, top + side);
    ctx.lineTo(px, top + side + tick);
    ctx.stroke();
    ctx.fillText(t.toFixed(xs.decimals), px, top + side + tick + 2);
  }
  const ys = niceTicks(y0, y1, side / (4 * font));
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of ys.ticks) {
    const [, py] = toPixel(x0, t);
    ctx.beginPath();
    ctx.moveTo(left - tick, py);
    ctx.lineTo(left, py);
    ctx.stroke();
    ctx.fillText(t.toFixed(ys.decimals), left - tick - 3, py);
  }
  ctx.font = `italic ${font}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText("x₁", left + side / 2, top + side + 3.1 * font);
  ctx.save();
  ctx.translate(left - 3.1 * font, top + side / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "top";
  ctx.fillText("x₂", 0, 0);
  ctx.restore();
}

export function drawPoints(ctx, points, rect, toPixel, r) {
  const { x, y, label, train, test } = points;
  ctx.save();
  ctx.beginPath();
  ctx.rect(rect.left, rect.top, rect.side, rect.side);
  ctx.clip();
  ctx.strokeStyle = "#111";
  for (const [indices, shape, width] of [
    [train, "circle", 1],
    [test, "diamond", 1.8],
  ]) {
    ctx.lineWidth = width;
    for (const i of indices) {
      const [px, py] = toPixel(x[i], y[i]);
      ctx.fillStyle = classColor(label[i]);
      drawMarker(ctx, shape, px, py, r);
    }
  }
  ctx.restore();
}

// grid: G x G x C class probabilities as uint8 (0..255), rows from the bottom of the box up;
// tables: per class, 256 RGB triples (palette.js confidenceTables). Writes G x G RGBA pixels,
// each the winning class's colour at its probability, rows from the top.
export function paintProbabilities(rgba, grid, G, C, tables) {
  for (let i = 0; i < G; i++) {
    const row = (G - 1 - i) * G; // grid rows go bottom to top, image rows top to bottom
    for (let j = 0; j < G; j++) {
      const base = (i * G + j) * C;
      let best = 0;
      let p = grid[base];
      for (let c = 1; c < C; c++) {
        if (grid[base + c] > p) {
          p = grid[base + c];
          best = c;
        }
      }
      const table = tables[best];
      const o = (row + j) * 4;
      rgba[o] = table[p * 3];
      rgba[o + 1] = table[p * 3 + 1];
      rgba[o + 2] = table[p * 3 + 2];
      rgba[o + 3] = 255;
    }
  }
}

// The legend: a swatch per class, then the markers of train and test points.
export function legendItems(classes) {
  const items = [];
  for (let k = 0; k < classes; k++)
    items.push(el("span", "legend-item", [swatch(classColor(k)), `class ${k}`]));
  for (const [shape, text] of [
    ["circle", "train"],
    ["diamond", "test"],
  ]) {
    items.push(el("span", "legend-item", [markerIcon(shape, "#bbb"), text]));
  }
  return items;
}
