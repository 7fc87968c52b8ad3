// What hovering (or focusing) a part of the diagram says: a link's weight, its gradient and the
// update it takes; a node's bias and its gradient. Numbers as the frame has them.

import { formatNumber } from "../../lib/format.js";

// A node's name, as a screen reader says it (its numbers are in the readout, which it announces).
export function nodeName(node) {
  if (node.kind === "input") return node.label;
  if (node.kind === "output") return node.label;
  if (node.unit === null) return `${node.units.length} more units of layer ${node.layer}`;
  return `unit ${node.unit} of layer ${node.layer}`;
}

// A link's weight and gradient as the frame has them (the update is the server's: updateText).
export function linkText(link, from, to) {
  const where = `${nodeName(from)} → ${nodeName(to)}`;
  if (!link.index) {
    return (
      `the sum of ${link.count} weights of ${link.name} (${where}): Σw = ${formatNumber(link.weight)}` +
      (link.gradient === null ? "" : `, Σ dL/dw = ${formatNumber(link.gradient)}`)
    );
  }
  const name = `${link.name}[${link.index[0]}, ${link.index[1]}]`;
  let text = `${name} (${where}): w = ${formatNumber(link.weight)}`;
  if (link.gradient === null) return text;
  text += `, dL/dw = ${formatNumber(link.gradient)}`;
  return text;
}

// bias: { bias, gradient } of the node, or null (an input, a fold).
export function nodeText(node, bias) {
  if (node.kind === "input")
    return `input ${node.label}: the point's ${node.label}, fed to every unit of layer 1`;
  const name = nodeName(node);
  if (!bias)
    return `${name}: folded into one node, their links summed (the units with the largest |w| are shown)`;
  const b = `b${node.layer}[${node.unit}]`;
  let text = `${name}: bias ${b} = ${formatNumber(bias.bias)}`;
  if (bias.gradient !== null) text += `, dL/d${b} = ${formatNumber(bias.gradient)}`;
  if (node.kind === "hidden" && node.unit !== null) text += ". Click (or Enter) to open it in Hidden unit";
  return text;
}

// A link's name, as a screen reader says it when it has the focus.
export function linkName(model, link) {
  const from = nodeName(model.columns[link.from[0]][link.from[1]]);
  const to = nodeName(model.columns[link.to[0]][link.to[1]]);
  const what = link.index
    ? `${link.name}[${link.index[0]}, ${link.index[1]}]`
    : `the sum of ${link.count} weights of ${link.name}`;
  return `${what}: ${from} → ${to}; ↑ ↓ the other links${link.index ? ", Enter to edit" : ""}`;
}

// The server's answer to GET .../updates/{name}/{i}/{j}: what the run's optimizer adds next.
export function updateText(update) {
  const rule = {
    sgd: "−η·dL/dw",
    momentum: "β·v − η·dL/dw",
    adam: "−η·m̂/(√v̂ + ε)",
  }[update.optimizer];
  const exact = update.exact
    ? ""
    : " (from the whole training set's gradient; a mini-batch step uses its batch's)";
  return `; ${update.optimizer}'s next update ${rule ? `${rule} ` : ""}= ${formatNumber(update.update)} (η = ${formatNumber(update.learning_rate)})${exact}`;
}
