// The classroom: the teacher drives, the class watches.
//
// - A share link, /?watch=<session id>, opens the same run read-only: the page connects without
//   the control token (the server makes that socket a viewer and refuses its controls), shows the
//   controls disabled and says "watching", and never deletes the run when it closes. The token
//   never leaves the driver's page.
// - The driver sees how many watch (frames carry `viewers`, the driver's own socket included).
// - Presentation mode (present.js): no form, large type, a large boundary, for a projector.

import { flatten, toQuery } from "../../lib/config.js";
import { el, onPageKey } from "../../lib/dom.js";
import { opened } from "../../lib/escape.js";
import { probe } from "../../lib/probe.js";
import { isPresenting, setPresenting } from "./present.js";
import { shareDialog } from "./share.js";

const WATCHING = "Watching: only the driver can change this run";

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
  slot.append(watchingNote, viewers, leave);
  tools.append(share, present);
  const dialog = shareDialog(share, () => store.sessionId);
  let lastLive = null; // the driver's live settings last put in the form

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
  if (watching) {
    document.body.dataset.role = "viewer";
    for (const panel of driverOnly) panel.setEnabled(false, WATCHING);
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
      url.searchParams.set("watch", sessionId);
      history.replaceState(null, "", url);
    },
    begin(hello) {
      probe.role = hello.role;
      document.body.dataset.role = hello.role;
      dialog.refresh();
      if (!watching) return;
      const config = hello.session.config;
      form.setValues(flatten(config));
      lastLive = null;
      tryLink.hidden = config.dataset.kind === "points"; // drawn points do not fit in a link
      tryLink.href = `/?${toQuery(flatten(config))}`;
    },
    update(frame) {
      const f = frame.header;
      if (typeof f.viewers === "number") {
        const watchers = Math.max(0, f.viewers - 1);
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
      return (
        `The run you were watching has ended (${reason}): the driver started a new run or left. ` +
        "Ask for the new link."
      );
    },
  };
}
