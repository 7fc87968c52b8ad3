// The hidden unit's two squares over the data's box: its activation painted over the plane, and
// its error at each training point; both with the unit's line z = 0, where it switches.

import { CellImage, SizedCanvas } from "../../lib/canvas.js";
import { el } from "../../lib/dom.js";
import { classColor, divergingTable } from "../../lib/palette.js";

const TABLE = divergingTable();

function divergingRgb(t) {
  const i = Math.round(255 * Math.min(1, Math.max(0, t))) * 3;
  return `rgb(${TABLE[i]},${TABLE[i + 1]},${TABLE[i + 2]})`;
}

// A square plot of the data's box, on a canvas with this id.
export function plane(id) {
  const holder = el("div", "unit-plot");
  const sized = new SizedCanvas(document.createElement("canvas"));
  sized.canvas.id = id;
  holder.append(sized.canvas);
  return { holder, sized };
}

// data: GET .../units/{j}; points: all points (the store's).
export function unitPlots(left, right) {
  const cells = new CellImage();

  // The activation grid (rows from the bottom of the box up) in diverging colours over [low, high].
  function paintActivation(grid, low, high) {
    const n = grid.length;
    cells.paint(n, n, (rgba) => {
      for (let i = 0; i < n; i++) {
        const row = (n - 1 - i) * n; // grid rows go bottom to top, image rows top to bottom
        for (let c = 0; c < n; c++) {
          const t = (grid[i][c] - low) / (high - low);
          const k = Math.round(255 * Math.min(1, Math.max(0, t))) * 3;
          const o = (row + c) * 4;
          rgba[o] = TABLE[k];
          rgba[o + 1] = TABLE[k + 1];
          rgba[o + 2] = TABLE[k + 2];
          rgba[o + 3] = 255;
        }
      }
    });
  }

  function toPixel(data, side, x, y) {
    const [x0, x1, y0, y1] = data.box;
    return [((x - x0) / (x1 - x0)) * side, (1 - (y - y0) / (y1 - y0)) * side];
  }

  // The line x·w_in + b = 0, clipped to the box by the canvas.
  function drawLine(ctx, data, side) {
    const [w1, w2] = data.w_in;
    const b = data.b ?? 0;
    const [x0, x1, y0, y1] = data.box;
    let ends;
    if (Math.abs(w2) > Math.abs(w1)) ends = [x0, x1].map((x) => [x, -(w1 * x + b) / w2]);
    else if (w1 !== 0) ends = [y0, y1].map((y) => [-(w2 * y + b) / w1, y]);
    else return;
    const [[ax, ay], [bx, by]] = ends.map(([x, y]) => toPixel(data, side, x, y));
    ctx.save();
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 1.6;
    ctx.strokeStyle = "#222";
    ctx.beginPath();
    ctx.moveTo(ax, ay);
    ctx.lineTo(bx, by);
    ctx.stroke();
    ctx.restore();
  }

  // fill(k, i): the colour of training point k (index i among all points); byClass: outlined
  // black (the fill is the class), else outlined in the class's colour.
  function drawPoints(ctx, data, points, side, fill, r, byClass) {
    const { x, y, label } = points;
    data.train.forEach((i, k) => {
      if (i >= x.length) return;
      const [px, py] = toPixel(data, side, x[i], y[i]);
      ctx.beginPath();
      ctx.arc(px, py, r, 0, 2 * Math.PI);
      ctx.fillStyle = fill(k, i);
      ctx.fill();
      ctx.strokeStyle = byClass ? "#111" : classColor(label[i]);
      ctx.stroke();
    });
  }

  // Both squares, `top` the largest |dz1|: the error's colour scale; withLine: draw the line where
  // the unit switches (only a first-layer unit fed x1, x2 switches along a line).
  function draw(data, points, top, withLine = true) {
    for (const [plot, which] of [
      [left, "activation"],
      [right, "error"],
    ]) {
      const side = Math.floor(Math.min(plot.holder.clientWidth, plot.holder.clientHeight));
      if (side < 10) continue;
      plot.sized.resize(side, side);
      const ctx = plot.sized.begin();
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, 0, side, side);
      ctx.clip();
      const r = Math.max(
        1.8,
        Math.min(side / 90, 4.5) * Math.min(1, Math.sqrt(400 / Math.max(1, data.train.length))),
      );
      if (which === "activation") {
        const cell = side / (data.a1_grid.length - 1);
        cells.drawTo(ctx, -cell / 2, -cell / 2, side + cell, side + cell, true);
        ctx.lineWidth = 0.8;
        drawPoints(ctx, data, points, side, (_k, i) => classColor(points.label[i]), r * 0.8, true);
      } else {
        ctx.fillStyle = "#f4f4f6";
        ctx.fillRect(0, 0, side, side);
        ctx.lineWidth = Math.max(1.2, r * 0.4);
        drawPoints(
          ctx,
          data,
          points,
          side,
          (k) => divergingRgb(0.5 + data.dz1[k] / (2 * top)),
          r * 1.25,
          false,
        );
      }
      if (withLine) drawLine(ctx, data, side);
      ctx.restore();
      ctx.strokeStyle = "#444";
      ctx.lineWidth = 1;
      ctx.strokeRect(0.5, 0.5, side - 1, side - 1);
    }
  }

  return { paintActivation, draw };
}
