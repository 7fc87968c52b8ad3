// Presentation mode (the Present button, the p key, Escape, or ?present=1 in the link): no
// form, large type, a large boundary, for a projector at the back of a room.

import { relayoutAll } from "../../lib/linechart.js";

let presenting = false;

// The type size is read by each chart when it is made, so a link with present=1 must switch the
// mode on before any chart exists; switching later lays the charts out again.
export function presentFromLink(view) {
  presenting = view.present === "1";
  document.body.classList.toggle("presenting", presenting);
}

export function isPresenting() {
  return presenting;
}

// Switch the mode, and keep it in the link's view options and the address bar.
export function setPresenting(on, view) {
  presenting = on;
  document.body.classList.toggle("presenting", on);
  if (on) view.present = "1";
  else delete view.present;
  const params = new URLSearchParams(location.search);
  if (on) params.set("present", "1");
  else params.delete("present");
  history.replaceState(null, "", `${location.pathname}?${params}`);
  requestAnimationFrame(relayoutAll); // after the new layout, so the charts read the new sizes
}
