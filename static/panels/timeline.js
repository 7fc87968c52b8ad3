// The timeline: a scrubber over the run's steps. Moved back, it shows that step's boundary, weights
// and gradients (fetched with ?at_step=, from the server's ring of kept snapshots) and marks the
// view "step k (past)"; back at the right end, or with Live, the view follows the run again.
// Scrubbing is this page's own business: the run, and everyone watching it, go on.
//
// While the view is in the past, app.js keeps live frames away from the boundary and the
// inspector; this module gives them a frame of its own instead, built from REST, whose header has
// `past: true` and `step: k`, so a tab that fetches over REST passes at_step=k.

import { getView } from "./inspect_api.js";
import { Latest } from "./latest.js";

/* global Plotly */

function flat(nested, Type = Float32Array) {
  const values = Array.isArray(nested) ? nested.flat(Infinity) : [nested];
  return Type.from(values, (v) => (v === null ? NaN : v));
}

function array(data, shape) {
  return { data, shape };
}

// GET .../grid, .../parameters and .../gradients at one step -> a frame as decodeFrame makes it.
function pastFrame(live, grid, parameters, gradients) {
  const G = grid.G;
  const probabilities = grid.probabilities.flat(Infinity);
  const C = probabilities.length / (G * G);
  const quantized = Uint8Array.from(probabilities, (p) => (p === null ? 0 : Math.round(p * 255)));
  const arrays = { grid: array(quantized, [G, G, C]) };
  for (const [name, p] of Object.entries(parameters.params)) arrays[name] = array(flat(p.values), p.shape);
  for (const [name, g] of Object.entries(gradients.grads)) arrays[`d${name}`] = array(flat(g.values), g.shape);
  const header = {
    ...(live ? live.header : {}),
    type: "frame",
    past: true,
    step: grid.step,
    train_loss: gradients.loss,
    test_loss: null,
    train_accuracy: null,
    test_accuracy: null,
    grid: { G, box: grid.box },
    arrays: [],
  };
  return { header, arrays };
}

function el(tag, props = {}, text) {
  const node = Object.assign(document.createElement(tag), props);
  if (text !== undefined) node.textContent = text;
  return node;
}

// root: the bar under the boundary; badgeHost: the boundary plot, which gets a "past" label;
// boundary and inspector: the panels a past frame is given to; probe: window.bpv.
export function create(root, { badgeHost, boundary, inspector, probe, lossChart }) {
  root.classList.add("timeline");
  const label = el("label", { htmlFor: "timeline-range", className: "timeline-label" }, "Timeline");
  const range = el("input", { type: "range", id: "timeline-range", min: "0", max: "0", step: "1", value: "0" });
  range.setAttribute("aria-label", "Scrub back to an earlier step");
  const readout = el("output", { id: "timeline-readout", className: "timeline-readout" }, "live");
  readout.htmlFor = "timeline-range";
  const liveButton = el("button", { type: "button", id: "timeline-live", title: "Follow the run again" }, "● Live");
  liveButton.disabled = true;
  root.append(label, range, readout, liveButton);
  const badge = el("div", { className: "past-badge", id: "past-badge", hidden: true });
  badgeHost.append(badge);

  let sessionId = null;
  let live = null; // the last live frame
  let past = null; // the step asked for, or null when live
  let kept = []; // the steps the server keeps, fetched when the scrubber is touched
  let G = 100;

  const fetcher = new Latest(
    async (key) => {
      const atStep = Number(key.split(":")[1]);
      const [grid, parameters, gradients] = await Promise.all([
        getView(sessionId, "grid", { G, at_step: atStep }),
        getView(sessionId, "parameters", { at_step: atStep }),
        getView(sessionId, "gradients", { at_step: atStep }),
      ]);
      if (!(grid.ok && parameters.ok && gradients.ok)) return null;
      return pastFrame(live, grid.data, parameters.data, gradients.data);
    },
    (frame) => {
      if (!frame || past === null) return;
      boundary.update(frame);
      inspector.update(frame);
      const k = frame.header.step;
      badge.textContent = `step ${k} (past)`;
      badge.hidden = false;
      readout.textContent = `step ${k} of ${live ? live.header.step : "?"} (past)`;
      probe.atStep = k;
      markLossChart(k);
    },
    { gap: 60 },
  );

  // A dotted line on the loss chart where the view is, so the past step has a place in the run.
  let marked = null;
  function markLossChart(step) {
    if (step === marked) return;
    marked = step;
    if (!lossChart || !lossChart.data || typeof Plotly === "undefined") return;
    const shapes = step === null ? [] : [{
      type: "line", xref: "x", yref: "paper", x0: step, x1: step, y0: 0, y1: 1,
      line: { color: "#333", width: 2, dash: "dot" },
    }];  // prettier-ignore
    Plotly.relayout(lossChart, { shapes });
  }

  async function refreshKept() {
    if (!sessionId) return;
    const result = await getView(sessionId, "timeline");
    if (result.ok) kept = result.data.steps;
  }

  function goPast(step) {
    past = step;
    document.body.dataset.past = "true";
    liveButton.disabled = false;
    readout.textContent = `step ${step}… (past)`;
    fetcher.want(`${sessionId}:${step}`);
  }

  function goLive() {
    const wasPast = past !== null;
    fetcher.cancel();
    past = null;
    probe.atStep = null;
    delete document.body.dataset.past;
    badge.hidden = true;
    liveButton.disabled = true;
    if (live) {
      range.value = range.max;
      readout.textContent = `live · step ${live.header.step}`;
      if (wasPast) {
        boundary.update(live);
        inspector.update(live);
      }
    } else {
      readout.textContent = "live";
    }
    if (wasPast) markLossChart(null);
  }

  range.addEventListener("input", () => {
    const step = Number(range.value);
    if (!live || step >= live.header.step) goLive();
    else goPast(step);
  });
  // The kept steps thin out as a run grows (every 2nd, 4th, ... step), so the arrow keys go from
  // one kept step to the next, where the browser's own +1 would land on the same snapshot again.
  range.addEventListener("keydown", (event) => {
    if (!live || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
    event.preventDefault();
    const now = past ?? live.header.step;
    const next = event.key === "ArrowLeft" ? kept.filter((s) => s < now).pop() ?? 0 : kept.find((s) => s > now);
    if (next === undefined || next >= live.header.step) {
      goLive();
      return;
    }
    range.value = String(next);
    goPast(next);
  });
  for (const type of ["pointerdown", "focus"]) range.addEventListener(type, refreshKept);
  liveButton.addEventListener("click", goLive);

  return {
    // True while the view shows an earlier step: live frames must not repaint the boundary.
    get past() {
      return past !== null;
    },
    begin(hello) {
      sessionId = hello.session.id;
      live = null;
      kept = [];
      range.max = String(hello.session.step);
      goLive();
    },
    // Every live frame, whether or not the view is in the past.
    update(frame) {
      live = frame;
      const step = frame.header.step;
      if (frame.arrays.grid) G = frame.arrays.grid.shape[0];
      range.max = String(step);
      if (past === null) {
        range.value = String(step);
        readout.textContent = `live · step ${step}`;
      } else if (step < past) {
        goLive(); // the run was reset: that step is gone
      } else if (probe.atStep !== null) {
        readout.textContent = `step ${probe.atStep} of ${step} (past)`;
      }
    },
    goLive,
  };
}
