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
