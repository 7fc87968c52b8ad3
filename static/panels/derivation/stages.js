// The derivation's lines for one point, in the order the page lays them out, from the names the
// server sent (x, z1, a1, ..., z{O}, y_hat, y, loss; the output layer's delta two ways; then BP4,
// BP3 and BP2 layer by layer down to dx). Each line's TeX and its shape in the notes' letters come
// with the server's stage (`tex`, `dims`), written from the activation's and the loss's own entries.
// "d" is ∂ℓ/∂ of this one sample's share of the mean loss.

import { sub } from "./layer_groups.js";

// The reply's stages in the page's places: the forward pass, the output layer's long way, the
// loss's own line and the two's difference, and the rest of the backward pass.
export function sampleLayout(stages, O) {
  const longWay = ["dL_dy_hat", "J", `dz${O}_long`];
  const own = `dz${O}`;
  const difference = `dz${O}_difference`;
  const twoWays = new Set([...longWay, own, difference]);
  return {
    forward: stages.filter((s) => s.phase === "forward"),
    longWay,
    own,
    difference,
    rest: stages.filter((s) => s.phase === "backward" && !twoWays.has(s.name)),
  };
}

// A layer's width letter as the page writes it: "H3" -> "H₃"; "H", "C", "N", "2" as they are.
export function dimText(dim) {
  return dim.replace(/^([A-Z])(\d+)$/, (_, letter, k) => letter + sub(k));
}

// The dims ["H", "C"] beside the actual shape [5, 2]: "H×C = 5×2"; a scalar's shape [] is "scalar".
export function shapeText(dims, shape) {
  if (!shape.length) return "scalar";
  const symbolic = dims.map(dimText).join("×");
  const actual = shape.join("×");
  return symbolic && symbolic !== actual ? `${symbolic} = ${actual}` : actual;
}
