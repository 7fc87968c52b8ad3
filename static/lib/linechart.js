// A Plotly line chart fed point by point, redrawn in batches. Each Plotly call costs ~10 ms in a
// browser (measured in headless Chromium), so points are buffered and appended with one
// extendTraces now and then (ChartScheduler decides when), never one call per frame. A long run
// is thinned, not truncated: past `cap` points every other point is dropped, so the whole course
// stays visible.

const PLOTLY_CONFIG = { displayModeBar: false, doubleClick: "reset" };

// Every Plotly chart on the page, so a change of type size (presentation mode) reaches them all.
const plots = new Set();

export function trackPlot(el) {
  plots.add(el);
}

// How a y axis writes its numbers. On a projector every label is as large as the ticks: Plotly
// draws a log axis's 2s and 5s and a power's exponent smaller, so there it writes 1e-3 and
// labels the powers of ten only.
export function yNumbers() {
  const presenting = document.body.classList.contains("presenting");
  return presenting
    ? { exponentformat: "e", minorloglabels: "none" }
    : { exponentformat: "power", minorloglabels: "small digits" };
}

// Lay every chart out again for the type size the page has now.
export function relayoutAll() {
  if (typeof Plotly === "undefined") return;
  const numbers = yNumbers();
  for (const el of plots) {
    if (!el.layout) continue;
    const base = baseLayout(el);
    Plotly.relayout(el, {
      "yaxis.exponentformat": numbers.exponentformat,
      "yaxis.minorloglabels": numbers.minorloglabels,
      "font.size": base.font.size,
      "legend.font.size": base.legend.font.size,
      "margin.l": base.margin.l,
      "margin.r": base.margin.r,
      "margin.t": base.margin.t,
      "margin.b": base.margin.b,
    });
  }
}

export function baseLayout(el) {
  const font = parseFloat(getComputedStyle(el).fontSize) || 14;
  return {
    font: { family: "system-ui, sans-serif", size: Math.round(font * 0.85), color: "#222" },
    margin: { l: 4.2 * font, r: 1 * font, t: 0.6 * font, b: 2.6 * font },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "#fff",
    showlegend: true,
    legend: { orientation: "h", x: 0, y: 1.0, yanchor: "bottom", font: { size: Math.round(font * 0.8) } },
    hovermode: "x",
    uirevision: "keep", // zoom and toggles survive redraws
  };
}

export class LineChart {
  constructor(el, traces, layout, { cap = 3000 } = {}) {
    this.el = el;
    this.traces = traces; // styles only; the data lives in el.data
    this.layout = layout;
    this.cap = cap;
    this.pending = traces.map(() => ({ x: [], y: [] }));
    this.lastFlush = 0;
    Plotly.newPlot(el, this.emptyData(), layout, PLOTLY_CONFIG);
    trackPlot(el);
    // Plotly sizes itself once, and follows only the window: follow the panel instead (it
    // changes when the panels around it fill in, or the controls column scrolls into view).
    let pending = false;
    new ResizeObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        Plotly.Plots.resize(el);
      });
    }).observe(el);
  }

  emptyData() {
    return this.traces.map((t) => ({ ...t, x: [], y: [] }));
  }

  // One x and a value per trace; null or non-finite values leave that trace without a point.
  push(x, values) {
    values.forEach((v, i) => {
      if (v === null || v === undefined || !Number.isFinite(v)) return;
      this.pending[i].x.push(x);
      this.pending[i].y.push(v);
    });
  }

  hasPending() {
    return this.pending.some((p) => p.x.length > 0);
  }

  flush() {
    this.lastFlush = performance.now();
    const indices = [];
    const update = { x: [], y: [] };
    this.pending.forEach((p, i) => {
      if (!p.x.length) return;
      indices.push(i);
      update.x.push(p.x);
      update.y.push(p.y);
    });
    this.pending = this.traces.map(() => ({ x: [], y: [] }));
    if (!indices.length) return;
    Plotly.extendTraces(this.el, update, indices);
    if (this.el.data.some((t) => t.x.length > this.cap)) this.thin();
  }

  thin() {
    const data = this.el.data.map((t) => {
      const keep = (_, i, a) => i % 2 === 0 || i === a.length - 1;
      return { ...t, x: t.x.filter(keep), y: t.y.filter(keep) };
    });
    Plotly.react(this.el, data, this.el.layout);
  }

  // Start again, optionally from earlier points: series[i] = { x: [...], y: [...] } for trace i.
  reset(series = []) {
    this.pending = this.traces.map(() => ({ x: [], y: [] }));
    const data = this.emptyData();
    series.forEach((s, i) => {
      if (!s) return;
      s.x.forEach((x, k) => {
        const v = s.y[k];
        if (v === null || v === undefined || !Number.isFinite(v)) return;
        data[i].x.push(x);
        data[i].y.push(v);
      });
    });
    Plotly.react(this.el, data, this.el.layout);
  }

  relayout(changes) {
    Plotly.relayout(this.el, changes);
  }

  restyle(changes, indices) {
    Plotly.restyle(this.el, changes, indices);
  }
}

// Redraws the charts off the frame path, within a share of the page's time. A Plotly call costs
// 10-60 ms in a browser (~25 ms measured in headless Chromium on 2 cores) where a
// whole frame's canvas drawing costs ~1 ms, so a redraw per frame would set the frame rate.
// Instead each frame only buffers its points (LineChart.push) and asks for a redraw; one chart,
// the stalest, is redrawn at a time, in its own task after the frame was acknowledged, and the
// next redraw waits long enough that charts take at most `share` of the time. A fast machine
// therefore gets smooth charts; a slow one gets charts at a few Hz and a boundary at full rate.
export class ChartScheduler {
  constructor({ share = 0.15, minGap = 50 } = {}) {
    this.charts = [];
    this.share = share;
    this.minGap = minGap;
    this.cost = 20; // ms a redraw takes, a running average
    this.nextAt = 0;
    this.timer = null;
  }

  add(chart) {
    this.charts.push(chart);
  }

  // A frame buffered points: redraw when the time share allows.
  request() {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.nextAt - performance.now());
    this.timer = setTimeout(() => this.run(), wait);
  }

  run() {
    this.timer = null;
    const chart = this.charts.filter((c) => c.hasPending()).sort((a, b) => a.lastFlush - b.lastFlush)[0];
    if (!chart) return;
    const started = performance.now();
    chart.flush();
    const took = performance.now() - started;
    this.cost = 0.8 * this.cost + 0.2 * took;
    this.nextAt = performance.now() + Math.max(this.minGap, this.cost / this.share - this.cost);
    if (this.charts.some((c) => c.hasPending())) this.request();
  }
}
