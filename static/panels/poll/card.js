// One poll drawn as a card: its question, then what the reader may do with it now. A watcher
// votes (a button a choice, big enough for a thumb; a point clicked on the plane; a number typed)
// until the driver closes the voting; the driver sees how many voted, and closes and reveals. The
// counts (a bar a choice) and the true answer appear only once revealed: what the server sent,
// as it sent it.

import { el } from "../../lib/dom.js";

const STATE_WORDS = {
  open: "voting open",
  voting: "voting open",
  closed: "voting closed",
  revealed: "revealed",
  answered: "answered",
};

function percent(share) {
  return `${Math.round(share * 100)}%`;
}

// What a vote reads as: a choice's words, a point's number, a value.
export function voteText(poll, choice) {
  if (choice === null || choice === undefined) return "";
  if (poll.kind === "choice") return poll.choices[choice] ?? String(choice);
  if (poll.kind === "point") return `point ${choice}`;
  return String(choice);
}

// Whether the server's answer names this choice (or point), to mark its bar.
function named(poll, choice) {
  const answer = poll.answer;
  if (!answer) return false;
  if (poll.kind === "choice") return answer.choice === choice;
  if (poll.kind === "point") return (answer.points ?? []).includes(choice);
  return false;
}

function fill(share) {
  const bar = el("span", "poll-bar-fill");
  bar.style.width = `${100 * share}%`;
  return bar;
}

// The counts, drawn only once revealed: a bar a choice (a point poll's most voted points; a
// number poll's values), the right one marked.
function histogram(poll) {
  const rows = [];
  if (poll.kind === "choice") {
    poll.choices.forEach((label, i) => {
      rows.push({ label, count: poll.counts[i], right: named(poll, i) });
    });
  } else if (poll.kind === "point") {
    for (const [point, count] of poll.counts.slice(0, 8)) {
      rows.push({ label: `point ${point}`, count, right: named(poll, point) });
    }
  }
  const most = Math.max(1, ...rows.map((r) => r.count));
  const list = el(
    "ol",
    { className: "poll-histogram", id: "poll-histogram", "aria-label": "Votes" },
    rows.map((r) =>
      el("li", { className: r.right ? "poll-bar is-right" : "poll-bar", "data-count": String(r.count) }, [
        el("span", "poll-bar-label", `${r.right ? "✓ " : ""}${r.label}`),
        el("span", "poll-bar-track", fill(r.count / most)),
        el("span", "poll-bar-count", String(r.count)),
      ]),
    ),
  );
  if (poll.kind === "number") {
    const values = poll.counts;
    list.append(
      el(
        "li",
        "poll-values",
        values.length
          ? `Votes: ${values.slice(0, 12).join(", ")}${values.length > 12 ? " …" : ""}`
          : "No votes",
      ),
    );
  }
  return list;
}

// poll: the server's view of it; role: "driver" | "viewer"; mine: this viewer's vote or null;
// actions: { vote(choice), close(), reveal(), dismiss(), ask() }; note: a line to show (an error);
// csv: where the run's results download (GET .../polls.csv).
export function renderCard(poll, { role, mine, actions, note, csv }) {
  const accepting = poll.state === "open" || poll.state === "voting";
  const revealed = poll.state === "revealed" || poll.state === "answered";
  const head = el("header", "poll-head", [
    el("span", "poll-kicker", `Predict · step ${poll.step}`),
    el("span", { className: "poll-state", "data-state": poll.state }, STATE_WORDS[poll.state]),
    el(
      "button",
      { type: "button", className: "poll-dismiss", "aria-label": "Hide the poll", title: "Hide" },
      "×",
    ),
  ]);
  head.querySelector(".poll-dismiss").addEventListener("click", actions.dismiss);
  const parts = [head, el("p", { className: "poll-question", id: "poll-question" }, poll.question)];

  if (role === "viewer" && accepting) parts.push(voting(poll, mine, actions));
  if (role === "viewer" && !accepting && mine !== null && mine !== undefined) {
    // whether the vote was right is the server's judgement (mine_right), sent once answered
    const verdict =
      poll.mine_right === true ? " ✓ right" : poll.mine_right === false ? " ✗ not this time" : "";
    parts.push(
      el("p", { className: "poll-mine", id: "poll-mine" }, `Your vote: ${voteText(poll, mine)}${verdict}`),
    );
  }
  if (role === "viewer" && poll.state === "closed")
    parts.push(el("p", "poll-wait", "Voting closed: wait for the reveal."));
  if (role === "driver") {
    parts.push(
      el("p", { className: "poll-count", id: "poll-count", "aria-live": "polite" }, `${poll.voters} voted`),
    );
  }
  if (revealed) {
    parts.push(histogram(poll));
    if (poll.state === "answered" && poll.answer) {
      const share = poll.right_share === null ? "" : ` · ${percent(poll.right_share)} got it right`;
      parts.push(
        el("p", { className: "poll-answer", id: "poll-answer" }, [
          el("strong", null, "Answer: "),
          `${poll.answer.text}${share}`,
        ]),
      );
    } else if (poll.until_step > (poll.step ?? 0)) {
      const how = role === "driver" ? "press play or step" : "watch the run";
      parts.push(el("p", "poll-wait", `The run answers at step ${poll.until_step}: ${how}.`));
    }
  }
  if (note) parts.push(el("p", { className: "poll-note", role: "alert" }, note));
  if (role === "driver") {
    const buttons = el("div", "poll-buttons");
    if (accepting) buttons.append(button("poll-close", "Close voting", actions.close));
    if (!revealed) buttons.append(button("poll-reveal", "Reveal", actions.reveal, "primary"));
    if (revealed) buttons.append(button("poll-again", "Ask another", actions.ask));
    if (revealed && csv) {
      buttons.append(
        el("a", { href: csv, download: "", id: "poll-csv", className: "poll-csv" }, "Results (CSV)"),
      );
    }
    parts.push(buttons);
  }
  return el("div", { className: "poll-card", "data-state": poll.state, "data-kind": poll.kind }, parts);
}

function button(id, label, onClick, className = "") {
  const b = el("button", { type: "button", id, className }, label);
  b.addEventListener("click", onClick);
  return b;
}

function voting(poll, mine, actions) {
  if (poll.kind === "choice") {
    return el(
      "div",
      { className: "poll-choices", role: "group", "aria-label": "Your prediction" },
      poll.choices.map((label, i) => {
        const b = button(`poll-choice-${i}`, label, () => actions.vote(i), "poll-choice");
        b.setAttribute("aria-pressed", String(mine === i));
        return b;
      }),
    );
  }
  if (poll.kind === "point") {
    const picked = mine === null || mine === undefined ? "none yet" : `point ${mine}`;
    return el("p", "poll-pick", [
      el("strong", null, "Click a training point on the plane."),
      ` Your pick: ${picked}`,
    ]);
  }
  const input = el("input", { type: "text", inputMode: "decimal", id: "poll-number", autocomplete: "off" });
  input.setAttribute("aria-label", "Your value");
  if (mine !== null && mine !== undefined) input.value = String(mine);
  const send = () => {
    const value = Number(input.value.trim());
    if (input.value.trim() !== "" && Number.isFinite(value)) actions.vote(value);
  };
  input.addEventListener("keydown", (event) => {
    event.stopPropagation(); // typing is not the page's keys (space, s, r)
    if (event.key === "Enter") send();
  });
  return el("div", "poll-number-row", [
    input,
    button("poll-number-send", mine === null || mine === undefined ? "Vote" : "Change", send, "primary"),
  ]);
}
