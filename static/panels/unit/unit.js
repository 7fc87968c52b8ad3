// One hidden unit j (GET .../units/{j}): on the left its activation a1_j over the whole plane,
// on the right the error dz1_j that backprop hands it at each training point. Both share the
// unit's line z1_j = 0, where it switches, so one sees which points the unit can still learn
// from (near the line) and which it ignores (saturated, far from it).

import { el } from "../../lib/dom.js";
import { FollowedView } from "../../lib/followed_view.js";
import { formatNumber } from "../../lib/format.js";
import { hiddenWidths } from "../../lib/layers.js";
import { DIVERGING_CSS } from "../../lib/palette.js";
import { getView } from "../../lib/rest.js";
import { plane, unitPlots } from "./plots.js";

const G = 60;
const REFRESH_MS = 600;

const FORMULA = {
  tanh: { a: "tanh(z)", slope: "1 − a₁,ⱼ²" },
  sigmoid: { a: "σ(z)", slope: "a₁,ⱼ(1 − a₁,ⱼ)" },
  relu: { a: "relu(z)", slope: "1 where z₁,ⱼ > 0, else 0" },
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

function explanation(d, f, db) {
  return [
    el("ul", "", [
      el("li", "", `Left: unit ${d.unit}'s activation a₁,ⱼ = ${f.a}, z = x·w_in + b, over the whole plane.`),
      el(
        "li",
        "",
        `Right: the error backprop hands it, dz₁,ⱼ = ∂L/∂z₁,ⱼ, at each of the ${d.dz1.length} training points ` +
          "(outline: the point's class).",
      ),
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
  ];
}

export function mount(root, store) {
  root.classList.add("unit-view");
  const select = el("select", { id: "unit-j", "aria-label": "hidden unit" });
  const prev = el("button", { type: "button", id: "unit-prev", title: "previous unit" }, "◀");
  const next = el("button", { type: "button", id: "unit-next", title: "next unit" }, "▶");
  const weights = el("span", "unit-weights");
  const step = el("span", "muted unit-step");
  const bar = el("div", "inspect-bar", [
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
  let H = 1;
  let data = null;
  let numbers = null;

  const view = new FollowedView(store, {
    what: () => ({ j }),
    // Scrubbed back: that step's unit.
    load: ({ sessionId, atStep, j: unit }) =>
      getView(sessionId, `units/${unit}`, atStep === null ? { G } : { G, at_step: atStep }),
    show: (result, asked) => {
      if (asked.j !== j) return; // another unit was chosen meanwhile
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
    root.dataset.step = String(d.step);
    step.textContent = `at step ${d.step}`;
    const list = (values) => values.map((v) => formatNumber(v)).join(", ");
    weights.replaceChildren(
      `w_in = W₁[:, ${d.unit}] = (${list(d.w_in)}), b = b₁[${d.unit}] = ${formatNumber(d.b)}, ` +
        `w_out = W₂[${d.unit}, :] = (${list(d.w_out)})`,
    );
    weights.dataset.win = JSON.stringify(d.w_in);
    leftCaption.textContent = "activation a₁,ⱼ";
    leftScale.replaceChildren(colorBar(formatNumber(numbers.low, 2), formatNumber(numbers.high, 2)));
    rightCaption.textContent = "error dz₁,ⱼ";
    rightScale.replaceChildren(
      colorBar(formatNumber(-numbers.errorTop, 2), formatNumber(numbers.errorTop, 2)),
    );
    explain.replaceChildren(...explanation(d, f, numbers.db));
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
    plots.draw(data, store.points, numbers.errorTop);
  }

  new ResizeObserver(() => drawPlots()).observe(root);

  function choose(value) {
    j = ((Math.round(Number(value) || 0) % H) + H) % H;
    select.value = String(j);
    view.follow(true);
  }

  select.addEventListener("change", () => choose(select.value));
  prev.addEventListener("click", () => choose(j - 1));
  next.addEventListener("click", () => choose(j + 1));

  return {
    begin(hello) {
      H = hiddenWidths(hello.session.config.hidden)[0]; // the first hidden layer's units
      select.replaceChildren(
        ...Array.from({ length: H }, (_, k) => el("option", { value: String(k) }, String(k))),
      );
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
