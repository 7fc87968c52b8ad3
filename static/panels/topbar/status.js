// The run's numbers in words: step, epoch, losses, accuracies, whether it is running, the
// connection, and a banner that says what to do when the run diverged or failed.

function fixed(value, digits) {
  return value === null || value === undefined ? "–" : value.toFixed(digits);
}

function percent(value) {
  return value === null || value === undefined ? "–" : `${(100 * value).toFixed(1)}%`;
}

// A run in one of these states takes no step until it is reset; the banner says why and offers it.
const STOPPED_TITLE = {
  diverged: "The run diverged.",
  failed: "The run stopped.",
};

const CONNECTION_TEXT = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  offline: "no session",
};

export function create(root) {
  const field = (name) => root.querySelector(`[data-status="${name}"]`);
  const banner = document.getElementById("banner");
  const bannerTitle = document.getElementById("banner-title");
  const bannerText = document.getElementById("banner-text");
  const bannerFix = document.getElementById("banner-fix");
  const playButton = document.getElementById("play");
  const connection = document.getElementById("connection");

  return {
    begin(hello) {
      this.update({ header: { ...hello.session, train_loss: null, test_loss: null, train_accuracy: null, test_accuracy: null } });
    },
    update(frame) {
      const f = frame.header;
      field("step").textContent = String(f.step);
      field("epoch").textContent = fixed(f.epoch, 1);
      field("train-loss").textContent = fixed(f.train_loss, 4);
      field("test-loss").textContent = fixed(f.test_loss, 4);
      field("train-accuracy").textContent = percent(f.train_accuracy);
      field("test-accuracy").textContent = percent(f.test_accuracy);
      const running = f.status === "running";
      playButton.textContent = running ? "❚❚ Pause" : "▶ Play";
      playButton.setAttribute("aria-pressed", String(running));
      document.body.dataset.runStatus = f.status;
      const stopped = STOPPED_TITLE[f.status];
      banner.hidden = !stopped;
      if (stopped) {
        bannerTitle.textContent = stopped;
        bannerText.textContent = f.message;
        bannerFix.hidden = f.status !== "diverged"; // a lower learning rate cures divergence only
      }
    },
    connection(state) {
      connection.dataset.state = state;
      connection.querySelector(".connection-text").textContent = CONNECTION_TEXT[state] ?? state;
    },
  };
}
