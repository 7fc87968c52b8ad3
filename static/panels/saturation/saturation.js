// The hidden layer's saturation, beside the gradient magnitudes: the share of (training point,
// hidden unit) pairs where the activation's slope f'(z1) is nearly 0, so dz1 = da1 · f'(z1) is
// nearly 0 there too and the first layer's gradient with it; and the histogram of f'(z1) / its
// peak behind that share (0: passes nothing back, 1: passes everything). The server computes
// both (the frame's `saturation` and `slopes`, GET .../saturation for a past step and for the
// definition in the activation's own terms); this panel draws bars.

import { el } from "../../lib/dom.js";
import { formatPercent } from "../../lib/format.js";
import { probe } from "../../lib/probe.js";
import { getView } from "../../lib/rest.js";

// root: its element (#saturation, inside the gradient panel, beside the chart).
export function mount(root, store) {
  root.classList.add("saturation");
  const share = el("strong", { className: "saturation-share", id: "saturation-share" }, "–");
  const when = el("span", "saturation-when");
  const definition = el("span", { className: "saturation-definition", id: "saturation-definition" });
  const bars = el("div", {
    className: "saturation-bars",
    id: "saturation-bars",
    role: "img",
    "aria-label": "histogram of the hidden units' slopes",
  });
  const band = el("div", "saturation-band");
  bars.append(band);
  root.append(
    el("p", "saturation-line", ["Saturated: ", share]),
    el("p", "saturation-about", [when, definition]),
    bars,
    el("div", "saturation-axis", [
      el("span", "", "0"),
      el("span", "", "slope f′(z1) / peak"),
      el("span", "", "1"),
    ]),
  );

  let columns = []; // one bar per bin
  let below = null; // the share of the peak under which a pair counts as saturated
  let pastStep = null; // the step the timeline shows, or null when live
  let session = null;

  function setBins(n) {
    if (columns.length === n) return;
    columns = Array.from({ length: n }, () => el("span", "saturation-bar"));
    bars.replaceChildren(band, ...columns);
  }

  function setDefinition(d) {
    below = d.saturated_below;
    definition.textContent = ` · ${d.definition}`;
    band.style.width = `${100 * below}%`;
  }

  // counts: pairs per bin over 0..1; step: the step they are at.
  function draw(fraction, counts, step, past) {
    if (!counts) return;
    setBins(counts.length);
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    const top = Math.max(...counts) || 1;
    for (let i = 0; i < counts.length; i++) columns[i].style.height = `${(100 * counts[i]) / top}%`;
    share.textContent = formatPercent(fraction);
    when.textContent = past ? `at step ${step} (past)` : `at step ${step}`;
    bars.setAttribute(
      "aria-label",
      `histogram of f′(z1) over ${total} point-unit pairs; ${formatPercent(fraction)} saturated`,
    );
    root.dataset.step = String(step);
    probe.saturation = { step, share: fraction, slopes: counts };
  }

  function showFrame(frame) {
    const f = frame.header;
    draw(f.saturation, f.slopes, f.step, false);
  }

  return {
    async begin(hello) {
      session = hello.session.id;
      pastStep = null;
      const result = await getView(session, "saturation");
      if (!result.ok || session !== store.sessionId) return;
      setDefinition(result.data);
      if (!store.frame) draw(result.data.share, result.data.slopes, result.data.step, false);
    },
    update(frame) {
      if (pastStep === null) showFrame(frame);
    },
    // Show kept step `step` (null: live again); resolves once it is drawn.
    async showStep(step) {
      pastStep = step;
      if (step === null) {
        if (store.frame) showFrame(store.frame);
        return null;
      }
      const result = await getView(store.sessionId, "saturation", { at_step: step });
      if (!result.ok || pastStep !== step) return null;
      if (below === null) setDefinition(result.data);
      draw(result.data.share, result.data.slopes, result.data.step, true);
      return result.data.step;
    },
  };
}
