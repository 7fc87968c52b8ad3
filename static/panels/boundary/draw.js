// Draw your own data: with the mode on, a click on the boundary adds a training point of the
// chosen class, a shift-click one of the next class, a right-click removes the nearest point.
// Each edit goes to the server as a 'points' message (the driver's only); the weights stay, and
// the points come back to every viewer in a 'points' message before the next frame, which is
// when they are drawn: the page shows what the run trains on, never a local guess.

import { classColor } from "./palette.js";

const PICK_RADIUS_EM = 1.3; // how near a right-click must be to a point to remove it

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// host: the boundary plot; heat: its heatmap canvas, which covers exactly the data box;
// tools: where the toggle and the class picker go; send(message) -> false when not connected.
export function create({ host, heat, tools, send }) {
  const toggle = el("button", "draw-toggle", "✎ Draw points");
  toggle.type = "button";
  toggle.id = "draw-toggle";
  toggle.title = "Click: add a point of the chosen class · shift-click: the next class · right-click: remove (d)";
  toggle.setAttribute("aria-pressed", "false");
  const picker = el("span", "class-picker");
  picker.setAttribute("role", "radiogroup");
  picker.setAttribute("aria-label", "class of new points");
  tools.append(toggle, picker);
  const layer = el("div", "draw-layer");
  layer.id = "draw-layer";
  // The how-to sits on the plot, not in the header, so turning the mode on moves nothing.
  const hint = el("span", "draw-hint", "click: add · shift-click: next class · right-click: remove");
  layer.append(hint);
  host.append(layer);

  let points = null;
  let box = null;
  let classes = 2;
  let chosen = 0;
  let on = false;
  let allowed = true;
  let removing = -Infinity; // when a removal was sent: indices are stale until the points come back

  function setOn(value) {
    on = value && allowed;
    toggle.setAttribute("aria-pressed", String(on));
    document.body.dataset.drawing = String(on);
    picker.classList.toggle("off", !on);
  }

  function buildPicker() {
    picker.replaceChildren();
    for (let k = 0; k < classes; k++) {
      const button = el("button", "class-choice");
      button.type = "button";
      button.dataset.class = String(k);
      button.setAttribute("role", "radio");
      button.setAttribute("aria-checked", String(k === chosen));
      button.title = `new points are class ${k}`;
      button.style.setProperty("--class-color", classColor(k));
      button.append(el("span", "swatch"), `${k}`);
      button.querySelector(".swatch").style.background = classColor(k);
      button.addEventListener("click", () => {
        chosen = k;
        for (const b of picker.children) b.setAttribute("aria-checked", String(b === button));
      });
      picker.append(button);
    }
  }

  // A client position -> the data point under it, or null outside the plot square.
  function toData(event) {
    const r = heat.getBoundingClientRect();
    const fx = (event.clientX - r.left) / r.width;
    const fy = (event.clientY - r.top) / r.height;
    if (!box || !(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return null;
    const [x0, x1, y0, y1] = box;
    return { x: x0 + fx * (x1 - x0), y: y1 - fy * (y1 - y0), rect: r };
  }

  function nearest(event, rect) {
    const [x0, x1, y0, y1] = box;
    const font = parseFloat(getComputedStyle(host).fontSize) || 14;
    let best = -1;
    let bestDistance = PICK_RADIUS_EM * font;
    for (let i = 0; i < points.x.length; i++) {
      const px = rect.left + ((points.x[i] - x0) / (x1 - x0)) * rect.width;
      const py = rect.top + (1 - (points.y[i] - y0) / (y1 - y0)) * rect.height;
      const d = Math.hypot(px - event.clientX, py - event.clientY);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }

  layer.addEventListener("click", (event) => {
    event.stopPropagation(); // while drawing, a click adds a point; it does not pick one to inspect
    const at = on && toData(event);
    if (!at) return;
    const label = event.shiftKey ? (chosen + 1) % classes : chosen;
    send({ type: "points", add: [{ x: at.x, y: at.y, label }], remove: [] });
  });
  layer.addEventListener("contextmenu", (event) => {
    if (!on) return;
    event.preventDefault(); // the right button is ours while drawing, not the browser's menu
    const at = toData(event);
    if (!at || !points || performance.now() - removing < 2000) return;
    const i = nearest(event, at.rect);
    if (i < 0) return;
    if (send({ type: "points", add: [], remove: [i] })) removing = performance.now();
  });
  toggle.addEventListener("click", () => setOn(!on));
  document.addEventListener("keydown", (event) => {
    if (event.key !== "d" || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (event.target.closest("input, select, textarea")) return;
    setOn(!on);
  });

  setOn(false);

  return {
    begin(message) {
      points = message.points;
      box = message.box;
      classes = message.classes;
      chosen = Math.min(chosen, classes - 1);
      removing = -Infinity;
      buildPicker();
    },
    setPoints(newPoints, newBox) {
      points = newPoints;
      box = newBox;
      removing = -Infinity;
    },
    update() {},
    // Only the driver edits the data; a watcher's toggle stays off and disabled.
    setEnabled(value) {
      allowed = value;
      toggle.disabled = !value;
      if (!value) setOn(false);
    },
  };
}
