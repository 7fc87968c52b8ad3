// The views' panel made as large as the screen, for a derivation read at a projector or on a
// laptop whose 768 lines leave the views a strip: the Enlarge button, and Escape (or the button
// again) to put it back.

import { opened } from "../lib/escape.js";

// section: the views' panel; button: its Enlarge button.
export function mount(section, button) {
  let enlarged = false;
  let release = () => {};

  function setEnlarged(on) {
    enlarged = on;
    release();
    release = on ? opened(() => setEnlarged(false)) : () => {};
    section.classList.toggle("enlarged", on);
    document.body.dataset.enlarged = String(on);
    button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? "Shrink" : "Enlarge";
    button.title = on
      ? "Back to its place (Escape)"
      : "Give this view most of the screen (Escape puts it back)";
  }

  button.addEventListener("click", () => setEnlarged(!enlarged));
  setEnlarged(false);
  return {
    get enlarged() {
      return enlarged;
    },
    setEnlarged,
  };
}
