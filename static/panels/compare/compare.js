// Check your own gradient (POST .../compare): a student downloads the session's training points
// and parameters, computes dW1, db1, dW2, db2 (at depth dW1 ... db(L+1), the snippet a loop over
// the layers: snippet.js) with their own code, pastes or uploads them (JSON or CSV), and sees per
// parameter the relative error against ours, the entries that differ
// highlighted, and the usual mistakes named when they explain the difference. A download is
// pinned (session, step, params_hash): a check sent with the pin is compared at exactly those
// inputs, however the run moved on. The last check is kept per session (last_check.js) and sent
// again after a reload. Scrubbed back (showStep), the inputs and the examples are those of the
// timeline's step.

import { el } from "../../lib/dom.js";
import { getView, postView } from "../../lib/rest.js";
import { arrayBlocks, verdictParts } from "./answer.js";
import { pageChecks } from "./last_check.js";
import { gradientNames, inputsWords, networkOf, placeholderText, snippetText } from "./snippet.js";
import { readSubmission } from "./submission.js";

export { snippetText, YOUR_CODE } from "./snippet.js";

// The file "Download inputs" saves, named for its step (the snippet opens that same name).
export const inputsFile = (step) => `bpv-inputs-step${step}.json`;

const EXAMPLES = [
  { value: "", text: "or try an example…" },
  { value: "ours", text: "our own gradient (agrees)" },
  { value: "summed_not_mean", text: "summed, not the mean (× N)" },
  { value: "transposed", text: "a gradient transposed" },
  { value: "missing_activation_derivative", text: "f′ left out (dz = da)" },
  { value: "no_regularisation", text: "λW left out" },
];

export function mount(root, store) {
  root.classList.add("compare");
  const checks = pageChecks();

  // ---- the student's side: inputs out, gradients in --------------------------------------
  const download = el("button", { type: "button", id: "compare-download" }, "Download the inputs (JSON)");
  const downloadStatus = el("span", { className: "muted compare-download-status", id: "compare-pin" });
  const snippetCode = el("pre", "", snippetText(inputsFile("N")));

  // What to download, compute and paste, in the words of this run's network (its layers, loss, features).
  function describeNetwork() {
    const net = networkOf(store.config);
    inputsSaid.textContent = inputsWords(net);
    pasteHead.textContent = `2. Paste or upload the ${gradientNames(net)} your code computes`;
    input.placeholder = placeholderText(net);
  }
  const snippet = el("details", "compare-snippet", [
    el("summary", "", "How to load them in numpy"),
    snippetCode,
  ]);
  const input = el("textarea", "compare-input");
  input.id = "compare-input";
  input.spellcheck = false;
  input.placeholder = placeholderText(networkOf(null));
  input.setAttribute("aria-label", "your gradients, as JSON or CSV");
  const file = el("input", {
    type: "file",
    accept: ".json,.csv,.txt,application/json,text/csv,text/plain",
    id: "compare-file",
  });
  const check = el(
    "button",
    { className: "primary", type: "button", id: "compare-check" },
    "Check my gradient",
  );
  const example = el(
    "select",
    { id: "compare-example", "aria-label": "fill in an example" },
    EXAMPLES.map((e) => el("option", { value: e.value }, e.text)),
  );
  const clear = el("button", { type: "button", id: "compare-clear" }, "Forget this check");
  const rest = el("p", "muted compare-rest");
  const inputsSaid = el("span", "", inputsWords(networkOf(null)));
  const pasteHead = el("h3", "", "2. Paste or upload the dW1, db1, dW2, db2 your code computes");
  const left = el("div", "compare-left", [
    el("h3", "", ["1. Get this run's inputs", download, downloadStatus]),
    el("div", "muted", [inputsSaid, snippet]),
    pasteHead,
    // The buttons above the box, so they stay in view on a laptop.
    el("div", "compare-actions", [
      check,
      el("label", "compare-file-label", ["or upload ", file]),
      example,
      clear,
    ]),
    input,
    rest,
  ]);

  // ---- the answer --------------------------------------------------------------------------
  const placeholder = () =>
    el(
      "p",
      "muted",
      "Your result appears here: which mistakes explain it and the line to fix, where it starts, " +
        "and per parameter the entries that differ from ours.",
    );
  const verdict = el("div", { className: "compare-verdict", id: "compare-verdict" }, placeholder());
  const params = el("div", { className: "compare-params", id: "compare-params" });
  const right = el("div", "compare-right", [verdict, params]);
  root.append(el("div", "compare-cols", [left, right]));

  let sessionId = null;
  let pin = null; // the pin of the inputs downloaded last in this run: { session, step, params_hash }
  let pastStep = null; // the step the timeline shows, or null when live
  let restoredFor = null; // the session whose last check was brought back (once per page)
  let keepNote = ""; // why the last check is not kept for a reload, or ""

  // The step to download, or to fill an example at: the timeline's, or now (no at_step).
  const atStep = () => (pastStep === null ? undefined : { at_step: pastStep });

  function labelDownload() {
    download.textContent =
      pastStep === null ? "Download the inputs (JSON)" : `Download the inputs at step ${pastStep} (JSON)`;
  }

  function showPin() {
    downloadStatus.textContent = pin
      ? `the inputs at step ${pin.step}: a check is compared with ours at exactly those`
      : "";
    snippetCode.textContent = snippetText(inputsFile(pin ? pin.step : "N"), networkOf(store.config));
  }

  function showMessage(text, ...before) {
    verdict.replaceChildren(...before, el("p", "error", text));
    params.replaceChildren();
  }

  function remember(entry) {
    const kept = checks.save(sessionId, { text: "", pin, atStep: null, step: null, ...entry });
    keepNote = kept.kept ? "" : `This check: ${kept.reason}.`;
  }

  // Send what the box holds. With the downloaded inputs' pin (the file's own, else the page's)
  // it is compared at those inputs; an example at its own step (at); else at the timeline's step.
  async function submit({ at = null, restored = null } = {}) {
    if (!store.hello) return;
    const text = input.value;
    const read = readSubmission(text);
    if (read.message) {
      showMessage(read.message);
      return;
    }
    const body = { ...read.body };
    let query; // none when the file carries its own pin: that says where
    if (!body.inputs && at !== null) query = { at_step: at };
    else if (!body.inputs && pin) body.inputs = pin;
    else if (!body.inputs) query = atStep();
    check.disabled = true;
    const result = await postView(sessionId, "compare", body, query);
    check.disabled = false;
    const intro = restored
      ? [
          el(
            "p",
            { className: "compare-restored", id: "compare-restored" },
            `Your last check, from step ${restored.step}:`,
          ),
        ]
      : [];
    if (!result.ok) {
      showMessage(result.message, ...intro);
      return;
    }
    const d = result.data;
    root.dataset.step = String(d.step);
    if (!restored) remember({ text, atStep: body.inputs ? null : (query?.at_step ?? d.step), step: d.step });
    const said = d.pinned?.message ?? `compared with ours at step ${d.step}`;
    const sample = Number.isInteger(d.sample) ? `, for training point ${d.sample}` : "";
    const comparedAt = el(
      "p",
      { className: "muted", id: "compare-at" },
      `${said[0].toUpperCase()}${said.slice(1)}${sample}.`,
    );
    const note = keepNote ? el("p", "muted compare-keep-note", keepNote) : null;
    verdict.replaceChildren(...intro, comparedAt, ...verdictParts(d), ...(note ? [note] : []));
    params.replaceChildren(...arrayBlocks(d));
    // On a phone the answer is under the form: bring its start into view (a no-op when seen).
    if (!restored) verdict.scrollIntoView({ block: "nearest" });
  }

  async function downloadInputs() {
    if (!store.hello) return;
    const result = await getView(sessionId, "compare/inputs", atStep());
    if (!result.ok) {
      downloadStatus.textContent = result.message;
      return;
    }
    const inputs = result.data;
    pin = inputs.pin;
    // A data: URL, not a blob: one, so the file is made here with no request at all.
    const link = el("a", {
      href: `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(inputs))}`,
      download: inputsFile(pin.step),
    });
    document.body.append(link);
    link.click();
    link.remove();
    showPin();
    const last = checks.load(sessionId);
    remember(last ? { ...last, pin } : {});
  }

  async function fillExample() {
    const kind = example.value;
    example.value = "";
    if (!kind || !store.hello) return;
    // Ours (or a mistake's) at the step shown, then compared at that same step.
    const result = await getView(sessionId, `compare/examples/${kind}`, atStep());
    if (!result.ok) {
      showMessage(result.message);
      return;
    }
    input.value = JSON.stringify({ gradients: result.data.gradients }, null, 1);
    submit({ at: result.data.step }); // ours at that step, whatever a pin says
  }

  function forget() {
    checks.forget(sessionId);
    pin = null;
    keepNote = "";
    input.value = "";
    showPin();
    verdict.replaceChildren(placeholder());
    params.replaceChildren();
    delete root.dataset.step;
  }

  // After a reload: the pin downloaded, and the last check sent again (the server's numbers).
  function restore() {
    const last = checks.load(sessionId);
    if (!last) return;
    pin = last.pin && last.pin.session === sessionId ? last.pin : null;
    showPin();
    if (!last.text) return;
    input.value = last.text;
    submit({ at: last.atStep, restored: last });
  }

  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    input.value = await chosen.text();
    file.value = "";
    submit();
  });
  check.addEventListener("click", () => submit());
  download.addEventListener("click", downloadInputs);
  example.addEventListener("change", fillExample);
  clear.addEventListener("click", forget);

  return {
    showStep(step) {
      pastStep = step;
      labelDownload();
    },
    begin(hello) {
      if (hello.session.id !== sessionId) {
        // Another run: nothing of the last one's check stays on the tab.
        sessionId = hello.session.id;
        pin = null;
        input.value = "";
        showPin();
        verdict.replaceChildren(placeholder());
        params.replaceChildren();
      }
      describeNetwork();
      showPin();
      rest.textContent =
        `Over REST: POST ${location.origin}/api/sessions/${hello.session.id}/compare with ` +
        `{"gradients": {"dW1": …}, "inputs": <the download's pin>} or {"csv": "…"} (the file the snippet writes).`;
      if (restoredFor !== sessionId) {
        restoredFor = sessionId;
        restore();
      }
    },
  };
}
