// The network's layers as the page names them, from what the server sent: the run's `hidden`
// (an int, one layer, or a list of widths) and a frame's arrays. Names only, no math: the
// parameters are W1, b1, ..., W{L+1}, b{L+1}, as the server's param_names(L) gives them.

// RunConfig's hidden -> L, the number of hidden layers.
export function hiddenLayers(hidden) {
  return Array.isArray(hidden) ? hidden.length : 1;
}

// RunConfig's hidden -> the widths, [H1, ..., HL].
export function hiddenWidths(hidden) {
  return Array.isArray(hidden) ? hidden : [hidden];
}

// L hidden layers -> ["W1", "b1", ..., "W{L+1}", "b{L+1}"].
export function paramNames(layers) {
  const names = [];
  for (let l = 1; l <= layers + 1; l++) names.push(`W${l}`, `b${l}`);
  return names;
}

// A frame's (or a REST reply's) arrays -> the weight matrices' layer numbers it has, in order:
// { W1, dW1, W2, ... } -> [1, 2, ...].
export function weightLayers(arrays) {
  return Object.keys(arrays)
    .map((name) => name.match(/^W(\d+)$/))
    .filter(Boolean)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

// The parameters' shapes, as text, from the run's config and its classes C: W(l) is
// d(l-1) x d(l) and b(l) is d(l), with d = [F, H1, ..., HL, C] (F: the features, x1 and x2 when
// the config names none). { W1: "2×5", b1: "5", ... }
export function paramShapes(config, classes) {
  const widths = hiddenWidths(config.hidden);
  const d = [(config.features ?? ["x1", "x2"]).length, ...widths, classes];
  const shapes = {};
  for (let l = 1; l < d.length; l++) {
    shapes[`W${l}`] = `${d[l - 1]}×${d[l]}`;
    shapes[`b${l}`] = `${d[l]}`;
  }
  return shapes;
}

const SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";

// A layer number as subscript digits, as the page writes names: 2 -> "₂" (z₂, W₁₂).
export function sub(l) {
  return [...String(l)].map((d) => SUBSCRIPTS[Number(d)]).join("");
}
