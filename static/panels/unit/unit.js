// One hidden unit j of hidden layer l (GET .../units/{j}?layer=l): on the left its activation
// a_l,j over the whole plane, on the right the error dz_l,j that backprop hands it at each training
// point. For the first layer both share the unit's line z1_j = 0, where it switches, so one sees
// which points the unit can still learn from (near the line) and which it ignores (saturated).

import { el } from "../../lib/dom.js";
import { FollowedView } from "../../lib/followed_view.js";
import { formatNumber } from "../../lib/format.js";
import { hiddenWidths } from "../../lib/layers.js";
import { DIVERGING_CSS } from "../../lib/palette.js";
import { getView } from "../../lib/rest.js";
import { plane, unitPlots } from "./plots.js";

const G = 60;
const REFRESH_MS = 600;

// Layer l's index as a subscript: a₁, a₂, ..., W₁₀ never (six hidden layers at most, W₇ the last).
const SUB = "₀₁₂₃₄₅₆₇₈₉";
const sub = (l) => [...String(l)].map((d) => SUB[Number(d)]).join("");

const FORMULA = {
  tanh: { a: "tanh(z)", slope: (l) => `1 − a${sub(l)},ⱼ²` },
  sigmoid: { a: "σ(z)", slope: (l) => `a${sub(l)},ⱼ(1 − a${sub(l)},ⱼ)` },
  relu: { a: "relu(z)", slope: (l) => `1 where z${sub(l)},ⱼ > 0, else 0` },
};

// What the scales show, as the server sends them: the activation's colour range [low, high] (the
// function's own, or ±max |a1| where it is unbounded, white at 0 so "off" reads as no colour),
// the largest |dz1| (the error's colour scale), and db1[j] = Σ dz1.
function unitNumbers(data) {
  const [low, high] = data.a1_range;
  return {
    low,
    high,
    // The error's colours divide by it: a unit no point sends error to stays white, not NaN.
    errorTop: data.dz1_max_abs || 1e-30,
    db: data.db1,
  };
}

function colorBar(low, high) {
  const bar = el("span", "scale-bar");
  bar.style.background = DIVERGING_CSS;
  return el("span", "unit-scale", [el("span", "scale-label", low), bar, el("span", "scale-label", high)]);
}

// Whether unit d switches along a line of the plane: in the first layer, fed x1 and x2 as they are
// (fed other features, or a layer's activations, z = 0 is a curve).
function switchesOnALine(d, features) {
  return (d.layer ?? 1) === 1 && (features ?? ["x1", "x2"]).join() === "x1,x2";
}

function explanation(d, f, db, line) {
  const l = d.layer ?? 1;
  const [a, z, dz, up] = [`a${sub(l)}`, `z${sub(l)}`, `dz${sub(l)}`, sub(l + 1)];
  const input = l === 1 ? "x" : `a${sub(l - 1)}`;
  return [
    el("ul", "", [
      el(
        "li",
        "",
        `Left: unit ${d.unit}'s activation ${a},ⱼ = ${f.a}, z = ${input}·w_in + b, over the whole plane.`,
      ),
      el(
        "li",
        "",
        `Right: the error backprop hands it, ${dz},ⱼ = ∂L/∂${z},ⱼ, at each of the ${d.dz1.length} training points ` +
          "(outline: the point's class).",
      ),
      el(
        "li",
        "",
        line
          ? "Dashed: where z = 0, the line along which the unit switches."
          : `Its input is ${l === 1 ? "the features of the point" : `layer ${l - 1}'s activations`}, so where it switches is a curve, not a line.`,
      ),
    ]),
    el(
      "p",
      "",
      `${dz},ⱼ = (Σₖ dz${up},ₖ · W${up}[${d.unit}, k]) · (${f.slope(l)}): the error reaching the unit from the layer above, ` +
        `times its slope there. Red: raising ${z},ⱼ at that point would raise the loss, so gradient descent lowers it; ` +
        `blue: the other way. Where the unit is saturated (slope ≈ 0 for tanh and sigmoid, exactly 0 on relu's flat ` +
        `side) it passes almost no error back. Summed over the points, Σ ${dz},ⱼ = ${formatNumber(db)} is ` +
        `db${sub(l)}[${d.unit}] (biases get no λ term).`,
    ),
  ];
}

export function mount(root, store) {
  root.classList.add("unit-view");
  const select = el("select", { id: "unit-j", "aria-label": "hidden unit" });
  const layerSelect = el("select", { id: "unit-layer", "aria-label": "hidden layer" });
  const layerLabel = el("label", { hidden: true }, ["Layer l = ", layerSelect]);
  const prev = el("button", { type: "button", id: "unit-prev", title: "previous unit" }, "◀");
  const next = el("button", { type: "button", id: "unit-next", title: "next unit" }, "▶");
  const weights = el("span", "unit-weights");
  const step = el("span", "muted unit-step");
  const bar = el("div", "inspect-bar", [
    layerLabel,
    el("label", "", ["Hidden unit j = ", select]),
    prev,
    next,
    weights,
    step,
  ]);
  const error = el("p", { className: "error", hidden: true });

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

  const plots = unitPlots(left, right);
  let j = 0;
  let layer = 1; // the hidden layer, from 1
  let widths = [1]; // every hidden layer's width
  let H = 1; // this layer's
  let data = null;
  let numbers = null;

  const view = new FollowedView(store, {
    what: () => ({ j, layer }),
    // Scrubbed back: that step's unit.
    load: ({ sessionId, atStep, j: unit, layer: l }) =>
      getView(
        sessionId,
        `units/${unit}`,
        atStep === null ? { G, layer: l } : { G, layer: l, at_step: atStep },
      ),
    show: (result, asked) => {
      if (asked.j !== j || asked.layer !== layer) return; // another unit was chosen meanwhile
      if (!result.ok) {
        error.textContent = result.message;
        error.hidden = false;
        return;
      }
      error.hidden = true;
      data = result.data;
      draw();
    },
    gap: REFRESH_MS,
  });

  function draw() {
    const d = data;
    const act = store.config.activation;
    const f = FORMULA[act] ?? { a: `${act}(z)`, slope: `${act}′(z₁,ⱼ)` };
    numbers = unitNumbers(d);
    root.dataset.unit = String(d.unit);
    root.dataset.layer = String(d.layer ?? 1);
    const l = d.layer ?? 1;
    root.dataset.step = String(d.step);
    step.textContent = `at step ${d.step}`;
    const list = (values) => values.map((v) => formatNumber(v)).join(", ");
    weights.replaceChildren(
      `w_in = W${sub(l)}[:, ${d.unit}] = (${list(d.w_in)}), b = b${sub(l)}[${d.unit}] = ${formatNumber(d.b)}, ` +
        `w_out = W${sub(l + 1)}[${d.unit}, :] = (${list(d.w_out)})`,
    );
    weights.dataset.win = JSON.stringify(d.w_in);
    leftCaption.textContent = `activation a${sub(l)},ⱼ`;
    leftScale.replaceChildren(colorBar(formatNumber(numbers.low, 2), formatNumber(numbers.high, 2)));
    rightCaption.textContent = `error dz${sub(l)},ⱼ`;
    rightScale.replaceChildren(
      colorBar(formatNumber(-numbers.errorTop, 2), formatNumber(numbers.errorTop, 2)),
    );
    explain.replaceChildren(...explanation(d, f, numbers.db, switchesOnALine(d, store.config.features)));
    plots.paintActivation(d.a1_grid, numbers.low, numbers.high);
    drawPlots();
  }

  // The two squares as large as the tab's height allows, leaving the words a column beside them.
  function fit() {
    if (!view.visible || !root.clientHeight) return;
    const font = parseFloat(getComputedStyle(root).fontSize) || 14;
    const top = left.holder.getBoundingClientRect().top - root.getBoundingClientRect().top + root.scrollTop;
    const below = leftScale.offsetHeight + 0.4 * font;
    const byHeight = root.clientHeight - top - below;
    const byWidth = (figures.clientWidth - 16 * font) / 2 - 1.4 * font;
    const side = Math.floor(Math.max(8 * font, Math.min(byHeight, byWidth)));
    for (const figure of figures.querySelectorAll(".unit-figure")) figure.style.width = `${side}px`;
  }

  function drawPlots() {
    if (!data || !store.points) return;
    fit();
    plots.draw(data, store.points, numbers.errorTop, switchesOnALine(data, store.config.features));
  }

  new ResizeObserver(() => drawPlots()).observe(root);

  // Layer l's units in the unit select.
  function showLayer(l) {
    layer = Math.min(Math.max(1, Math.round(Number(l) || 1)), widths.length);
    H = widths[layer - 1];
    layerSelect.value = String(layer);
    select.replaceChildren(
      ...Array.from({ length: H }, (_, k) => el("option", { value: String(k) }, String(k))),
    );
  }

  function choose(value, l = layer) {
    if (l !== layer) showLayer(l);
    j = ((Math.round(Number(value) || 0) % H) + H) % H;
    select.value = String(j);
    view.follow(true);
  }

  select.addEventListener("change", () => choose(select.value));
  layerSelect.addEventListener("change", () => choose(j, Number(layerSelect.value)));
  prev.addEventListener("click", () => choose(j - 1));
  next.addEventListener("click", () => choose(j + 1));

  return {
    begin(hello) {
      widths = hiddenWidths(hello.session.config.hidden);
      layerSelect.replaceChildren(
        ...widths.map((width, i) => el("option", { value: String(i + 1) }, `${i + 1} (${width} units)`)),
      );
      layerLabel.hidden = widths.length < 2; // one hidden layer: nothing to choose
      showLayer(Math.min(layer, widths.length));
      if (j >= H) j = 0;
      select.value = String(j);
      data = null;
      view.begin();
      view.follow(true);
    },
    update: () => view.update(),
    showStep: (step) => view.showStep(step),
    shown: () => view.shown(),
    hidden: () => view.hidden(),
    select: choose,
  };
}
