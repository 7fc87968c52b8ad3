// What each side of a pair is, in a few characters: the settings in which the two runs' summaries
// differ, written as a class writes them ("η = 0.1", "loss MSE"). Layout only: the values are the
// server's, as its summaries of the two runs have them.

import { flatten } from "../lib/config.js";

const SYMBOLS = {
  learning_rate: "η",
  beta1: "β",
  lam: "λ",
  l1: "λ₁",
  noise: "noise",
  batch_size: "batch",
  seed: "batch-order seed",
  label_smoothing: "smoothing",
  optimizer: "",
  loss: "loss",
  activation: "",
};
const WORDS = { cross_entropy: "CE", mse: "MSE", sgd: "plain SGD" };
const NOT_SHOWN = new Set(["steps_per_second"]); // the pace, not the run: both play in lock-step

function valueText(key, text) {
  if (text === "") return key === "batch_size" ? "full" : "default";
  return WORDS[text] ?? text;
}

// config -> config with the dataset's default noise written in (a null noise is the dataset's own).
function withNoise(config, defaultNoise) {
  if (config?.dataset?.noise !== null || defaultNoise === undefined) return config;
  return { ...config, dataset: { ...config.dataset, noise: defaultNoise } };
}

// Two RunConfigs -> { left: "η = 1", right: "η = 0.1", keys: [the differing fields] }.
export function sideLabels(leftConfig, rightConfig, defaultNoise) {
  const a = flatten(withNoise(leftConfig, defaultNoise) ?? {});
  const b = flatten(withNoise(rightConfig, defaultNoise) ?? {});
  const keys = Object.keys(SYMBOLS).filter((k) => !NOT_SHOWN.has(k) && k in a && k in b && a[k] !== b[k]);
  const label = (values) =>
    keys
      .map((k) => {
        const value = valueText(k, values[k]);
        if (SYMBOLS[k] === "") return value;
        return ["loss", "noise", "batch"].includes(SYMBOLS[k])
          ? `${SYMBOLS[k]} ${value}`
          : `${SYMBOLS[k]} = ${value}`;
      })
      .join(", ");
  return { left: label(a), right: label(b), keys };
}
