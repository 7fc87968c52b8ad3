// Line charts over steps (the loss and accuracy, the gradient magnitudes), painted on a canvas
// and redrawn whole with every frame, in the frame's own draw: so a chart always shows the step
// the status bar shows. Painting a few thousand points costs well under a millisecond; a Plotly
// redraw of the same chart costs 10-30 ms a call (measured in headless Chromium on 2 cores),
// which is why the Plotly charts used to be redrawn a few times a second and lagged the run.
// A long run is thinned, not truncated: past `cap` points every other point is dropped, so the
// whole course stays visible.

import { cssPixels, niceTicks, SizedCanvas } from "./canvas.js";
import { formatNumber } from "./format.js";

const DASHES = { solid: [], dot: [2, 3], dash: [7, 4] };
const GRID = "#e4e4e8";
const INK = "#222";
const MUTED = "#555";

// The y values of a log axis worth a tick between 10^lo and 10^hi: the powers of ten, and
// 2 and 5 times them when the axis spans less than two decades.
function logTicks(lo, hi) {
  const ticks = [];
  const fine = hi - lo < 2;
  for (let p = Math.floor(lo); p <= Math.ceil(hi); p++) {
    for (const m of fine ? [1, 2, 5] : [1]) {
      const v = m * 10 ** p;
      const l = Math.log10(v);
      if (l >= lo - 1e-9 && l <= hi + 1e-9) ticks.push(v);
    }
  }
  return ticks;
}

function logLabel(v) {
  const p = Math.round(Math.log10(v));
  if (Math.abs(v - 10 ** p) < 1e-9 * v)
    return p >= -2 && p <= 3 ? formatNumber(v) : `1e${p}`.replace("-", "−");
  return formatNumber(v, 1);
}

export class StepChart {
  // el: the chart's box; plots: [{ domain: [from, to] of the width, y: { title, log, range,
  // percent } }], each with x = step; traces: [{ name, plot, color, dash, legend, visible }];
  // label: what the chart shows, for screen readers.
  constructor(el, plots, traces, { cap = 3000, label = "" } = {}) {
    this.el = el;
    this.plots = plots.map((p) => ({ ...p, y: { ...p.y } }));
    this.traces = traces.map((t) => ({ plot: 0, legend: true, visible: true, ...t, x: [], y: [] }));
    this.cap = cap;
    this.markAt = null;
    this.font = 14;
    const canvas = document.createElement("canvas");
    canvas.className = "step-chart";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", label);
    el.append(canvas);
    this.canvas = new SizedCanvas(canvas);
    for (let i = 0; i < this.plots.length; i++) this.writeScale(i);
    // What is drawn, for the tests and the probe: each trace's name, x, y and visibility.
    Object.defineProperty(el, "data", {
      configurable: true,
      get: () => this.traces.map(({ name, x, y, visible }) => ({ name, x, y, visible })),
    });
    this.tip = document.createElement("div");
    this.tip.className = "step-chart-tip";
    Object.assign(this.tip.style, {
      position: "absolute",
      pointerEvents: "none",
      background: "rgba(255, 255, 255, 0.94)",
      border: "1px solid #888",
      borderRadius: "0.3em",
      padding: "0.15em 0.4em",
      fontSize: "0.85em",
      whiteSpace: "nowrap",
    });
    this.tip.hidden = true;
    el.append(this.tip);
    canvas.addEventListener("pointermove", (event) => this.showTip(event.offsetX, event.offsetY));
    canvas.addEventListener("pointerleave", () => {
      this.tip.hidden = true;
    });
    new ResizeObserver(([entry]) => {
      this.font = cssPixels(el) * 0.85;
      this.canvas.resize(entry.contentRect.width, entry.contentRect.height);
      this.draw();
    }).observe(el);
  }

  // One x and a value per trace; null or non-finite values leave that trace without a point.
  push(x, values) {
    values.forEach((v, i) => {
      if (v === null || v === undefined || !Number.isFinite(v)) return;
      const t = this.traces[i];
      t.x.push(x);
      t.y.push(v);
      if (t.x.length > this.cap) {
        const keep = (_, k, a) => k % 2 === 0 || k === a.length - 1;
        t.x = t.x.filter(keep);
        t.y = t.y.filter(keep);
      }
    });
  }

  // The values under the pointer, in a small box beside it.
  showTip(x, y) {
    const at = this.valuesAt(x, y);
    if (!at || !at.values.length) {
      this.tip.hidden = true;
      return;
    }
    const lines = at.values.map((v) => `${v.name} ${formatNumber(v.value, 3)} (step ${v.step})`);
    this.tip.textContent = lines.join(" · ");
    this.tip.hidden = false;
    const left = x + 12 + this.tip.offsetWidth > this.canvas.width ? x - 12 - this.tip.offsetWidth : x + 12;
    this.tip.style.left = `${Math.max(0, left)}px`;
    this.tip.style.top = `${Math.max(0, y - 28)}px`;
  }

  // Start again, optionally from earlier points: series[i] = { x: [...], y: [...] } for trace i.
  reset(series = []) {
    this.traces.forEach((t, i) => {
      const s = series[i];
      const finite = s ? s.x.map((_, k) => Number.isFinite(s.y[k])) : [];
      t.x = s ? s.x.filter((_, k) => finite[k]) : [];
      t.y = s ? s.y.filter((_, k) => finite[k]) : [];
      while (t.x.length > this.cap) {
        const keep = (_, k, a) => k % 2 === 0 || k === a.length - 1;
        t.x = t.x.filter(keep);
        t.y = t.y.filter(keep);
      }
    });
    this.draw();
  }

  // Other lines (a run of another depth): their points start empty.
  setTraces(traces) {
    this.traces = traces.map((t) => ({ plot: 0, legend: true, visible: true, ...t, x: [], y: [] }));
    this.draw();
  }

  setVisible(flags) {
    flags.forEach((on, i) => {
      this.traces[i].visible = on;
    });
    this.draw();
  }

  // Change plot i's y axis: { title, log }.
  setAxis(i, changes) {
    Object.assign(this.plots[i].y, changes);
    this.writeScale(i);
    this.draw();
  }

  // The element says which scale each plot's y axis has (data-y0="log"), for the tests.
  writeScale(i) {
    this.el.dataset[`y${i}`] = this.plots[i].y.log ? "log" : "linear";
  }

  // Plot i's x axis starts at step `from` (0 by default): the compare page keeps the steps since
  // the fork in view, and the shared past just before it. Drawn with the next draw().
  setXFrom(i, from) {
    this.plots[i].xFrom = from;
  }

  // A dotted vertical line at step x in the first plot (null: none).
  mark(x) {
    this.markAt = x;
    this.draw();
  }

  // ---- painting ----------------------------------------------------------------------------

  draw() {
    const { width, height } = this.canvas;
    if (width < 20 || height < 20) return;
    const ctx = this.canvas.begin();
    const font = this.font;
    ctx.font = `${font}px system-ui, sans-serif`;
    const legendHeight = this.drawLegend(ctx, font);
    this.boxes = [];
    this.plots.forEach((plot, i) => {
      const left = plot.domain[0] * width + 4.4 * font;
      const right = plot.domain[1] * width - 0.8 * font;
      const box = { left, right, top: legendHeight + 0.4 * font, bottom: height - 2.6 * font };
      if (box.right - box.left > 10 && box.bottom - box.top > 10) this.drawPlot(ctx, plot, i, box, font);
      if (i === 0) this.writePlotHeight(box.bottom - box.top);
    });
  }

  // The element says how tall its (first) plot area is, in px, for the tests: written only when it
  // changes, so a frame writes nothing to the DOM.
  writePlotHeight(height) {
    const text = String(Math.round(height));
    if (this.el.dataset.plotHeight !== text) this.el.dataset.plotHeight = text;
  }

  // The legend above the plots, wrapped onto as many rows as the width needs (a projector's type
  // size makes the entries wide); its height.
  drawLegend(ctx, font) {
    const rowHeight = 1.6 * font;
    let x = 0;
    let y = font * 0.8;
    let any = false;
    ctx.textAlign = "left"; // the plots leave it centred, for their tick labels
    ctx.textBaseline = "middle";
    for (const t of this.traces) {
      if (!t.legend || !t.visible) continue;
      const width = 2.2 * font + ctx.measureText(t.name).width;
      if (x > 0 && x + width > this.canvas.width) {
        x = 0;
        y += rowHeight;
      }
      const left = x;
      this.stroke(ctx, t, () => {
        ctx.moveTo(left, y);
        ctx.lineTo(left + 1.8 * font, y);
      });
      ctx.fillStyle = INK;
      ctx.fillText(t.name, left + 2.2 * font, y);
      x += width + 0.8 * font;
      any = true;
    }
    return any ? y - font * 0.8 + rowHeight : 0;
  }

  stroke(ctx, t, path) {
    ctx.save();
    ctx.strokeStyle = t.color;
    ctx.lineWidth = 2.5;
    ctx.lineJoin = "round";
    ctx.setLineDash(DASHES[t.dash] ?? []);
    ctx.beginPath();
    path();
    ctx.stroke();
    ctx.restore();
  }

  // The extent of the plot's visible points from step xLo on: [x max, y min, y max] (positive y
  // only on a log axis).
  extent(i, log, xLo = 0) {
    let xMax = 0;
    let yMin = Infinity;
    let yMax = -Infinity;
    for (const t of this.traces) {
      if (t.plot !== i || !t.visible) continue;
      for (let k = 0; k < t.x.length; k++) {
        const v = t.y[k];
        if ((log && !(v > 0)) || t.x[k] < xLo) continue;
        if (t.x[k] > xMax) xMax = t.x[k];
        if (v < yMin) yMin = v;
        if (v > yMax) yMax = v;
      }
    }
    return [xMax, yMin, yMax];
  }

  // ---- reading a value under the pointer ---------------------------------------------------

  // The step nearest the pointer at (x, y) in CSS px of the canvas, and each visible line's value
  // there: { step, values: [{ name, value }] }, or null off the plots.
  valuesAt(x, y) {
    const hit = (this.boxes ?? []).find((b) => x >= b.left && x <= b.right && y >= b.top && y <= b.bottom);
    if (!hit) return null;
    const step = Math.round(hit.xLo + ((x - hit.left) / (hit.right - hit.left)) * (hit.xHi - hit.xLo));
    const values = [];
    for (const t of this.traces) {
      if (t.plot !== hit.plot || !t.visible || !t.x.length) continue;
      let lo = 0;
      let hi = t.x.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (t.x[mid] < step) lo = mid + 1;
        else hi = mid;
      }
      const k = lo > 0 && Math.abs(t.x[lo - 1] - step) < Math.abs(t.x[lo] - step) ? lo - 1 : lo;
      values.push({ name: t.name, step: t.x[k], value: t.y[k] });
    }
    return { step, values };
  }

  drawPlot(ctx, plot, i, box, font) {
    const log = Boolean(plot.y.log);
    const xLo = Math.max(0, plot.xFrom ?? 0);
    const [xMax, dataMin, dataMax] = this.extent(i, log, xLo);
    const xHi = xMax > xLo ? xMax : xLo + 1;
    let [yLo, yHi] = plot.y.range ?? [dataMin, dataMax];
    if (!Number.isFinite(yLo) || !Number.isFinite(yHi)) [yLo, yHi] = log ? [0.1, 1] : [0, 1];
    if (log) [yLo, yHi] = [Math.log10(yLo), Math.log10(yHi)];
    if (!plot.y.range) {
      const pad = Math.max((yHi - yLo) * 0.06, log ? 0.05 : Math.abs(yHi) * 0.02 || 0.05);
      yLo -= pad;
      yHi += pad;
    }
    this.boxes.push({ ...box, plot: i, xLo, xHi });
    const px = (x) => box.left + ((x - xLo) / (xHi - xLo)) * (box.right - box.left);
    const py = (y) => box.bottom - (((log ? Math.log10(y) : y) - yLo) / (yHi - yLo)) * (box.bottom - box.top);

    // Grid, ticks and their labels.
    ctx.lineWidth = 1;
    ctx.fillStyle = MUTED;
    ctx.strokeStyle = GRID;
    const rows = Math.max(2, Math.floor((box.bottom - box.top) / (2.6 * font)));
    const yTicks = log ? logTicks(yLo, yHi) : niceTicks(yLo, yHi, rows).ticks;
    const yDecimals = log ? 0 : niceTicks(yLo, yHi, rows).decimals;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const v of yTicks) {
      const y = Math.round(py(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(box.left, y);
      ctx.lineTo(box.right, y);
      ctx.stroke();
      const label = plot.y.percent ? `${Math.round(v * 100)}%` : log ? logLabel(v) : v.toFixed(yDecimals);
      ctx.fillText(label.replace("-", "−"), box.left - 0.4 * font, y);
    }
    const columns = Math.max(2, Math.floor((box.right - box.left) / (4 * font)));
    const { ticks: xTicks } = niceTicks(xLo, xHi, columns);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const v of xTicks) {
      if (v !== Math.round(v)) continue; // steps are whole
      const x = Math.round(px(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, box.top);
      ctx.lineTo(x, box.bottom);
      ctx.stroke();
      // Kept inside the canvas: the last step's label would otherwise be cut at the right edge.
      const half = ctx.measureText(String(v)).width / 2;
      const at = Math.min(Math.max(x, half), this.canvas.width - half);
      ctx.fillText(String(v), at, box.bottom + 0.3 * font);
    }
    ctx.fillStyle = INK;
    ctx.fillText("step", (box.left + box.right) / 2, box.bottom + 1.4 * font);
    ctx.save();
    ctx.translate(box.left - 3.6 * font, (box.top + box.bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(plot.y.title, 0, 0);
    ctx.restore();
    ctx.strokeStyle = "#888";
    ctx.strokeRect(box.left + 0.5, box.top + 0.5, box.right - box.left, box.bottom - box.top);

    // The lines, clipped to the plot.
    ctx.save();
    ctx.beginPath();
    ctx.rect(box.left, box.top, box.right - box.left, box.bottom - box.top);
    ctx.clip();
    for (const t of this.traces) {
      if (t.plot !== i || !t.visible || !t.x.length) continue;
      this.stroke(ctx, t, () => {
        let drawing = false;
        for (let k = 0; k < t.x.length; k++) {
          const v = t.y[k];
          if (log && !(v > 0)) {
            drawing = false;
            continue;
          }
          const x = px(t.x[k]);
          const y = py(v);
          if (drawing) ctx.lineTo(x, y);
          else ctx.moveTo(x, y);
          drawing = true;
        }
        if (t.x.length === 1) ctx.lineTo(px(t.x[0]) + 1, py(t.y[0])); // a lone point shows as a dot
      });
    }
    if (i === 0 && this.markAt !== null) {
      this.stroke(ctx, { color: "#333", dash: "dot" }, () => {
        ctx.moveTo(px(this.markAt), box.top);
        ctx.lineTo(px(this.markAt), box.bottom);
      });
    }
    ctx.restore();
  }
}
