// A banner over the plots when the run has stopped by itself: what happened, and the way out
// (a lower learning rate for a run that diverged, a reset for any).

import { setControlsEnabled } from "../lib/dom.js";

// A run in one of these states takes no step until it is reset.
const STOPPED_TITLE = {
  diverged: "The run diverged.",
  failed: "The run stopped.",
};

// el: the banner (#banner-title, #banner-text, #banner-fix, #banner-reset); actions:
// { lowerRateAndReset, reset }.
export function mount(el, _store, actions) {
  const title = el.querySelector("#banner-title");
  const text = el.querySelector("#banner-text");
  const fix = el.querySelector("#banner-fix");
  fix.addEventListener("click", actions.lowerRateAndReset);
  el.querySelector("#banner-reset").addEventListener("click", actions.reset);

  function show(status, message) {
    const stopped = STOPPED_TITLE[status];
    el.hidden = !stopped;
    if (!stopped) return;
    title.textContent = stopped;
    text.textContent = message;
    fix.hidden = status !== "diverged"; // a lower learning rate cures divergence only
  }

  return {
    begin(hello) {
      show(hello.session.status, hello.session.message);
    },
    update(frame) {
      show(frame.header.status, frame.header.message);
    },
    setEnabled(on, reason) {
      setControlsEnabled(el.querySelectorAll("button"), on, reason);
    },
  };
}
