// One play/pause, step and reset for both runs, through the twins' REST control (the twins'
// token): the server keeps the two in lock-step. The keys are the main page's: space plays or
// pauses, → and s step once, r resets. The play button says what pressing it does next.

import { onPageKey, setControlsEnabled } from "../lib/dom.js";
import { control } from "./api.js";

// el: the toolbar (#play, #step1, #step10, #reset); twinsId; token(): the twins' token or null;
// on: { replied(reply), failed(message) }.
export function mountTransport(el, twinsId, token, on) {
  const play = el.querySelector("#play");
  const buttons = [...el.querySelectorAll("button")];
  let status = "paused";

  async function send(action, body) {
    if (!token()) return;
    const result = await control(twinsId, token(), action, body);
    if (result.ok) {
      show(result.data.status);
      on.replied(result.data);
    } else on.failed(result.message);
  }

  const actions = {
    togglePlay: () => send(status === "running" ? "pause" : "play"),
    step: (n) => send("step", { n }),
    reset: () => send("reset"),
  };
  play.addEventListener("click", actions.togglePlay);
  el.querySelector("#step1").addEventListener("click", () => actions.step(1));
  el.querySelector("#step10").addEventListener("click", () => actions.step(10));
  el.querySelector("#reset").addEventListener("click", actions.reset);

  const keys = {
    " ": actions.togglePlay,
    ArrowRight: () => actions.step(1),
    s: () => actions.step(1),
    r: actions.reset,
  };
  onPageKey((event) => {
    const action = keys[event.key];
    if (!action || !token()) return;
    event.preventDefault(); // space would also scroll the page or press the focused button
    action();
  });

  function show(next) {
    status = next;
    const running = next === "running";
    play.textContent = running ? "❚❚ Pause" : "▶ Play";
    play.setAttribute("aria-pressed", String(running));
    document.body.dataset.runStatus = next;
  }

  return {
    actions,
    show,
    setEnabled(on, reason) {
      setControlsEnabled(buttons, on, reason);
    },
  };
}
