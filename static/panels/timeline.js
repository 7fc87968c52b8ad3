// The timeline: a scrubber over the run's steps. Moved back, it asks every panel to show that
// step (showStep(k): the boundary, the weights and the views fetch it with ?at_step=k from the
// server's ring of kept snapshots; the loss chart marks where it is); back at the right end, or
// with Live, it asks them to follow the run again (showStep(null)). Scrubbing is this page's own
// business: the run, and everyone watching it, go on.

import { el } from "../lib/dom.js";
import { probe } from "../lib/probe.js";
import { getView } from "../lib/rest.js";
import { Latest } from "../lib/throttle.js";

// root: the bar under the boundary; showStep(step): tell every panel which step to show, and
// resolve to the step shown (Panels.showStep).
export function mount(root, store, { showStep }) {
  root.classList.add("timeline");
  const label = el("label", { htmlFor: "timeline-range", className: "timeline-label" }, "Timeline");
  const range = el("input", {
    type: "range",
    id: "timeline-range",
    min: "0",
    max: "0",
    step: "1",
    value: "0",
  });
  range.setAttribute("aria-label", "Scrub back to an earlier step");
  const readout = el("output", { id: "timeline-readout", className: "timeline-readout" }, "live");
  readout.htmlFor = "timeline-range";
  const liveButton = el(
    "button",
    { type: "button", id: "timeline-live", title: "Follow the run again" },
    "● Live",
  );
  liveButton.disabled = true;
  // The polls asked in this run, a mark each at its step over the scrubber (setMarks).
  const marksLayer = el("span", { className: "timeline-marks", "aria-hidden": "true" });
  const track = el("span", "timeline-track", [range, marksLayer]);
  root.append(label, track, readout, liveButton);
  let marks = []; // [{ step, label }]
  let marksMax = null; // the scrubber's max the marks were placed for

  function placeMarks() {
    const max = Number(range.max);
    if (max === marksMax) return;
    marksMax = max;
    marksLayer.replaceChildren(
      ...marks.map((m) => {
        const mark = el("span", { className: "timeline-mark", title: `${m.label} (step ${m.step})` });
        mark.style.left = `calc(8px + (100% - 16px) * ${max > 0 ? Math.min(m.step / max, 1) : 0})`;
        mark.addEventListener("click", () => {
          if (!store.frame || m.step >= store.step) return;
          range.value = String(m.step);
          goPast(m.step);
        });
        return mark;
      }),
    );
  }

  let past = null; // the step asked for, or null when live
  let kept = []; // the steps the server keeps, fetched when the scrubber is touched
  let shown = null; // the kept step the panels show while in the past

  async function refreshKept() {
    if (!store.sessionId) return;
    const result = await getView(store.sessionId, "timeline");
    if (result.ok) kept = result.data.steps;
  }

  // The kept step the server shows for `step`: the nearest at or before it.
  async function keptStep(step) {
    if (!kept.length || step > kept[kept.length - 1]) await refreshKept();
    return kept.filter((s) => s <= step).pop() ?? step;
  }

  // Every panel shows the step; the boundary's answer says which step that was.
  const shower = new Latest(
    async (key) => {
      const step = await keptStep(Number(key.split(":")[1]));
      if (past === null) return null;
      return showStep(step);
    },
    (k) => {
      if (k === null || past === null) return;
      shown = k;
      readout.textContent = `step ${k} of ${store.step ?? "?"} (past)`;
      probe.atStep = k;
    },
    { gap: 60 },
  );

  function goPast(step) {
    past = step;
    document.body.dataset.past = "true";
    liveButton.disabled = false;
    readout.textContent = `step ${step}… (past)`;
    shower.want(`${store.sessionId}:${step}`);
  }

  function goLive() {
    const wasPast = past !== null;
    shower.cancel();
    past = null;
    shown = null;
    probe.atStep = null;
    delete document.body.dataset.past;
    liveButton.disabled = true;
    if (store.frame) {
      range.value = range.max;
      readout.textContent = `live · step ${store.step}`;
    } else {
      readout.textContent = "live";
    }
    if (wasPast) showStep(null);
  }

  range.addEventListener("input", () => {
    const step = Number(range.value);
    if (!store.frame || step >= store.step) goLive();
    else goPast(step);
  });
  // The kept steps thin out as a run grows (every 2nd, 4th, ... step), so the arrow keys go from
  // one kept step to the next, where the browser's own +1 would land on the same snapshot again.
  range.addEventListener("keydown", (event) => {
    if (!store.frame || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
    event.preventDefault();
    const now = past ?? store.step;
    const next =
      event.key === "ArrowLeft" ? (kept.filter((s) => s < now).pop() ?? 0) : kept.find((s) => s > now);
    if (next === undefined || next >= store.step) {
      goLive();
      return;
    }
    range.value = String(next);
    goPast(next);
  });
  for (const type of ["pointerdown", "focus"]) range.addEventListener(type, refreshKept);
  liveButton.addEventListener("click", goLive);

  return {
    begin(hello) {
      kept = [];
      range.max = String(hello.session.step);
      goLive();
      placeMarks();
    },
    // The kept step shown while scrubbed back (what an export of "this" should draw), or null
    // while the page follows the run.
    shownStep: () => (past === null ? null : shown),
    // The polls' places: [{ step, label }].
    setMarks(list) {
      marks = list;
      marksMax = null;
      placeMarks();
    },
    // Every live frame, whether or not the view is in the past.
    update(frame) {
      const step = frame.header.step;
      range.max = String(step);
      if (marks.length) placeMarks();
      if (past === null) {
        range.value = String(step);
        readout.textContent = `live · step ${step}`;
      } else if (step < past) {
        goLive(); // the run was reset: that step is gone
      } else if (probe.atStep !== null) {
        readout.textContent = `step ${probe.atStep} of ${step} (past)`;
      }
    },
  };
}
