// Every colour the page uses, defined once. Class colours are Okabe & Ito's palette, chosen so
// that the classes stay distinguishable with the common forms of colour blindness; orange and
// blue come first because most runs have two classes.

export const CLASS_COLORS = [
  "#E69F00", // orange
  "#0072B2", // blue
  "#009E73", // bluish green
  "#CC79A7", // reddish purple
  "#56B4E9", // sky blue
  "#D55E00", // vermillion
  "#F0E442", // yellow
  "#555555", // grey (Okabe-Ito's black, lightened so a dark marker edge still shows)
];

export function classColor(k) {
  return CLASS_COLORS[k % CLASS_COLORS.length];
}

// Lines: the two layers differ by colour, weights and biases by dash, so the four gradient lines
// can be told apart without colour at all.
export const PARAM_STYLE = {
  W1: { color: "#0072B2", dash: "solid" },
  b1: { color: "#0072B2", dash: "dot" },
  W2: { color: "#D55E00", dash: "solid" },
  b2: { color: "#D55E00", dash: "dot" },
};

// Deeper networks: a colour per layer from a sequential scale, dark blue at the input to orange at
// the output (matplotlib's plasma, its pale yellow end left out so every line reads on white),
// so a line's place in the network is its shade. Seven layers stay apart; dashes are left for b.
const LAYER_STOPS = ["#0d0887", "#4c02a1", "#7e03a8", "#a92395", "#cc4778", "#e56b5d", "#f89540"];

// The colour of layer l of n (1 = the first hidden layer's weights, n = the output layer's).
export function layerColor(l, n) {
  if (n <= 1) return LAYER_STOPS[0];
  const t = ((l - 1) / (n - 1)) * (LAYER_STOPS.length - 1);
  const i = Math.min(LAYER_STOPS.length - 2, Math.floor(t));
  const [a, b] = [hexToRgb(LAYER_STOPS[i]), hexToRgb(LAYER_STOPS[i + 1])];
  const rgb = a.map((v, k) => Math.round(v + (b[k] - v) * (t - i)));
  return `#${rgb.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

// The compare page's two runs (twins): a colour each in every chart and title, apart from the
// classes' blue and orange; the shared past before the fork, faint.
export const SIDE_COLORS = { left: "#0b3d91", right: "#b8420a", past: "#a0a0a8" };

export const SPLIT_STYLE = {
  train: { color: "#222222", dash: "solid" },
  test: { color: "#CC79A7", dash: "dash" },
};

// Diverging blue-white-red (ColorBrewer RdBu, colour-blind safe), white at exactly 0.
const DIVERGING_STOPS = [
  [0.0, [33, 102, 172]],
  [0.25, [103, 169, 207]],
  [0.5, [247, 247, 247]],
  [0.75, [239, 138, 98]],
  [1.0, [178, 24, 43]],
];

export const DIVERGING_CSS = `linear-gradient(to right, ${DIVERGING_STOPS.map(
  ([t, c]) => `rgb(${c.join(",")}) ${t * 100}%`,
).join(", ")})`;

export function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// 256 RGB triples for t = 0..255 over the diverging scale: a lookup table, so painting a
// 2 x 500 weight matrix is a copy per cell, not an interpolation.
export function divergingTable() {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let s = 1;
    while (s < DIVERGING_STOPS.length - 1 && DIVERGING_STOPS[s][0] < t) s++;
    const [t0, c0] = DIVERGING_STOPS[s - 1];
    const [t1, c1] = DIVERGING_STOPS[s];
    const u = (t - t0) / (t1 - t0);
    for (let ch = 0; ch < 3; ch++) table[i * 3 + ch] = Math.round(c0[ch] + (c1[ch] - c0[ch]) * u);
  }
  return table;
}

// For the decision boundary: per class, 256 RGB triples for the winning probability 0..255,
// white at chance level (1/C) and the class colour, softened so points on top stay visible,
// at certainty.
const MAX_TINT = 0.72;

export function confidenceTables(C) {
  const tables = [];
  for (let k = 0; k < C; k++) {
    const rgb = hexToRgb(classColor(k));
    const table = new Uint8Array(256 * 3);
    for (let p = 0; p < 256; p++) {
      const confidence = Math.min(1, Math.max(0, (p / 255 - 1 / C) / (1 - 1 / C)));
      const a = MAX_TINT * Math.sqrt(confidence); // sqrt: the boundary band stays narrow and crisp
      for (let ch = 0; ch < 3; ch++) table[p * 3 + ch] = Math.round(255 + (rgb[ch] - 255) * a);
    }
    tables.push(table);
  }
  return tables;
}

// ---- the input-gradient layer over the boundary (arrows.js) ---------------------------------

// The arrows of −dL/dx: near-black, drawn over a white halo, so they read on every class tint.
export const ARROW_COLOR = "#111111";

// A point's pull on the gradient, |ŷ − y| from 0 to 1 (and beyond: misclassified), as grey from
// white (pulls nothing) to near-black; greys, so the fill never looks like a class (the class
// stays in the outline).
const RESIDUAL_LIGHT = 255;
const RESIDUAL_DARK = 25;

export function residualColor(t) {
  const v = Math.round(RESIDUAL_LIGHT + (RESIDUAL_DARK - RESIDUAL_LIGHT) * Math.min(1, Math.max(0, t)));
  return `rgb(${v},${v},${v})`;
}

export const RESIDUAL_CSS = `linear-gradient(to right, ${residualColor(0)}, ${residualColor(1)})`;

// ---- the network diagram's links (panels/network/) -------------------------------------------

// A link's sign, the diverging scale's two ends: blue below 0, red above, as the weights' cells.
export const NEGATIVE_COLOR = `rgb(${DIVERGING_STOPS[0][1].join(",")})`;
export const POSITIVE_COLOR = `rgb(${DIVERGING_STOPS[DIVERGING_STOPS.length - 1][1].join(",")})`;
