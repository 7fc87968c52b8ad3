// "For slow networks" in the share dialog: a link whose viewers ask for fewer frames a second and a
// coarser decision boundary. The page reads both from its query (fps, grid) and asks the server
// for them; the server also slows any viewer whose acks come back late (docs/protocol.md).

import { el } from "../../lib/dom.js";

// 10 frames a second of a 50 x 50 grid, against 30 of 100 x 100: about a twelfth of the bytes.
export const LIGHT_VIEW = { fps: 10, grid: 50 };

// onChange(): the choice changed (the dialog shows the link again).
export function lightLinkChoice(onChange) {
  const box = el("input", { type: "checkbox", id: "share-light" });
  const label = el("label", { className: "share-light", htmlFor: "share-light" }, [
    box,
    " For slow networks",
  ]);
  const hint = el(
    "p",
    { className: "hint", id: "share-light-hint" },
    `Viewers get ${LIGHT_VIEW.fps} frames a second and a ${LIGHT_VIEW.grid} × ${LIGHT_VIEW.grid} ` +
      "boundary: about a twelfth of the data, for phones and a crowded Wi-Fi.",
  );
  box.setAttribute("aria-describedby", hint.id);
  box.addEventListener("change", onChange);
  return {
    element: el("div", "share-light-choice", [label, hint]),
    // The watch link, lightened when the choice is on.
    apply(url) {
      if (!box.checked || !url) return url;
      const light = new URL(url);
      for (const [key, value] of Object.entries(LIGHT_VIEW)) light.searchParams.set(key, String(value));
      return light.href;
    },
  };
}
