// Hidden space: where the hidden layer puts the points. Left, the input plane with a grid over
// the data's box; right, the same points and the same grid lines carried through the hidden layer,
// a1 = f(x W1 + b1), seen in 2-D (exactly when H <= 2, else along a1's two principal components).
// The bending of the grid is what makes the classes separable: the output layer only draws
// straight lines in this space. For H <= 2 the right picture is the whole story, and its
// background shows the output layer's decision (z2 = a1 W2 + b2), straight edges and all.
//
// A tab of the bottom panel; it fetches GET .../hidden-space only while it is visible, a few
// times a second at most.

import { CellImage, cssPixels, SizedCanvas } from "../../lib/canvas.js";
import { el } from "../../lib/dom.js";
import { FollowedView } from "../../lib/followed_view.js";
import { formatPercent } from "../../lib/format.js";
import { confidenceTables } from "../../lib/palette.js";
import { getView } from "../../lib/rest.js";
import { drawPicture, LINES } from "./picture.js";

const SAMPLES = 48;

export function mount(root, store) {
  root.classList.add("hidden-space");
  const canvas = new SizedCanvas(document.createElement("canvas"));
  canvas.canvas.id = "hidden-canvas";
  const plotBox = el("div", "hidden-plot", canvas.canvas);
  const projection = el("p", { className: "hidden-projection", id: "hidden-projection" });
  const explain = el(
    "p",
    "hidden-explain",
    "Left: the input plane and a grid over it. Right: every training point at its a1 = f(x W1 + b1), and " +
      "the same grid lines bent by the same map. The output layer can only cut the right-hand space " +
      "with straight lines: the hidden layer's job is to bend the data until straight lines separate the classes.",
  );
  const stepNote = el("p", "hidden-step");
  root.append(plotBox, el("div", "hidden-notes", [projection, explain, stepNote]));

  const background = new CellImage();
  let data = null; // the last GET .../hidden-space
  let tables = [];

  const view = new FollowedView(store, {
    // Drawn or removed points move the picture without a step.
    what: () => ({ dataVersion: store.frame?.header.data_version ?? 0 }),
    load: async ({ sessionId, atStep }) => {
      const query = { lines: LINES, samples: SAMPLES, ...(atStep === null ? {} : { at_step: atStep }) };
      const result = await getView(sessionId, "hidden-space", query);
      return result.ok ? result.data : null;
    },
    show: (result) => {
      if (!result) return;
      data = result;
      redraw();
    },
    gap: 200,
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
    drawPicture(ctx, size, { data, points, box, H: store.config.hidden }, paintBackground);
  }

  function describe() {
    if (!data || !store.config) return;
    const H = store.config.hidden;
    projection.textContent = data.exact
      ? `H = ${H}: exact, nothing is projected away. Background: the output layer's decision.`
      : `H = ${H}, seen along a1's two principal components, which keep ` +
        `${formatPercent(data.explained ?? 0, 0)} of its variance.`;
    root.dataset.exact = String(data.exact);
    root.dataset.step = String(data.step);
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
