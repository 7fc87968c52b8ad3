// One hidden unit j (GET .../units/{j}): on the left its activation a1_j over the whole plane,
// on the right the error dz1_j that backprop hands it at each training point. Both share the
// unit's line z1_j = 0, where it switches, so one sees which points the unit can still learn
// from (near the line) and which it ignores (saturated, far from it).

import { CellImage, SizedCanvas } from "./canvas.js";
import { el, formatNumber } from "./dom.js";
import { follower, getView } from "./inspect_api.js";
import { DIVERGING_CSS, classColor, divergingTable } from "./palette.js";

const G = 60;
const REFRESH_MS = 600;
const TABLE = divergingTable();

const FORMULA = {
  tanh: { a: "tanh(z)", range: [-1, 1], slope: "1 − a₁,ⱼ²" },
  sigmoid: { a: "σ(z)", range: [0, 1], slope: "a₁,ⱼ(1 − a₁,ⱼ)" },
  relu: { a: "relu(z)", range: null, slope: "1 where z₁,ⱼ > 0, else 0" },
};

function divergingRgb(t) {
  const i = Math.round(255 * Math.min(1, Math.max(0, t))) * 3;
  return `rgb(${TABLE[i]},${TABLE[i + 1]},${TABLE[i + 2]})`;
}

// A square plot of the data's box: paints cells or points, and the unit's line.
function plane(id) {
  const holder = el("div", "unit-plot");
  const sized = new SizedCanvas(document.createElement("canvas"));
  sized.canvas.id = id;
  holder.append(sized.canvas);
  return { holder, sized };
}

function colorBar(low, high) {
  const bar = el("span", "scale-bar");
  bar.style.background = DIVERGING_CSS;
  return el("span", "unit-scale", [el("span", "scale-label", low), bar, el("span", "scale-label", high)]);
}

export function create(root) {
  root.classList.add("unit-view");
  const select = el("select");
  select.id = "unit-j";
  select.setAttribute("aria-label", "hidden unit");
  const prev = el("button", "", "◀");
  const next = el("button", "", "▶");
  prev.type = next.type = "button";
  prev.id = "unit-prev";
  next.id = "unit-next";
  prev.title = "previous unit";
  next.title = "next unit";
  const weights = el("span", "unit-weights");
  const step = el("span", "muted unit-step");
  const bar = el("div", "inspect-bar", [el("label", "", ["Hidden unit j = ", select]), prev, next, weights, step]);
  const error = el("p", "error");
  error.hidden = true;

  const left = plane("unit-activation");
  const right = plane("unit-error");
  const leftCaption = el("figcaption");
  const rightCaption = el("figcaption");
  const leftScale = el("div", "unit-scale-row");
  const rightScale = el("div", "unit-scale-row");
  const explain = el("p", "inspect-note unit-explain");
  const figures = el("div", "unit-figures", [
    el("figure", "unit-figure", [leftCaption, left.holder, leftScale]),
    el("figure", "unit-figure", [rightCaption, right.holder, rightScale]),
    explain,
  ]);
  root.append(bar, error, figures);

  const cells = new CellImage();
  let hello = null;
  let j = 0;
  let visible = false;
  let data = null;
  let atStep = null; // the past step the timeline shows, or null when live

  async function load() {
    if (!hello || !visible) return null;
    const asked = j;
    const query = atStep === null ? { G } : { G, at_step: atStep }; // scrubbed back: that step's unit
    const result = await getView(hello.session.id, `units/${asked}`, query);
    if (asked !== j || !visible) return null;
    if (!result.ok) {
      error.textContent = result.message;
      error.hidden = false;
      return null;
    }
    error.hidden = true;
    data = result.data;
    draw();
    return data.step;
  }
  const follow = follower(load, REFRESH_MS);

  function activationRange() {
    const known = FORMULA[hello.session.config.activation]?.range;
    if (known) return known;
    const top = Math.max(1e-9, ...data.a1_grid.flat().map(Math.abs));
    return [-top, top]; // relu: white at 0, so "off" reads as no colour
  }

  function draw() {
    if (!data || !hello) return;
    const d = data;
    const act = hello.session.config.activation;
    const f = FORMULA[act] ?? { a: `${act}(z)`, slope: `${act}′(z₁,ⱼ)` };
    root.dataset.unit = String(d.unit);
    step.textContent = `step ${d.step}`;
    weights.replaceChildren(
      `w_in = W₁[:, ${d.unit}] = (${d.w_in.map((v) => formatNumber(v)).join(", ")}), b = b₁[${d.unit}] = ${formatNumber(d.b)}, ` +
        `w_out = W₂[${d.unit}, :] = (${d.w_out.map((v) => formatNumber(v)).join(", ")})`,
    );
    weights.dataset.win = JSON.stringify(d.w_in);
    const [low, high] = activationRange();
    leftCaption.textContent = "activation a₁,ⱼ";
    leftScale.replaceChildren(colorBar(formatNumber(low, 2), formatNumber(high, 2)));
    const top = Math.max(1e-30, ...d.dz1.map(Math.abs));
    rightCaption.textContent = "error dz₁,ⱼ";
    rightScale.replaceChildren(colorBar(formatNumber(-top, 2), formatNumber(top, 2)));
    const db = d.dz1.reduce((s, v) => s + v, 0);
    explain.replaceChildren(
      el("ul", "", [
        el("li", "", `Left: unit ${d.unit}'s activation a₁,ⱼ = ${f.a}, z = x·w_in + b, over the whole plane.`),
        el("li", "", `Right: the error backprop hands it, dz₁,ⱼ = ∂L/∂z₁,ⱼ, at each of the ${d.dz1.length} training points (outline: the point's class).`),
        el("li", "", "Dashed: where z = 0, the line along which the unit switches."),
      ]),
      el(
        "p",
        "",
        `dz₁,ⱼ = (Σₖ dz₂,ₖ · W₂[${d.unit}, k]) · (${f.slope}): the error reaching the unit from the outputs, times its ` +
          `slope there. Red: raising z₁,ⱼ at that point would raise the loss, so gradient descent lowers it; blue: the ` +
          `other way. Far from the dashed line the unit is saturated (slope ≈ 0 for tanh and sigmoid, exactly 0 on ` +
          `relu's flat side) and passes almost no error back. Summed over the points, Σ dz₁,ⱼ = ${formatNumber(db)} ` +
          `is db₁[${d.unit}] (biases get no λ term).`,
      ),
    );
    paintActivation(low, high);
    drawPlots();
  }

  function paintActivation(low, high) {
    const grid = data.a1_grid;
    const n = grid.length;
    cells.paint(n, n, (rgba) => {
      for (let i = 0; i < n; i++) {
        const row = (n - 1 - i) * n; // grid rows go bottom to top, image rows top to bottom
        for (let c = 0; c < n; c++) {
          const t = (grid[i][c] - low) / (high - low);
          const k = Math.round(255 * Math.min(1, Math.max(0, t))) * 3;
          const o = (row + c) * 4;
          rgba[o] = TABLE[k];
          rgba[o + 1] = TABLE[k + 1];
          rgba[o + 2] = TABLE[k + 2];
          rgba[o + 3] = 255;
        }
      }
    });
  }

  function toPixel(side, x, y) {
    const [x0, x1, y0, y1] = data.box;
    return [((x - x0) / (x1 - x0)) * side, (1 - (y - y0) / (y1 - y0)) * side];
  }

  // The line x·w_in + b = 0, clipped to the box by the canvas.
  function drawLine(ctx, side) {
    const [w1, w2] = data.w_in;
    const b = data.b ?? 0;
    const [x0, x1, y0, y1] = data.box;
    let ends;
    if (Math.abs(w2) > Math.abs(w1)) ends = [x0, x1].map((x) => [x, -(w1 * x + b) / w2]);
    else if (w1 !== 0) ends = [y0, y1].map((y) => [-(w2 * y + b) / w1, y]);
    else return;
    const [[ax, ay], [bx, by]] = ends.map(([x, y]) => toPixel(side, x, y));
    ctx.save();
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 1.6;
    ctx.strokeStyle = "#222";
    ctx.beginPath();
    ctx.moveTo(ax, ay);
    ctx.lineTo(bx, by);
    ctx.stroke();
    ctx.restore();
  }

  function drawPoints(ctx, side, fill, r) {
    const { x, y, label } = hello.points;
    data.train.forEach((i, k) => {
      if (i >= x.length) return;
      const [px, py] = toPixel(side, x[i], y[i]);
      ctx.beginPath();
      ctx.arc(px, py, r, 0, 2 * Math.PI);
      ctx.fillStyle = fill(k, i);
      ctx.fill();
      ctx.strokeStyle = fill === classFill ? "#111" : classColor(label[i]);
      ctx.stroke();
    });
  }

  const classFill = (k, i) => classColor(hello.points.label[i]);

  // The two squares as large as the tab's height allows, leaving the words a column beside them.
  function fit() {
    if (root.hidden || !root.clientHeight) return;
    const font = parseFloat(getComputedStyle(root).fontSize) || 14;
    const top = left.holder.getBoundingClientRect().top - root.getBoundingClientRect().top + root.scrollTop;
    const below = leftScale.offsetHeight + 0.4 * font;
    const byHeight = root.clientHeight - top - below;
    const byWidth = (figures.clientWidth - 16 * font) / 2 - 1.4 * font;
    const side = Math.floor(Math.max(8 * font, Math.min(byHeight, byWidth)));
    for (const figure of figures.querySelectorAll(".unit-figure")) figure.style.width = `${side}px`;
  }

  function drawPlots() {
    if (!data) return;
    fit();
    for (const [plot, which] of [[left, "activation"], [right, "error"]]) {
      const side = Math.floor(Math.min(plot.holder.clientWidth, plot.holder.clientHeight));
      if (side < 10) continue;
      plot.sized.resize(side, side);
      const ctx = plot.sized.begin();
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, 0, side, side);
      ctx.clip();
      const r = Math.max(1.8, Math.min(side / 90, 4.5) * Math.min(1, Math.sqrt(400 / Math.max(1, data.train.length))));
      if (which === "activation") {
        const cell = side / (data.a1_grid.length - 1);
        cells.drawTo(ctx, -cell / 2, -cell / 2, side + cell, side + cell, true);
        ctx.lineWidth = 0.8;
        drawPoints(ctx, side, classFill, r * 0.8);
      } else {
        ctx.fillStyle = "#f4f4f6";
        ctx.fillRect(0, 0, side, side);
        const top = Math.max(1e-30, ...data.dz1.map(Math.abs));
        ctx.lineWidth = Math.max(1.2, r * 0.4);
        drawPoints(ctx, side, (k) => divergingRgb(0.5 + data.dz1[k] / (2 * top)), r * 1.25);
      }
      drawLine(ctx, side);
      ctx.restore();
      ctx.strokeStyle = "#444";
      ctx.lineWidth = 1;
      ctx.strokeRect(0.5, 0.5, side - 1, side - 1);
    }
  }

  new ResizeObserver(() => drawPlots()).observe(root);

  function choose(value) {
    const H = hello ? hello.session.config.hidden : 1;
    j = ((Math.round(Number(value) || 0) % H) + H) % H;
    select.value = String(j);
    follow.now();
  }

  select.addEventListener("change", () => choose(select.value));
  prev.addEventListener("click", () => choose(j - 1));
  next.addEventListener("click", () => choose(j + 1));

  return {
    begin(message) {
      hello = message;
      const H = message.session.config.hidden;
      select.replaceChildren(...Array.from({ length: H }, (_, k) => {
        const option = el("option", "", String(k));
        option.value = String(k);
        return option;
      }));
      if (j >= H) j = 0;
      select.value = String(j);
      data = null;
      if (visible) follow.now();
    },
    setPoints(points) {
      if (hello) hello = { ...hello, points };
    },
    update(frame) {
      const past = frame.header.past ? frame.header.step : null;
      if (past !== atStep) {
        atStep = past;
        if (visible) follow.now();
        return;
      }
      if (visible) follow.stepIs(frame.header.step);
    },
    shown() {
      visible = true;
      follow.now();
    },
    hidden() {
      visible = false;
      follow.stop();
    },
    select: choose,
  };
}
