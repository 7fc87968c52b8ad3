// The hidden space's words for hidden layer l of L, in that layer's names (a₁, W₂, ...): the
// caption under the picture, the projection line, and the labels the picture draws. Names only:
// every number comes from GET .../hidden-space.

import { formatPercent } from "../../lib/format.js";

const SUB = "₀₁₂₃₄₅₆₇₈₉";
export const sub = (l) => [...String(l)].map((d) => SUB[Number(d)]).join("");

const DEFAULT_FEATURES = ["x1", "x2"];

// a(l) = f(a(l-1) W(l) + b(l)), the first layer's input written x (or φ(x), x's features).
export function layerFormula(l, features) {
  const plain = (features ?? DEFAULT_FEATURES).join() === DEFAULT_FEATURES.join();
  const input = l === 1 ? (plain ? "x" : "φ(x)") : `a${sub(l - 1)}`;
  return `a${sub(l)} = f(${input} W${sub(l)} + b${sub(l)})`;
}

// What the arrow between the two panes stands for: the map from the plane to a(l).
export function mapLabel(l, features) {
  if (l === 1)
    return (features ?? DEFAULT_FEATURES).join() === DEFAULT_FEATURES.join() ? "f(xW₁+b₁)" : "f(φ(x)W₁+b₁)";
  return `layers 1–${l}`;
}

// The hidden pane's axis names and title: a(l)'s own units when nothing is projected away,
// else its two principal components.
export function axisNames(l, H) {
  if (H > 2) return { axes: ["PC 1", "PC 2"], title: `hidden a${sub(l)}` };
  return { axes: [`a${sub(l)}[0]`, H === 2 ? `a${sub(l)}[1]` : "0"], title: `hidden a${sub(l)}` };
}

// The bold line: how layer l's H units are seen.
export function projectionText(data, H) {
  const a = `a${sub(data.layer ?? 1)}`;
  if (data.exact) {
    const background = data.decision ? " Background: the output layer's decision." : "";
    return `${a}: H = ${H}, exact, nothing is projected away.${background}`;
  }
  return (
    `${a}: H = ${H}, seen along its two principal components, which keep ` +
    `${formatPercent(data.explained ?? 0, 0)} of its variance.`
  );
}

// What the picture shows and what to read from it. After the last hidden layer only the output
// layer follows, linear and a softmax: straight boundaries. After an inner layer, more nonlinear
// layers follow, so no straight boundary is true in its space, and the server sends none.
export function explainText(data, features) {
  const l = data.layer ?? 1;
  const L = data.layers ?? 1;
  const a = `a${sub(l)}`;
  const carried = l === 1 ? "bent by the same map" : `carried through the same ${l} layers`;
  const shown =
    `Left: the input plane and a grid over it. Right: every training point at its ` +
    `${layerFormula(l, features)}, and the same grid lines ${carried}. `;
  if (data.last ?? true) {
    const after =
      L === 1
        ? "The output layer"
        : `Only the output layer (z${sub(L + 1)} = ${a} W${sub(L + 1)} + b${sub(L + 1)}, then softmax) comes after ${a}: it`;
    const job = L === 1 ? "the hidden layer's job" : "the hidden layers' job";
    return (
      `${shown}${after} can only cut the right-hand space with straight lines: ${job} is to bend ` +
      "the data until straight lines separate the classes."
    );
  }
  const more = L - l === 1 ? "another hidden layer follows" : `${L - l} more hidden layers follow`;
  return (
    `${shown}After ${a}, ${more}, each with its nonlinearity f, so the layers after ${a} are not ` +
    `linear: the classes' boundaries in this space are not straight lines, and none is drawn. ` +
    `Layer ${L} shows the space the output layer cuts with straight lines.`
  );
}
