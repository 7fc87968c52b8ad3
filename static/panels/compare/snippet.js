// What the compare tab tells a student to compute, for the run's network: the numpy snippet that
// loads the download (a one-hidden-layer cross-entropy run's as it always was; any other run's
// with its layers in dicts W[l], b[l] and the backward pass as a loop, the lines of the notes),
// the names of the arrays to paste, and the placeholder of the box. Text only: no DOM, no math.

import { FEATURE_LABELS } from "../../lib/config.js";
import { hiddenLayers, paramNames } from "../../lib/layers.js";

// The marker a student replaces with their own code (the browser tests do too).
export const YOUR_CODE = "# ... your forward pass and backward pass for";

// The network a snippet is written for, from the run's config: { L, loss, features, activation }.
export function networkOf(config) {
  return {
    L: hiddenLayers(config?.hidden ?? 1),
    loss: config?.loss ?? "cross_entropy",
    features: config?.features ?? ["x1", "x2"],
    activation: config?.activation ?? "tanh",
  };
}

// The run is the one hidden layer, cross-entropy, (x1, x2) network the first snippet was written for.
export const isClassic = (net) =>
  net.L === 1 && net.loss === "cross_entropy" && net.features.join() === "x1,x2";

const classicSnippet = (file) => `import json, numpy as np
d = json.load(open("${file}"))
X, Y = np.array(d["X"]), np.array(d["Y"])          # (N, 2), (N, C)
W1, b1 = np.array(d["W1"]), np.array(d["b1"])      # (2, H), (H,)
W2, b2 = np.array(d["W2"]), np.array(d["b2"])      # (H, C), (C,)
lam, N = d["lam"], len(X)
${YOUR_CODE}
#     L = mean cross-entropy + lam/2 (|W1|^2 + |W2|^2) ...
mine = {"dW1": dW1.tolist(), "db1": db1.tolist(), "dW2": dW2.tolist(), "db2": db2.tolist()}
# optional, to be told where an error starts: the batch's dz2 (N, C), da1 (N, H), dz1 (N, H)
# mine.update(dz2=dz2.tolist(), da1=da1.tolist(), dz1=dz1.tolist())
# "inputs": the download's pin, so it is compared at these inputs even after the run moved on
json.dump({"inputs": d["pin"], "gradients": mine}, open("mine.json", "w"))`;

const OUTPUT_DELTA = {
  cross_entropy: "(y_hat - Y) / N",
  mse: "y_hat * (G - (G * y_hat).sum(axis=1, keepdims=True)),  G = (y_hat - Y) / N",
};

const LOSS_WORDS = { cross_entropy: "mean cross-entropy", mse: "mean of 1/2 |y_hat - Y|^2" };

// Any other network: W[l], b[l] for l = 1 ... L+1, and the backward pass as a loop, BP1 to BP4.
const loopSnippet = (file, net) => `import json, numpy as np
d = json.load(open("${file}"))
X, Y = np.array(d["X"]), np.array(d["Y"])          # (N, F): the features ${net.features.join(", ")}; (N, C)
L = len(d["hidden"])                               # hidden layers; layer L + 1 = ${net.L + 1} is the output
W = {l: np.array(d[f"W{l}"]) for l in range(1, L + 2)}   # W[l] (H(l-1), H(l)), H0 = F, H(L+1) = C
b = {l: np.array(d[f"b{l}"]) for l in range(1, L + 2)}   # b[l] (H(l),)
lam, l1, N = d["lam"], d["l1"], len(X)
${YOUR_CODE}
#     ${net.L} hidden layers of ${net.activation}; L = ${LOSS_WORDS[net.loss] ?? net.loss} + lam/2 sum_l |W[l]|^2 + l1 sum_l |W[l]|_1
#     a = {0: X}; z = {}
#     for l in range(1, L + 1): z[l] = a[l-1] @ W[l] + b[l]; a[l] = f(z[l])
#     z[L+1] = a[L] @ W[L+1] + b[L+1]; y_hat = softmax(z[L+1])
#     dz = {L + 1: ${OUTPUT_DELTA[net.loss] ?? "the output delta"}}; dW, db, da = {}, {}, {}
#     for l in range(L + 1, 0, -1):
#         dW[l] = a[l-1].T @ dz[l] + lam * W[l] + l1 * np.sign(W[l]); db[l] = dz[l].sum(axis=0)
#         if l > 1: da[l-1] = dz[l] @ W[l].T; dz[l-1] = da[l-1] * f'(z[l-1])
mine = {f"d{name}{l}": g[l].tolist() for name, g in (("W", dW), ("b", db)) for l in g}
# optional, to be told where an error starts: dz[L+1], then da[l] and dz[l] for l = L ... 1
# mine.update({f"dz{l}": v.tolist() for l, v in dz.items()}, **{f"da{l}": v.tolist() for l, v in da.items()})
# "inputs": the download's pin, so it is compared at these inputs even after the run moved on
json.dump({"inputs": d["pin"], "gradients": mine}, open("mine.json", "w"))`;

export const snippetText = (file, net = networkOf(null)) =>
  isClassic(net) ? classicSnippet(file) : loopSnippet(file, net);

// "dW1, db1, dW2, db2" or, deeper, "dW1, db1, …, dW4, db4".
export function gradientNames(net) {
  const names = paramNames(net.L).map((n) => `d${n}`);
  return names.length <= 4
    ? names.join(", ")
    : `${names.slice(0, 2).join(", ")}, …, ${names.slice(-2).join(", ")}`;
}

// What the download holds, in words.
export function inputsWords(net) {
  if (isClassic(net)) {
    return "The training points and the current parameters: X (N×2), Y (N×C), W1, b1, W2, b2, λ, the activation. ";
  }
  const O = net.L + 1;
  return (
    `The network's input and the current parameters: X (N×F, its columns the features ${net.features.map((f) => FEATURE_LABELS[f] ?? f).join(", ")}), ` +
    `Y (N×C), one W and one b per layer, W1 … W${O} (W(l) is H(l−1)×H(l)) and b1 … b${O}, λ, l1, ` +
    "the activation and the loss. "
  );
}

// The box's placeholder.
export function placeholderText(net) {
  if (net.L === 1) {
    return '{"dW1": [[…], […]], "db1": […], "dW2": [[…], …], "db2": […]}\n\nor CSV, each block under its name:\ndW1\n0.01, -0.02, …\n0.03, 0.00, …\ndb1\n…';
  }
  const O = net.L + 1;
  return (
    `{"dW1": [[…], […]], "db1": […], "dW2": …, …, "dW${O}": [[…], …], "db${O}": […]}\n` +
    `and if you like "dz${O}", "da${net.L}", "dz${net.L}", …, "da1", "dz1"\n\n` +
    `or CSV, each block under its name:\ndW1\n0.01, -0.02, …\ndb1\n…\ndW${O}\n…`
  );
}
