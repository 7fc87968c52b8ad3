// One side of the pair: its own run, stream and page store, drawn by the main page's boundary
// panel (panels/boundary, named by the side's prefix), with its step, loss and accuracy over it.
// The page watches both runs (no token on the sockets): the twins' REST control drives them.

import { formatNumber, formatPercent } from "../lib/format.js";
import { SessionDriver } from "../lib/session.js";
import { PageStore } from "../lib/store.js";
import { mount as mountBoundary } from "../panels/boundary/boundary.js";

const STATUS_WORDS = {
  diverged: "This run diverged: its loss is no longer a number. The other goes on alone.",
  failed: "This run stopped with an error. The other goes on alone.",
};

// key: "left" | "right"; stream: { fps, grid }; on: { hello(side, hello), frame(side, frame),
// state(side, state) }.
export function mountSide(key, stream, on) {
  const section = document.getElementById(`${key}-panel`);
  const store = new PageStore();
  const boundary = mountBoundary(section, store, { prefix: `${key}-boundary` });
  const shown = {
    step: section.querySelector(`[data-side-step="${key}"]`),
    loss: section.querySelector(`[data-side-loss="${key}"]`),
    accuracy: section.querySelector(`[data-side-accuracy="${key}"]`),
    setting: document.getElementById(`${key}-setting`),
    status: document.getElementById(`${key}-status`),
  };
  let runId = null;

  function showStatus(status, message) {
    const words = message || STATUS_WORDS[status];
    shown.status.hidden = !words;
    shown.status.textContent = words ?? "";
    section.dataset.status = status;
  }

  const side = {
    key,
    store,
    boundary,
    get id() {
      return runId;
    },
    get step() {
      return store.step;
    },
    // The side's setting, in words ("η = 0.1"): layout of what the summaries say.
    setSetting(text) {
      shown.setting.textContent = text ? `· ${text}` : "";
    },
    watch(id) {
      runId = id;
      section.dataset.run = id;
      driver.watch(id);
    },
    leave() {
      driver.leave();
    },
  };

  const driver = new SessionDriver(
    { fps: stream.fps, grid: stream.grid, arrays_every: 0 },
    {
      onHello(hello) {
        store.begin(hello);
        boundary.begin(hello);
        shown.step.textContent = String(hello.session.step);
        showStatus(hello.session.status, hello.session.message);
        on.hello(side, hello);
      },
      onFrame(frame) {
        const f = frame.header;
        store.setFrame(frame);
        boundary.update(frame);
        shown.step.textContent = String(f.step);
        shown.loss.textContent = formatNumber(f.train_loss, 3);
        shown.accuracy.textContent = formatPercent(f.train_accuracy, 0);
        if (f.status !== section.dataset.status) showStatus(f.status);
        on.frame(side, frame);
      },
      onMessage(message) {
        if (message.type === "ok" && message.status) store.setStatus(message.status);
      },
      onState: (state) => on.state(side, state),
      onGone(_code, message) {
        driver.leave();
        showStatus("gone", `This run has ended (${message}).`);
        on.state(side, "offline");
      },
    },
  );
  return side;
}
