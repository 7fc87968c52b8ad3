// Draw your own data: with the mode on, a click on the boundary adds a training point of the
// chosen class, a shift-click one of the next class, a right-click removes the nearest point.
// Each edit goes to the server as a 'points' message (the driver's only); the weights stay, and
// the points come back to every viewer in a 'points' message before the next frame, which is
// when they are drawn: the page shows what the run trains on, never a local guess.
//
// The toggle and the class picker sit under the plot; the layer that takes the clicks lies over
// the plot, as one of the boundary's layers.

import { el, onPageKey, swatch } from "../../lib/dom.js";
import { classColor } from "../../lib/palette.js";

const PICK_RADIUS_EM = 1.3; // how near a right-click must be to a point to remove it
const REMOVAL_WAIT_MS = 2000; // after a removal, indices are stale until the points come back

// tools: where the toggle and the class picker go; send(message) -> false when not connected.
// The panel's `layer` goes to the boundary's addLayer.
export function mount(tools, store, { send }) {
  const toggle = el(
    "button",
    {
      className: "draw-toggle",
      type: "button",
      id: "draw-toggle",
      title: "Click: add a point of the chosen class · shift-click: the next class · right-click: remove (d)",
      "aria-pressed": "false",
    },
    "✎ Draw points",
  );
  const picker = el("span", {
    className: "class-picker",
    role: "radiogroup",
    "aria-label": "class of new points",
  });
  tools.append(toggle, picker);
  // The how-to sits on the plot, not in the header, so turning the mode on moves nothing.
  const hint = el("span", "draw-hint", "click: add · shift-click: next class · right-click: remove");
  const layer = el("div", { className: "draw-layer", id: "draw-layer" }, hint);

  let geometry = () => null;
  let choices = []; // the picker's buttons, one a class
  let classes = 2;
  let chosen = 0;
  let on = false;
  let allowed = true;
  let removing = -Infinity; // when a removal was sent

  function setOn(value) {
    on = value && allowed;
    toggle.setAttribute("aria-pressed", String(on));
    document.body.dataset.drawing = String(on);
    picker.classList.toggle("off", !on);
  }

  function choose(k) {
    chosen = k;
    choices.forEach((b, c) => {
      b.setAttribute("aria-checked", String(c === k));
    });
  }

  function buildPicker() {
    choices = Array.from({ length: classes }, (_, k) => {
      const button = el("button", { className: "class-choice", type: "button", role: "radio" }, [
        swatch(classColor(k)),
        `${k}`,
      ]);
      button.dataset.class = String(k);
      button.setAttribute("aria-checked", String(k === chosen));
      button.title = `new points are class ${k}`;
      button.style.setProperty("--class-color", classColor(k));
      button.addEventListener("click", () => choose(k));
      return button;
    });
    picker.replaceChildren(...choices);
  }

  // The point nearest to (px, py) within reach, by its index among all points, or -1.
  function nearest(g, px, py) {
    const font = parseFloat(getComputedStyle(layer).fontSize) || 14;
    let best = -1;
    let bestDistance = PICK_RADIUS_EM * font;
    for (let i = 0; i < g.points.x.length; i++) {
      const [qx, qy] = g.toPixel(g.points.x[i], g.points.y[i]);
      const d = Math.hypot(qx - px, qy - py);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }

  layer.addEventListener("click", (event) => {
    event.stopPropagation(); // while drawing, a click adds a point; it does not pick one to inspect
    const g = geometry();
    const at = on && g && g.toData(...g.local(event));
    if (!at) return;
    const label = event.shiftKey ? (chosen + 1) % classes : chosen;
    send({ type: "points", add: [{ x: at.x, y: at.y, label }], remove: [] });
  });
  layer.addEventListener("contextmenu", (event) => {
    if (!on) return;
    event.preventDefault(); // the right button is ours while drawing, not the browser's menu
    const g = geometry();
    if (!g || performance.now() - removing < REMOVAL_WAIT_MS) return;
    const [px, py] = g.local(event);
    if (!g.toData(px, py)) return;
    const i = nearest(g, px, py);
    if (i < 0) return;
    if (send({ type: "points", add: [], remove: [i] })) removing = performance.now();
  });
  toggle.addEventListener("click", () => setOn(!on));
  onPageKey((event) => {
    if (event.key === "d") setOn(!on);
  });
  store.on("points", () => {
    removing = -Infinity; // the edit came back: indices are fresh again
  });

  setOn(false);

  return {
    layer: {
      element: layer,
      attach(geometryOf) {
        geometry = geometryOf;
      },
      draw() {},
    },
    begin(hello) {
      classes = hello.classes;
      chosen = Math.min(chosen, classes - 1);
      removing = -Infinity;
      buildPicker();
    },
    // Only the driver edits the data; a watcher's toggle stays off and disabled.
    setEnabled(value) {
      allowed = value;
      toggle.disabled = !value;
      if (!value) setOn(false);
    },
  };
}
