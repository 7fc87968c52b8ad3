// The driver's "Ask the class": a dialog to choose a question (one of the server's templates, or
// your own with 2–5 choices) and the numbers it takes; Ask sends it, and an error the server
// names (a sample out of range, a blank question) is shown in the dialog.

import { el } from "../../lib/dom.js";
import { FIELD_DEFAULTS, FIELD_LABELS, pollRequest, TEMPLATES } from "./templates.js";

// ask(body): resolves to null when asked, else the error's words.
export function mountAskDialog({ ask }) {
  const select = el(
    "select",
    { id: "poll-template" },
    TEMPLATES.map((t) => el("option", { value: t.name }, t.label)),
  );
  const fields = {};
  const rows = {};
  for (const key of Object.keys(FIELD_LABELS)) {
    const input =
      key === "choices" || key === "question"
        ? el("textarea", {
            id: `poll-f-${key}`,
            rows: key === "choices" ? 4 : 2,
            maxLength: key === "question" ? 300 : 500,
          })
        : el("input", {
            type: "text",
            id: `poll-f-${key}`,
            inputMode: key === "question" ? "text" : "numeric",
            autocomplete: "off",
          });
    input.value = FIELD_DEFAULTS[key];
    fields[key] = input;
    rows[key] = el("label", { className: "field", htmlFor: input.id }, [
      el("span", "label", FIELD_LABELS[key]),
      input,
    ]);
  }
  const error = el("p", { className: "error", id: "poll-ask-error", role: "alert", hidden: true });
  const submit = el("button", { type: "submit", className: "primary", id: "poll-ask-send" }, "Ask");
  const cancel = el("button", { type: "button", id: "poll-ask-cancel" }, "Cancel");
  const form = el("form", { className: "poll-ask-form", method: "dialog" }, [
    el("label", { className: "field", htmlFor: "poll-template" }, [el("span", "label", "Question"), select]),
    ...Object.values(rows),
    error,
    el("div", "poll-buttons", [submit, cancel]),
  ]);
  const dialog = el(
    "dialog",
    { id: "poll-ask", className: "poll-ask", "aria-labelledby": "poll-ask-title" },
    [
      el("h2", { id: "poll-ask-title" }, "Ask the class"),
      el(
        "p",
        "hint",
        "Asking pauses the run: the class predicts, you reveal, then play and the run shows the answer.",
      ),
      form,
    ],
  );
  dialog.addEventListener("keydown", (event) => event.stopPropagation()); // the page's keys stay out
  document.body.append(dialog);

  function showFields() {
    const wanted = TEMPLATES.find((t) => t.name === select.value).fields;
    for (const [key, row] of Object.entries(rows)) row.hidden = !wanted.includes(key);
  }
  select.addEventListener("change", showFields);
  cancel.addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(Object.entries(fields).map(([k, input]) => [k, input.value]));
    submit.disabled = true;
    const failed = await ask(pollRequest(select.value, values));
    submit.disabled = false;
    error.hidden = failed === null;
    error.textContent = failed ?? "";
    if (failed === null) dialog.close();
  });
  showFields();

  return {
    open() {
      error.hidden = true;
      dialog.showModal();
      select.focus();
    },
  };
}
