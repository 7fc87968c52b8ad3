// The run's numbers in words: step, epoch, losses, accuracies; and beside them, the state of the
// connection to the server.

import { formatFixed, formatPercent } from "../../lib/format.js";

const CONNECTION_TEXT = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  offline: "no session",
};

// el: the status list, whose values are marked data-status="step", "train-loss", ...
export function mount(el) {
  const field = Object.fromEntries(
    [...el.querySelectorAll("[data-status]")].map((d) => [d.dataset.status, d]),
  );
  keepInSight(el);

  function show(f) {
    field.step.textContent = String(f.step);
    field.epoch.textContent = formatFixed(f.epoch, 1);
    field["train-loss"].textContent = formatFixed(f.train_loss, 4);
    field["test-loss"].textContent = formatFixed(f.test_loss, 4);
    field["train-accuracy"].textContent = formatPercent(f.train_accuracy);
    field["test-accuracy"].textContent = formatPercent(f.test_accuracy);
  }

  return {
    // Until the first frame: the step and epoch the run is at, no losses yet.
    begin(hello) {
      show({
        ...hello.session,
        train_loss: null,
        test_loss: null,
        train_accuracy: null,
        test_accuracy: null,
      });
    },
    update(frame) {
      show(frame.header);
    },
  };
}

// On a phone the top bar sticks with the numbers as its last row (phone.css): it rises by
// --topbar-rises, what lies above the numbers, so a student scrolled down to the tabs still sees
// the step and the loss while the title and buttons scroll away. Measured, as the rows wrap.
function keepInSight(status) {
  const bar = status.closest(".topbar");
  if (!bar || typeof ResizeObserver === "undefined") return;
  const measure = () => bar.style.setProperty("--topbar-rises", `${Math.max(0, status.offsetTop - 4)}px`);
  new ResizeObserver(measure).observe(bar);
  measure();
}

// el: the connection line, a dot and its words; show(state) with a Stream's states or "offline".
export function mountConnection(el) {
  const text = el.querySelector(".connection-text");
  return {
    show(state) {
      el.dataset.state = state;
      text.textContent = CONNECTION_TEXT[state] ?? state;
    },
  };
}
