// The compare page, /twins/<id>: two runs forked from one past, side by side. Each run has its
// own stream, page store and boundary (twins/side.js, the main page's boundary panel); one loss
// chart, one gradient chart and the distance between their weights show both; one play, step
// and reset drive both through the twins' REST control. Without the twins' token (a share link)
// the page watches: the same views, no controls.

import { probe } from "./lib/probe.js";
import { listDatasets } from "./lib/rest.js";
import { mountExport } from "./panels/export/menu.js";
import { mountAlone } from "./twins/alone.js";
import { control, endTwins, getTwins } from "./twins/api.js";
import { mountDistance } from "./twins/distance.js";
import { mountGradientPair } from "./twins/gradient_pair.js";
import { sideLabels } from "./twins/labels.js";
import { mountLossPair } from "./twins/loss_pair.js";
import { mountShare } from "./twins/share.js";
import { mountSide } from "./twins/side.js";
import { sideTokens, tokensFromLink, twinsDriverLink, twinsTokens } from "./twins/tokens.js";
import { mountTransport } from "./twins/transport.js";

// Two streams on one page (a phone's too): fewer frames than the main page's, and the server's
// default grid, so a first frame built before the options arrive is drawn as the later ones
// (the two sides at the fork, paused, then look exactly alike).
const STREAM = { fps: 20, grid: 64 };
const byId = (id) => document.getElementById(id);

function main() {
  const body = document.body;
  const twinsId = body.dataset.twinsId;
  // The driver link: its tokens go to this browser's storage and out of the address bar.
  const linked = tokensFromLink(location.hash);
  if (linked.token) {
    twinsTokens.remember(twinsId, linked.token);
    history.replaceState(null, "", `${location.pathname}${location.search}`);
  }
  const token = () => twinsTokens.tokenFor(twinsId);
  const driving = Boolean(token());
  body.dataset.role = driving ? "driver" : "viewer";
  body.classList.toggle("presenting", new URLSearchParams(location.search).get("present") === "1");
  probe.role = driving ? "driver" : "viewer";
  probe.sides = { left: { step: null, frames: 0 }, right: { step: null, frames: 0 } };

  const error = byId("twins-error");
  function showError(message) {
    error.hidden = !message;
    error.textContent = message ?? "";
  }

  const transport = mountTransport(byId("twins-transport"), twinsId, token, {
    replied: () => showError(null),
    failed: (message) => showError(`The server refused: ${message}`),
  });
  if (!driving) {
    transport.setEnabled(false, "Watching: only the driver plays and steps these runs");
    byId("watching").hidden = false;
  }
  const loss = mountLossPair(byId("twins-loss-chart"), byId("loss-log"));
  const gradients = mountGradientPair(byId("twins-gradient-chart"));
  const distance = mountDistance(byId("twins-distance-chart"), twinsId);
  const runIds = { left: null, right: null };
  const tools = byId("twins-tools");
  mountShare(tools, twinsId, () => twinsDriverLink(location.origin, twinsId, runIds));
  const alone = mountAlone({ left: byId("left-alone"), right: byId("right-alone") }, async () => {
    if (!driving) return;
    await control(twinsId, token(), "pause");
    await endTwins(twinsId, token());
    twinsTokens.forget(twinsId);
  });

  const stepShown = byId("twins-step");
  const connection = byId("connection");
  const states = { left: "offline", right: "offline" };

  function showStep() {
    const [a, b] = [sides.left.step, sides.right.step];
    // One counter: the steps agree in lock-step; when one run stopped, both are shown.
    stepShown.textContent =
      a === null && b === null ? "–" : a === b || b === null ? String(a) : `${a ?? "–"} · ${b}`;
    stepShown.title = a === b ? "both runs' step" : "the left run's step · the right run's (one stopped)";
    probe.step = a;
    const running = [sides.left, sides.right].some((s) => s.store.status === "running");
    transport.show(running ? "running" : "paused");
  }

  function showConnection() {
    const both = states.left === states.right ? states.left : "connecting";
    const state = states.left === "live" && states.right === "live" ? "live" : both;
    connection.dataset.state = state;
    connection.querySelector(".connection-text").textContent = state === "live" ? "live" : state;
    probe.connection = state;
  }

  const on = {
    hello(side, hello) {
      loss.begin(side.key, hello);
      gradients.begin(side.key, hello);
      probe.sides[side.key].step = hello.session.step;
      showStep();
    },
    frame(side, frame) {
      loss.update(side.key, frame);
      gradients.update(side.key, frame);
      const step = frame.header.step;
      const p = probe.sides[side.key];
      p.step = step;
      p.frames += 1;
      probe.framesDrawn += 1;
      showStep();
      distance.follow(Math.max(sides.left.step ?? 0, sides.right.step ?? 0));
    },
    state(side, state) {
      states[side.key] = state;
      showConnection();
    },
  };
  const sides = { left: mountSide("left", STREAM, on), right: mountSide("right", STREAM, on) };

  Promise.all([getTwins(twinsId), listDatasets()]).then(([found, datasets]) => {
    if (!found.ok) {
      const why =
        found.status === 404
          ? "These twin runs do not exist (any more): a server restart or a long pause ends them."
          : `The twin runs cannot be read: ${found.message}`;
      showError(why);
      connection.querySelector(".connection-text").textContent = "no runs";
      return;
    }
    const twins = found.data;
    probe.twins = { id: twins.id, step: twins.step, left: twins.left.id, right: twins.right.id };
    byId("twins-title").textContent = twins.title;
    document.title = `${twins.title} · Backprop visualizer`;
    runIds.left = twins.left.id;
    runIds.right = twins.right.id;
    for (const key of ["left", "right"]) if (linked[key]) sideTokens.remember(runIds[key], linked[key]);
    alone.setRuns(runIds.left, runIds.right);
    mountExport(byId("twins-export"), { sessionId: () => runIds.left, otherId: () => runIds.right });
    const kind = twins.left.config.dataset.kind;
    const dataset = datasets.ok ? datasets.data.find((d) => d.kind === kind) : null;
    const labels = sideLabels(twins.left.config, twins.right.config, dataset?.default_noise ?? undefined);
    sides.left.setSetting(labels.left);
    sides.right.setSetting(labels.right);
    loss.setForkStep(twins.step);
    gradients.setForkStep(twins.step);
    distance.setForkStep(twins.step);
    transport.show(twins.status);
    sides.left.watch(twins.left.id);
    sides.right.watch(twins.right.id);
  });

  // Leaving closes the streams; the runs play on as left, for the driver to come back.
  window.addEventListener("pagehide", () => {
    sides.left.leave();
    sides.right.leave();
  });
}

main();
