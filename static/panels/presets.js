// Presets that teach, one click each: a tab listing every preset by its title with what it
// teaches, and the preset select in the form relabelled by title with its lesson under it.
// A click goes through the form's own preset select, so a preset starts a run exactly as
// choosing it there does (controls.js): one path, not two.
//
// A tab of the bottom panel: begin(hello) marks the preset the run is (if any); update is a no-op.

import { FIELDS, flatten } from "./config.js";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function sameRun(a, b) {
  const x = flatten(a);
  const y = flatten(b);
  return FIELDS.every((f) => x[f.key] === y[f.key]);
}

// select: the form's #preset; about: where the chosen preset's lesson is written in the form.
export function create(root, { select, about }) {
  root.classList.add("lessons");
  const list = el("div", "lesson-list");
  list.setAttribute("role", "list");
  root.append(list);
  let presets = [];
  let buttons = new Map();
  let enabled = true;

  function choose(name) {
    select.value = name;
    select.dispatchEvent(new Event("change"));
  }

  function mark(name) {
    for (const [key, button] of buttons) button.setAttribute("aria-current", String(key === name));
    const preset = presets.find((p) => p.name === name);
    about.textContent = preset ? preset.description : "";
    about.hidden = !preset;
  }

  return {
    setPresets(list_) {
      presets = list_;
      buttons = new Map();
      list.replaceChildren();
      for (const p of presets) {
        const button = el("button", "lesson");
        button.type = "button";
        button.dataset.preset = p.name;
        button.setAttribute("role", "listitem");
        button.append(el("strong", "lesson-title", p.title), el("span", "lesson-text", p.description));
        button.disabled = !enabled;
        button.addEventListener("click", () => choose(p.name));
        list.append(button);
        buttons.set(p.name, button);
      }
      for (const option of select.options) {
        const preset = presets.find((p) => p.name === option.value);
        if (preset) option.textContent = preset.title;
      }
    },
    // Watchers see the lessons, but cannot start one on the driver's run.
    setEnabled(on) {
      enabled = on;
      for (const button of buttons.values()) button.disabled = !on;
    },
    begin(hello) {
      const match = presets.find((p) => sameRun(p.config, hello.session.config));
      mark(match ? match.name : null);
      select.value = match ? match.name : "";
    },
    update() {},
  };
}
