// Check your own gradient (POST .../compare): a student downloads the session's training points
// and parameters, computes dW1, db1, dW2, db2 with their own code, pastes or uploads them (JSON
// or CSV), and sees per parameter the relative error against ours, the entries that differ
// highlighted, and the usual mistake named when one explains the difference. Scrubbed back
// (showStep), the inputs and the examples are those of the timeline's step.

import { el } from "../../lib/dom.js";
import { getView, postView } from "../../lib/rest.js";
import { paramBlock, verdictParts } from "./answer.js";
import { PARAMS, readSubmission } from "./submission.js";

// The file "Download inputs" saves, named for its step (the snippet opens that same name).
const inputsFile = (step) => `bpv-inputs-step${step}.json`;

const snippetText = (file) => `import json, numpy as np
d = json.load(open("${file}"))
X, Y = np.array(d["X"]), np.array(d["Y"])          # (N, 2), (N, C)
W1, b1 = np.array(d["W1"]), np.array(d["b1"])      # (2, H), (H,)
W2, b2 = np.array(d["W2"]), np.array(d["b2"])      # (H, C), (C,)
lam, N = d["lam"], len(X)
# ... your forward pass and backward pass for
#     L = mean cross-entropy + lam/2 (|W1|^2 + |W2|^2) ...
json.dump({"gradients": {"dW1": dW1.tolist(), "db1": db1.tolist(),
                         "dW2": dW2.tolist(), "db2": db2.tolist()}},
          open("mine.json", "w"))`;

const EXAMPLES = [
  { value: "", text: "or try an example…" },
  { value: "ours", text: "our own gradient (agrees)" },
  { value: "summed_not_mean", text: "our gradient × N (summed loss)" },
  { value: "transposed", text: "our gradient, transposed" },
];

export function mount(root, store) {
  root.classList.add("compare");

  // ---- the student's side: inputs out, gradients in --------------------------------------
  const download = el("button", { type: "button", id: "compare-download" }, "Download the inputs (JSON)");
  const downloadStatus = el("span", "muted compare-download-status");
  const snippetCode = el("pre", "", snippetText(inputsFile("N")));
  const snippet = el("details", "compare-snippet", [
    el("summary", "", "How to load them in numpy"),
    snippetCode,
  ]);
  const input = el("textarea", "compare-input");
  input.id = "compare-input";
  input.spellcheck = false;
  input.placeholder =
    '{"dW1": [[…], […]], "db1": […], "dW2": [[…], …], "db2": […]}\n\nor CSV, each block under its name:\ndW1\n0.01, -0.02, …\n0.03, 0.00, …\ndb1\n…';
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
  const rest = el("p", "muted compare-rest");
  const left = el("div", "compare-left", [
    el("h3", "", ["1. Get this run's inputs", download, downloadStatus]),
    el("div", "muted", [
      "The training points and the current parameters: X (N×2), Y (N×C), W1, b1, W2, b2, λ, the activation. ",
      snippet,
    ]),
    el("h3", "", "2. Paste or upload the dW1, db1, dW2, db2 your code computes"),
    // The buttons above the box, so they stay in view on a laptop.
    el("div", "compare-actions", [check, el("label", "compare-file-label", ["or upload ", file]), example]),
    input,
    rest,
  ]);

  // ---- the answer --------------------------------------------------------------------------
  const verdict = el(
    "div",
    { className: "compare-verdict", id: "compare-verdict" },
    el(
      "p",
      "muted",
      "Your result appears here: per parameter the relative error against ours, the entries that differ, " +
        "and the usual mistake that explains them.",
    ),
  );
  const params = el("div", { className: "compare-params", id: "compare-params" });
  const right = el("div", "compare-right", [verdict, params]);
  root.append(el("div", "compare-cols", [left, right]));

  let downloadedStep = null;
  let pastStep = null; // the step the timeline shows, or null when live

  // The step to download, or to fill an example at: the timeline's, or now (no at_step).
  const atStep = () => (pastStep === null ? undefined : { at_step: pastStep });

  function labelDownload() {
    download.textContent =
      pastStep === null ? "Download the inputs (JSON)" : `Download the inputs at step ${pastStep} (JSON)`;
  }

  function showMessage(text) {
    verdict.replaceChildren(el("p", "error", text));
    params.replaceChildren();
  }

  async function submit() {
    if (!store.hello) return;
    const read = readSubmission(input.value);
    if (read.message) {
      showMessage(read.message);
      return;
    }
    check.disabled = true;
    // Compare with the parameters the student downloaded, even if the run has moved on since;
    // with none downloaded, at the step the timeline shows.
    const query = downloadedStep === null ? atStep() : { at_step: downloadedStep };
    const result = await postView(store.sessionId, "compare", read.body, query);
    check.disabled = false;
    if (!result.ok) {
      showMessage(result.message);
      return;
    }
    const d = result.data;
    root.dataset.step = String(d.step);
    const at = el("p", { className: "muted", id: "compare-at" }, `Compared with ours at step ${d.step}.`);
    verdict.replaceChildren(at, ...verdictParts(d, downloadedStep));
    const sent = PARAMS.filter((n) => d.params[n]);
    params.replaceChildren(...sent.map((n) => paramBlock(n, d.params[n])));
  }

  async function downloadInputs() {
    if (!store.hello) return;
    const result = await getView(store.sessionId, "compare/inputs", atStep());
    if (!result.ok) {
      downloadStatus.textContent = result.message;
      return;
    }
    const inputs = result.data;
    downloadedStep = inputs.step;
    // A data: URL, not a blob: one, so the file is made here with no request at all.
    const link = el("a", {
      href: `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(inputs))}`,
      download: inputsFile(downloadedStep),
    });
    document.body.append(link);
    link.click();
    link.remove();
    snippetCode.textContent = snippetText(inputsFile(downloadedStep));
    downloadStatus.textContent = `the inputs at step ${downloadedStep}: your gradient is compared with ours at that step`;
  }

  async function fillExample() {
    const kind = example.value;
    example.value = "";
    if (!kind || !store.hello) return;
    // At the step the check compares with: the inputs downloaded, else the step shown.
    const query = downloadedStep === null ? atStep() : { at_step: downloadedStep };
    const result = await getView(store.sessionId, `compare/examples/${kind}`, query);
    if (!result.ok) {
      showMessage(result.message);
      return;
    }
    input.value = JSON.stringify({ gradients: result.data.gradients }, null, 1);
    submit();
  }

  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    input.value = await chosen.text();
    file.value = "";
    submit();
  });
  check.addEventListener("click", submit);
  download.addEventListener("click", downloadInputs);
  example.addEventListener("change", fillExample);

  return {
    showStep(step) {
      pastStep = step;
      labelDownload();
    },
    begin(hello) {
      downloadedStep = null;
      rest.textContent =
        `Over REST: POST ${location.origin}/api/sessions/${hello.session.id}/compare with ` +
        `{"gradients": {"dW1": …}} or {"csv": "…"} (the file the snippet writes).`;
    },
  };
}
