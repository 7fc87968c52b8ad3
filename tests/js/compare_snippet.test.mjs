// What the compare tab asks a student to compute, for the run's network.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  gradientNames,
  inputsWords,
  networkOf,
  placeholderText,
  snippetText,
  YOUR_CODE,
} from "../../static/panels/compare/snippet.js";

test("a one hidden layer cross-entropy run keeps its snippet of W1, b1, W2, b2", () => {
  const net = networkOf({ hidden: 5, activation: "tanh" });
  const text = snippetText("f.json", net);
  assert.equal(text, snippetText("f.json"));
  assert.match(text, /W1, b1 = np.array\(d\["W1"\]\)/);
  assert.equal(gradientNames(net), "dW1, db1, dW2, db2");
  assert.match(inputsWords(net), /X \(N×2\)/);
});

test("a deep run's snippet loads every layer and writes the backward pass as a loop", () => {
  const net = networkOf({
    hidden: [8, 8, 4],
    activation: "relu",
    loss: "mse",
    features: ["x1", "x2", "x1_sq"],
  });
  const text = snippetText("bpv-inputs-step3.json", net);
  assert.match(text, /open\("bpv-inputs-step3.json"\)/);
  assert.match(text, /W = \{l: np.array\(d\[f"W\{l\}"\]\) for l in range\(1, L \+ 2\)\}/);
  assert.match(text, /the features x1, x2, x1_sq/);
  assert.match(text, /layer L \+ 1 = 4 is the output/);
  assert.match(text, /for l in range\(L \+ 1, 0, -1\):/);
  assert.match(text, /dW\[l\] = a\[l-1\]\.T @ dz\[l\] \+ lam \* W\[l\] \+ l1 \* np.sign\(W\[l\]\)/);
  assert.match(text, /G = \(y_hat - Y\) \/ N/); // mse's output delta through the softmax Jacobian
  const marker = text.split("\n").find((line) => line.startsWith(YOUR_CODE));
  assert.equal(marker, YOUR_CODE, "the marker is a line of its own: a student's code replaces it");
  assert.equal(gradientNames(net), "dW1, db1, …, dW4, db4");
  assert.match(placeholderText(net), /"dW4": \[\[…\], …\], "db4"/);
  assert.match(placeholderText(net), /"dz4", "da3", "dz3", …, "da1", "dz1"/);
  assert.match(inputsWords(net), /W1 … W4 \(W\(l\) is H\(l−1\)×H\(l\)\) and b1 … b4, λ, l1/);
});
