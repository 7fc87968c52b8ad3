// Drawn over the decision boundary: the way the loss pushes each training point (−dL/dx, from
// the stream's dX) as an arrow; each point's pull on the weights, |ŷ − y| summed over classes
// (dz2 is (ŷ − y)/N, so this is how much the point adds to every gradient), as its fill; and a
// ring around the point the derivation shows. A layer of the boundary plot: boundary.js gives it
// the plot's geometry and its frames, and it draws on its own canvas, over the points.

import { SizedCanvas } from "../../lib/canvas.js";
import { el } from "../../lib/dom.js";
import { formatNumber } from "../../lib/format.js";
import { ARROW_COLOR, classColor, RESIDUAL_CSS, residualColor } from "../../lib/palette.js";

const LONGEST = 0.09; // the longest arrow, as a share of the plot's side
const SHORTEST_PX = 2; // shorter arrows are not drawn: the point is hardly pushed

// toggles: the plot's corner box (#boundary-arrows, #boundary-residual, and the legend where
// the scales are written). onInputGradients(on): ask the stream for dX and residual in every
// frame, or stop asking. Returns the layer, for the boundary's addLayer.
export function mount(toggles, _store, { onInputGradients } = {}) {
  const arrowsToggle = toggles.querySelector("#boundary-arrows");
  const residualToggle = toggles.querySelector("#boundary-residual");
  const legend = toggles.querySelector("#boundary-marks-legend");
  const sized = new SizedCanvas(document.createElement("canvas"));
  sized.canvas.className = "boundary-overlay boundary-marks";
  sized.canvas.id = "boundary-marks";
  let geometry = () => null;
  let arrowsOn = arrowsToggle.checked;
  let residualOn = residualToggle.checked;
  let dX = null; // Float32Array (N_train * 2), in points.train order
  let residual = null; // Float32Array (N_train)
  let selected = null; // index among all points, or null

  function wanted() {
    return arrowsOn || residualOn;
  }

  function draw() {
    const g = geometry();
    if (!g) return;
    sized.resize(g.width, g.height);
    const ctx = sized.begin();
    const train = g.points.train;
    const fresh = (a, per) => a && a.length === train.length * per;
    ctx.save();
    ctx.beginPath();
    ctx.rect(g.rect.left, g.rect.top, g.rect.side, g.rect.side);
    ctx.clip();
    if (residualOn && fresh(residual, 1)) drawResidual(ctx, g, train);
    let longest = null;
    if (arrowsOn && fresh(dX, 2)) longest = drawArrows(ctx, g, train);
    if (selected !== null && selected < g.points.x.length) drawRing(ctx, g, selected);
    ctx.restore();
    writeLegend(longest);
  }

  function drawResidual(ctx, g, train) {
    const { x, y, label } = g.points;
    ctx.lineWidth = Math.max(1.5, g.radius * 0.45);
    train.forEach((i, k) => {
      const [px, py] = g.toPixel(x[i], y[i]);
      // One-hot targets: |ŷ − y| = 2 (1 − ŷ_true), so 1 is a point on the fence, past it misclassified.
      ctx.fillStyle = residualColor(residual[k]);
      ctx.strokeStyle = classColor(label[i]);
      g.drawMarker(ctx, "circle", px, py, g.radius);
    });
  }

  // Returns the longest |dL/dx|, which sets the scale.
  function drawArrows(ctx, g, train) {
    const { x, y } = g.points;
    let longest = 0;
    for (let k = 0; k < train.length; k++) longest = Math.max(longest, Math.hypot(dX[2 * k], dX[2 * k + 1]));
    if (!(longest > 0)) return longest;
    const [x0, x1, y0, y1] = g.box;
    const perUnit = (LONGEST * g.rect.side) / longest; // pixels per unit of |dL/dx|
    const sx = g.rect.side / (x1 - x0);
    const sy = g.rect.side / (y1 - y0);
    ctx.lineCap = "round";
    for (const [color, width] of [
      ["rgba(255,255,255,0.85)", 4],
      [ARROW_COLOR, 1.7],
    ]) {
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = width;
      train.forEach((i, k) => {
        // −dL/dx: its direction as drawn on the plot (the canvas's y axis points down), its
        // length in proportion to |dL/dx|.
        const gx = -dX[2 * k];
        const gy = -dX[2 * k + 1];
        const length = Math.hypot(gx, gy) * perUnit;
        if (length < Math.max(SHORTEST_PX, 1.3 * g.radius)) return; // would not leave the marker
        const along = Math.hypot(gx * sx, gy * sy);
        const dx = ((gx * sx) / along) * length;
        const dy = ((-gy * sy) / along) * length;
        const [px, py] = g.toPixel(x[i], y[i]);
        arrow(ctx, px, py, px + dx, py + dy, width > 2);
      });
    }
    return longest;
  }

  function drawRing(ctx, g, i) {
    const [px, py] = g.toPixel(g.points.x[i], g.points.y[i]);
    ctx.lineWidth = 5;
    ctx.strokeStyle = "#fff";
    ctx.beginPath();
    ctx.arc(px, py, g.radius + 5, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = "#111";
    ctx.stroke();
  }

  function writeLegend(longest) {
    legend.replaceChildren();
    legend.hidden = !wanted();
    if (arrowsOn) {
      const text = longest ? `longest |∂L/∂x| = ${formatNumber(longest, 3)}` : "waiting for a frame";
      legend.append(el("span", "legend-arrows", text));
    }
    if (residualOn) {
      const bar = el("span", "scale-bar");
      bar.style.background = RESIDUAL_CSS;
      legend.append(el("span", "legend-residual", ["|ŷ − y| 0", bar, "≥ 1"]));
    }
  }

  function toggled() {
    arrowsOn = arrowsToggle.checked;
    residualOn = residualToggle.checked;
    onInputGradients?.(wanted());
    draw();
  }
  arrowsToggle.addEventListener("change", toggled);
  residualToggle.addEventListener("change", toggled);
  // The toggles sit over the plot: a click on them is not a click on a point.
  toggles.addEventListener("click", (event) => event.stopPropagation());

  return {
    element: sized.canvas,
    // geometryOf() -> { points, box, rect, width, height, toPixel, local, toData, radius,
    // drawMarker }, or null before the plot has points and a size (boundary.js).
    attach(geometryOf) {
      geometry = geometryOf;
    },
    draw,
    begin() {
      dX = null;
      residual = null;
      selected = null;
    },
    update(frame) {
      if (!wanted()) return;
      const a = frame.arrays;
      if (!a.dX && !a.residual) return;
      // Copies: the frame's buffer is gone once the next frame arrives, and a resize redraws.
      dX = a.dX ? Float32Array.from(a.dX.data) : null;
      residual = a.residual ? Float32Array.from(a.residual.data) : null;
      draw();
    },
    // Ring the point with this index among all points (null: none).
    select(index) {
      if (index === selected) return;
      selected = index;
      draw();
    },
  };
}

// An arrow from (x0, y0) to (x1, y1), its head in proportion to its length.
function arrow(ctx, x0, y0, x1, y1, halo) {
  const length = Math.hypot(x1 - x0, y1 - y0);
  const head = Math.min(7, 0.4 * length) + (halo ? 1.2 : 0);
  const angle = Math.atan2(y1 - y0, x1 - x0);
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1 - 0.6 * head * Math.cos(angle), y1 - 0.6 * head * Math.sin(angle));
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * Math.cos(angle - 0.45), y1 - head * Math.sin(angle - 0.45));
  ctx.lineTo(x1 - head * Math.cos(angle + 0.45), y1 - head * Math.sin(angle + 0.45));
  ctx.closePath();
  ctx.fill();
  if (halo) ctx.stroke();
}
