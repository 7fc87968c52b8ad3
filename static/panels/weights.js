// The weights and their gradients as heatmaps, a row per layer: W(l) and dW(l), as many layers as
// the frame has (weight_matrices.js: which, in what orientation, their rows' labels). Diverging
// colours, white at 0, each matrix scaled to its own largest |value| (gradients are orders of
// magnitude smaller than weights). A wide layer's columns are folded into the width (a cell may
// be under a pixel); small networks get the numbers written in the cells; hovering reads any cell.
// Scrubbed back (showStep), it shows that step's weights and gradients, fetched over REST.

import { CellImage, cssPixels, SizedCanvas } from "../lib/canvas.js";
import { el, swatch } from "../lib/dom.js";
import { formatCell } from "../lib/format.js";
import { DIVERGING_CSS, divergingTable } from "../lib/palette.js";
import { getView } from "../lib/rest.js";
import { matrixSpecs } from "./weight_matrices.js";

const TABLE = divergingTable();

// GET .../parameters or .../gradients' { values (nested), shape } -> a frame's array.
function asArray({ values, shape }) {
  const flat = Array.isArray(values) ? values.flat(Infinity) : [values];
  return { data: Float32Array.from(flat, (v) => (v === null ? NaN : v)), shape };
}

// One matrix: header (name, shape, colour bar with its range), row labels, the cells.
function createMatrix(parent, spec) {
  const box = el("figure", "matrix");
  box.dataset.matrix = spec.name;
  if (spec.betweenHidden) box.dataset.betweenHidden = "";
  const caption = el("figcaption");
  const title = el("span", "matrix-title", spec.title);
  const shape = el("span", "matrix-shape");
  const scaleLow = el("span", "scale-label");
  const bar = el("span", "scale-bar");
  bar.style.background = DIVERGING_CSS;
  const scaleHigh = el("span", "scale-label");
  const readout = el("span", "matrix-readout");
  caption.append(title, shape, scaleLow, bar, scaleHigh, readout);
  const body = el("div", "matrix-body");
  const labels = el("div", "matrix-rows");
  const holder = el("div", "matrix-cells");
  const canvas = document.createElement("canvas");
  canvas.id = `matrix-${spec.name}`;
  holder.append(canvas);
  const sized = new SizedCanvas(canvas);
  body.append(labels, holder);
  box.append(caption, body);
  parent.append(box);

  const cells = new CellImage();
  let last = null; // { values: Float32Array, rows, cols, scale, at(r, c) }

  let shownRows = -1;
  function setRows(rows) {
    if (rows === shownRows) return;
    shownRows = rows;
    box.style.setProperty("--rows", rows);
    labels.replaceChildren();
    for (const row of spec.rowLabels(rows)) {
      const label = el("span", "matrix-row");
      if (typeof row === "string") label.textContent = row;
      else label.append(swatch(row.color), row.text);
      labels.append(label);
    }
  }

  function draw() {
    if (!last || !sized.width) return;
    const { width, height } = sized;
    const ctx = sized.begin();
    cells.drawTo(ctx, 0, 0, width, height, false);
    const cw = width / last.cols;
    const ch = height / last.rows;
    if (ch < 1.1 * font) return; // too small to write numbers in
    ctx.font = `${0.75 * font}px system-ui, sans-serif`;
    if (ctx.measureText("-8.8e-88").width > cw - 4) return;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    for (let r = 0; r < last.rows; r++) {
      for (let c = 0; c < last.cols; c++) {
        const v = last.at(r, c);
        ctx.fillStyle = Math.abs(v) > 0.6 * last.scale ? "#fff" : "#111";
        ctx.fillText(formatCell(v), (c + 0.5) * cw, (r + 0.5) * ch);
      }
    }
  }

  let font = 14; // the type size, read when the box changes (it grows with the window)
  new ResizeObserver(([entry]) => {
    font = cssPixels(holder);
    if (sized.resize(entry.contentRect.width, entry.contentRect.height)) draw();
  }).observe(holder);

  canvas.addEventListener("mousemove", (event) => {
    if (!last) return;
    const c = Math.min(last.cols - 1, Math.floor((event.offsetX / sized.width) * last.cols));
    const r = Math.min(last.rows - 1, Math.floor((event.offsetY / sized.height) * last.rows));
    readout.textContent = `${spec.title}[${spec.rowName(r)}, unit ${c}] = ${last.at(r, c).toPrecision(3)}`;
  });
  canvas.addEventListener("mouseleave", () => {
    readout.textContent = "";
  });

  return {
    draw,
    update(array) {
      const [a, b] = array.shape;
      const values = array.data;
      const rows = spec.transposed ? b : a;
      const cols = spec.transposed ? a : b;
      setRows(rows);
      const at = spec.transposed ? (r, c) => values[c * b + r] : (r, c) => values[r * b + c];
      let scale = 0;
      for (let i = 0; i < values.length; i++) scale = Math.max(scale, Math.abs(values[i]));
      const half = 127.5 / (scale || 1);
      cells.paint(rows, cols, (rgba) => {
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            const t = Math.round(at(r, c) * half + 127.5) * 3;
            const o = (r * cols + c) * 4;
            rgba[o] = TABLE[t];
            rgba[o + 1] = TABLE[t + 1];
            rgba[o + 2] = TABLE[t + 2];
            rgba[o + 3] = 255;
          }
        }
      });
      shape.textContent = `${rows}×${cols}`;
      scaleLow.textContent = (-scale).toPrecision(2);
      scaleHigh.textContent = `+${scale.toPrecision(2)}`;
      last = { rows, cols, scale, at };
      draw();
    },
  };
}

export function mount(root, store) {
  root.classList.add("matrices");
  let matrices = []; // [{ name, view }], laid out for the arrays last shown
  let layout = ""; // their names, "W1 dW1 W2 dW2": a frame with others lays the view out again
  let pastStep = null; // the step the timeline shows, or null when live

  function layOut(arrays) {
    const specs = matrixSpecs(arrays, { features: store.config?.features });
    const names = specs.map((s) => s.name).join(" ");
    if (names === layout) return;
    layout = names;
    root.replaceChildren();
    matrices = specs.map((spec) => ({ name: spec.name, view: createMatrix(root, spec) }));
    root.dataset.layers = String(specs.length / 2);
  }

  function show(arrays) {
    layOut(arrays);
    for (const m of matrices) {
      const array = arrays[m.name];
      if (array) m.view.update(array);
    }
  }

  return {
    begin() {
      layout = ""; // another run: its features may differ, so its row labels do
    },
    update(frame) {
      if (pastStep === null) show(frame.arrays);
    },
    // Show kept step `step` (null: live again); resolves once it is drawn.
    async showStep(step) {
      pastStep = step;
      if (step === null) {
        if (store.frame) show(store.frame.arrays);
        return null;
      }
      const [parameters, gradients] = await Promise.all([
        getView(store.sessionId, "parameters", { at_step: step }),
        getView(store.sessionId, "gradients", { at_step: step }),
      ]);
      if (!(parameters.ok && gradients.ok) || pastStep !== step) return null;
      const arrays = {};
      for (const [name, p] of Object.entries(parameters.data.params)) arrays[name] = asArray(p);
      for (const [name, g] of Object.entries(gradients.data.grads)) arrays[`d${name}`] = asArray(g);
      show(arrays);
      return parameters.data.step;
    },
  };
}
