// Predict, then reveal: the run's polls on the page. The driver asks the class ("Ask the class",
// in the classroom tools), sees how many voted, closes and reveals; a watcher gets the question
// as a card and votes over the socket (under the id its hello gave it, kept for the tab:
// lib/viewer_id.js), a point poll by
// clicking a training point on the plane. The counts and the true answer are the server's, shown
// only once revealed. Every poll is marked on the timeline at its step.
//
// mount(root, store, { tools, session, send, onMarks }): tools: where the Ask button goes;
// session(): { id, token } of the run this page drives, or null; send(message): the socket;
// onMarks([{ step, label }]): the polls' places for the timeline. The panel also has
// message(json) -> true if the message was a poll's, pickPoint(index) -> true if the pick was a
// vote, and planeLayer, for the boundary's addLayer (a point poll's picks and answer, plane.js).

import { el, onPageKey } from "../../lib/dom.js";
import { probe } from "../../lib/probe.js";
import { voteMessage } from "../../lib/protocol.js";
import { askPoll, drivePoll } from "../../lib/rest.js";
import { keepViewerId } from "../../lib/viewer_id.js";
import { mountAskDialog } from "./ask.js";
import { renderCard } from "./card.js";
import { mountPlaneMarks } from "./plane.js";

export function mount(root, store, { tools, session, send, onMarks }) {
  root.classList.add("poll");
  root.hidden = true;
  const plane = mountPlaneMarks();
  const askButton = el("button", { type: "button", id: "poll-ask-open", hidden: true }, "Ask the class");
  askButton.title = "Pause and ask the class to predict what training does next (q)";
  tools.append(askButton);

  let role = null;
  let polls = new Map(); // id -> the server's view of it
  let shown = null; // the id of the poll on the card
  let dismissed = null; // a poll the reader hid (a new one shows again)
  const mine = new Map(); // poll id -> this viewer's vote, as the server confirmed it
  let note = "";

  const dialog = mountAskDialog({
    async ask(body) {
      const s = session();
      if (!s) return "This page does not drive the run.";
      const reply = await askPoll(s, body);
      if (!reply.ok) return reply.message;
      receive(reply.data); // the socket says so too; the card need not wait for it
      return null;
    },
  });
  askButton.addEventListener("click", () => dialog.open());
  // q asks from anywhere, presentation mode included (where the form and its button are hidden).
  onPageKey((event) => {
    if (event.key === "q" && role === "driver") {
      event.preventDefault();
      dialog.open();
    }
  });

  async function act(action) {
    const s = session();
    if (!s || shown === null) return;
    const reply = await drivePoll(s, shown, action);
    note = reply.ok ? "" : reply.message;
    if (reply.ok) receive(reply.data);
    else draw();
  }

  const actions = {
    vote(choice) {
      if (shown === null) return;
      if (!send(voteMessage(shown, choice))) {
        note = "Not connected: your vote was not sent. Try again in a moment.";
        draw();
      }
    },
    close: () => act("close"),
    reveal: () => act("reveal"),
    ask: () => dialog.open(),
    dismiss() {
      dismissed = shown;
      draw();
    },
  };

  function draw() {
    const poll = shown === null ? null : polls.get(shown);
    probe.poll = poll ? { ...poll, mine: mine.get(poll.id) ?? null } : null;
    plane.show(poll && dismissed !== poll.id ? poll : null, poll ? (mine.get(poll.id) ?? null) : null);
    if (!poll || dismissed === poll.id) {
      root.hidden = true;
      root.replaceChildren();
      return;
    }
    root.hidden = false;
    root.dataset.state = poll.state;
    const csv = `/api/sessions/${encodeURIComponent(store.sessionId)}/polls.csv`;
    root.replaceChildren(renderCard(poll, { role, mine: mine.get(poll.id) ?? null, actions, note, csv }));
  }

  function marks() {
    onMarks([...polls.values()].map((p) => ({ step: p.step, label: `Poll ${p.id}: ${p.question}` })));
  }

  function receive(poll) {
    const isNew = !polls.has(poll.id);
    polls.set(poll.id, poll);
    // a watcher's own vote, as the server holds it (a confirmed vote since is newer: kept)
    if (poll.mine !== null && poll.mine !== undefined && !mine.has(poll.id)) mine.set(poll.id, poll.mine);
    if (isNew || shown === null || poll.id >= shown) {
      if (isNew && shown !== poll.id) note = "";
      shown = Math.max(shown ?? 0, poll.id);
    }
    if (isNew) marks();
    draw();
  }

  return {
    planeLayer: plane.layer,

    begin(hello) {
      role = hello.role;
      askButton.hidden = role !== "driver";
      polls = new Map((hello.polls ?? []).map((p) => [p.id, p]));
      mine.clear();
      // A watcher's id for voting; a reconnect offered it back, and the hello carries its votes.
      if (hello.viewer) keepViewerId(hello.session.id, hello.viewer);
      for (const p of polls.values()) if (p.mine !== null && p.mine !== undefined) mine.set(p.id, p.mine);
      note = "";
      const open = [...polls.values()].filter((p) => p.state !== "answered");
      shown = open.length ? open[open.length - 1].id : null; // a saved lecture's answered polls stay on the timeline
      marks();
      draw();
    },

    message(message) {
      if (message.type === "poll") {
        receive(message.poll);
        return true;
      }
      if (message.for !== "vote") return false;
      if (message.type === "ok") {
        mine.set(message.poll, message.choice);
        note = "";
      } else if (message.type === "error") {
        note = message.message;
      }
      draw();
      return true;
    },

    // A training point clicked on the plane: a vote when a point poll takes votes.
    pickPoint(index) {
      const poll = shown === null ? null : polls.get(shown);
      if (role !== "viewer" || !poll || poll.kind !== "point") return false;
      if (poll.state !== "open" && poll.state !== "voting") return false;
      actions.vote(index);
      return true;
    },
  };
}
