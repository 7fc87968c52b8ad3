// From the form to the server: a configuration starts a session; a live setting (learning rate,
// optimizer, ...) goes to the running one as a `set` message; data and architecture start a new
// one. The address bar keeps the whole configuration, so a link reproduces the setup.

import { FIELD, FIELDS, flatten, parseField, toConfig, toQuery } from "../lib/config.js";
import { searchWithDrive } from "../lib/drive_link.js";

const URL_WRITE_MS = 200; // Chrome throttles (and complains about) rapid history updates

// form: the settings form; driver: the SessionDriver; classroom: { watching }; view: the link's
// view options; offline(): say there is no session.
export function runSettings({ form, driver, store, classroom, view, offline }) {
  let playWhenReady = false;
  let urlTimer = null;

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
    const { config, errors } = toConfig(form.values());
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
      if (f.live) return false;
      try {
        return parseField(f, values[f.key]) !== parseField(f, running[f.key]);
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
    const { config, errors } = toConfig(form.values());
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
      const search = searchWithDrive(`?${toQuery(form.values(), view)}`, driver.id); // drive= stays
      history.replaceState(null, "", `${location.pathname}${search}`);
    }, URL_WRITE_MS);
  }

  return {
    startSession,
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
