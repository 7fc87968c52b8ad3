// Saved runs from the page: Save (name it), the Runs list (name, date, step, dataset, accuracy),
// Open (a new session that goes on from the saved run, driven by this page), Download (the run
// file, named after the run), Upload (a run file from disk, checked by the server) and Delete (for
// the runs this browser saved: their tokens are in localStorage, tokens.js).
//
// Both dialogs are <dialog> elements opened modal: Escape closes them, focus stays inside, and
// the page's own keys (space, s, r, ...) do not fire under them.

import { el, setControlsEnabled } from "../../lib/dom.js";
import { formatPercent } from "../../lib/format.js";
import * as rest from "../../lib/rest.js";
import { savedRunTokens } from "./tokens.js";

const CONFIRM_MS = 3000; // how long "Delete" waits for its second click

// A file name from a run's name: what most file systems take, never empty.
export function fileName(name) {
  const base = String(name)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // é -> e: the accent is a mark of its own after NFKD
    .replace(/[^\w.-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 80);
  return `${base || "run"}.json`;
}

function when(seconds) {
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
}

function accuracyText(run) {
  if (run.accuracy === null || run.accuracy === undefined) return "–";
  const test =
    run.test_accuracy === null || run.test_accuracy === undefined
      ? ""
      : ` · test ${formatPercent(run.test_accuracy)}`;
  return `train ${formatPercent(run.accuracy)}${test}`;
}

// A modal dialog with a title; keys pressed in it stay in it.
function dialog(id, title) {
  const heading = el("h2", { id: `${id}-title` }, title);
  const box = el("dialog", { id, className: "runs-dialog", "aria-labelledby": `${id}-title` }, heading);
  box.addEventListener("keydown", (event) => event.stopPropagation());
  document.body.append(box);
  return box;
}

// tools: where the Save and Runs buttons go. session(): the page's session ({ id, token }) or
// null; adopt({ id, token }): drive a session the server made; opened(config): the opened run
// said hello, with its configuration.
export function mount(tools, store, { session, adopt, opened }) {
  const saveButton = el("button", { type: "button", id: "runs-save", "aria-haspopup": "dialog" }, "Save run");
  saveButton.title = "Save this run as it is now, to open it again later or download it";
  const listButton = el("button", { type: "button", id: "runs-list", "aria-haspopup": "dialog" }, "Runs");
  listButton.title = "Saved runs: open, download, upload, delete";
  tools.append(saveButton, listButton);

  // ---- Save -------------------------------------------------------------------------------
  const saveDialog = dialog("save-dialog", "Save this run");
  const nameInput = el("input", { type: "text", id: "save-name", maxLength: 200, autocomplete: "off" });
  const saveError = el("p", { className: "error", id: "save-error", role: "alert", hidden: true });
  const saveForm = el("form", { method: "dialog", className: "save-form" }, [
    el("label", { className: "field", htmlFor: "save-name" }, [el("span", "label", "Name"), nameInput]),
    saveError,
    el("div", "runs-buttons", [
      el("button", { type: "submit", className: "primary", id: "save-confirm" }, "Save"),
      el("button", { type: "button", id: "save-cancel" }, "Cancel"),
    ]),
  ]);
  saveDialog.append(saveForm);
  let edited = false; // points were drawn since the run began: its data is your own points

  saveButton.addEventListener("click", () => {
    const kind = edited ? "points" : (store.config?.dataset.kind ?? "run");
    nameInput.value = `${kind} at step ${store.step ?? 0}`;
    saveError.hidden = true;
    saveDialog.showModal();
    nameInput.select();
  });
  saveForm.querySelector("#save-cancel").addEventListener("click", () => saveDialog.close());
  saveForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const current = session();
    if (!current) {
      saveError.textContent = "Not saved: there is no run yet (the server cannot be reached?)";
      saveError.hidden = false;
      return;
    }
    const result = await rest.saveRun(current, nameInput.value.trim());
    if (!result.ok) {
      saveError.textContent = `Not saved: ${result.message}`;
      saveError.hidden = false;
      return;
    }
    savedRunTokens.keep(result.data.id, result.data.token);
    saveDialog.close();
    say(`Saved “${result.data.name}” at step ${result.data.step}.`);
    if (listDialog.open) refresh();
  });

  // ---- Runs -------------------------------------------------------------------------------
  const listDialog = dialog("runs-dialog", "Saved runs");
  const status = el("p", { className: "runs-status", id: "runs-status", role: "status" });
  const listError = el("p", { className: "error", id: "runs-error", role: "alert", hidden: true });
  const rows = el("tbody", { id: "runs-rows" });
  const table = el("table", { className: "runs-table", id: "runs-table" }, [
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        ["Name", "Saved", "Step", "Dataset", "Accuracy", "Actions"].map((h) => el("th", { scope: "col" }, h)),
      ),
    ),
    rows,
  ]);
  const upload = el("input", { type: "file", id: "runs-upload", accept: ".json,application/json" });
  const close = el("button", { type: "button", id: "runs-close" }, "Close");
  listDialog.append(
    el("div", { className: "runs-scroll", tabIndex: 0, role: "region", "aria-label": "saved runs" }, table),
    listError,
    el("div", "runs-buttons", [
      el("label", { className: "runs-upload", htmlFor: "runs-upload" }, ["Upload a run file ", upload]),
      close,
    ]),
  );
  // The Save confirmation shows beside the buttons, where the person looks after saving.
  tools.append(status);
  close.addEventListener("click", () => listDialog.close());

  function say(text) {
    status.textContent = text;
  }

  function showErrors(prefix, errors) {
    listError.textContent = `${prefix}: ${errors.join("; ")}`;
    listError.hidden = false;
  }

  function row(run) {
    const open = el("button", { type: "button", className: "primary" }, "Open");
    open.title = "A new run that goes on from this one, driven by this page";
    open.addEventListener("click", () => openRun(run));
    const download = el("a", { href: rest.runFileUrl(run.id), download: fileName(run.name) }, "Download");
    download.title = "The run file: Upload takes it back, here or on another server";
    const actions = [open, download];
    const token = savedRunTokens.get(run.id);
    if (token) {
      const remove = el("button", { type: "button", className: "runs-delete" }, "Delete");
      let armed = null;
      remove.addEventListener("click", async () => {
        if (!armed) {
          remove.textContent = "Delete: sure?";
          armed = setTimeout(() => {
            armed = null;
            remove.textContent = "Delete";
          }, CONFIRM_MS);
          return;
        }
        clearTimeout(armed);
        const result = await rest.deleteRun(run.id, token);
        if (!result.ok && result.status !== 404) {
          showErrors("Not deleted", [result.message]);
          return;
        }
        savedRunTokens.forget(run.id);
        refresh();
      });
      actions.push(remove);
    }
    // data-label: a phone shows each run as a card, each value under its column's name.
    const tr = el("tr", {}, [
      el("th", { scope: "row", className: "runs-name" }, run.name),
      el("td", { "data-label": "Saved" }, when(run.created)),
      el("td", { className: "num", "data-label": "Step" }, String(run.step)),
      el("td", { "data-label": "Dataset" }, run.points ? `${run.kind}, ${run.points} points` : run.kind),
      el("td", { className: "num", "data-label": "Accuracy" }, accuracyText(run)),
      el("td", "runs-actions", actions),
    ]);
    tr.dataset.run = run.id;
    return tr;
  }

  async function refresh() {
    const result = await rest.listRuns();
    if (!result.ok) {
      showErrors("The list cannot be read", [result.message]);
      return;
    }
    savedRunTokens.keepOnly(result.data.map((r) => r.id));
    rows.replaceChildren(...result.data.map(row));
    if (!result.data.length) {
      rows.append(
        el("tr", {}, el("td", { colSpan: 6, className: "hint" }, "No saved runs yet: Save run keeps one.")),
      );
    }
  }

  let pendingOpen = null; // the id of a session opened from a saved run, until its hello
  async function openRun(run) {
    listError.hidden = true;
    const result = await rest.loadRun(run.id);
    if (!result.ok) {
      showErrors("Not opened", [result.message]);
      return;
    }
    pendingOpen = result.data.id;
    listDialog.close();
    say(`Opened “${run.name}” at step ${run.step}.`);
    adopt({ id: result.data.id, token: result.data.token });
  }

  upload.addEventListener("change", async () => {
    const file = upload.files[0];
    upload.value = ""; // the same file chosen again is a new upload
    if (!file) return;
    listError.hidden = true;
    let document;
    try {
      document = JSON.parse(await file.text());
    } catch {
      showErrors(`${file.name} is not a run file`, ["it is not JSON (a run file is what Download gives)"]);
      return;
    }
    const result = await rest.importRun(document);
    if (!result.ok) {
      showErrors(
        `${file.name} was refused`,
        result.errors.map((e) => e.message),
      );
      return;
    }
    savedRunTokens.keep(result.data.id, result.data.token);
    say(`Uploaded “${result.data.name}”.`);
    refresh();
  });

  listButton.addEventListener("click", () => {
    listError.hidden = true;
    listDialog.showModal();
    refresh();
  });

  store.on("points", () => {
    edited = true;
  });

  return {
    begin(hello) {
      edited = false;
      if (hello.session.id !== pendingOpen) return;
      pendingOpen = null;
      opened(hello.session.config);
    },
    // Saving and opening make and drive runs: a watcher's page keeps the buttons, greyed.
    setEnabled(on, reason) {
      setControlsEnabled([saveButton, listButton], on, reason);
    },
  };
}
