// Play, step and reset: the buttons, and the keys that do the same (space, s, r). The play
// button says what pressing it does next, so it follows the run's status.

import { onPageKey, setControlsEnabled } from "../../lib/dom.js";

// el: the transport toolbar (#play, #step1, #step10, #reset); actions: { togglePlay, step(n),
// reset }, which send the controls.
export function mount(el, _store, actions) {
  const play = el.querySelector("#play");
  const buttons = [...el.querySelectorAll("button")];
  el.querySelector("#play").addEventListener("click", actions.togglePlay);
  el.querySelector("#step1").addEventListener("click", () => actions.step(1));
  el.querySelector("#step10").addEventListener("click", () => actions.step(10));
  el.querySelector("#reset").addEventListener("click", actions.reset);

  const keys = { " ": actions.togglePlay, s: () => actions.step(1), r: actions.reset };
  onPageKey((event) => {
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault(); // space would also scroll the page or press the focused button
    action();
  });

  function show(status) {
    const running = status === "running";
    play.textContent = running ? "❚❚ Pause" : "▶ Play";
    play.setAttribute("aria-pressed", String(running));
    document.body.dataset.runStatus = status;
  }

  return {
    begin(hello) {
      show(hello.session.status);
    },
    update(frame) {
      show(frame.header.status);
    },
    // Play and step are the driver's: a watcher's stay, disabled.
    setEnabled(on, reason) {
      setControlsEnabled(buttons, on, reason);
    },
  };
}
