// The classroom: the teacher drives, the class watches.
//
// - A share link, /?watch=<session id>, opens the same run read-only: the page connects without
//   the control token (the server makes that socket a viewer and refuses its controls), shows the
//   controls disabled and says "watching", and never deletes the run when it closes. The token
//   never leaves the driver's page.
// - The driver sees how many watch (frames carry `watchers`: sockets without the control token).
// - The run outlives the driver's page: while the driver is away (a reload, a closed tab, a laptop
//   asleep) the class sees "the teacher is reconnecting…" and carries on when the driver is back.
//   The driver's page may say it took its run back, or offer to (driver_link.js has the link).
// - Presentation mode (present.js): no form, large type, a large boundary, for a projector.

import { flatten, toQuery } from "../../lib/config.js";
import { el, onPageKey } from "../../lib/dom.js";
import { opened } from "../../lib/escape.js";
import { pointsParam } from "../../lib/points_link.js";
import { probe } from "../../lib/probe.js";
import { isPresenting, setPresenting } from "./present.js";
import { shareDialog } from "./share.js";

const WATCHING = "Watching: only the driver can change this run";
const AWAY = "The teacher is reconnecting… the run goes on as they left it.";
const NOTE_MS = 30_000; // how long "Resumed your run" stays up

// location.search -> the session id to watch, or null.
export function watchedSession(search) {
  const id = new URLSearchParams(search).get("watch");
  return id && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}

// slot: the top bar's place ("watching", the viewer count, leaving presentation mode); tools:
// the form's (Share, Present: the top bar has no room for them on a laptop); view: the link's
// view options (kept in the URL); form: the settings form ({ setValues }); driverOnly: the
// panels only a driver may use, each with setEnabled(on, reason).
export function mount(slot, store, { tools, view, form, driverOnly }) {
  let watching = watchedSession(location.search); // changes when the driver moves to a new run
  slot.classList.add("classroom");

  const viewers = el("span", { className: "viewers", id: "viewers", hidden: true });
  viewers.title = "how many others watch this run through its share link";
  const share = el("button", { type: "button", id: "share", "aria-expanded": "false" }, "Share link");
  share.title = "A link that opens this run read-only, for a class to watch";
  const present = el("button", { type: "button", id: "present" }, "Present");
  present.title = "Presentation mode: large type, no form (p)";
  // The form is gone while presenting: the way back is in the top bar (and Escape, and p).
  const leave = el("button", { type: "button", id: "present-leave" }, "Leave presentation");
  leave.title = "Back to the form (Escape)";
  const tryLink = el("a", { id: "try-yourself", hidden: true }, "try it yourself");
  const watchingNote = el("span", { className: "watching", id: "watching", hidden: !watching }, [
    el("strong", {}, "Watching"),
    " · read-only",
    " · ",
    tryLink,
  ]);
  watchingNote.title = "The driver controls this run; you see what they do";
  // Not an error: the driver's page reloads, or its laptop wakes, and the class carries on.
  const away = el(
    "span",
    { className: "driver-away", id: "driver-away", role: "status", hidden: true },
    AWAY,
  );
  // The driver's page about its run: "Resumed your run (step N)", or an offer to take it back.
  const roomText = el("span", { className: "room-text" });
  const roomAction = el("button", { type: "button", id: "room-action", hidden: true });
  const roomNote = el("span", { className: "room-note", id: "room-note", role: "status", hidden: true }, [
    roomText,
    roomAction,
  ]);
  let roomActionDoes = null;
  let noteTimer = null;
  roomAction.addEventListener("click", () => {
    roomNote.hidden = true;
    if (roomActionDoes) roomActionDoes();
  });
  slot.append(watchingNote, away, roomNote, viewers, leave);
  tools.append(share, present);
  let driverLink = () => ""; // set by the page: the link with the control token, for the driver only
  const dialog = shareDialog(
    share,
    () => store.sessionId,
    () => driverLink(),
  );
  let lastLive = null; // the driver's live settings last put in the form

  // "try it yourself": the watched run's setup as a link of one's own, with its points when they
  // are the driver's own (drawn or uploaded), unless they are too many for a link.
  function tryYourself() {
    const config = store.config;
    const points = store.points;
    if (!watching || !config || !points) return;
    const own = config.dataset.kind === "points" || edited;
    const values = flatten(config);
    if (!own) {
      tryLink.href = `/?${toQuery(values)}`;
      tryLink.hidden = false;
      return;
    }
    const query = toQuery({ ...values, dataset: "points", classes: String(store.classes) });
    tryLink.hidden = true;
    const shown = points;
    pointsParam(points, store.classes).then(
      (code) => {
        if (store.points !== shown) return;
        tryLink.href = `/?${query}&points=${code}`;
        tryLink.hidden = false;
      },
      (e) => {
        tryLink.title = e.message;
      },
    );
  }
  let edited = false; // the driver added or removed points since the run began
  store.on("points", () => {
    edited = true;
    tryYourself();
  });

  let releaseEscape = () => {};
  function presentMode(on) {
    setPresenting(on, view);
    present.setAttribute("aria-pressed", String(on));
    dialog.place();
    releaseEscape();
    releaseEscape = on ? opened(() => presentMode(false)) : () => {};
  }

  present.addEventListener("click", () => presentMode(!isPresenting()));
  leave.addEventListener("click", () => presentMode(false));
  onPageKey((event) => {
    if (event.key === "p") presentMode(!isPresenting());
  });
  present.setAttribute("aria-pressed", String(isPresenting()));
  if (isPresenting()) releaseEscape = opened(() => presentMode(false)); // Escape leaves it

  // A watcher's page keeps its controls, greyed, so the class sees the settings the teacher uses.
  function becomeWatcher() {
    document.body.dataset.role = "viewer";
    watchingNote.hidden = false;
    for (const panel of driverOnly) panel.setEnabled(false, WATCHING);
  }
  if (watching) becomeWatcher();

  function showRoomNote(text, action, does) {
    roomText.textContent = text;
    roomAction.hidden = !action;
    roomAction.textContent = action || "";
    roomActionDoes = does || null;
    roomNote.hidden = false;
    clearTimeout(noteTimer);
  }

  return {
    // The session id to watch (from ?watch=), or null when this page drives its own run.
    get watching() {
      return watching;
    },
    // The driver replaced the run with a new one: watch that, and let a reload find it too.
    follow(sessionId) {
      watching = sessionId;
      const url = new URL(location.href);
      url.searchParams.delete("drive");
      url.searchParams.set("watch", sessionId);
      url.hash = "";
      history.replaceState(null, "", url);
    },
    // This page cannot drive the run it was sent to (no token, or a wrong one): it watches it.
    watchInstead(sessionId) {
      this.follow(sessionId);
      becomeWatcher();
    },
    // Where the page finds the driver link (the share dialog shows it to the driver only).
    setDriverLink(link) {
      driverLink = link;
    },
    // The driver left or came back (a "driver" message, or the hello of a watcher who arrives).
    driverAway(isAway) {
      probe.driverAway = isAway;
      away.hidden = !(isAway && watching);
    },
    // The driver's page took back the run this browser drove (step: where it is).
    resumed(step, startNew) {
      showRoomNote(`Resumed your run (step ${step}).`, "Start a new run", startNew);
      noteTimer = setTimeout(() => {
        roomNote.hidden = true;
      }, NOTE_MS);
    },
    // The driver's page opened a new setup while the run it drove before is still alive.
    offerResume(step, resume) {
      showRoomNote("", `Resume your run (step ${step})`, resume);
    },
    // A line for the driver: what happened to the run it asked for.
    note(text) {
      showRoomNote(text);
    },
    hideNote() {
      roomNote.hidden = true;
    },
    begin(hello) {
      probe.role = hello.role;
      document.body.dataset.role = hello.role;
      dialog.refresh();
      this.driverAway(Boolean(hello.session.driver_away));
      if (!watching) return;
      const config = hello.session.config;
      form.setValues(flatten(config));
      lastLive = null;
      edited = false;
      tryYourself();
    },
    update(frame) {
      const f = frame.header;
      if (typeof f.watchers === "number") {
        const watchers = f.watchers; // the driver's own devices are not counted
        probe.viewers = watchers;
        viewers.hidden = Boolean(watching) || watchers === 0; // the driver's business, once someone watches
        viewers.textContent = `${watchers} watching`;
        viewers.dataset.count = String(watchers);
      }
      // Frames carry the settings that change without a reset: a watcher's form follows them.
      const live = f.live ? JSON.stringify(f.live) : null;
      if (watching && live && live !== lastLive) {
        lastLive = live;
        const values = { ...f.live };
        if (typeof values.learning_rate === "number") {
          values.learning_rate = String(Number(values.learning_rate.toPrecision(6)));
        }
        form.setValues(values);
      }
    },
    goneMessage(reason) {
      return `The run you were watching has ended (${reason}). Ask the teacher for the new link.`;
    },
  };
}
