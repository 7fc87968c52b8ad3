// Presets that teach, one click each: a tab listing every preset by its title with what it
// teaches. A click starts the preset through the form (form.choosePreset), so a preset starts a
// run exactly as choosing it in the form's select does: one path, not two.

import { FIELDS, flatten } from "../lib/config.js";
import { el } from "../lib/dom.js";

function sameRun(a, b) {
  const x = flatten(a);
  const y = flatten(b);
  return FIELDS.every((f) => x[f.key] === y[f.key]);
}

// form: the settings form's { choosePreset(name), showPreset(name) }.
export function mount(root, _store, { form }) {
  root.classList.add("lessons");
  const list = el("div", { className: "lesson-list", role: "list" });
  root.append(list);
  let presets = [];
  let buttons = new Map();
  let enabled = true;

  function mark(name) {
    for (const [key, button] of buttons) button.setAttribute("aria-current", String(key === name));
    form.showPreset(name);
  }

  return {
    setPresets(all) {
      presets = all;
      buttons = new Map();
      list.replaceChildren();
      for (const p of presets) {
        const button = el("button", { className: "lesson", type: "button" }, [
          el("strong", "lesson-title", p.title),
          el("span", "lesson-text", p.description),
        ]);
        button.dataset.preset = p.name;
        button.disabled = !enabled;
        button.addEventListener("click", () => form.choosePreset(p.name));
        list.append(el("div", { className: "lesson-item", role: "listitem" }, button));
        buttons.set(p.name, button);
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
    },
  };
}
