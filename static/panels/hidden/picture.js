// What the hidden space draws, on one canvas: the input plane with a grid over the data's box
// on the left; on the right the points and the grid lines carried through the layers up to the
// hidden layer shown; an arrow between them. hidden.js fetches the numbers and words.js names
// them; this module only draws them.

import { niceTicks } from "../../lib/canvas.js";
import { classColor } from "../../lib/palette.js";

export const LINES = 11;
// The server's extent ([x0, x1, y0, y1], null where not finite); a unit square without one.
function extentOf(ext) {
  return ext?.every((v) => v !== null && Number.isFinite(v)) ? ext : [-1, 1, -1, 1];
}

// One pane: a rectangle on the canvas showing `ext` at one scale across and up.
function pane(area, ext) {
  const [x0, x1, y0, y1] = ext;
  const scale = Math.min(area.w / (x1 - x0), area.h / (y1 - y0));
  const width = (x1 - x0) * scale;
  const height = (y1 - y0) * scale;
  const left = area.left + (area.w - width) / 2;
  const top = area.top + (area.h - height) / 2;
  return {
    ...{ left, top, width, height, x0, x1, y0, y1 },
    px: (x) => left + (x - x0) * scale,
    py: (y) => top + height - (y - y0) * scale,
    toData: (fx, fy) => [x0 + fx * (x1 - x0), y1 - fy * (y1 - y0)],
  };
}

// The grid: vertical input lines (x1 fixed) darker than horizontal ones (x2 fixed), and the
// box's edges darkest, so the outline of the input plane can be followed through the map.
function drawGrid(ctx, p, grid) {
  const lines = grid.length / 2;
  grid.forEach((line, i) => {
    const edge = i % lines === 0 || i % lines === lines - 1;
    ctx.strokeStyle = edge ? "#444" : i < lines ? "rgba(50,50,60,0.5)" : "rgba(50,50,60,0.28)";
    ctx.lineWidth = edge ? 2 : 1.2;
    ctx.beginPath();
    let pen = false;
    for (const [x, y] of line) {
      if (x === null || y === null) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(p.px(x), p.py(y));
      else ctx.moveTo(p.px(x), p.py(y));
      pen = true;
    }
    ctx.stroke();
  });
}

function drawPoints(ctx, p, xy, labels, radius) {
  ctx.strokeStyle = "#111";
  ctx.lineWidth = 1;
  xy.forEach(([x, y], i) => {
    if (x === null || y === null) return;
    ctx.fillStyle = classColor(labels[i] ?? 0);
    ctx.beginPath();
    ctx.arc(p.px(x), p.py(y), radius, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  });
}

function drawAxes(ctx, p, font, [xName, yName], title) {
  ctx.strokeStyle = "#444";
  ctx.lineWidth = 1;
  ctx.strokeRect(p.left - 0.5, p.top - 0.5, p.width + 1, p.height + 1);
  ctx.fillStyle = "#333";
  ctx.font = `${0.78 * font}px system-ui, sans-serif`;
  const tick = 0.3 * font;
  const xs = niceTicks(p.x0, p.x1, p.width / (3.5 * font));
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of xs.ticks) {
    ctx.beginPath();
    ctx.moveTo(p.px(t), p.top + p.height);
    ctx.lineTo(p.px(t), p.top + p.height + tick);
    ctx.stroke();
    ctx.fillText(t.toFixed(xs.decimals), p.px(t), p.top + p.height + tick + 1);
  }
  const ys = niceTicks(p.y0, p.y1, p.height / (2.5 * font));
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of ys.ticks) {
    ctx.beginPath();
    ctx.moveTo(p.left - tick, p.py(t));
    ctx.lineTo(p.left, p.py(t));
    ctx.stroke();
    ctx.fillText(t.toFixed(ys.decimals), p.left - tick - 2, p.py(t));
  }
  ctx.font = `italic ${0.88 * font}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText(xName, p.left + p.width / 2, p.top + p.height + 2.4 * font);
  ctx.save();
  ctx.translate(p.left - 2.5 * font, p.top + p.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText(yName, 0, 0);
  ctx.restore();
  ctx.font = `600 ${0.9 * font}px system-ui, sans-serif`;
  ctx.textAlign = "left";
  ctx.textBaseline = "top";
  ctx.fillText(title, p.left, 0.15 * font);
}

// The arrow from one pane to the other: the map the hidden layers are, named `label`.
function drawMap(ctx, ax, bx, ay, font, label) {
  ctx.strokeStyle = "#333";
  ctx.fillStyle = "#333";
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(ax, ay);
  ctx.lineTo(bx - 0.5 * font, ay);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(bx, ay);
  ctx.lineTo(bx - 0.6 * font, ay - 0.35 * font);
  ctx.lineTo(bx - 0.6 * font, ay + 0.35 * font);
  ctx.closePath();
  ctx.fill();
  ctx.font = `${0.8 * font}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  if (ctx.measureText(label).width < bx - ax) ctx.fillText(label, (ax + bx) / 2, ay - 0.3 * font);
}

// Draws the whole picture on ctx (width x height, type size `font`). data: GET .../hidden-space;
// points and box: the store's; names: { axes, title, map } for the hidden pane (words.js);
// paintBackground(ctx, pane) paints the hidden pane's background and returns true, or returns
// false for a plain one.
export function drawPicture(ctx, { width, height, font }, { data, points, box, names }, paintBackground) {
  const margin = { left: 3.3 * font, right: 0.8 * font, top: 1.5 * font, bottom: 2.6 * font };
  const h = height - margin.top - margin.bottom;
  const w = width - 2 * (margin.left + margin.right) - font;
  if (w < 40 || h < 20) return;
  // The input pane gets a square as tall as the room, or less; the hidden pane the rest.
  const inputSide = Math.min(h, 0.42 * w);
  const input = pane({ left: margin.left, top: margin.top, w: inputSide, h }, box);
  const hiddenLeft = margin.left + inputSide + margin.right + font + margin.left;
  const hidden = pane(
    { left: hiddenLeft, top: margin.top, w: width - hiddenLeft - margin.right, h },
    extentOf(data.extent),
  );
  const n = data.points.length;
  const room = Math.min(input.width, hidden.height);
  const radius = Math.max(
    2,
    Math.min(0.3 * font, 7, room / 45) * Math.min(1, Math.sqrt(300 / Math.max(1, n))),
  );
  const labels = data.train.map((i) => points.label[i]);

  for (const [p, paint] of [
    [input, false],
    [hidden, true],
  ]) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(p.left, p.top, p.width, p.height);
    ctx.clip();
    if (!(paint && paintBackground(ctx, p))) {
      ctx.fillStyle = "#fbfbfc";
      ctx.fillRect(p.left, p.top, p.width, p.height);
    }
    if (p === input) {
      drawGrid(ctx, p, data.input_grid ?? []);
      drawPoints(
        ctx,
        p,
        data.train.map((i) => [points.x[i], points.y[i]]),
        labels,
        radius,
      );
    } else {
      drawGrid(ctx, p, data.grid);
      drawPoints(ctx, p, data.points, labels, radius);
    }
    ctx.restore();
  }
  drawAxes(ctx, input, font, ["x₁", "x₂"], "input x");
  drawAxes(ctx, hidden, font, names.axes, names.title);
  const ax = input.left + input.width + 0.35 * font;
  const bx = hidden.left - 3.0 * font;
  if (bx - ax > font) drawMap(ctx, ax, bx, margin.top + h / 2, font, names.map);
}
