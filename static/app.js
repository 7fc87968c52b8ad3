// Wiring: the form and the URL make a configuration, the configuration makes a session, the
// session's stream writes the page store, every panel is told (panels/panels.js has the
// contract), and the buttons and keys drive the session.

import { mount as mountForm } from "./form/controls.js";
import { runSettings } from "./form/run_settings.js";
import { describeSocketError, flatten, fromQuery, offeredKeys } from "./lib/config.js";
import { driveFromLink, searchWithDrive } from "./lib/drive_link.js";
import { decodePoints } from "./lib/points_link.js";
import { probe, recordMessage } from "./lib/probe.js";
import { getView, listDatasets, listPresets } from "./lib/rest.js";
import { SessionDriver } from "./lib/session.js";
import { PageStore } from "./lib/store.js";
import { presentFromLink } from "./panels/classroom/present.js";
import { mountPanels } from "./panels/dashboard.js";
import { mountExport } from "./panels/export/menu.js";

const DEFAULT_GRID = 100;
const DEFAULT_FPS = 30;
const RESTART_GAP_MS = 10_000; // a session that vanished is started again at most this often
const RESUME_CANDIDATES = 3; // stored runs asked about when the page opens with no run named
const MAX_LINK_POINTS = 100_000; // the schema's bound; the server says when its own limit is lower

function clampNumber(text, fallback, low, high) {
  const x = Number(text);
  return Number.isFinite(x) && x >= low && x <= high ? x : fallback;
}

function main() {
  const body = document.body;
  const serverDefaults = JSON.parse(document.getElementById("defaults").textContent);
  const defaults = flatten(serverDefaults);
  const link = fromQuery(location.search);
  // A driver link: its token goes to this browser's storage and out of the address bar.
  const linked = driveFromLink(location.search, location.hash);
  if (linked.token) history.replaceState(null, "", `${location.pathname}${location.search}`);
  const view = {
    grid: Math.round(clampNumber(link.view.grid, DEFAULT_GRID, 2, Number(body.dataset.maxGrid))),
    fps: clampNumber(link.view.fps, DEFAULT_FPS, 1, Number(body.dataset.maxFps)),
  };
  presentFromLink(link.view); // before the charts read their type size

  const store = new PageStore();
  let lastRestart = -Infinity; // when onGone last started a session by itself
  const driver = new SessionDriver(
    { fps: view.fps, grid: view.grid, arrays_every: 1 },
    { onHello, onFrame, onMessage, onState, onGone },
  );
  const form = mountForm(document.getElementById("controls"), store, {
    onChange: (key) => settings.fieldChanged(key),
    onPreset: () => settings.startSession(store.status === "running"),
    offered: offeredKeys(serverDefaults),
    limits: { maxWidth: Number(body.dataset.maxHidden) },
  });

  const actions = {
    togglePlay: () => driver.send({ type: store.status === "running" ? "pause" : "play" }),
    step: (n) => driver.send({ type: "step", n }),
    reset: () => driver.send({ type: "reset" }),
    // The way out of a run that diverged: a tenth of its learning rate, from step 0.
    lowerRateAndReset() {
      const rate = store.setting("learning_rate") / 10;
      form.setValues({ learning_rate: String(Number(rate.toPrecision(3))) });
      settings.fieldChanged("learning_rate");
      actions.reset();
    },
    // Kept in the stream's options too, so a reconnect or a new session still sends dX.
    inputGradients(on) {
      driver.streamOptions.input_gradients = on;
      driver.send({ type: "options", input_gradients: on });
    },
    send: (message) => driver.send(message),
    // Saved runs: the session to save, and a run opened from the list, driven from here.
    session: () => driver.session,
    adopt: (session) => driver.adopt(session),
    // Your own points (a blank canvas's, a CSV's): a new run on them.
    startWithPoints(points, classes, trainFraction) {
      settings.useOwnPoints(points, classes, trainFraction);
      settings.startSession(false);
    },
    opened(config) {
      form.clearAllErrors();
      form.setValues(flatten(config));
      settings.writeUrlSoon();
    },
  };
  const { panels, classroom, connection, presets, poll, shownStep } = mountPanels(store, {
    form,
    actions,
    view: link.view,
  });
  classroom.setDriverLink(() => driver.driverLink);
  mountExport(document.getElementById("export"), {
    sessionId: () => store.hello?.session.id ?? null,
    shownStep,
  });
  if (linked.id && linked.token) driver.tokens.remember(linked.id, linked.token);
  const settings = runSettings({
    form,
    driver,
    store,
    classroom,
    view: link.view,
    offline: () => onState("offline"),
  });

  // ---- the stream: each message goes to the store, then to the panels ---------------------

  function onHello(hello) {
    probe.sessionId = hello.session.id;
    if (hello.role === "driver" && driver.adopted) {
      // A run this page did not make (its driver link, a saved run): the form shows its settings.
      form.setValues(flatten(hello.session.config));
      settings.writeUrlSoon();
    }
    if (hello.role === "driver") driver.tokens.touch(hello.session.id);
    store.begin(hello);
    settings.began(hello);
    panels.begin(hello);
    if (settings.takePlay()) driver.send({ type: "play" });
  }

  function onFrame(frame) {
    const started = performance.now();
    store.setFrame(frame);
    panels.update(frame);
    probe.step = frame.header.step;
    probe.status = frame.header.status;
    probe.framesDrawn += 1;
    probe.drawMs += performance.now() - started;
  }

  function onMessage(message) {
    recordMessage(message);
    if (poll.message(message)) return; // a poll changed, or a vote was counted or refused
    if (message.type === "ok") {
      if (message.status) store.setStatus(message.status);
      if (message.for === "set") settings.writeUrlSoon();
    } else if (message.type === "points") {
      store.setPoints(message.points, message.box); // a driver edited the data
    } else if (message.type === "driver") {
      classroom.driverAway(message.away); // the driver's page closed, or is back
    } else if (message.type === "error") {
      form.showErrors([describeSocketError(message.message)]);
    }
  }

  function onState(state) {
    probe.connection = state;
    connection.show(state);
  }

  function onGone(code, message, replacedBy) {
    if (!classroom.watching && code === 4403 && driver.id) {
      // A driver link whose token is not this run's (an old link): watch the run instead.
      const id = driver.id;
      driver.lost();
      watchInstead(id, "This driver link's token is not this run's (an old link?), so you are watching it.");
      return;
    }
    if (classroom.watching && replacedBy) {
      // The teacher started a new run (a preset, new data): the class follows to it.
      classroom.follow(replacedBy);
      driver.watch(replacedBy);
      return;
    }
    if (classroom.watching) {
      // A watcher cannot start the driver's run again: say what happened and stop.
      form.showErrors([{ where: "general", message: classroom.goneMessage(message) }]);
      onState("offline");
      return;
    }
    // The session expired or was deleted (a laptop asleep past the grace period, a server that
    // restarted): start it again, but not in a loop if the server keeps refusing.
    driver.lost();
    const again = performance.now() - lastRestart > RESTART_GAP_MS;
    const what = again ? "Started a new run with the same settings." : "Reload the page to start again.";
    const ended = [{ where: "general", message: `The run you drove has ended (${message}). ${what}` }];
    form.showErrors(ended);
    onState("offline");
    if (again) {
      lastRestart = performance.now();
      settings.startSession(false).then(() => form.showErrors(ended)); // starting clears the errors
    }
  }

  // ---- the page's own buttons ---------------------------------------------------------------

  const copyLink = document.getElementById("copy-link");
  copyLink.addEventListener("click", async () => {
    try {
      // The setup, not the run: whoever opens it starts their own (drive= would only watch ours).
      await navigator.clipboard.writeText(
        `${location.origin}${location.pathname}${searchWithDrive(location.search, null)}`,
      );
      copyLink.textContent = "Link copied";
    } catch {
      copyLink.textContent = "Copy the address bar";
    }
    setTimeout(() => {
      copyLink.textContent = "Copy link to this setup";
    }, 2000);
  });

  // Leaving keeps the run: it plays on as left, its class watching, until this browser (or the
  // driver link) takes it back. Coming back from the back-forward cache reconnects.
  window.addEventListener("pagehide", () => driver.leave());
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && !driver.reconnect()) settings.startSession(false);
  });

  // ---- which run: a share link's, a driver link's, this browser's own, or a new one ----------

  function watchInstead(id, why) {
    classroom.watchInstead(id);
    form.showErrors([{ where: "general", message: why }]);
    driver.watch(id);
  }

  // The newest run this browser drove that the server still has: { id, token, step }, or null.
  async function liveStoredRun() {
    for (const entry of driver.tokens.entries().slice(0, RESUME_CANDIDATES)) {
      const found = await getView(entry.id, "");
      if (found.ok) return { id: entry.id, token: entry.token, step: found.data.step };
      if (found.status === 404) driver.tokens.forget(entry.id);
    }
    return null;
  }

  function resume(run) {
    classroom.hideNote();
    driver.adopt(run);
  }

  async function chooseRun() {
    if (classroom.watching) {
      settings.startSession(false); // a share link: watch
      return;
    }
    if (linked.id) {
      const token = driver.tokens.tokenFor(linked.id);
      if (token)
        driver.adopt({ id: linked.id, token }); // gone or wrong: onGone says so
      else {
        watchInstead(
          linked.id,
          "This browser does not hold the control token for this run, so you are watching it. " +
            "To drive it, open its driver link (Share → Driver link).",
        );
      }
      return;
    }
    const stored = await liveStoredRun();
    // A page that names no setup is the teacher coming back: the class's run, not a new one.
    const namesSetup = Object.keys(link.values).length > 0;
    if (stored && !namesSetup) {
      resume(stored);
      classroom.resumed(stored.step, () => settings.startSession(false));
      return;
    }
    settings.startSession(false);
    if (stored) classroom.offerResume(stored.step, () => resume(stored));
  }

  // ---- start --------------------------------------------------------------------------

  form.setValues({ ...defaults, ...link.values });
  // A link's own points are input like any other: one that cannot be read says why, and the
  // page starts on the usual data instead.
  const pointsCode = new URLSearchParams(location.search).get("points");
  const linkPoints = pointsCode === null ? null : decodePoints(pointsCode, MAX_LINK_POINTS).catch((e) => e);
  Promise.all([listDatasets(), listPresets(), linkPoints]).then(async ([datasets, presetList, own]) => {
    form.setChoices(datasets.ok ? datasets.data : [], presetList.ok ? presetList.data : []);
    presets.setPresets(presetList.ok ? presetList.data : []);
    if (own instanceof Error) form.setValues({ dataset: defaults.dataset, classes: defaults.classes });
    else if (own) settings.useOwnPoints(own.points, own.classes);
    await chooseRun(); // a new run clears the form's errors first: the link's comes after
    if (own instanceof Error) {
      form.showErrors([{ where: "general", message: `The link's points cannot be read: ${own.message}.` }]);
    }
  });
}

main();
