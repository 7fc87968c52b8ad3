// The decision boundary: the network's class probabilities over the plane, painted from the
// frame's uint8 grid, with the training points (circles) and test points (diamonds) on top.
// The heatmap and the points are two stacked canvases: points and axes change only with the
// data, so a frame repaints one G x G image and nothing else.

import { CellImage, SizedCanvas, cssPixels, niceTicks } from "./canvas.js";
import { classColor, confidenceTables } from "./palette.js";

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

function drawMarker(ctx, shape, x, y, r) {
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

export function create(el, legendEl) {
  el.classList.add("boundary-plot");
  const heat = new SizedCanvas(document.createElement("canvas"));
  heat.canvas.id = "boundary-heat";
  heat.canvas.className = "boundary-heat";
  const overlay = new SizedCanvas(document.createElement("canvas"));
  overlay.canvas.className = "boundary-overlay";
  el.append(heat.canvas, overlay.canvas);
  const cells = new CellImage();
  let hello = null;
  let tables = [];
  let lastG = 0; // the resolution of the painted grid; 0: nothing painted yet
  let rect = null; // the plot square, in CSS pixels within el

  function layout(width, height) {
    const font = cssPixels(el);
    const margin = { left: 4.2 * font, bottom: 3.2 * font, top: 0.6 * font, right: 0.8 * font };
    const room = { w: width - margin.left - margin.right, h: height - margin.top - margin.bottom };
    const side = Math.max(50, Math.min(room.w, room.h));
    rect = { left: margin.left + Math.max(0, (room.w - side) / 2), top: margin.top, side, font };
    heat.canvas.style.left = `${rect.left}px`;
    heat.canvas.style.top = `${rect.top}px`;
    heat.resize(side, side);
    overlay.resize(width, height);
  }

  function toPixel(x, y) {
    const [x0, x1, y0, y1] = hello.box;
    return [rect.left + ((x - x0) / (x1 - x0)) * rect.side, rect.top + (1 - (y - y0) / (y1 - y0)) * rect.side];
  }

  function drawOverlay() {
    const ctx = overlay.begin();
    if (!hello) return;
    drawAxes(ctx);
    drawPoints(ctx);
  }

  function drawAxes(ctx) {
    const [x0, x1, y0, y1] = hello.box;
    const { left, top, side, font } = rect;
    ctx.strokeStyle = "#444";
    ctx.lineWidth = 1;
    ctx.strokeRect(left - 0.5, top - 0.5, side + 1, side + 1);
    ctx.fillStyle = "#333";
    ctx.font = `${0.8 * font}px system-ui, sans-serif`;
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

  function drawPoints(ctx) {
    const { x, y, label, train, test } = hello.points;
    // Markers shrink as the data grows, so thousands of points do not become one blob.
    const r = markerRadius();
    ctx.save();
    ctx.beginPath();
    ctx.rect(rect.left, rect.top, rect.side, rect.side);
    ctx.clip();
    ctx.strokeStyle = "#111";
    for (const [indices, shape, width] of [[train, "circle", 1], [test, "diamond", 1.8]]) {
      ctx.lineWidth = width;
      for (const i of indices) {
        const [px, py] = toPixel(x[i], y[i]);
        ctx.fillStyle = classColor(label[i]);
        drawMarker(ctx, shape, px, py, r);
      }
    }
    ctx.restore();
  }

  function paint(grid, G, C) {
    cells.paint(G, G, (rgba) => {
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
    });
  }

  function drawHeat() {
    const ctx = heat.begin();
    if (!lastG) return;
    // Grid values sit at linspace(x_min, x_max, G): pixel centres must land on them, so the image
    // reaches half a cell beyond the box on every side (and is clipped there).
    const cell = rect.side / (lastG - 1);
    cells.drawTo(ctx, -cell / 2, -cell / 2, rect.side + cell, rect.side + cell, true);
  }

  function drawLegend() {
    if (!legendEl) return;
    legendEl.replaceChildren();
    for (let k = 0; k < hello.classes; k++) {
      const item = document.createElement("span");
      item.className = "legend-item";
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = classColor(k);
      item.append(swatch, `class ${k}`);
      legendEl.append(item);
    }
    for (const [shape, text] of [["circle", "train"], ["diamond", "test"]]) {
      const item = document.createElement("span");
      item.className = "legend-item";
      item.append(markerIcon(shape, "#bbb"), text);
      legendEl.append(item);
    }
  }

  // ---- layers over the points (arrows.js: input gradients, the derivation's point) and
  // picking a training point with the mouse. A layer has a canvas, attach(geometryOf), draw(),
  // and optionally begin(hello) and update(frame).
  const layers = [];
  const pickHandlers = [];

  function markerRadius() {
    const n = hello ? hello.points.x.length : 1;
    return Math.max(2.2, Math.min(rect.side / 75, 8) * Math.min(1, Math.sqrt(400 / Math.max(1, n))));
  }

  function geometry() {
    if (!hello || !rect) return null;
    const { width, height } = overlay;
    return { hello, rect, width, height, toPixel, radius: markerRadius(), drawMarker };
  }

  // The training point under (px, py), CSS pixels within el: { n (among hello.points.train),
  // index (among all points) }, or null when none is within reach.
  function trainingPointAt(px, py) {
    if (!hello || !rect) return null;
    const { x, y, train } = hello.points;
    const reach = Math.max(8, 1.6 * markerRadius());
    let best = null;
    let bestDistance = reach * reach;
    train.forEach((i, n) => {
      const [qx, qy] = toPixel(x[i], y[i]);
      const d = (qx - px) ** 2 + (qy - py) ** 2;
      if (d <= bestDistance) {
        bestDistance = d;
        best = { n, index: i };
      }
    });
    return best;
  }

  function drawLayers() {
    for (const layer of layers) layer.draw();
  }

  function pointerAt(event) {
    const box = el.getBoundingClientRect();
    return trainingPointAt(event.clientX - box.left, event.clientY - box.top);
  }

  el.addEventListener("click", (event) => {
    const picked = pointerAt(event);
    if (picked) for (const handler of pickHandlers) handler(picked);
  });
  el.addEventListener("mousemove", (event) => {
    if (pickHandlers.length) el.style.cursor = pointerAt(event) ? "pointer" : "";
  });
  // ---- end of layers and picking

  function redraw(width = el.clientWidth, height = el.clientHeight) {
    layout(width, height);
    drawOverlay();
    drawHeat();
    drawLayers();
  }

  new ResizeObserver(([entry]) => redraw(entry.contentRect.width, entry.contentRect.height)).observe(el);

  return {
    begin(message) {
      hello = message;
      tables = confidenceTables(message.classes);
      lastG = 0;
      drawLegend();
      for (const layer of layers) layer.begin?.(message);
      redraw();
    },
    setPoints(points, box) {
      if (!hello) return;
      hello = { ...hello, points, box };
      redraw();
    },
    update(frame) {
      for (const layer of layers) layer.update?.(frame);
      const spec = frame.arrays.grid;
      if (!spec || !hello) return;
      const [G, , C] = spec.shape;
      paint(spec.data, G, C);
      lastG = G;
      if (!rect) redraw();
      else drawHeat();
    },
    // A layer drawn over the points, on its own canvas (see arrows.js).
    addLayer(layer) {
      el.append(layer.canvas);
      layer.attach(geometry);
      layers.push(layer);
      layer.draw();
    },
    // handler({ n, index }) when a training point is clicked: n among hello.points.train,
    // index among all points.
    onPick(handler) {
      pickHandlers.push(handler);
    },
  };
}
