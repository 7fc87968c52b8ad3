// Wiring: the form and the URL make a configuration, the configuration makes a session, the
// session's frames go to every panel, and the buttons and keys drive the session.

import * as api from "./api.js";
import * as boundaryPanel from "./boundary.js";
import { FIELD, FIELDS, describeSocketError, flatten, fromQuery, parseField, toConfig, toQuery } from "./config.js";
import * as controlsPanel from "./controls.js";
import * as gradientsPanel from "./gradients.js";
import { ChartScheduler } from "./linechart.js";
import * as lossesPanel from "./losses.js";
import { SessionDriver } from "./session.js";
import * as statusPanel from "./status.js";
import * as tabsPanel from "./tabs.js";
import * as weightsPanel from "./weights.js";
// Issue 5, seeing the derivation: the inspection tabs and the input-gradient layer.
import * as arrowsLayer from "./arrows.js";
import * as comparePanel from "./compare.js";
import * as derivationPanel from "./derivation.js";
import * as gradcheckPanel from "./gradcheck.js";
import * as unitPanel from "./unit.js";
// Issue 6, classroom and exploration: share links, presentation, timeline, hidden space, loss
// slice, presets that teach, your own points.
import * as classroomPanel from "./classroom.js";
import * as drawTool from "./draw.js";
import * as hiddenPanel from "./hidden.js";
import * as lossSlicePanel from "./lossslice.js";
import * as presetsPanel from "./presets.js";
import * as timelinePanel from "./timeline.js";

const DEFAULT_GRID = 100;
const DEFAULT_FPS = 30;

// What tests and the benchmark read: counters of what the page has actually drawn.
const probe = { framesDrawn: 0, drawMs: 0, step: null, status: null, connection: "offline", sessionId: null, messages: [] };
window.bpv = probe;

function clampNumber(text, fallback, low, high) {
  const x = Number(text);
  return Number.isFinite(x) && x >= low && x <= high ? x : fallback;
}

function main() {
  const body = document.body;
  const defaults = flatten(JSON.parse(document.getElementById("defaults").textContent));
  const link = fromQuery(location.search);
  const view = {
    grid: Math.round(clampNumber(link.view.grid, DEFAULT_GRID, 2, Number(body.dataset.maxGrid))),
    fps: clampNumber(link.view.fps, DEFAULT_FPS, 1, Number(body.dataset.maxFps)),
  };
  classroomPanel.presentFromLink(link.view); // before the charts read their type size

  const status = statusPanel.create(document.getElementById("status"));
  const boundary = boundaryPanel.create(document.getElementById("boundary"), document.getElementById("boundary-legend"));
  const losses = lossesPanel.create(document.getElementById("loss-chart"), document.getElementById("loss-log"));
  const gradients = gradientsPanel.create(document.getElementById("gradient-chart"), document.getElementById("gradient-view"));
  // The bottom panel's tabs; each later view adds itself here with inspector.add({...}).
  const inspector = tabsPanel.create(
    document.getElementById("inspector-tabs"),
    document.getElementById("inspector-body"),
    document.getElementById("inspector-hint"),
  );
  inspector.add({
    id: "weights",
    title: "Weights and gradients",
    hint: "columns: hidden units · colour: blue < 0 < red",
    create: (el) => {
      el.id = "weights";
      return weightsPanel.create(el);
    },
  });
  const charts = new ChartScheduler([losses.chart, gradients.chart]);
  const controls = controlsPanel.create(document.getElementById("controls"), {
    onChange: onFieldChange,
    onPreset: () => startSession(runStatus === "running"),
  });

  let runStatus = "paused";
  let chartStep = -1; // the last step the line charts have a point for
  let playWhenReady = false;
  let urlTimer = null;
  let running = null; // the running session's configuration, flat, as the server has it
  let lastRestart = -Infinity; // when onGone last started a session by itself

  const driver = new SessionDriver(
    { fps: view.fps, grid: view.grid, arrays_every: 1 },
    { onHello, onFrame, onMessage, onState, onGone },
  );

  // ---- seeing the derivation: inspection tabs, input-gradient arrows, picking a point -------

  const inspectorSection = document.getElementById("inspector");
  // The inspection views need more room than the weights: the bottom panel grows while one is open.
  function roomy(panel) {
    const { shown, hidden } = panel;
    panel.shown = () => {
      inspectorSection.classList.add("panel-roomy");
      shown?.call(panel);
    };
    panel.hidden = () => {
      inspectorSection.classList.remove("panel-roomy");
      hidden?.call(panel);
    };
    return panel;
  }
  const marks = arrowsLayer.create(
    {
      arrowsToggle: document.getElementById("boundary-arrows"),
      residualToggle: document.getElementById("boundary-residual"),
      legend: document.getElementById("boundary-marks-legend"),
    },
    {
      // Kept in the stream's options too, so a reconnect or a new session still sends dX.
      onInputGradients(on) {
        driver.streamOptions.input_gradients = on;
        driver.send({ type: "options", input_gradients: on });
      },
    },
  );
  boundary.addLayer(marks);
  const derivation = inspector.add({
    id: "derivation",
    title: "Derivation",
    hint: "click a training point on the decision boundary, or choose its number",
    create: (el) => roomy(derivationPanel.create(el, { onSample: (index) => marks.select(index) })),
  });
  const unit = inspector.add({
    id: "unit",
    title: "Hidden unit",
    hint: "where one hidden unit fires, and the error backprop hands it",
    create: (el) => roomy(unitPanel.create(el)),
  });
  inspector.add({
    id: "gradcheck",
    title: "Gradient check",
    hint: "backprop against finite differences, per parameter",
    create: (el) => gradcheckPanel.create(el), // a short table: the boundary keeps its room
  });
  const compare = inspector.add({
    id: "compare",
    title: "Check your gradient",
    hint: "the gradient your own code computes, against ours",
    create: (el) => roomy(comparePanel.create(el)),
  });
  boundary.onPick(({ n }) => {
    derivation.select(n);
    inspector.select("derivation");
  });
  // Panels that number the training points, told when a driver adds or removes points.
  const followPoints = [derivation, unit, compare];
  // ---- end of seeing the derivation

  // ---- classroom and exploration ----------------------------------------------------------------

  const timeline = timelinePanel.create(document.getElementById("timeline"), {
    badgeHost: document.getElementById("boundary"),
    boundary,
    inspector,
    probe,
    lossChart: document.getElementById("loss-chart"),
  });
  const draw = drawTool.create({
    host: document.getElementById("boundary"),
    heat: document.getElementById("boundary-heat"),
    tools: document.getElementById("draw-tools"),
    send: (message) => driver.send(message),
  });
  const hiddenSpace = inspector.add({
    id: "hidden",
    title: "Hidden space",
    hint: "where the hidden layer puts the points, and how it bends the plane",
    create: (el) => roomy(hiddenPanel.create(el)),
  });
  inspector.add({
    id: "slice",
    title: "Loss along −g",
    hint: "L(W − t·g): why a step helps, or overshoots",
    create: (el) => roomy(lossSlicePanel.create(el)),
  });
  const lessons = inspector.add({
    id: "lessons",
    title: "Presets",
    hint: "one click starts a run that teaches one idea",
    create: (el) => roomy(presetsPanel.create(el, {
      select: document.getElementById("preset"),
      about: document.getElementById("preset-about"),
    })),
  });  // prettier-ignore
  const classroom = classroomPanel.create({
    slot: document.getElementById("classroom"),
    tools: document.getElementById("classroom-tools"),
    view: link.view,
    probe,
    setValues: (values) => controls.setValues(values),
    form: document.getElementById("controls"),
    others: [draw, lessons],
  });
  // ---- end of classroom and exploration

  // ---- the stream -----------------------------------------------------------------------

  function onHello(hello) {
    probe.sessionId = hello.session.id;
    running = flatten(hello.session.config);
    runStatus = hello.session.status;
    // The history's last training row is plotted at step - 1 (measured before that step's
    // update); the frame of this very step is the next point, and at step 0 the first.
    chartStep = hello.session.step - 1;
    for (const panel of [boundary, losses, gradients, inspector, status]) panel.begin(hello);
    for (const panel of [timeline, draw, classroom]) panel.begin(hello);
    if (playWhenReady) {
      playWhenReady = false;
      driver.send({ type: "play" });
    }
  }

  function onFrame(frame) {
    const started = performance.now();
    const f = frame.header;
    if (f.step < chartStep) clearCharts();
    status.update(frame);
    // Scrubbed back to an earlier step, the boundary and the tabs show that step (timeline.js).
    if (!timeline.past) boundary.update(frame);
    if (!timeline.past) inspector.update(frame);
    timeline.update(frame);
    classroom.update(frame);
    if (f.step > chartStep) {
      losses.update(frame);
      gradients.update(frame);
      chartStep = f.step;
    }
    charts.request();
    runStatus = f.status;
    probe.step = f.step;
    probe.status = f.status;
    probe.framesDrawn += 1;
    probe.drawMs += performance.now() - started;
  }

  function clearCharts() {
    losses.clear();
    gradients.clear();
    chartStep = -1;
  }

  function onMessage(message) {
    probe.messages.push(message);
    if (probe.messages.length > 50) probe.messages.shift();
    if (message.type === "ok") {
      if (message.status) runStatus = message.status;
      if (message.for === "reset") clearCharts();
      if (message.for === "set") writeUrlSoon();
      return;
    }
    if (message.type === "points") {
      boundary.setPoints(message.points, message.box); // another driver edited the data
      for (const panel of followPoints) panel.setPoints(message.points);
      draw.setPoints(message.points, message.box);
      hiddenSpace.setPoints(message.points, message.box);
      return;
    }
    if (message.type === "error") {
      const { where, message: text } = describeSocketError(message.message);
      controls.showErrors([{ where, message: text }]);
    }
  }

  function onState(state) {
    probe.connection = state;
    status.connection(state);
  }

  function onGone(code, message, replacedBy) {
    if (classroom.watching && replacedBy) {
      // The teacher started a new run (a preset, new data): the class follows to it.
      classroom.follow(replacedBy);
      driver.watch(replacedBy);
      return;
    }
    if (classroom.watching) {
      // A watcher cannot start the driver's run again: say what happened and stop.
      controls.showErrors([{ where: "general", message: classroom.goneMessage(message) }]);
      onState("offline");
      return;
    }
    // The session expired or was deleted (a laptop asleep for half an hour): start it again,
    // but not in a loop if the server keeps refusing.
    const again = performance.now() - lastRestart > 10_000;
    const what = again ? "Started a new run with the same settings." : "Reload the page to start again.";
    controls.showErrors([{ where: "general", message: `${message}. ${what}` }]);
    onState("offline");
    if (again) {
      lastRestart = performance.now();
      startSession(false);
    }
  }

  // ---- sessions and settings ----------------------------------------------------------

  async function startSession(keepPlaying) {
    if (classroom.watching) {
      driver.watch(classroom.watching); // a share link: someone else's run, read-only
      return;
    }
    const values = controls.values();
    const { config, errors } = toConfig(values);
    controls.clearAllErrors();
    if (Object.keys(errors).length) {
      refused(Object.entries(errors).map(([where, message]) => ({ where, message })));
      return;
    }
    const result = await driver.start(config);
    if (result.stale) return;
    if (!result.ok) {
      refused(result.errors);
      return;
    }
    playWhenReady = keepPlaying;
    writeUrlSoon();
  }

  // A configuration that cannot start: each message next to its control, and when nothing is
  // running (a bad link), a line at the top saying so.
  function refused(errors) {
    controls.showErrors(errors);
    if (driver.id) return;
    onState("offline");
    if (!errors.some((e) => e.where === "general")) {
      controls.showErrors([{ where: "general", message: "No run yet: fix the setting marked ⚠ on the left." }]);
    }
  }

  function onFieldChange(key) {
    const field = FIELD[key];
    if (!field.live || !driver.id || runDiffersFromForm()) {
      startSession(runStatus === "running");
      return;
    }
    const { config, errors } = toConfig(controls.values());
    controls.clearErrors([key, "general", field.group]);
    if (errors[key]) {
      controls.showErrors({ [key]: errors[key] });
      return;
    }
    const value = field.path.reduce((o, name) => o[name], config);
    driver.send({ type: "set", [field.path[field.path.length - 1]]: value });
  }

  // True when the form asks for other data or another network than the running session has
  // (an earlier change was rejected): then any change tries the new session again.
  function runDiffersFromForm() {
    if (!running) return true;
    const values = controls.values();
    return FIELDS.some((f) => {
      if (f.live) return false;
      try {
        return parseField(f, values[f.key]) !== parseField(f, running[f.key]);
      } catch {
        return true;
      }
    });
  }

  function writeUrlSoon() {
    // Coalesced: Chrome throttles (and complains about) rapid history updates from a slider.
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      const query = toQuery(controls.values(), link.view);
      history.replaceState(null, "", `${location.pathname}?${query}`);
    }, 200);
  }

  // ---- driving ------------------------------------------------------------------------

  const actions = {
    togglePlay: () => driver.send({ type: runStatus === "running" ? "pause" : "play" }),
    step: (n) => driver.send({ type: "step", n }),
    reset: () => driver.send({ type: "reset" }),
    lowerRateAndReset() {
      const rate = Number(controls.field("learning_rate").value) / 10;
      controls.setValues({ learning_rate: String(Number(rate.toPrecision(3))) });
      onFieldChange("learning_rate");
      actions.reset();
    },
  };

  document.getElementById("play").addEventListener("click", actions.togglePlay);
  document.getElementById("step1").addEventListener("click", () => actions.step(1));
  document.getElementById("step10").addEventListener("click", () => actions.step(10));
  document.getElementById("reset").addEventListener("click", actions.reset);
  document.getElementById("banner-reset").addEventListener("click", actions.reset);
  document.getElementById("banner-fix").addEventListener("click", actions.lowerRateAndReset);
  document.getElementById("copy-link").addEventListener("click", copyLink);

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (event.target.closest("input, select, textarea")) return; // typing, not driving
    const action = { " ": actions.togglePlay, s: () => actions.step(1), r: actions.reset }[event.key];
    if (!action) return;
    event.preventDefault(); // space would also scroll the page or press the focused button
    action();
  });

  // Leaving frees the session on the server; coming back (the back button) starts it again.
  window.addEventListener("pagehide", () => driver.stop());
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) startSession(false);
  });

  async function copyLink() {
    const button = document.getElementById("copy-link");
    try {
      await navigator.clipboard.writeText(location.href);
      button.textContent = "Link copied";
    } catch {
      button.textContent = "Copy the address bar";
    }
    setTimeout(() => (button.textContent = "Copy link to this setup"), 2000);
  }

  // ---- start --------------------------------------------------------------------------

  controls.setValues({ ...defaults, ...link.values });
  Promise.all([api.listDatasets(), api.listPresets()]).then(([datasets, presets]) => {
    controls.setChoices(datasets.ok ? datasets.data : [], presets.ok ? presets.data : []);
    lessons.setPresets(presets.ok ? presets.data : []);
    startSession(false);
  });
}

main();
