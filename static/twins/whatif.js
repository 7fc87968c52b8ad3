// "What if…": the main page's way to ask a counterfactual in one click. A small dialog offers the
// common changes from the run's current step (or an earlier kept step: the one the timeline
// shows, or any the server kept), and a free form for any other setting a fork can change. A
// click makes twins of the run (POST /api/sessions/{id}/twins: the left unchanged, the right
// changed) and opens their compare page, the twins' tokens kept in this browser. Anyone who can
// watch a run may ask (a fork needs no token); what the server refuses (422, 429) is said here.

import { el } from "../lib/dom.js";
import { opened } from "../lib/escape.js";
import { formatNumber } from "../lib/format.js";
import { getView, listDatasets } from "../lib/rest.js";
import { isPresenting } from "../panels/classroom/present.js";
import { makeTwins } from "./api.js";
import { rememberCreated } from "./tokens.js";

// The settings a fork can change (ForkChanges), for the free form: [name, what a person reads].
const FREE_FIELDS = [
  ["learning_rate", "learning rate η"],
  ["optimizer", "optimizer (sgd, momentum, adam)"],
  ["beta1", "momentum β"],
  ["lam", "L2 λ"],
  ["l1", "L1 λ₁"],
  ["batch_size", "batch size (full: every point)"],
  ["loss", "loss (cross_entropy, mse)"],
  ["activation", "activation (tanh, relu, sigmoid…)"],
  ["label_smoothing", "label smoothing"],
  ["seed", "mini-batch order seed"],
  ["noise", "data noise"],
];
const TEXT_FIELDS = new Set(["optimizer", "loss", "activation"]);
const MAX_STEPS_LISTED = 300; // the server keeps 256 at most

const round = (v) => Number(v.toPrecision(3));

// The free form's text -> the value sent: a number, null for a full batch, or the text (the
// server checks it and names what is wrong).
export function freeValue(field, text) {
  const t = text.trim();
  if (field === "batch_size" && (t === "" || t.toLowerCase() === "full")) return null;
  if (TEXT_FIELDS.has(field)) return t;
  const x = Number(t);
  return t !== "" && Number.isFinite(x) ? x : t;
}

// The one-click changes for a run whose settings are `setting(name)` (live over config) and whose
// data noise is `noise`: [{ id, text, changes, disabled, why }].
export function commonChanges(setting, noise) {
  const lr = setting("learning_rate");
  const loss = setting("loss");
  const optimizer = setting("optimizer");
  const activation = setting("activation");
  const batch = setting("batch_size");
  const otherActivation = activation === "relu" ? "tanh" : "relu";
  const changes = [
    {
      id: "lr-down",
      text: `learning rate ×0.1 (η ${formatNumber(lr)} → ${formatNumber(round(lr / 10))})`,
      changes: { learning_rate: round(lr / 10) },
    },
    {
      id: "lr-up",
      text: `learning rate ×10 (η ${formatNumber(lr)} → ${formatNumber(round(lr * 10))})`,
      changes: { learning_rate: round(lr * 10) },
    },
    loss === "mse"
      ? { id: "loss", text: "cross-entropy instead of MSE", changes: { loss: "cross_entropy" } }
      : { id: "loss", text: "MSE instead of cross-entropy", changes: { loss: "mse" } },
    optimizer === "sgd"
      ? { id: "momentum", text: "momentum on (β 0.9)", changes: { optimizer: "momentum", beta1: 0.9 } }
      : { id: "momentum", text: `plain SGD instead of ${optimizer}`, changes: { optimizer: "sgd" } },
    {
      id: "activation",
      text: `${otherActivation} instead of ${activation}`,
      changes: { activation: otherActivation },
    },
    {
      id: "batch-order",
      text: "another mini-batch order",
      changes: { seed: (setting("seed") ?? 0) + 1 },
      disabled: batch === null || batch === undefined,
      why: "a full batch has no order: every step uses every point",
    },
  ];
  if (Number.isFinite(noise)) {
    changes.push(
      {
        id: "noise-up",
        text: `more data noise (${formatNumber(noise, 3)} → ${formatNumber(round(noise * 2 || 0.1), 3)})`,
        changes: { noise: round(noise * 2 || 0.1) },
      },
      {
        id: "noise-down",
        text: `less data noise (${formatNumber(noise, 3)} → ${formatNumber(round(noise / 2), 3)})`,
        changes: { noise: round(noise / 2) },
        disabled: noise === 0,
        why: "the data has no noise",
      },
    );
  }
  return changes;
}

// slot: where the "What if…" button goes (the top bar); store: the page store. Returns a panel
// (showStep: the timeline's step is where the dialog starts from).
export function mount(slot, store) {
  const button = el(
    "button",
    { type: "button", id: "whatif", "aria-expanded": "false", "aria-haspopup": "dialog" },
    "What if…",
  );
  button.title = "Fork this run into two and watch them side by side: one unchanged, one with a change";
  // A run that is one of twins plays in lock-step with the other: its compare page drives it.
  const twinned = el(
    "a",
    { className: "whatif-twinned", id: "whatif-twinned", hidden: true },
    "open its compare page",
  );
  slot.append(button, twinned);

  const from = el("select", { id: "whatif-from" });
  const fromLabel = el("label", { className: "whatif-from", htmlFor: "whatif-from" }, ["from ", from]);
  const choices = el("div", { className: "whatif-choices", role: "group", "aria-label": "Common changes" });
  const field = el("select", { id: "whatif-field", "aria-label": "Setting to change" });
  for (const [name, text] of FREE_FIELDS) field.append(el("option", { value: name }, text));
  const value = el("input", {
    type: "text",
    id: "whatif-value",
    autocomplete: "off",
    spellcheck: false,
    maxLength: 64, // a number or a name: the server checks it and says what is wrong
    placeholder: "new value",
    "aria-label": "Its new value",
  });
  const freeGo = el("button", { type: "submit", id: "whatif-free-go" }, "Compare");
  const free = el("form", { className: "whatif-free", id: "whatif-free" }, [field, value, freeGo]);
  const message = el("p", { className: "whatif-message", id: "whatif-message", role: "alert", hidden: true });
  const close = el("button", { type: "button", className: "whatif-close", "aria-label": "Close" }, "×");
  const title = el("h2", { id: "whatif-title" }, "What if…");
  const panel = el(
    "div",
    {
      className: "whatif-panel",
      id: "whatif-panel",
      role: "dialog",
      hidden: true,
      "aria-labelledby": "whatif-title",
    },
    [
      el("div", "whatif-head", [title, fromLabel, close]),
      el(
        "p",
        "hint",
        "Two runs from the same weights: the left goes on unchanged, the right with the change.",
      ),
      choices,
      el("p", "whatif-free-title", "or change any other setting:"),
      free,
      message,
    ],
  );
  document.body.append(panel);

  let open = false;
  let pastStep = null; // the step the timeline shows, or null (live)
  let busy = false;
  let defaultNoise = null; // the dataset's own noise, when the run's is null

  function say(text) {
    message.hidden = !text;
    message.textContent = text ?? "";
  }

  async function fillSteps() {
    const now = store.step ?? 0;
    from.replaceChildren(el("option", { value: "" }, `now (step ${now})`));
    const found = store.sessionId ? await getView(store.sessionId, "timeline") : { ok: false };
    const steps = found.ok
      ? found.data.steps
          .filter((s) => s < now)
          .slice(-MAX_STEPS_LISTED)
          .reverse()
      : [];
    for (const s of steps) from.append(el("option", { value: String(s) }, `step ${s}`));
    if (pastStep !== null && steps.includes(pastStep)) from.value = String(pastStep);
  }

  async function noiseOfRun() {
    const noise = store.config?.dataset?.noise;
    if (noise !== null && noise !== undefined) return noise;
    if (defaultNoise === null) {
      const found = await listDatasets();
      const kind = store.config?.dataset?.kind;
      const info = found.ok ? found.data.find((d) => d.kind === kind) : null;
      defaultNoise = info?.default_noise ?? Number.NaN;
    }
    return defaultNoise;
  }

  async function fillChoices() {
    const noise = await noiseOfRun();
    choices.replaceChildren(
      ...commonChanges((name) => store.setting(name), noise).map((c) => {
        const b = el("button", { type: "button", className: "whatif-choice", "data-change": c.id }, c.text);
        b.disabled = Boolean(c.disabled);
        if (c.disabled) b.title = c.why;
        b.addEventListener("click", () => go(c.changes));
        return b;
      }),
    );
  }

  async function go(changes) {
    if (busy || !store.sessionId) return;
    busy = true;
    panel.setAttribute("aria-busy", "true");
    say("Making the two runs…");
    const atStep = from.value === "" ? null : Number(from.value);
    const result = await makeTwins(store.sessionId, atStep, changes);
    busy = false;
    panel.removeAttribute("aria-busy");
    if (!result.ok) {
      const full = result.status === 429 ? "The server has no room for two more runs now. " : "";
      say(`${full}${result.message}`);
      return;
    }
    rememberCreated(result.data);
    // A projector's presentation mode goes on on the compare page.
    location.assign(`/twins/${encodeURIComponent(result.data.id)}${isPresenting() ? "?present=1" : ""}`);
  }

  free.addEventListener("submit", (event) => {
    event.preventDefault();
    go({ [field.value]: freeValue(field.value, value.value) });
  });

  let releaseEscape = () => {};
  function setOpen(on) {
    open = on;
    releaseEscape();
    releaseEscape = open ? opened(() => setOpen(false)) : () => {};
    if (!open && panel.contains(document.activeElement)) button.focus();
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (!open) return;
    say(null);
    // Under the button, or over it when it sits in the screen's lower half (under the plot).
    const r = button.getBoundingClientRect();
    const above = r.top > window.innerHeight / 2;
    panel.style.top = above ? "auto" : `${r.bottom + 6}px`;
    panel.style.bottom = above ? `${window.innerHeight - r.top + 6}px` : "auto";
    panel.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - panel.offsetWidth - 8))}px`;
    Promise.all([fillSteps(), fillChoices()]).then(() => {
      if (open) choices.querySelector("button:not(:disabled)")?.focus();
    });
  }
  button.addEventListener("click", () => setOpen(!open));
  close.addEventListener("click", () => setOpen(false));
  document.addEventListener("click", (event) => {
    if (open && !panel.contains(event.target) && event.target !== button) setOpen(false);
  });

  return {
    begin(hello) {
      const twins = hello.session.twins;
      twinned.hidden = !twins;
      if (twins) {
        twinned.href = `/twins/${encodeURIComponent(twins.id)}`;
        twinned.textContent = `The ${twins.side} run of twins: open their compare page`;
      }
    },
    showStep(step) {
      pastStep = step;
    },
  };
}
