// The passes animated on the network diagram: "Backprop" and "Forward" fetch the pass at the
// run's step (GET .../pass, the batch or one training point) and step through its stages:
// previous, next, play (about a stage a second; not with prefers-reduced-motion), "stage i of n",
// ←/→ while the control has the focus, "refresh" for the newest step. Each stage's caption and
// equation are the server's; the derivation panel is told which of its lines to light by the
// event "bpv:derivation-highlight" ({ form, n, stages }), dispatched on document.

import { el } from "../../lib/dom.js";
import { getView } from "../../lib/rest.js";
import { katexReady, typeset } from "../../lib/tex.js";

export const HIGHLIGHT_EVENT = "bpv:derivation-highlight";
export const STAGE_MS = 1000;

const reducedMotion = () => globalThis.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;

// options: units() -> "l:j,..." of a folded diagram's shown units (or null); onStage() repaints
// the diagram when the stage (or the pass) changes; atStep() -> the step the timeline shows (or
// null: now).
export function mountAnimation(store, { units, onStage, atStep }) {
  const backprop = el(
    "button",
    { type: "button", id: "pass-backward", "aria-pressed": "false", title: "Step through the backward pass" },
    "Backprop",
  );
  const forwardButton = el(
    "button",
    { type: "button", id: "pass-forward", "aria-pressed": "false", title: "Step through the forward pass" },
    "Forward",
  );
  const previous = el("button", { type: "button", id: "pass-previous", "aria-label": "previous stage" }, "◀");
  const play = el("button", { type: "button", id: "pass-play", "aria-label": "play the stages" }, "▶ play");
  const next = el("button", { type: "button", id: "pass-next", "aria-label": "next stage" }, "▶|");
  const counter = el("span", { id: "pass-counter", className: "pass-counter" });
  const sample = el("input", {
    type: "number",
    id: "pass-sample",
    min: 0,
    step: 1,
    placeholder: "all",
    inputMode: "numeric",
  });
  const sampleLabel = el("label", { htmlFor: "pass-sample" }, "point ");
  const refresh = el(
    "button",
    { type: "button", id: "pass-refresh", title: "the pass at the newest step" },
    "refresh",
  );
  const close = el("button", { type: "button", id: "pass-close", "aria-label": "close the pass" }, "×");
  const step = el("span", { id: "pass-step", className: "muted" });
  const bar = el(
    "div",
    {
      className: "pass-bar",
      id: "pass-bar",
      role: "group",
      "aria-label": "the pass, stage by stage",
      hidden: true,
    },
    [previous, play, next, counter, el("span", "pass-sample", [sampleLabel, sample]), refresh, step, close],
  );
  const title = el("strong", { id: "pass-title" });
  const equation = el("div", { className: "pass-equation", id: "pass-equation" });
  const caption = el("p", { className: "pass-caption", id: "pass-caption", "aria-live": "polite" });
  const trailNote = el(
    "p",
    "muted pass-note",
    "Over each column: its largest |value| in the stages so far. The links walked stay drawn, " +
      "as wide as their value against the pass's largest of the same kind (a value forward; dW, or the error δ sent back).",
  );
  const cutNote = el("p", { className: "muted pass-note", id: "pass-cut" });
  const words = el("div", { className: "pass-words", id: "pass-words", hidden: true }, [
    title,
    equation,
    caption,
    trailNote,
    cutNote,
  ]);
  const error = el("p", { className: "error", id: "pass-error", hidden: true });

  let direction = null; // "backward" | "forward" | null (closed)
  let pass = null;
  let index = 0;
  let timer = null;
  let asked = 0;

  function form() {
    return pass?.sample === null ? "batch" : "sample";
  }

  function highlight(stages) {
    document.dispatchEvent(
      new CustomEvent(HIGHLIGHT_EVENT, { detail: { form: form(), n: pass?.sample ?? null, stages } }),
    );
  }

  function show() {
    if (!pass) return;
    const stage = pass.stages[index];
    counter.textContent = `stage ${index + 1} of ${pass.stages.length}`;
    const over = pass.sample === null ? `all ${pass.N} training points` : `training point ${pass.sample}`;
    step.textContent = `at step ${pass.step}, ${over}`;
    title.textContent = `${stage.phase === "backward" ? "Backward" : "Forward"}: ${stage.title}`;
    caption.textContent = stage.caption;
    cutNote.textContent = pass.cut.length ? `Sent for a wide layer: ${pass.cut.join("; ")}.` : "";
    equation.textContent = stage.text;
    equation.dataset.text = stage.text;
    katexReady().then(() => {
      if (pass?.stages[index] === stage) typeset(equation, stage.tex, true);
    });
    previous.disabled = index === 0;
    next.disabled = index === pass.stages.length - 1;
    bar.dataset.stage = String(index);
    bar.dataset.stages = String(pass.stages.length);
    onStage();
    highlight(stage.derivation);
  }

  async function load() {
    const ticket = ++asked;
    const text = sample.value.trim();
    const query = { direction };
    if (text !== "") query.sample = text;
    const at = atStep();
    if (at !== null) query.at_step = at;
    const shown = units();
    if (shown) query.units = shown;
    const result = await getView(store.sessionId, "pass", query);
    if (ticket !== asked || direction === null) return;
    if (!result.ok) {
      error.textContent = result.message;
      error.hidden = false;
      return;
    }
    error.hidden = true;
    const keep = pass && pass.direction === result.data.direction ? index : 0;
    pass = result.data;
    index = Math.min(keep, pass.stages.length - 1);
    bar.dataset.step = String(pass.step);
    show();
  }

  function open(which) {
    stop();
    if (direction === which) {
      closeAll();
      return;
    }
    direction = which;
    pass = null;
    index = 0;
    backprop.setAttribute("aria-pressed", String(which === "backward"));
    forwardButton.setAttribute("aria-pressed", String(which === "forward"));
    bar.hidden = false;
    words.hidden = false;
    play.disabled = reducedMotion();
    play.title = play.disabled ? "your system asks for reduced motion: step with ◀ and ▶| (or ← →)" : "";
    load();
  }

  function closeAll() {
    stop();
    direction = null;
    pass = null;
    asked++;
    backprop.setAttribute("aria-pressed", "false");
    forwardButton.setAttribute("aria-pressed", "false");
    bar.hidden = true;
    words.hidden = true;
    error.hidden = true;
    onStage();
    document.dispatchEvent(
      new CustomEvent(HIGHLIGHT_EVENT, { detail: { form: "batch", n: null, stages: [] } }),
    );
  }

  function go(to) {
    if (!pass) return;
    const clamped = Math.max(0, Math.min(pass.stages.length - 1, to));
    if (clamped === index) return;
    index = clamped;
    show();
  }

  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = "▶ play";
    play.setAttribute("aria-label", "play the stages");
  }

  function start() {
    if (!pass || reducedMotion()) return;
    if (index === pass.stages.length - 1) go(0);
    play.textContent = "❚❚ pause";
    play.setAttribute("aria-label", "pause");
    timer = setInterval(() => {
      if (!pass || index >= pass.stages.length - 1) {
        stop();
        return;
      }
      go(index + 1);
    }, STAGE_MS);
  }

  backprop.addEventListener("click", () => open("backward"));
  forwardButton.addEventListener("click", () => open("forward"));
  previous.addEventListener("click", () => {
    stop();
    go(index - 1);
  });
  next.addEventListener("click", () => {
    stop();
    go(index + 1);
  });
  play.addEventListener("click", () => (timer === null ? start() : stop()));
  refresh.addEventListener("click", () => load());
  close.addEventListener("click", () => closeAll());
  sample.addEventListener("change", () => {
    stop();
    load();
  });
  bar.addEventListener("keydown", (event) => {
    if (event.target === sample) return; // its arrows change its number
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    stop();
    go(index + (event.key === "ArrowLeft" ? -1 : 1));
  });

  return {
    buttons: [backprop, forwardButton],
    bar,
    words,
    error,
    // The pass and the stage shown, or null (closed, or not loaded yet).
    current: () => (pass ? { pass, index } : null),
    // A new session: nothing to show.
    reset() {
      closeAll();
      sample.value = "";
    },
    // The view is hidden: play stops (the derivation would be told of stages nobody sees).
    pause: () => stop(),
    // The timeline moved (or followed the run again): the pass at that step.
    reload() {
      if (direction) load();
    },
  };
}
