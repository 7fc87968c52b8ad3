// The classroom: the teacher drives, the class watches.
//
// - A share link, /?watch=<session id>, opens the same run read-only: the page connects without
//   the control token (the server makes that socket a viewer and refuses its controls), shows the
//   controls disabled and says "watching", and never deletes the run when it closes. The token
//   never leaves the driver's page.
// - The driver sees how many watch (frames carry `viewers`, the driver's own socket included).
// - Presentation mode (button, the p key, or ?present=1): no form, large type, a large boundary,
//   for a projector at the back of a room.

import { flatten, toQuery } from "./config.js";
import { baseLayout } from "./linechart.js";

/* global Plotly */

// location.search -> the session id to watch, or null.
export function watchedSession(search) {
  const id = new URLSearchParams(search).get("watch");
  return id && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}

export function presenting() {
  return document.body.classList.contains("presenting");
}

// The type size is read by each chart when it is made, so a link with present=1 must switch the
// mode on before any chart exists; toggling later re-lays the charts out (relayoutCharts).
export function presentFromLink(view) {
  document.body.classList.toggle("presenting", view.present === "1");
}

function relayoutCharts() {
  if (typeof Plotly === "undefined") return;
  for (const chart of document.querySelectorAll(".js-plotly-plot")) {
    if (!chart.layout) continue;
    const base = baseLayout(chart);
    Plotly.relayout(chart, {
      "font.size": base.font.size,
      "legend.font.size": base.legend.font.size,
      "margin.l": base.margin.l,
      "margin.r": base.margin.r,
      "margin.t": base.margin.t,
      "margin.b": base.margin.b,
    });
  }
}

function el(tag, props = {}, text) {
  const node = Object.assign(document.createElement(tag), props);
  if (text !== undefined) node.textContent = text;
  return node;
}

// slot: the top bar's place ("watching", the viewer count, leaving presentation mode); tools:
// the form's (Share, Present: the top bar has no room for them on a laptop); view: the link's
// view options (kept in the URL); probe: window.bpv; setValues: the form's; form: the settings
// form; others: panels to enable only for the driver ({ setEnabled(bool) }).
export function create({ slot, tools, view, probe, setValues, form, others = [] }) {
  let watching = watchedSession(location.search); // changes when the driver moves to a new run
  slot.classList.add("classroom");

  const viewers = el("span", { className: "viewers", id: "viewers", hidden: true });
  viewers.title = "how many others watch this run through its share link";
  const share = el("button", { type: "button", id: "share" }, "Share link");
  share.setAttribute("aria-expanded", "false");
  share.title = "A link that opens this run read-only, for a class to watch";
  const present = el("button", { type: "button", id: "present" }, "Present");
  present.title = "Presentation mode: large type, no form (p)";
  // The form is gone while presenting: the way back is in the top bar (and Escape, and p).
  const leave = el("button", { type: "button", id: "present-leave" }, "Leave presentation");
  leave.title = "Back to the form (Escape)";
  const watchingNote = el("span", { className: "watching", id: "watching", hidden: !watching });
  watchingNote.append(el("strong", {}, "Watching"), " · read-only");
  watchingNote.title = "The driver controls this run; you see what they do";
  const tryLink = el("a", { id: "try-yourself", hidden: true }, "try it yourself");
  watchingNote.append(" · ", tryLink);
  slot.append(watchingNote, viewers, leave);
  tools.append(share, present);

  const panel = el("div", { className: "share-panel", id: "share-panel", hidden: true });
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Share this run");
  const linkBox = el("input", { type: "text", id: "share-link", readOnly: true, spellcheck: false });
  const copy = el("button", { type: "button", id: "share-copy", className: "primary" }, "Copy");
  const row = el("div", { className: "share-row" });
  row.append(linkBox, copy);
  panel.append(
    el("p", { className: "share-title" }, "Anyone who opens this link watches this run live"),
    row,
    el("p", { className: "hint" }, "They see every step you take, and cannot play, step, reset or change anything. " +
      "Starting another run (new data, a preset) makes a new link."),
  );  // prettier-ignore
  // A link to 127.0.0.1 only works on this machine: say how to serve the class's network.
  if (["127.0.0.1", "localhost", "[::1]"].includes(location.hostname)) {
    panel.append(el("p", { className: "hint share-local" },
      "This address only works on this computer. For a class, start the server with " +
      "make run ARGS=\"--host 0.0.0.0\" and open this page at this computer's network address."));
  }  // prettier-ignore
  document.body.append(panel);

  let sessionId = null;
  let lastLive = null; // the driver's live settings last put in the form

  function shareUrl() {
    return sessionId ? `${location.origin}/?watch=${encodeURIComponent(sessionId)}` : "";
  }

  function place() {
    const r = share.getBoundingClientRect();
    panel.style.top = `${r.bottom + 6}px`;
    panel.style.left = `${Math.max(8, r.left)}px`;
  }

  function setShareOpen(open) {
    panel.hidden = !open;
    share.setAttribute("aria-expanded", String(open));
    if (open) {
      linkBox.value = shareUrl();
      place();
      linkBox.select();
    }
  }

  function setPresenting(on) {
    document.body.classList.toggle("presenting", on);
    present.setAttribute("aria-pressed", String(on));
    if (on) view.present = "1";
    else delete view.present;
    const params = new URLSearchParams(location.search);
    if (on) params.set("present", "1");
    else params.delete("present");
    history.replaceState(null, "", `${location.pathname}?${params}`);
    if (!panel.hidden) place();
    requestAnimationFrame(relayoutCharts); // after the new layout, so the charts read the new sizes
  }

  share.addEventListener("click", () => setShareOpen(panel.hidden));
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(linkBox.value);
      copy.textContent = "Copied";
    } catch {
      linkBox.select();
      copy.textContent = "Press Ctrl+C";
    }
    setTimeout(() => (copy.textContent = "Copy"), 2000);
  });
  document.addEventListener("click", (event) => {
    if (!panel.hidden && !panel.contains(event.target) && event.target !== share) setShareOpen(false);
  });
  present.addEventListener("click", () => setPresenting(!presenting()));
  leave.addEventListener("click", () => setPresenting(false));
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (event.target.closest("input, select, textarea")) return;
    if (event.key === "p") setPresenting(!presenting());
    else if (event.key === "Escape") {
      if (!panel.hidden) setShareOpen(false);
      else if (presenting()) setPresenting(false);
    }
  });
  present.setAttribute("aria-pressed", String(presenting()));

  // A watcher's page keeps its controls, greyed, so the class sees the settings the teacher uses.
  function disableControls() {
    const blocked = [...document.querySelectorAll(".transport button, #banner button")];
    const own = new Set(["copy-link", "present", "share"]); // a watcher may still present, and pass the link on
    blocked.push(...[...form.querySelectorAll("input, select, button")].filter((c) => !own.has(c.id)));
    for (const control of blocked) {
      control.disabled = true;
      control.title = "Watching: only the driver can change this run";
    }
    for (const other of others) other.setEnabled(false);
  }

  if (watching) {
    document.body.dataset.role = "viewer";
    disableControls();
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
      sessionId = hello.session.id;
      probe.role = hello.role;
      document.body.dataset.role = hello.role;
      if (!panel.hidden) linkBox.value = shareUrl();
      if (!watching) return;
      const config = hello.session.config;
      setValues(flatten(config));
      lastLive = null;
      tryLink.hidden = config.dataset.kind === "points"; // drawn points do not fit in a link
      tryLink.href = `/?${toQuery(flatten(config))}`;
      disableControls(); // again: setValues may have added options
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
        if (typeof values.learning_rate === "number") values.learning_rate = String(Number(values.learning_rate.toPrecision(6)));
        setValues(values);
        disableControls(); // setValues re-enables the boxes that fit the dataset
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
