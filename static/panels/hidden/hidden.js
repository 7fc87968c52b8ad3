// Hidden space: where a hidden layer puts the points. Left, the input plane with a grid over
// the data's box; right, the same points and the same grid lines carried through the layers up to
// hidden layer l (a layer select, shown with two or more hidden layers), a(l) seen in 2-D (exactly
// when H(l) <= 2, else along a(l)'s two principal components). The bending of the grid is what
// makes the classes separable: after the last hidden layer the output layer only draws straight
// lines. For H(L) <= 2 the right picture is the whole story, and its background shows the output
// layer's decision, straight edges and all; after an inner layer the server sends none, and the
// words say why.
//
// A tab of the bottom panel; it fetches GET .../hidden-space only while it is visible, a few
// times a second at most.

import { CellImage, cssPixels, SizedCanvas } from "../../lib/canvas.js";
import { el } from "../../lib/dom.js";
import { FollowedView } from "../../lib/followed_view.js";
import { hiddenWidths } from "../../lib/layers.js";
import { confidenceTables } from "../../lib/palette.js";
import { getView } from "../../lib/rest.js";
import { drawPicture, LINES } from "./picture.js";
import { axisNames, explainText, mapLabel, projectionText } from "./words.js";

const SAMPLES = 48;

export function mount(root, store) {
  root.classList.add("hidden-space");
  const canvas = new SizedCanvas(document.createElement("canvas"));
  canvas.canvas.id = "hidden-canvas";
  const plotBox = el("div", "hidden-plot", canvas.canvas);
  const layerSelect = el("select", { id: "hidden-layer", "aria-label": "hidden layer" });
  const layerLabel = el("label", { className: "hidden-layer", hidden: true }, ["Layer l = ", layerSelect]);
  const projection = el("p", { className: "hidden-projection", id: "hidden-projection" });
  const explain = el("p", { className: "hidden-explain", id: "hidden-explain" });
  const stepNote = el("p", "hidden-step");
  const error = el("p", { className: "error", hidden: true });
  // the words can be longer than the tab is tall: it scrolls, so a keyboard can reach it too
  const notes = el(
    "div",
    { className: "hidden-notes", tabIndex: 0, role: "region", "aria-label": "what it shows" },
    [projection, explain, error, stepNote],
  );
  // the layer select first, so that on a phone (one column) it comes before the picture
  root.append(layerLabel, plotBox, notes);

  const background = new CellImage();
  let data = null; // the last GET .../hidden-space
  let tables = [];
  let layer = 1; // the hidden layer shown, from 1
  let widths = [1]; // every hidden layer's width

  const view = new FollowedView(store, {
    // Drawn or removed points move the picture without a step.
    what: () => ({ dataVersion: store.frame?.header.data_version ?? 0, layer }),
    load: ({ sessionId, atStep, layer: l }) => {
      const query = {
        lines: LINES,
        samples: SAMPLES,
        layer: l,
        ...(atStep === null ? {} : { at_step: atStep }),
      };
      return getView(sessionId, "hidden-space", query);
    },
    show: (result, asked) => {
      if (asked.layer !== layer) return; // another layer was chosen meanwhile
      error.hidden = result.ok;
      if (!result.ok) {
        error.textContent = result.message;
        return;
      }
      data = result.data;
      redraw();
    },
    gap: 200,
  });

  layerSelect.addEventListener("change", () => {
    layer = Math.min(Math.max(1, Number(layerSelect.value) || 1), widths.length);
    view.follow(true);
  });

  // The server's decision of the output layer over the hidden plane (H <= 2): its rows go
  // bottom up, the canvas's top down.
  function paintBackground(ctx, p) {
    const decision = data?.decision;
    if (!decision) return false;
    const n = decision.cells;
    background.paint(n, n, (rgba) => {
      for (let r = 0; r < n; r++) {
        const labels = decision.label[n - 1 - r];
        const confidence = decision.confidence[n - 1 - r];
        for (let c = 0; c < n; c++) {
          const q = Math.round(255 * (confidence[c] ?? 0));
          const o = (r * n + c) * 4;
          const t = tables[labels[c]];
          rgba[o] = t[q * 3];
          rgba[o + 1] = t[q * 3 + 1];
          rgba[o + 2] = t[q * 3 + 2];
          rgba[o + 3] = 255;
        }
      }
    });
    background.drawTo(ctx, p.left, p.top, p.width, p.height, true);
    return true;
  }

  function draw() {
    const ctx = canvas.begin();
    if (!data || !store.points || !canvas.width) return;
    const size = { width: canvas.width, height: canvas.height, font: cssPixels(plotBox) };
    const { points, box } = store;
    const l = data.layer ?? 1;
    const names = { ...axisNames(l, widths[l - 1] ?? 1), map: mapLabel(l, store.config?.features) };
    drawPicture(ctx, size, { data, points, box, names }, paintBackground);
  }

  function describe() {
    if (!data || !store.config) return;
    const l = data.layer ?? 1;
    projection.textContent = projectionText(data, widths[l - 1] ?? 1);
    explain.textContent = explainText(data, store.config.features);
    root.dataset.exact = String(data.exact);
    root.dataset.step = String(data.step);
    root.dataset.layer = String(l);
    root.dataset.decision = String(Boolean(data.decision));
    stepNote.textContent = `at step ${data.step}`;
  }

  function redraw() {
    draw();
    describe();
  }

  new ResizeObserver(([entry]) => {
    if (canvas.resize(entry.contentRect.width, entry.contentRect.height)) draw();
  }).observe(plotBox);

  return {
    begin(hello) {
      tables = confidenceTables(hello.classes);
      widths = hiddenWidths(hello.session.config.hidden);
      layerSelect.replaceChildren(
        ...widths.map((width, i) => el("option", { value: String(i + 1) }, `${i + 1} (${width} units)`)),
      );
      layerLabel.hidden = widths.length < 2; // one hidden layer: nothing to choose
      layer = Math.min(layer, widths.length);
      layerSelect.value = String(layer);
      data = null;
      view.begin();
      redraw();
    },
    update() {
      if (view.atStep !== null) return;
      view.update();
    },
    // Scrubbed back: that step's hidden space, its decision with it.
    showStep: (step) => view.showStep(step),
    shown: () => view.shown(),
    hidden: () => view.hidden(),
  };
}
