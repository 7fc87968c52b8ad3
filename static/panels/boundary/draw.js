// Draw your own data: with the mode on, a click on the boundary adds a training point of the
// chosen class, a shift-click one of the next class, a right-click removes the nearest point.
// Each edit goes to the server as a 'points' message (the driver's only); the weights stay, and
// the points come back to every viewer in a 'points' message before the next frame, which is
// when they are drawn: the page shows what the run trains on, never a local guess.
//
// The toggle and the class picker sit under the plot; the layer that takes the clicks lies over
// the plot, as one of the boundary's layers.
//
// A blank canvas (startBlank) is drawn on before any run has the points: the clicks collect a
// draft, shown on a white square, and "Train on these" starts a run on exactly them (the server
// cannot hold a run without points). Then drawing goes on as above.

import { SizedCanvas } from "../../lib/canvas.js";
import { el, onPageKey, swatch } from "../../lib/dom.js";
import { classColor } from "../../lib/palette.js";

const PICK_RADIUS_EM = 1.3; // how near a right-click must be to a point to remove it
const REMOVAL_WAIT_MS = 2000; // after a removal, indices are stale until the points come back

// tools: where the toggle and the class picker go; send(message) -> false when not connected;
// startWithPoints(points, classes, trainFraction): a new run on a blank canvas's points.
// The panel's `layer` goes to the boundary's addLayer.
export function mount(tools, store, { send, startWithPoints }) {
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
  const draftCanvas = new SizedCanvas(document.createElement("canvas"));
  draftCanvas.canvas.className = "draw-draft";
  const train = el(
    "button",
    { type: "button", className: "primary", id: "draft-train", disabled: true },
    "Train on these",
  );
  train.title = "Start a run on the points drawn on the blank canvas";
  const cancel = el("button", { type: "button", id: "draft-cancel" }, "Cancel");
  cancel.title = "Leave the blank canvas (Escape)";
  // On the plot, where the drawing is (the row under it has no room).
  const draftBar = el("div", { className: "draft-bar", hidden: true }, [
    el("span", "draft-hint", "blank canvas: click to add points"),
    train,
    cancel,
  ]);
  const layer = el("div", { className: "draw-layer", id: "draw-layer" }, [
    draftCanvas.canvas,
    hint,
    draftBar,
  ]);

  let geometry = () => null;
  let choices = []; // the picker's buttons, one a class
  let classes = 2;
  let chosen = 0;
  let on = false;
  let allowed = true;
  let removing = -Infinity; // when a removal was sent
  let draft = null; // the blank canvas's points, [{ x, y, label }], or null when not drafting

  let painted = false; // the draft canvas has something on it to clear
  function drawDraft() {
    const g = geometry();
    if (!g || (!draft && !painted)) return;
    draftCanvas.resize(g.width, g.height);
    const ctx = draftCanvas.begin();
    painted = draft !== null;
    if (!draft) return;
    ctx.fillStyle = "#fff";
    ctx.fillRect(g.rect.left, g.rect.top, g.rect.side, g.rect.side);
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 1;
    const r = g.radius * 1.2;
    for (const p of draft) {
      const [px, py] = g.toPixel(p.x, p.y);
      ctx.fillStyle = classColor(p.label);
      g.drawMarker(ctx, "circle", px, py, r);
    }
    train.disabled = draft.length === 0;
    train.textContent = draft.length ? `Train on these ${draft.length}` : "Train on these";
    layer.dataset.draftPoints = String(draft.length);
  }

  function setDraft(points) {
    draft = points;
    draftBar.hidden = draft === null;
    document.body.dataset.blank = String(draft !== null);
    hint.hidden = draft !== null;
    if (draft) setOn(true);
    drawDraft();
  }

  function nearestDraft(g, px, py) {
    const font = parseFloat(getComputedStyle(layer).fontSize) || 14;
    let best = -1;
    let bestDistance = PICK_RADIUS_EM * font;
    draft.forEach((p, i) => {
      const [qx, qy] = g.toPixel(p.x, p.y);
      const d = Math.hypot(qx - px, qy - py);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    });
    return best;
  }

  function setOn(value) {
    on = value && allowed;
    toggle.setAttribute("aria-pressed", String(on));
    document.body.dataset.drawing = String(on);
    picker.classList.toggle("off", !on);
    if (!on && draft) setDraft(null); // the blank canvas is a way of drawing: it goes with the mode
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
    if (draftBar.contains(event.target)) return;
    const g = geometry();
    const at = on && g && g.toData(...g.local(event));
    if (!at) return;
    const label = event.shiftKey ? (chosen + 1) % classes : chosen;
    if (draft) setDraft([...draft, { x: at.x, y: at.y, label }]);
    else send({ type: "points", add: [{ x: at.x, y: at.y, label }], remove: [] });
  });
  layer.addEventListener("contextmenu", (event) => {
    if (!on || draftBar.contains(event.target)) return;
    event.preventDefault(); // the right button is ours while drawing, not the browser's menu
    const g = geometry();
    if (g && draft) {
      const i = nearestDraft(g, ...g.local(event));
      if (i >= 0) setDraft(draft.filter((_, k) => k !== i));
      return;
    }
    if (!g || performance.now() - removing < REMOVAL_WAIT_MS) return;
    const [px, py] = g.local(event);
    if (!g.toData(px, py)) return;
    const i = nearest(g, px, py);
    if (i < 0) return;
    if (send({ type: "points", add: [], remove: [i] })) removing = performance.now();
  });
  toggle.addEventListener("click", () => setOn(!on));
  train.addEventListener("click", () => {
    const points = draft;
    setDraft(null);
    if (points?.length) startWithPoints(points, classes, 1); // drawn points are all for training
  });
  cancel.addEventListener("click", () => setDraft(null));
  onPageKey((event) => {
    if (event.key === "d") setOn(!on);
    else if (event.key === "Escape" && draft) setDraft(null);
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
      draw: drawDraft,
    },
    // A blank canvas to draw on: the next run trains on what is drawn there.
    startBlank() {
      if (allowed) setDraft([]);
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
      if (!value) {
        setDraft(null);
        setOn(false);
      }
    },
  };
}
