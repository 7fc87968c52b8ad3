// The network as a diagram: one node per unit (the input features, each hidden layer, one output
// per class in its colour), one link per weight, its width ∝ |w| and its colour the sign, redrawn
// with every frame; a toggle shows the gradient dL/dW instead. Each hidden node holds the unit's
// small map over the plane (maps.js, from the server). Hover or focus a part for its numbers;
// click a first-layer unit to open it in Hidden unit; the driver clicks a link to set its weight.

import { cssPixels, SizedCanvas } from "../../lib/canvas.js";
import { el } from "../../lib/dom.js";
import { formatNumber } from "../../lib/format.js";
import { NEGATIVE_COLOR, POSITIVE_COLOR } from "../../lib/palette.js";
import { probe } from "../../lib/probe.js";
import { getView, setWeight } from "../../lib/rest.js";
import { mountAnimation } from "./animation.js";
import { build, geometry } from "./drawing.js";
import { light, litStyles, stageWords } from "./lighting.js";
import { frameStyles, paintLinks, visiblyChanged } from "./links.js";
import { followMaps } from "./maps.js";
import {
  diagramModel,
  NARROW_SHOWN_UNITS,
  nodeBias,
  SHOWN_UNITS,
  structureKey,
  WEAK_SHARE,
} from "./model.js";
import { linkText, nodeText, updateText } from "./words.js";

const UPDATE_DELAY_MS = 120; // a pointer passing over links asks for none of them
const SETTLE_MS = 200;

const WHICH = {
  weights: { name: "the weights w", value: "|w|" },
  gradients: { name: "the gradients dL/dw", value: "|dL/dw|" },
};

// GET .../parameters and .../gradients at a past step -> a frame's arrays.
async function pastArrays(sessionId, step) {
  const [parameters, gradients] = await Promise.all([
    getView(sessionId, "parameters", { at_step: step }),
    getView(sessionId, "gradients", { at_step: step }),
  ]);
  if (!(parameters.ok && gradients.ok)) return null;
  const asArray = ({ values, shape }) => ({
    data: Float32Array.from([values].flat(Infinity), (v) => (v === null ? NaN : v)),
    shape,
  });
  const arrays = {};
  for (const [name, p] of Object.entries(parameters.data.params)) arrays[name] = asArray(p);
  for (const [name, g] of Object.entries(gradients.data.grads)) arrays[`d${name}`] = asArray(g);
  return { step: parameters.data.step, arrays };
}

// The selector of the diagram's node or link that has the keyboard's focus, or null.
function focusedPart(drawn) {
  const part = document.activeElement;
  if (!drawn || !part || !drawn.root.contains(part)) return null;
  if (part.dataset.key) return `.network-node[data-key="${part.dataset.key}"]`;
  if (part.dataset.name) {
    const index = part.dataset.index ? `[data-index="${part.dataset.index}"]` : "";
    return `.network-hit[data-name="${part.dataset.name}"]${index}`;
  }
  return null;
}

function swatchOf(color) {
  const s = el("span", "network-swatch");
  s.style.background = color;
  return s;
}

// options: onUnit(j, layer), open hidden unit j of that hidden layer; session(): { id, token } to drive.
export function mount(root, store, { onUnit, session }) {
  root.classList.add("network-view");
  const toggle = el(
    "button",
    { type: "button", id: "network-which", "aria-pressed": "false" },
    "Show the gradients dL/dw",
  );
  const legend = el("span", { className: "network-legend", id: "network-legend" });
  const step = el("span", "muted network-step");
  const animation = mountAnimation(store, {
    units: () => foldedUnits(),
    onStage: () => draw(),
    atStep: () => pastStep,
  });
  const bar = el("div", "inspect-bar network-bar", [toggle, ...animation.buttons, legend, step]);
  const readout = el("p", { className: "network-readout", id: "network-readout", "aria-live": "polite" });
  const bigMap = el("img", { className: "network-bigmap", id: "network-bigmap", alt: "", hidden: true });
  const editValue = el("input", { type: "text", id: "network-edit-value", inputMode: "decimal", size: 10 });
  const editLabel = el("label", { htmlFor: "network-edit-value", id: "network-edit-label" });
  const editError = el("span", { className: "error", id: "network-edit-error", hidden: true });
  const edit = el("form", { className: "network-edit", id: "network-edit", hidden: true }, [
    editLabel,
    editValue,
    el("button", { type: "submit" }, "Set"),
    editError,
  ]);
  const side = el("div", "network-side", [animation.words, animation.error, readout, bigMap, edit]);
  const linkCanvas = el("canvas", { className: "network-canvas", id: "network-links" });
  linkCanvas.setAttribute("aria-hidden", "true"); // the SVG's paths name each link
  const sized = new SizedCanvas(linkCanvas);
  const holder = el("div", { className: "network-holder", id: "network-diagram" });
  const error = el("p", { className: "error", hidden: true });
  root.append(bar, animation.bar, error, el("div", "network-body", [holder, side]));

  let which = "weights";
  let arrays = null; // what is drawn: the live frame's, or a past step's
  let shownStep = null;
  let pastStep = null;
  let model = null;
  let key = null;
  let drawn = null;
  let g = null;
  let maps = null;
  let editing = null; // the link being edited: { name, index }
  let canEdit = true;
  let visible = false;
  let font = 16;
  let describing = 0; // the link described last: a late update for another is dropped
  let paints = 0; // the diagram's paints, for the probe
  let builds = 0; // and its SVG's builds
  let painted = null; // the link styles painted last
  let settle = 0; // the paint of a frame that moved no link visibly, once frames stop
  let legendWords = "";

  // The hidden units a folded diagram shows, as "l:j,..." (the pass then sends their links); null
  // when no layer is folded (it sends them all).
  function foldedUnits() {
    if (!model || !model.columns.flat().some((n) => n.unit === null)) return null;
    const keys = model.columns
      .flat()
      .filter((n) => n.kind === "hidden" && n.unit !== null)
      .map((n) => n.key);
    return keys.join(",") || null;
  }

  const mapView = followMaps(store, {
    // The hidden units the diagram shows (a fold has no map).
    units: () =>
      model
        ? model.columns
            .flat()
            .filter((n) => n.kind === "hidden" && n.unit !== null)
            .map((n) => n.key)
        : [],
    onMaps: (result) => {
      maps = result;
      paintMaps();
      error.hidden = true;
    },
    onError: (message) => {
      error.textContent = message;
      error.hidden = false;
    },
  });

  function paintMaps() {
    if (!maps || !drawn) return;
    for (const [nodeKey, image] of drawn.images) {
      const url = maps.image(nodeKey);
      if (url) image.setAttribute("href", url);
    }
  }

  function features() {
    return store.config?.features ?? ["x1", "x2"];
  }

  // The links on the canvas, as `styles` says; what the probe tells of them.
  function paint(styles) {
    paintLinks(sized, drawn.lines, styles);
    painted = styles;
    probe.networkLinks = model.links.map((link, n) => ({
      name: link.name,
      index: link.index ? link.index.join(",") : null,
      ...styles[n],
    }));
    probe.networkPaints = ++paints;
    probe.networkLinksStep = shownStep;
  }

  // A redraw at the next animation frame: several frames or stage changes before it draw once.
  let pending = false;
  let pendingRebuild = false;
  function draw(rebuild = false) {
    pendingRebuild ||= rebuild;
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const started = performance.now();
      const again = pendingRebuild;
      pendingRebuild = false;
      drawNow(again);
      probe.drawMs += performance.now() - started; // the frame's drawing, done a little later
    });
  }

  // The diagram of `arrays`: its SVG rebuilt when its nodes change (or its size), its links
  // painted on the canvas every time.
  function drawNow(rebuild = false) {
    if (!arrays || !visible) return;
    const width = holder.clientWidth;
    if (!width) return;
    font = cssPixels(root);
    const most = width < 40 * font ? NARROW_SHOWN_UNITS : SHOWN_UNITS;
    model = diagramModel(arrays, {
      features: features(),
      classes: store.classes,
      which,
      most,
      previous: model,
    });
    if (!model) return;
    // The room the tab has under its bar (not the holder's own height, which the drawing sets),
    // at most most of the window: a tall network scrolls in the tab rather than squeezing its maps.
    const room = Math.max(
      10 * font,
      Math.min(root.clientHeight - bar.offsetHeight - font, 0.75 * innerHeight),
    );
    const lit = animation.current();
    const headroom = lit ? 2.3 * font : 0; // the pass's trail of numbers over the columns
    const newKey = `${structureKey(model)}@${width}x${room}+${headroom}`;
    const rebuilt = rebuild || newKey !== key || !drawn;
    if (rebuilt) {
      key = newKey;
      const focused = focusedPart(drawn);
      g = geometry(model, width, room, font, headroom);
      drawn = build(model, g, font);
      probe.networkBuilds = ++builds;
      sized.resize(g.width, g.height);
      holder.replaceChildren(linkCanvas, drawn.root);
      // a keyboard user keeps their place: the node or link they were on, drawn anew
      if (focused) drawn.root.querySelector(focused)?.focus({ preventScroll: true });
      paintMaps();
      mapView.follow(true); // the maps of the units it now shows
    }
    if (rebuilt) painted = null;
    const frame = frameStyles(model, g);
    const styles = lit ? litStyles(model, g, lit.pass, lit.index, frame) : frame;
    clearTimeout(settle);
    if (visiblyChanged(painted, styles)) paint(styles);
    // else painted with the next frame that moves a link, or once the frames stop coming
    else settle = setTimeout(() => paint(styles), SETTLE_MS);
    light(drawn, model, g, font, lit?.pass ?? null, lit?.index ?? 0);
    root.dataset.litStage = lit ? String(lit.index) : ""; // drawn (a new stage always paints)
    root.dataset.step = String(shownStep);
    root.dataset.which = which;
    root.dataset.scale = String(model.scale);
    const words = `links: ${WHICH[which].name}; width ∝ ${WHICH[which].value}, the thickest ${formatNumber(model.scale, 3)}; `;
    const weak = model.dense ? `; links under ${WEAK_SHARE * 100}% of their layer's largest drawn faint` : "";
    if (words + weak !== legendWords) {
      legendWords = words + weak; // the bar is laid out again only when its words change
      legend.replaceChildren(words, swatchOf(NEGATIVE_COLOR), " < 0 < ", swatchOf(POSITIVE_COLOR), weak);
    }
    step.textContent = pastStep === null ? "" : `at step ${shownStep}`;
  }

  function show(newArrays, atStep) {
    arrays = newArrays;
    shownStep = atStep;
    draw();
  }

  new ResizeObserver(() => draw(true)).observe(holder);

  // ---- reading and editing ---------------------------------------------------------------

  function nodeAt(target) {
    const group = target.closest?.(".network-node");
    if (!group || !model) return null;
    return model.columns.flat().find((n) => n.key === group.dataset.key) ?? null;
  }

  function linkAt(target) {
    const n = target.dataset?.link;
    return n === undefined || !model ? null : model.links[Number(n)];
  }

  function describeNode(node) {
    const lit = animation.current();
    readout.textContent =
      nodeText(node, nodeBias(arrays, node)) +
      stageWords(model, lit?.pass, lit?.index, { nodeKey: node.key });
    const url = node.kind === "hidden" && node.unit !== null ? maps?.image(node.key) : null;
    bigMap.hidden = !url;
    if (url) {
      bigMap.src = url;
      const range = maps.range(node.key);
      bigMap.title = `unit ${node.unit}'s activation over the plane, blue ${formatNumber(range[0], 2)} to red ${formatNumber(range[1], 2)}`;
    }
  }

  function describeLink(link) {
    const from = model.columns[link.from[0]][link.from[1]];
    const to = model.columns[link.to[0]][link.to[1]];
    const n = model.links.indexOf(link);
    const lit = animation.current();
    const words = linkText(link, from, to) + stageWords(model, lit?.pass, lit?.index, { link: n });
    readout.textContent = words;
    delete readout.dataset.update;
    bigMap.hidden = true;
    // The update the run's optimizer makes next is the server's (momentum and Adam keep state):
    // asked for once the pointer or the focus rests on a single weight, now or at the step shown.
    const ticket = ++describing;
    if (!link.index || pastStep !== null || link.gradient === null) return;
    setTimeout(async () => {
      if (ticket !== describing) return;
      const [i, j] = link.index;
      const result = await getView(store.sessionId, `updates/${link.name}/${i}/${j}`);
      if (ticket !== describing || !result.ok) return;
      readout.textContent = words.replace(/\.$/, "") + updateText(result.data);
      readout.dataset.update = String(result.data.update);
    }, UPDATE_DELAY_MS);
  }

  holder.addEventListener("mouseover", (event) => {
    const link = linkAt(event.target);
    if (link) describeLink(link);
    const node = nodeAt(event.target);
    if (node) describeNode(node);
  });
  holder.addEventListener("focusin", (event) => {
    const node = nodeAt(event.target);
    if (node) describeNode(node);
    const link = linkAt(event.target);
    if (link) describeLink(link);
  });

  function openUnit(node) {
    if (node?.kind === "hidden" && node.unit !== null) onUnit(node.unit, node.layer);
  }

  holder.addEventListener("click", (event) => {
    const node = nodeAt(event.target);
    if (node) {
      openUnit(node);
      return;
    }
    const link = linkAt(event.target);
    if (!link) return;
    describeLink(link);
    startEdit(link);
  });
  holder.addEventListener("keydown", (event) => {
    const link = linkAt(event.target);
    if (link && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      moveLinkFocus(event.target, event.key === "ArrowDown" ? 1 : -1);
      return;
    }
    if (event.key !== "Enter" && event.key !== " ") return;
    if (link) {
      event.preventDefault();
      startEdit(link);
      return;
    }
    const node = nodeAt(event.target);
    if (!node) return;
    event.preventDefault();
    openUnit(node);
  });

  // The links are one tab stop: ↑/↓ move the focus (and the stop) to the previous or next link.
  function moveLinkFocus(from, by) {
    const hits = drawn.hits;
    const to = hits[(hits.indexOf(from) + by + hits.length) % hits.length];
    from.setAttribute("tabindex", "-1");
    to.setAttribute("tabindex", "0");
    to.focus();
  }

  function startEdit(link) {
    if (!canEdit || !link.index || pastStep !== null) {
      edit.hidden = true;
      return;
    }
    editing = { name: link.name, index: link.index };
    editLabel.textContent = `new ${link.name}[${link.index[0]}, ${link.index[1]}] = `;
    editValue.value = String(Number(link.weight.toPrecision(4)));
    editError.hidden = true;
    edit.hidden = false;
    editValue.focus();
    editValue.select();
  }

  edit.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!editing) return;
    const text = editValue.value.trim();
    const value = Number(text);
    if (text === "" || !Number.isFinite(value)) {
      editError.textContent = "a weight is a finite number, such as -0.5 or 1e-3";
      editError.hidden = false;
      return;
    }
    const result = await setWeight(session(), { ...editing, value });
    if (!result.ok) {
      editError.textContent = result.message;
      editError.hidden = false;
      return;
    }
    editError.hidden = true;
    edit.hidden = true;
    readout.textContent = `${editing.name}[${editing.index.join(", ")}] set to ${formatNumber(result.data.value)}`;
  });

  toggle.addEventListener("click", () => {
    which = which === "weights" ? "gradients" : "weights";
    toggle.setAttribute("aria-pressed", String(which === "gradients"));
    draw();
  });

  return {
    begin() {
      arrays = null;
      model = null;
      maps = null;
      drawn = null;
      key = null;
      delete probe.networkLinks;
      painted = null;
      clearTimeout(settle);
      edit.hidden = true;
      holder.replaceChildren();
      animation.reset();
      mapView.begin();
    },
    update(frame) {
      if (pastStep !== null) return;
      // A frame without the arrays (arrays_every > 1) keeps the last drawn.
      if (frame.arrays.W1) show(frame.arrays, frame.header.step);
      mapView.update();
    },
    async showStep(atStep) {
      pastStep = atStep;
      mapView.showStep(atStep);
      animation.reload();
      if (atStep === null) {
        if (store.frame?.arrays.W1) show(store.frame.arrays, store.frame.header.step);
        return null;
      }
      const past = await pastArrays(store.sessionId, atStep);
      if (!past || pastStep !== atStep) return null;
      show(past.arrays, past.step);
      mapView.follow(true); // that step's diagram may show other units of a wide layer
      return past.step;
    },
    shown() {
      visible = true;
      mapView.shown();
      drawNow(true); // at once: the nodes are there to focus as soon as the tab is
    },
    hidden() {
      visible = false;
      animation.pause();
      mapView.hidden();
    },
    // A watcher sees the numbers but cannot set a weight.
    setEnabled(on) {
      canEdit = on;
      if (!on) edit.hidden = true;
    },
  };
}
