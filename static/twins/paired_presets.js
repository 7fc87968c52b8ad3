// Presets that are pairs, beside the presets: each a question a class asks ("learning rate 1.0
// vs 0.1 from step 50"), one click away. The server trains the preset's run to its fork step and
// twins it (POST /api/twins); the compare page opens with the twins' tokens kept here.

import { el } from "../lib/dom.js";
import { isPresenting } from "../panels/classroom/present.js";
import { listPairedPresets, makePresetTwins } from "./api.js";
import { rememberCreated } from "./tokens.js";

// root: the presets' tab body. Returns { setEnabled(on) } (a watcher sees them, greyed).
export function mountPairedPresets(root) {
  const list = el("div", { className: "lesson-list", role: "list", id: "paired-presets" });
  const message = el("p", { className: "pairs-message", role: "alert", hidden: true });
  const section = el("section", { className: "pairs", "aria-labelledby": "pairs-title", hidden: true }, [
    el("h3", { className: "pairs-title", id: "pairs-title" }, "What if…: pairs of runs, side by side"),
    list,
    message,
  ]);
  root.prepend(section); // first: the questions a class asks, before the single runs
  let enabled = true;
  const buttons = [];

  async function open(preset, button) {
    message.hidden = true;
    for (const b of buttons) b.disabled = true;
    const text = button.querySelector(".lesson-text");
    const was = text.textContent;
    text.textContent = `Training to step ${preset.step}, then twinning…`;
    const result = await makePresetTwins(preset.name);
    text.textContent = was;
    for (const b of buttons) b.disabled = !enabled;
    if (!result.ok) {
      message.textContent =
        result.status === 429
          ? `The server has no room for two more runs now. ${result.message}`
          : result.message;
      message.hidden = false;
      return;
    }
    rememberCreated(result.data);
    location.assign(`/twins/${encodeURIComponent(result.data.id)}${isPresenting() ? "?present=1" : ""}`);
  }

  listPairedPresets().then((found) => {
    if (!found.ok || !Array.isArray(found.data) || !found.data.length) return;
    for (const preset of found.data) {
      const button = el("button", { className: "lesson", type: "button" }, [
        el("strong", "lesson-title", preset.title),
        el("span", "lesson-text", preset.description),
      ]);
      button.dataset.pair = preset.name;
      button.disabled = !enabled;
      button.addEventListener("click", () => open(preset, button));
      buttons.push(button);
      list.append(el("div", { className: "lesson-item", role: "listitem" }, button));
    }
    section.hidden = false;
  });

  return {
    setEnabled(on) {
      enabled = on;
      for (const b of buttons) b.disabled = !on;
    },
  };
}
