// The derivation's lines for one point, in the order the page lays them out. Each line's TeX and
// its shape in the notes' letters come with the server's stage (`tex`, `dims`), written from the
// activation's and the loss's own entries. "d" is ∂ℓ/∂ of this one sample's share of the mean loss.

export const FORWARD = ["x", "z1", "a1", "z2", "y_hat", "y", "loss"];
export const LONG_WAY = ["dL_dy_hat", "J", "dz2_long"];
export const REST_OF_BACKWARD = ["dW2", "db2", "da1", "dz1", "dW1", "db1", "dx"];

// Why the long way and the short way agree, in one line: J's entries are ŷ_k(δ_kr − ŷ_r).
export const WHY = String.raw`\Big(\tfrac{\partial L}{\partial \hat y} J\Big)_r
  = \sum_k \frac{-y_k}{N \hat y_k}\, \hat y_k (\delta_{kr} - \hat y_r)
  = \frac{-y_r + \hat y_r \sum_k y_k}{N} = \frac{\hat y_r - y_r}{N}
  \quad\text{because}\ \textstyle\sum_k y_k = 1`;

export const NAMES = [...FORWARD, ...LONG_WAY, "dz2", "dz2_difference", ...REST_OF_BACKWARD];

// The dims ["H", "C"] beside the actual shape [5, 2]: "H×C = 5×2"; a scalar's shape [] is "scalar".
export function shapeText(dims, shape) {
  if (!shape.length) return "scalar";
  const symbolic = dims.join("×");
  const actual = shape.join("×");
  return symbolic && symbolic !== actual ? `${symbolic} = ${actual}` : actual;
}
