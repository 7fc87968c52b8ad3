// The loss along the gradient: L(W − t·g) for step sizes t from 0 on, at the step shown. One SGD
// step is t = learning rate, marked on the curve: where it lands says whether the step helps, or
// overshoots the valley and ends higher than it started (the learning rate is too high). The
// dashed line is the first-order prediction L − t·|g|², which every small enough step follows.
//
// A tab of the bottom panel; it fetches GET .../loss-slice only while it is visible.

import { el } from "../lib/dom.js";
import { FollowedView } from "../lib/followed_view.js";
import { formatNumber } from "../lib/format.js";
import { baseLayout, plotlyReady, trackPlot } from "../lib/linechart.js";
import { getView } from "../lib/rest.js";

const POINTS = 81;
const RANGES = [3, 10, 30]; // t_max as a multiple of the learning rate

// A loss or a step size in the verdict; a loss too large for a float has overflowed.
function fmt(x) {
  return x === null || x === undefined || !Number.isFinite(x) ? "overflow" : formatNumber(x);
}

export function mount(root, store) {
  root.classList.add("loss-slice");
  const chart = el("div", { className: "chart", id: "slice-chart" });
  const chartBox = el("div", "slice-chart", chart);
  const notes = el("div", "slice-notes");
  const verdict = el("p", { className: "slice-verdict", id: "slice-verdict" });
  const detail = el("p", "slice-detail");
  const select = el(
    "select",
    { id: "slice-range" },
    RANGES.map((k) => new Option(`${k} × learning rate`, String(k))),
  );
  const rangeLabel = el("label", "slice-range", ["t up to ", select]);
  let range = RANGES[0];
  const explain = el(
    "p",
    "hidden-explain",
    "The loss if every weight moved by −t·g, g the gradient now. One SGD step is t = learning rate (●). " +
      "Dashed: L − t·|g|², the slope at t = 0, which small steps follow.",
  );
  notes.append(verdict, detail, rangeLabel, explain);
  root.append(chartBox, notes);

  let plotted = false;
  let result = null;

  const view = new FollowedView(store, {
    // t up to a multiple of the learning rate the run has now; drawn points change the loss.
    what: () => ({
      tMax: Math.min(1e4, range * store.setting("learning_rate")),
      dataVersion: store.frame?.header.data_version ?? 0,
    }),
    load: async ({ sessionId, atStep, tMax }) => {
      const query = { t_max: tMax, points: POINTS, ...(atStep === null ? {} : { at_step: atStep }) };
      const r = await getView(sessionId, "loss-slice", query);
      return r.ok ? r.data : null;
    },
    show: (data) => {
      if (!data) return;
      result = data;
      plot();
    },
    gap: 300,
  });

  function plot() {
    if (!result || !view.visible || !chartBox.clientWidth) return;
    if (typeof Plotly === "undefined") {
      plotlyReady().then(plot, () => {
        verdict.textContent = "The chart could not be loaded (the network dropped): open this tab again.";
      });
      return;
    }
    // One step's loss, the tangent's slope (−|g|²) and the best t sampled are the server's.
    const { t, loss, learning_rate: lr, loss_after_step: Llr, best_t: best } = result;
    const L0 = loss[0];
    const finite = loss.filter((v) => v !== null && Number.isFinite(v));
    const low = Math.min(...finite);
    const high = Math.max(...finite);
    const log = L0 > 0 && high > 20 * L0;
    // The tangent only as far as it stays in the picture, or it would set the axis' range.
    const floor = log ? low / 2 : low - 0.15 * (high - low || 1);
    const slope = result.slope === null ? 0 : -result.slope; // how fast the tangent falls
    const tEnd = Math.min(t[t.length - 1], slope > 0 ? (L0 - floor) / slope : t[t.length - 1]);

    const font = parseFloat(getComputedStyle(chart).fontSize) || 14;
    const layout = {
      ...baseLayout(chart),
      margin: { l: 4.2 * font, r: 1 * font, t: 0.6 * font, b: 2.8 * font },
      showlegend: true,
      // Right-aligned, so the "now" label over the curve's start at t = 0 stays clear of it.
      legend: { ...baseLayout(chart).legend, x: 1, xanchor: "right" },
      hovermode: "closest",
      xaxis: { title: { text: "step size t" }, rangemode: "tozero", zeroline: false },
      yaxis: {
        title: { text: "loss" },
        type: log ? "log" : "linear",
        exponentformat: "power",
        automargin: true,
      },
      shapes: [
        {
          type: "line",
          xref: "x",
          yref: "paper",
          x0: lr,
          x1: lr,
          y0: 0,
          y1: 1,
          line: { color: "#D55E00", width: 2, dash: "dot" },
        },
      ], // prettier-ignore
    };
    const data = [
      {
        type: "scatter",
        mode: "lines",
        name: "L(W − t·g)",
        x: t,
        y: loss,
        line: { color: "#222", width: 3 },
        hovertemplate: "t %{x:.3g}: L %{y:.4g}<extra></extra>",
      },
      {
        type: "scatter",
        mode: "lines",
        name: "L − t·|g|²",
        x: [0, tEnd],
        y: [L0, L0 - slope * tEnd],
        line: { color: "#0072B2", width: 2, dash: "dash" },
        hoverinfo: "skip",
      },
      {
        type: "scatter",
        mode: "markers+text",
        name: "one SGD step",
        x: [0, lr],
        y: [L0, Llr],
        text: ["now", "one step"],
        textposition: ["top right", "top right"],
        marker: { size: 0.75 * font, color: ["#222", "#D55E00"], line: { color: "#fff", width: 1.5 } },
        textfont: { size: Math.round(0.85 * font) },
        hovertemplate: "t %{x:.3g}: L %{y:.4g}<extra></extra>",
      },
    ]; // prettier-ignore
    Plotly.react(chart, data, layout, { displayModeBar: false });
    if (!plotted) trackPlot(chart);
    plotted = true;

    const change = Llr - L0;
    root.dataset.step = String(result.step);
    root.dataset.overshoots = String(Llr === null || change > 0);
    if (Llr === null || !Number.isFinite(Llr)) {
      verdict.textContent = `One step (t = ${fmt(lr)}) overflows: the learning rate is far too high.`;
    } else if (change > 0) {
      verdict.textContent =
        `Overshoots: one step (t = ${fmt(lr)}) lands at ${fmt(Llr)}, higher than ${fmt(L0)} now. ` +
        "Lower the learning rate.";
    } else {
      verdict.textContent = `One step (t = ${fmt(lr)}) takes the loss from ${fmt(L0)} to ${fmt(Llr)}.`;
    }
    const edge = best === null || best >= t[t.length - 1] - 1e-12;
    detail.textContent = edge
      ? `At step ${result.step}: still falling at t = ${fmt(t[t.length - 1])}; a longer step would go further down.`
      : `At step ${result.step}: lowest on this line at t ≈ ${fmt(best)} (${fmt(best / lr)} × the learning rate).`;
  }

  select.addEventListener("change", () => {
    range = Number(select.value);
    view.follow(true);
  });
  new ResizeObserver(() => {
    if (plotted) Plotly.Plots.resize(chart);
    else plot();
  }).observe(chartBox);

  return {
    begin() {
      result = null;
      view.begin();
      verdict.textContent = "";
      detail.textContent = "";
    },
    update: () => view.update(),
    showStep: (step) => view.showStep(step),
    shown() {
      view.shown();
      plot();
    },
    hidden: () => view.hidden(),
  };
}
