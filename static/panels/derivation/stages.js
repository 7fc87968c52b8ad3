// The derivation's lines as the lecture notes write them (row vectors: batch in rows), each
// with its shape in the notes' letters. "d" is ∂ℓ/∂ of this one sample's share of the mean loss.

const ACTIVATION = { tanh: "\\tanh", relu: "\\operatorname{relu}", sigmoid: "\\sigma" };
const DERIVATIVE = {
  tanh: "(1 - a_1^{2})",
  relu: "\\mathbb{1}[z_1 > 0]",
  sigmoid: "a_1 \\odot (1 - a_1)",
};

// Each stage the server sends (GET .../derivation/{n}): tex(reply) and its symbolic shape.
export const STAGES = {
  x: { tex: (d) => `x = X_{${d.n}}`, shape: "2" },
  z1: { tex: () => "z_1 = x\\,W_1 + b_1", shape: "H" },
  a1: { tex: (d) => `a_1 = ${ACTIVATION[d.activation] ?? d.activation}(z_1)`, shape: "H" },
  z2: { tex: () => "z_2 = a_1 W_2 + b_2", shape: "C" },
  y_hat: { tex: () => "\\hat y = \\operatorname{softmax}(z_2)", shape: "C" },
  y: { tex: () => "y \\;\\text{(target)}", shape: "C" },
  loss: { tex: () => "\\ell = -\\textstyle\\sum_k y_k \\log \\hat y_k", shape: "" },
  dL_dy_hat: {
    tex: () => "\\frac{\\partial L}{\\partial \\hat y} = -\\,\\frac{y}{\\hat y}\\,\\frac{1}{N}",
    shape: "C",
  },
  J: {
    tex: () =>
      "J = \\frac{\\partial \\hat y}{\\partial z_2} = \\operatorname{diag}(\\hat y) - \\hat y^{\\top} \\hat y",
    shape: "C×C",
  },
  dz2_long: { tex: () => "\\mathrm{d}z_2 = \\frac{\\partial L}{\\partial \\hat y}\\, J", shape: "C" },
  dz2: { tex: () => "\\mathrm{d}z_2 = (\\hat y - y)\\,/\\,N", shape: "C" },
  dz2_difference: { tex: () => "\\text{long} - \\text{short}", shape: "C" },
  dW2: { tex: () => "\\mathrm{d}W_2 = a_1^{\\top}\\, \\mathrm{d}z_2", shape: "H×C" },
  db2: { tex: () => "\\mathrm{d}b_2 = \\mathrm{d}z_2", shape: "C" },
  da1: { tex: () => "\\mathrm{d}a_1 = \\mathrm{d}z_2\\, W_2^{\\top}", shape: "H" },
  dz1: {
    tex: (d) =>
      `\\mathrm{d}z_1 = \\mathrm{d}a_1 \\odot ${DERIVATIVE[d.activation] ?? `${d.activation}'(z_1)`}`,
    shape: "H",
  },
  dW1: { tex: () => "\\mathrm{d}W_1 = x^{\\top}\\, \\mathrm{d}z_1", shape: "2×H" },
  db1: { tex: () => "\\mathrm{d}b_1 = \\mathrm{d}z_1", shape: "H" },
  dx: { tex: () => "\\mathrm{d}x = \\mathrm{d}z_1\\, W_1^{\\top}", shape: "2" },
};

export const FORWARD = ["x", "z1", "a1", "z2", "y_hat", "y", "loss"];
export const LONG_WAY = ["dL_dy_hat", "J", "dz2_long"];
export const REST_OF_BACKWARD = ["dW2", "db2", "da1", "dz1", "dW1", "db1", "dx"];

// Why the long way and the short way agree, in one line: J's entries are ŷ_k(δ_kr − ŷ_r).
export const WHY = String.raw`\Big(\tfrac{\partial L}{\partial \hat y} J\Big)_r
  = \sum_k \frac{-y_k}{N \hat y_k}\, \hat y_k (\delta_{kr} - \hat y_r)
  = \frac{-y_r + \hat y_r \sum_k y_k}{N} = \frac{\hat y_r - y_r}{N}
  \quad\text{because}\ \textstyle\sum_k y_k = 1`;

// "H×C" beside the actual shape [5, 2]: "H×C = 5×2"; a scalar's shape [] is "scalar".
export function shapeText(symbolic, shape) {
  if (!shape.length) return "scalar";
  const actual = shape.join("×");
  return symbolic && symbolic !== actual ? `${symbolic} = ${actual}` : actual;
}
