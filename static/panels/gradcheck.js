// Backprop against finite differences (GET .../gradcheck): for each parameter the largest
// relative error |a − n| / (|a| + |n|) over the entries checked, a pass/fail badge against the
// threshold, and the worst entry's two numbers side by side. Checked on a button, and every k
// steps while this tab is open (a check runs two forward passes per entry: not on every frame).
// Scrubbed back (showStep), it checks the timeline's step and leaves the run alone until live.

import { el } from "../lib/dom.js";
import { formatNumber } from "../lib/format.js";
import { hiddenLayers, paramNames, paramShapes } from "../lib/layers.js";
import { getView } from "../lib/rest.js";

const EVERY = [0, 10, 50, 200, 1000];
const DEFAULT_EVERY = 50;
const MAX_ENTRIES = 100;
// The error axis of the bars, in powers of ten: float64 rounding at the left, 1 (unrelated) at the right.
const LOG_LOW = -12;
const LOG_HIGH = 0;

function position(error) {
  if (error === null || error === undefined) return 100;
  if (error <= 0) return 0;
  const t = (Math.log10(error) - LOG_LOW) / (LOG_HIGH - LOG_LOW);
  return 100 * Math.min(1, Math.max(0, t));
}

function badge(passed) {
  return el("span", `badge ${passed ? "badge-pass" : "badge-fail"}`, passed ? "✓ pass" : "✗ fail");
}

export function mount(root, store) {
  root.classList.add("gradcheck");
  const run = el("button", { className: "primary", type: "button", id: "gradcheck-run" }, "Check now");
  const every = el(
    "select",
    { id: "gradcheck-every", "aria-label": "check again every" },
    EVERY.map((k) =>
      el(
        "option",
        { value: String(k), selected: k === DEFAULT_EVERY },
        k ? `every ${k} steps` : "only on the button",
      ),
    ),
  );
  let everySteps = DEFAULT_EVERY;
  const overall = el("span", "gradcheck-overall");
  const status = el("span", "muted gradcheck-status");
  const bar = el("div", "inspect-bar", [
    run,
    el("label", "", ["check again ", every, " while this tab is open"]),
    overall,
    status,
  ]);
  const note = el("p", "inspect-note");
  const error = el("p", { className: "error", hidden: true });
  const body = el("tbody");
  const thresholdHead = el("th", "gradcheck-axis-head");
  const table = el("table", { className: "gradcheck-table", id: "gradcheck-table" }, [
    el("thead", "", [
      el("tr", "", [
        el("th", "", "parameter"),
        el("th", "", "shape"),
        el("th", "num", "entries checked"),
        el("th", "num", "max relative error"),
        thresholdHead,
        el("th", "", "result"),
        el("th", "", "worst entry: backprop vs finite difference"),
      ]),
    ]),
    body,
  ]);
  root.append(bar, note, error, table);

  let visible = false;
  let busy = false;
  let checkedStep = null;
  let latestStep = null;
  let pastStep = null; // the step the timeline shows, or null when live
  let again = false; // a check was wished for while one ran: the step shown changed meanwhile

  async function check() {
    if (!store.hello) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    run.disabled = true;
    status.textContent = "checking…";
    const asked = pastStep;
    const query = { max_entries: MAX_ENTRIES, seed: 0, ...(asked === null ? {} : { at_step: asked }) };
    const result = await getView(store.sessionId, "gradcheck", query);
    busy = false;
    run.disabled = false;
    if (again || asked !== pastStep) {
      again = false;
      check(); // the timeline moved while this one ran: check the step it shows now
      return;
    }
    if (!result.ok) {
      status.textContent = "";
      error.textContent = result.message;
      error.hidden = false;
      return;
    }
    error.hidden = true;
    draw(result.data);
  }

  function draw(d) {
    checkedStep = d.step;
    root.dataset.step = String(d.step);
    status.textContent = pastStep === null ? `checked at step ${d.step}` : `checked at step ${d.step} (past)`;
    const checked = Object.keys(d.params).length; // four with one hidden layer, 2(L+1) deeper
    overall.replaceChildren(
      d.passed ? (checked === 4 ? "all four " : `all ${checked} `) : "",
      badge(d.passed),
    );
    const t = formatNumber(d.threshold, 1);
    note.textContent =
      `Each checked entry θ is nudged both ways by ε and the loss recomputed in float64: the finite difference ` +
      `(L(θ+ε) − L(θ−ε)) / 2ε should equal backprop's dL/dθ. Relative error = |backprop − finite difference| / ` +
      `(|backprop| + |finite difference|). A correct backprop gives about 1e−7 or less; above ${t} it is a bug. ` +
      `Up to ${d.entries_per_parameter} entries per parameter (a fixed sample when there are more)` +
      (d.fewer_entries ? `: ${d.fewer_entries}.` : ".");
    thresholdHead.replaceChildren(
      el("span", "axis-label", `1e${LOG_LOW}`),
      el("span", "axis-label threshold-label", `threshold ${t}`),
      el("span", "axis-label", "1"),
    );
    thresholdHead.style.setProperty("--threshold", `${position(d.threshold)}%`);
    body.replaceChildren();
    const shapes = paramShapes(store.config, store.classes);
    // Every parameter of the run, in layer order, that the reply checked.
    for (const name of paramNames(hiddenLayers(store.config.hidden))) {
      const p = d.params[name];
      if (!p) continue;
      const row = el("tr");
      row.dataset.param = name;
      const meter = el("div", "error-axis");
      meter.style.setProperty("--threshold", `${position(d.threshold)}%`);
      const mark = el("span", `error-mark ${p.passed ? "pass" : "fail"}`);
      mark.style.left = `${position(p.max_rel_error)}%`;
      meter.append(mark);
      const worst = p.worst; // the server's: the largest error that crossed no kink
      const worstText = worst
        ? `${name}[${worst.index.join(",")}]: ${formatNumber(worst.analytic, 6)} vs ${formatNumber(worst.numeric, 6)}`
        : "–";
      const kinks = p.kinks ? ` (${p.kinks} across a relu kink, not counted)` : "";
      row.append(
        el("th", "", name),
        el("td", "", shapes[name]),
        el("td", "num", `${p.entries_checked} of ${p.entries_total}${kinks}`),
        el("td", "num gradcheck-error", formatNumber(p.max_rel_error, 2)),
        el("td", "", meter),
        el("td", "", badge(p.passed)),
        el("td", "gradcheck-worst", worstText),
      );
      body.append(row);
    }
  }

  run.addEventListener("click", check);
  every.addEventListener("change", () => {
    everySteps = Number(every.value);
  });

  return {
    begin(hello) {
      latestStep = hello.session.step;
      checkedStep = null;
      if (visible) check();
    },
    update(frame) {
      latestStep = frame.header.step;
      const k = everySteps;
      if (!visible || busy || !k || pastStep !== null) return;
      // Every k steps; also after a reset (the step went back).
      if (checkedStep === null || latestStep >= checkedStep + k || latestStep < checkedStep) check();
    },
    shown() {
      visible = true;
      if (checkedStep === null || checkedStep !== (pastStep ?? latestStep)) check();
    },
    // The timeline's step k (null: the run's own again): checked now if this tab is open, else
    // when it is opened.
    showStep(step) {
      pastStep = step;
      checkedStep = null;
      if (visible) check();
    },
    hidden() {
      visible = false;
    },
  };
}
