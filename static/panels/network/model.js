// What the network diagram draws, from a frame's arrays alone (no DOM): the columns of nodes
// (the inputs, each hidden layer, the outputs) and one link per weight, each with the value it
// shows. The layers are read from the parameter names, W1 ... W{L+1}, so any depth draws.
// A layer wider than SHOWN_UNITS shows its SHOWN_UNITS units with the largest incoming plus
// outgoing |w| (kept while their ranks only shuffle: SWAP_MARGIN), in their own order, and one "+k more" node for the rest, whose links are the
// sums of the weights they stand for: a readable summary, never a hairball. A narrow screen asks
// for fewer (NARROW_SHOWN_UNITS): a phone's column of 16 nodes and their links is a smear.

export const SHOWN_UNITS = 16;
export const NARROW_SHOWN_UNITS = 8;

// The weight matrices' layer numbers in order: [1, 2, ..., L+1].
export function weightLayers(arrays) {
  const layers = [];
  for (let l = 1; arrays[`W${l}`]; l++) layers.push(l);
  return layers;
}

// A matrix (rows, cols) of a frame's arrays as an accessor.
function matrix(array) {
  const [rows, cols] = array.shape;
  return { rows, cols, at: (i, j) => array.data[i * cols + j] };
}

// A unit outside the shown set replaces a shown one only when this many times stronger: as a net
// trains, the ranks of a wide layer's top units shuffle every frame, and a diagram whose units
// changed would be rebuilt (and its maps asked for again) in most frames.
export const SWAP_MARGIN = 1.25;

// The units of a layer of width n to show: all of them, or the SHOWN_UNITS whose |w| in
// (incoming: W_in's column) plus out (W_out's row) is largest, in index order, and the rest.
// previous: the units shown before (or null); they stay while no unit outside is SWAP_MARGIN
// times stronger than the weakest of them, and a unit that is replaces it.
export function shownUnits(n, incoming, outgoing, most = SHOWN_UNITS, previous = null) {
  const all = Array.from({ length: n }, (_, j) => j);
  if (n <= most) return { shown: all, folded: [] };
  const strength = new Float64Array(n);
  for (let i = 0; i < incoming.rows; i++)
    for (let j = 0; j < n; j++) strength[j] += Math.abs(incoming.at(i, j));
  for (let j = 0; j < n; j++)
    for (let k = 0; k < outgoing.cols; k++) strength[j] += Math.abs(outgoing.at(j, k));
  const byStrength = (a, b) => strength[b] - strength[a] || a - b;
  let keep;
  if (previous && previous.length === most && previous.every((j) => j >= 0 && j < n)) {
    keep = new Set(previous);
    const inside = [...keep].sort(byStrength).reverse(); // the weakest first
    const outside = all.filter((j) => !keep.has(j)).sort(byStrength); // the strongest first
    for (let k = 0; k < inside.length && k < outside.length; k++) {
      if (!(strength[outside[k]] > SWAP_MARGIN * strength[inside[k]])) break;
      keep.delete(inside[k]);
      keep.add(outside[k]);
    }
  } else {
    keep = new Set(all.slice().sort(byStrength).slice(0, most));
  }
  return { shown: all.filter((j) => keep.has(j)), folded: all.filter((j) => !keep.has(j)) };
}

// Nodes of one column: { key, label, units: [indices it stands for], unit (its index, or null
// for a fold) }.
function columnNodes(kind, layer, shown, folded, names) {
  const nodes = shown.map((j) => ({
    key: `${layer}:${j}`,
    kind,
    layer,
    unit: j,
    units: [j],
    label: names(j),
  }));
  if (folded.length)
    nodes.push({
      key: `${layer}:+`,
      kind,
      layer,
      unit: null,
      units: folded,
      label: `+${folded.length} more`,
    });
  return nodes;
}

// The diagram of a frame's arrays: { columns: [[node]], links: [link], scale } where a link is
// { from, to (column, node index), name ("W2"), index ([i, j], or null when it sums several),
// count (weights it stands for), weight, gradient (null where the frame has none), shown (the
// value drawn: weight or gradient) } and scale is the largest |shown| of a single weight (the
// thickest link; a fold's summed links are drawn at most as thick).
// features: the input names; which: "weights" or "gradients"; most: the units a layer shows;
// previous: the model drawn before (its wide layers keep their units while the ranks only shuffle).
export function diagramModel(
  arrays,
  { features, classes, which = "weights", most = SHOWN_UNITS, previous = null },
) {
  const layers = weightLayers(arrays);
  if (!layers.length) return null;
  const W = layers.map((l) => matrix(arrays[`W${l}`]));
  const dW = layers.map((l) => (arrays[`dW${l}`] ? matrix(arrays[`dW${l}`]) : null));
  const L = layers.length - 1; // hidden layers
  const inputs = Array.from({ length: W[0].rows }, (_, i) => i); // a few features: all shown
  const columns = [columnNodes("input", 0, inputs, [], (i) => features[i] ?? `x${i + 1}`)];
  for (let l = 1; l <= L; l++) {
    const before = previous?.columns[l]?.filter((node) => node.unit !== null).map((node) => node.unit);
    const { shown, folded } = shownUnits(W[l - 1].cols, W[l - 1], W[l], most, before ?? null);
    columns.push(columnNodes("hidden", l, shown, folded, (j) => `unit ${j}`));
  }
  const C = W[L].cols;
  columns.push(
    columnNodes(
      "output",
      L + 1,
      Array.from({ length: C }, (_, k) => k),
      [],
      (k) => `class ${k}`,
    ),
  );

  const links = [];
  let scale = 0;
  for (let l = 0; l <= L; l++) {
    const w = W[l];
    const g = dW[l];
    columns[l].forEach((a, ai) => {
      columns[l + 1].forEach((b, bi) => {
        let weight = 0;
        let gradient = g ? 0 : null;
        for (const i of a.units)
          for (const j of b.units) {
            weight += w.at(i, j);
            if (g) gradient += g.at(i, j);
          }
        const count = a.units.length * b.units.length;
        const shown = which === "gradients" ? gradient : weight;
        // The scale is the single weights' (a fold's sum of a thousand would make them hairlines).
        if (shown !== null && count === 1) scale = Math.max(scale, Math.abs(shown));
        links.push({
          from: [l, ai],
          to: [l + 1, bi],
          name: `W${l + 1}`,
          index: count === 1 ? [a.units[0], b.units[0]] : null,
          count,
          weight,
          gradient,
          shown,
        });
      });
    });
  }
  const dense = links.length > DENSE_LINKS;
  if (dense) markWeak(links);
  return { columns, links, scale, classes, dense };
}

// A diagram with more links than this draws the weak ones faint (a 6 × 16 net has some 1,400).
export const DENSE_LINKS = 200;
// Weak: |shown| under this share of the largest single link of its own layer.
export const WEAK_SHARE = 0.2;

// link.weak for each link: its |shown| is under WEAK_SHARE of its layer's largest (a fold's summed
// link is compared as the sum it draws).
function markWeak(links) {
  const top = new Map();
  for (const link of links)
    if (link.shown !== null && link.count === 1)
      top.set(link.name, Math.max(top.get(link.name) ?? 0, Math.abs(link.shown)));
  for (const link of links)
    link.weak = link.shown === null || Math.abs(link.shown) < WEAK_SHARE * (top.get(link.name) ?? 0);
}

// A link's drawn width in px: proportional to |shown|, the thickest `widest` px.
export function linkWidth(link, scale, widest) {
  if (link.shown === null || !(scale > 0)) return 0;
  return Math.min(widest, (widest * Math.abs(link.shown)) / scale);
}

// The biases and their gradients of a node (null for the inputs or a fold).
export function nodeBias(arrays, node) {
  if (node.kind === "input" || node.unit === null) return null;
  const b = arrays[`b${node.layer}`];
  const db = arrays[`db${node.layer}`];
  return { bias: b ? b.data[node.unit] : null, gradient: db ? db.data[node.unit] : null };
}

// A structure key: the diagram is rebuilt only when its nodes change, else its links restyled.
export function structureKey(model) {
  return model.columns.map((column) => column.map((n) => n.key).join(",")).join("|");
}
