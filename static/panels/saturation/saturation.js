// The hidden layers' saturation, beside the gradient magnitudes: the share of (training point,
// hidden unit) pairs where the activation's slope f'(z1) is nearly 0, so dz1 = da1 · f'(z1) is
// nearly 0 there too and the first layer's gradient with it; and the histogram of f'(z1) / its
// peak behind that share (0: passes nothing back, 1: passes everything). A deeper run names its
// layers, f'(z₁) … f'(zL), and gives each layer's share as the server sends it (the frame's
// `saturation_layers`, the report's `layers`). The server computes it all (the frame's
// `saturation` and `slopes`, GET .../saturation for a past step and for the definition in the
// activation's own terms); this panel draws bars.

import { el } from "../../lib/dom.js";
import { formatPercent } from "../../lib/format.js";
import { hiddenLayers, sub } from "../../lib/layers.js";
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
  const scope = el("span", "saturation-scope"); // deeper: "in 4 hidden layers"
  const perLayer = el("p", { className: "saturation-layers", id: "saturation-layers", hidden: true });
  const axisName = el("span", { id: "saturation-axis-name" }, "slope f′(z1) / peak");
  root.append(
    el("p", "saturation-line", ["Saturated: ", share, scope]),
    perLayer,
    el("p", "saturation-about", [when, definition]),
    bars,
    el("div", "saturation-axis", [el("span", "", "0"), axisName, el("span", "", "1")]),
  );

  let columns = []; // one bar per bin
  let below = null; // the share of the peak under which a pair counts as saturated
  let pastStep = null; // the step the timeline shows, or null when live
  let session = null;
  let layers = 1; // hidden layers
  let layerShares = []; // the share in each hidden layer, from the server

  // f'(z1) with one hidden layer (the names the derivation uses), f′(z₁ … z₄) deeper.
  function slopeName() {
    return layers === 1 ? "f′(z1)" : `f′(z₁ … z${sub(layers)})`;
  }

  function setLayers(L) {
    layers = L;
    scope.textContent = L === 1 ? "" : ` in ${L} hidden layers`;
    axisName.textContent = `slope ${slopeName()} / peak`;
    perLayer.hidden = L === 1;
    root.toggleAttribute("data-deep", L > 1);
    perLayer.replaceChildren();
    layerShares = [];
  }

  function drawLayers(shares) {
    if (layers === 1 || !shares || shares.length !== layers) return;
    layerShares = shares;
    perLayer.replaceChildren(
      ...shares.map((s, i) =>
        el("span", { className: "saturation-layer", "data-layer": String(i + 1) }, [
          `f′(z${sub(i + 1)}) `,
          el("strong", "", formatPercent(s)),
        ]),
      ),
    );
  }

  function setBins(n) {
    if (columns.length === n) return;
    columns = Array.from({ length: n }, () => el("span", "saturation-bar"));
    bars.replaceChildren(band, ...columns);
  }

  function setDefinition(d) {
    below = d.saturated_below;
    definition.textContent = ` · ${d.definition}`;
    when.parentElement.title = d.definition; // a deeper run shows it only here
    band.style.width = `${100 * below}%`;
  }

  // counts: pairs per bin over 0..1; step: the step they are at; shares: each layer's share.
  function draw(fraction, counts, step, past, shares) {
    if (!counts) return;
    setBins(counts.length);
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    const top = Math.max(...counts) || 1;
    for (let i = 0; i < counts.length; i++) columns[i].style.height = `${(100 * counts[i]) / top}%`;
    share.textContent = formatPercent(fraction);
    when.textContent = past ? `at step ${step} (past)` : `at step ${step}`;
    drawLayers(shares);
    const each = layerShares.map((s, i) => `z${sub(i + 1)} ${formatPercent(s)}`).join(", ");
    bars.setAttribute(
      "aria-label",
      `histogram of ${slopeName()} over ${total} point-unit pairs; ${formatPercent(fraction)} saturated` +
        (layers === 1 ? "" : ` (${each})`),
    );
    root.dataset.step = String(step);
    probe.saturation = { step, share: fraction, slopes: counts, layers: [...layerShares] };
  }

  function showFrame(frame) {
    const f = frame.header;
    draw(f.saturation, f.slopes, f.step, false, f.saturation_layers);
  }

  const reportShares = (data) => data.layers?.map((layer) => layer.share);

  return {
    async begin(hello) {
      session = hello.session.id;
      pastStep = null;
      setLayers(hiddenLayers(hello.session.config.hidden));
      const result = await getView(session, "saturation");
      if (!result.ok || session !== store.sessionId) return;
      setDefinition(result.data);
      if (!store.frame)
        draw(result.data.share, result.data.slopes, result.data.step, false, reportShares(result.data));
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
      draw(result.data.share, result.data.slopes, result.data.step, true, reportShares(result.data));
      return result.data.step;
    },
  };
}
