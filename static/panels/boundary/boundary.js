// The decision boundary: the network's class probabilities over the plane, painted from the
// frame's uint8 grid, with the training points (circles) and test points (diamonds) on top.
// The heatmap and the points are two stacked canvases: points and axes change only with the
// data, so a frame repaints one G x G image and nothing else.
//
// Layers go over the points (arrows.js: input gradients and the derivation's point; draw.js:
// your own points), each on its own element; the panel gives them the plot's geometry. A
// training point can be picked with the mouse (onPick). Scrubbed back (showStep), it shows that
// step's boundary, fetched over REST, and says so on the plot.

import { CellImage, cssPixels, SizedCanvas } from "../../lib/canvas.js";
import { el } from "../../lib/dom.js";
import { confidenceTables } from "../../lib/palette.js";
import { probe } from "../../lib/probe.js";
import { getView } from "../../lib/rest.js";
import {
  drawAxes,
  drawMarker,
  drawPoints,
  legendItems,
  markerRadius,
  paintProbabilities,
  plotSquare,
} from "./plot.js";

const DEFAULT_G = 100;

// GET .../grid's probabilities (G x G x C, nested, null where not finite) -> the frame's layout:
// uint8, 0..255, flat.
function quantized(probabilities) {
  return Uint8Array.from(probabilities.flat(Infinity), (p) => (p === null ? 0 : Math.round(p * 255)));
}

// section: the boundary's panel (#boundary, the plot; #boundary-legend in its header). A page with
// two boundaries (the compare page) names each by its own prefix: #<prefix>, #<prefix>-legend.
export function mount(section, store, { prefix = "boundary" } = {}) {
  const plot = section.querySelector(`#${prefix}`);
  const legend = section.querySelector(`#${prefix}-legend`);
  plot.classList.add("boundary-plot");
  const heat = new SizedCanvas(document.createElement("canvas"));
  heat.canvas.id = `${prefix}-heat`;
  heat.canvas.className = "boundary-heat";
  const overlay = new SizedCanvas(document.createElement("canvas"));
  overlay.canvas.className = "boundary-overlay";
  const badgeId = prefix === "boundary" ? "past-badge" : `${prefix}-past-badge`;
  const badge = el("div", { className: "past-badge", id: badgeId, hidden: true });
  plot.append(heat.canvas, overlay.canvas, badge);
  const cells = new CellImage();
  let tables = [];
  let lastG = 0; // the resolution of the painted grid; 0: nothing painted yet
  let rect = null; // the plot square, in CSS pixels within the plot
  let pastStep = null; // the step the timeline shows, or null when live
  let shownStep = null; // the past step asked for last: an older answer is dropped
  const layers = [];
  const pickHandlers = [];

  const ready = () => store.points !== null && rect !== null;

  function toPixel(x, y) {
    const [x0, x1, y0, y1] = store.box;
    return [
      rect.left + ((x - x0) / (x1 - x0)) * rect.side,
      rect.top + (1 - (y - y0) / (y1 - y0)) * rect.side,
    ];
  }

  // A mouse event's position in CSS pixels within the plot: [px, py].
  function local(event) {
    const box = plot.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  }

  // A position within the plot -> the data point there, or null off the square.
  function toData(px, py) {
    const fx = (px - rect.left) / rect.side;
    const fy = (py - rect.top) / rect.side;
    if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return null;
    const [x0, x1, y0, y1] = store.box;
    return { x: x0 + fx * (x1 - x0), y: y1 - fy * (y1 - y0) };
  }

  function radius() {
    return markerRadius(rect.side, store.points ? store.points.x.length : 1);
  }

  // What a layer draws with: the points, the box, the square, pixels <-> data.
  function geometry() {
    if (!ready()) return null;
    const { width, height } = overlay;
    const { points, box } = store;
    return { points, box, rect, width, height, toPixel, local, toData, radius: radius(), drawMarker };
  }

  function layout(width, height) {
    rect = plotSquare(width, height, cssPixels(plot));
    heat.canvas.style.left = `${rect.left}px`;
    heat.canvas.style.top = `${rect.top}px`;
    heat.resize(rect.side, rect.side);
    overlay.resize(width, height);
  }

  function drawHeat() {
    const ctx = heat.begin();
    if (!lastG) return;
    // Grid values sit at linspace(x_min, x_max, G): pixel centres must land on them, so the image
    // reaches half a cell beyond the box on every side (and is clipped there).
    const cell = rect.side / (lastG - 1);
    cells.drawTo(ctx, -cell / 2, -cell / 2, rect.side + cell, rect.side + cell, true);
  }

  function redraw(width = plot.clientWidth, height = plot.clientHeight) {
    layout(width, height);
    const ctx = overlay.begin();
    if (store.points) {
      drawAxes(ctx, store.box, rect, toPixel);
      drawPoints(ctx, store.points, rect, toPixel, radius());
    }
    drawHeat();
    for (const layer of layers) layer.draw();
  }

  function paint(grid, G, C) {
    cells.paint(G, G, (rgba) => paintProbabilities(rgba, grid, G, C, tables));
    lastG = G;
    if (!rect) redraw();
    else drawHeat();
  }

  function paintFrame(frame) {
    const spec = frame?.arrays.grid;
    if (!spec || !store.points) return;
    const [G, , C] = spec.shape;
    paint(spec.data, G, C);
  }

  // The training point under a mouse event: { n (among points.train), index (among all
  // points) }, or null when none is within reach.
  function trainingPointAt(event) {
    if (!ready()) return null;
    const [px, py] = local(event);
    const { x, y, train } = store.points;
    const reach = Math.max(8, 1.6 * radius());
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

  plot.addEventListener("click", (event) => {
    const picked = trainingPointAt(event);
    if (picked) for (const handler of pickHandlers) handler(picked);
  });
  plot.addEventListener("mousemove", (event) => {
    if (pickHandlers.length) plot.style.cursor = trainingPointAt(event) ? "pointer" : "";
  });
  new ResizeObserver(([entry]) => redraw(entry.contentRect.width, entry.contentRect.height)).observe(plot);
  store.on("points", () => {
    if (store.hello) redraw(); // another driver edited the data
  });

  return {
    begin(hello) {
      tables = confidenceTables(hello.classes);
      lastG = 0;
      legend.replaceChildren(...legendItems(hello.classes));
      for (const layer of layers) layer.begin?.(hello);
      redraw();
    },
    update(frame) {
      if (pastStep !== null) return; // the past step stays until the timeline goes live again
      for (const layer of layers) layer.update?.(frame);
      paintFrame(frame);
      probe.boundaryStep = frame.header.step;
    },
    // Show kept step `step` (null: live again). Resolves to the step shown once it is painted.
    async showStep(step) {
      pastStep = step;
      shownStep = step;
      if (step === null) {
        badge.hidden = true;
        paintFrame(store.frame);
        return null;
      }
      const G = store.frame?.arrays.grid ? store.frame.arrays.grid.shape[0] : DEFAULT_G;
      const result = await getView(store.sessionId, "grid", { G, at_step: step });
      if (!result.ok || shownStep !== step) return null;
      const grid = result.data;
      const probabilities = quantized(grid.probabilities);
      paint(probabilities, grid.G, probabilities.length / (grid.G * grid.G));
      badge.textContent = `step ${grid.step} (past)`;
      badge.hidden = false;
      return grid.step;
    },
    // A layer drawn over the points: { element, attach(geometryOf), draw(), begin?, update? }.
    addLayer(layer) {
      plot.append(layer.element);
      layer.attach(geometry);
      layers.push(layer);
      layer.draw();
    },
    // handler({ n, index }) when a training point is clicked.
    onPick(handler) {
      pickHandlers.push(handler);
    },
  };
}
