// From the form to the server: a configuration starts a session; a live setting (learning rate,
// optimizer, ...) goes to the running one as a `set` message; data and architecture start a new
// one. The address bar keeps the whole configuration, so a link reproduces the setup; your own
// points (drawn, uploaded, or opened) go in it too, compressed (lib/points_link.js).

import { FIELD, FIELDS, flatten, parseField, toConfig, toQuery } from "../lib/config.js";
import { searchWithDrive } from "../lib/drive_link.js";
import { pointsParam } from "../lib/points_link.js";

const URL_WRITE_MS = 200; // Chrome throttles (and complains about) rapid history updates

// form: the settings form; driver: the SessionDriver; classroom: { watching }; view: the link's
// view options; offline(): say there is no session.
export function runSettings({ form, driver, store, classroom, view, offline }) {
  let playWhenReady = false;
  let urlTimer = null;
  let own = null; // your own points, { points: [{ x, y, label }], classes }, for a 'points' dataset
  let ownParam = null; // their code in the link (null: none yet, or too many for a link)

  // The form's configuration, with your own points when its dataset is 'points'.
  function formConfig() {
    const { config, errors } = toConfig(form.values(), form);
    if (config.dataset?.kind === "points") {
      if (own) config.dataset.points = own.points;
      else errors.dataset = "no points of your own yet: draw them on a blank canvas or upload a CSV";
    }
    return { config, errors };
  }

  // A configuration that cannot start: each message next to its control, and when nothing is
  // running (a bad link), a line at the top saying so.
  function refused(errors) {
    form.showErrors(errors);
    if (driver.id) return;
    offline();
    if (!errors.some((e) => e.where === "general")) {
      form.showErrors([{ where: "general", message: "No run yet: fix the setting marked ⚠ on the left." }]);
    }
  }

  async function startSession(keepPlaying) {
    if (classroom.watching) {
      driver.watch(classroom.watching); // a share link: someone else's run, read-only
      return;
    }
    const { config, errors } = formConfig();
    form.clearAllErrors();
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

  // True when the form asks for other data or another network than the running session has
  // (an earlier change was rejected): then any change tries the new session again.
  function runDiffersFromForm() {
    if (!store.config) return true;
    const values = form.values();
    const running = flatten(store.config);
    return FIELDS.some((f) => {
      if (f.live || (form.offered && !form.offered.has(f.key))) return false;
      try {
        // Lists (widths, features) compare as the text they read back as.
        const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
        return !same(parseField(f, values[f.key], form.limits), parseField(f, running[f.key], form.limits));
      } catch {
        return true;
      }
    });
  }

  function fieldChanged(key) {
    const field = FIELD[key];
    if (!field.live || !driver.id || runDiffersFromForm()) {
      startSession(store.status === "running");
      return;
    }
    const { config, errors } = formConfig();
    form.clearErrors([key, "general", field.group]);
    if (errors[key]) {
      form.showErrors({ [key]: errors[key] });
      return;
    }
    const value = field.path.reduce((o, name) => o[name], config);
    driver.send({ type: "set", [field.path[field.path.length - 1]]: value });
  }

  function writeUrlSoon() {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      const values = form.values();
      const points = values.dataset === "points" && ownParam ? `&points=${ownParam}` : "";
      // drive= stays: a reload of a driving page drives the same run
      const search = searchWithDrive(`?${toQuery(values, view)}${points}`, driver.id);
      history.replaceState(null, "", `${location.pathname}${search}`);
    }, URL_WRITE_MS);
  }

  // Your own points become the form's data: the next run trains on them, and the link holds them
  // (or says why it cannot). trainFraction: the share of them to train on, when it is known.
  function useOwnPoints(points, classes, trainFraction) {
    own = { points, classes };
    const values = { dataset: "points", classes: String(classes) };
    if (trainFraction !== undefined) values.train_fraction = String(Number(trainFraction.toPrecision(6)));
    form.setValues(values);
    const mine = own;
    ownParam = null;
    pointsParam(points, classes).then(
      (code) => {
        if (own !== mine) return;
        ownParam = code;
        writeUrlSoon();
      },
      (e) => {
        if (own === mine) form.showErrors([{ where: "data", message: `Not in the link: ${e.message}.` }]);
      },
    );
  }

  // The run's points as the store has them (a driver edited them, or a 'points' run began).
  // An edit keeps its split too (drawn points are all for training).
  function ownPointsFromStore(edited) {
    const p = store.points;
    if (!p || classroom.watching) return;
    const points = p.x.map((x, i) => ({ x, y: p.y[i], label: p.label[i] }));
    useOwnPoints(points, store.classes, edited ? p.train.length / points.length : undefined);
  }
  store.on("points", () => ownPointsFromStore(true));

  return {
    startSession,
    useOwnPoints,
    // A session said hello: a run on your own points keeps them for the next run and the link.
    began(hello) {
      if (hello.session.config.dataset.kind === "points") ownPointsFromStore(false);
    },
    fieldChanged,
    writeUrlSoon,
    // A session said hello: play it if the change that started it came while playing.
    takePlay() {
      const play = playWhenReady;
      playWhenReady = false;
      return play;
    },
  };
}
