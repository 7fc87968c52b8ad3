// The export menu: an "Export" button opening a small menu of downloads drawn by the server
// (GET /api/sessions/{id}/figures/{kind}.{fmt}): the boundary and the loss chart as PNG or SVG,
// both runs compared when there is another (otherId()), and a GIF of the training rendered on
// the server (POST .../animations), its progress polled into a <progress> bar, then a link to
// the file. No token: exporting is a viewer's read. Escape closes the menu (lib/escape.js).

import { el } from "../../lib/dom.js";
import { opened } from "../../lib/escape.js";

const POLL_MS = 400;
const GIF = { frames: 60, width: 480, fps: 8 };

function sessionPath(id, path) {
  return `/api/sessions/${encodeURIComponent(id)}/${path}`;
}

// The server's message of a failed request, in words: its "detail" (text, or the first of a 422's list).
async function failureText(response) {
  const data = await response.json().catch(() => null);
  const detail = data?.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail) && detail.length)
    return `${detail[0].loc?.at(-1) ?? "request"}: ${detail[0].msg}`;
  return `the server answered ${response.status}`;
}

// Fetch a file and hand it to the browser as a download named as the server names it, through a
// link put in `where` (inside the menu: a click outside it closes the menu).
async function download(url, where) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    return `the server cannot be reached (${e.message})`;
  }
  if (!response.ok) return failureText(response);
  const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "figure";
  const href = URL.createObjectURL(await response.blob());
  const link = el("a", { href, download: name, hidden: true });
  where.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return null;
}

function megabytes(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

// el: where the button goes. sessionId(): the run shown (null before one begins); otherId(): the
// run it is compared with, or null; shownStep(): the step the timeline was scrubbed back to, or
// null while the page follows the run (the figures then draw the run as it is now).
export function mountExport(root, { sessionId, otherId = () => null, shownStep = () => null }) {
  const button = el(
    "button",
    {
      type: "button",
      id: "export-open",
      className: "export-open",
      "aria-expanded": "false",
      "aria-controls": "export-menu",
    },
    "Export",
  );
  button.title = "Download the boundary, the loss chart or an animation of the training";
  const figures = el("div", { className: "export-figures", role: "group", "aria-label": "Figures" });
  const error = el("p", { className: "error export-error", id: "export-error", role: "alert", hidden: true });
  const animate = el("button", { type: "button", id: "export-gif" }, "Animation (GIF)");
  const progress = el("progress", { id: "export-progress", max: 1, value: 0 });
  const progressLabel = el("label", { htmlFor: "export-progress", id: "export-progress-label" }, "");
  const progressRow = el("div", { className: "export-progress", hidden: true }, [progressLabel, progress]);
  const gifLink = el("a", {
    id: "export-gif-file",
    className: "export-gif-file",
    hidden: true,
    download: "training.gif",
  });
  const menu = el("div", { id: "export-menu", className: "export-menu", hidden: true }, [
    figures,
    el("div", "export-animation", [animate, progressRow, gifLink]),
    error,
  ]);
  root.append(button, menu);

  let forget = null; // removes the menu from Escape's list
  let polling = null;

  function showError(text) {
    error.textContent = text ?? "";
    error.hidden = !text;
  }

  function figureButtons() {
    const kinds = [
      ["boundary", "Boundary"],
      ["loss", "Loss"],
    ];
    if (otherId()) kinds.push(["compare", "Compare"]);
    const buttons = [];
    for (const [kind, name] of kinds) {
      for (const fmt of ["png", "svg"]) {
        const b = el(
          "button",
          { type: "button", id: `export-${kind}-${fmt}` },
          `${name} ${fmt.toUpperCase()}`,
        );
        b.addEventListener("click", () => exportFigure(kind, fmt, b));
        buttons.push(b);
      }
    }
    figures.replaceChildren(...buttons);
  }

  async function exportFigure(kind, fmt, b) {
    const id = sessionId();
    if (!id) return showError("no run yet: start one first");
    showError(null);
    const query = new URLSearchParams({ width: String(fmt === "png" ? 1200 : 800) });
    const other = otherId();
    if (other && kind !== "boundary") query.set("with", other);
    const step = shownStep(); // scrubbed back on the timeline: the figure of that step
    if (step !== null && kind !== "loss") query.set("step", String(step));
    b.disabled = true;
    showError(await download(`${sessionPath(id, `figures/${kind}.${fmt}`)}?${query}`, menu));
    b.disabled = false;
  }

  function showProgress(status) {
    progressRow.hidden = false;
    progress.max = Math.max(1, status.total);
    progress.value = status.done;
    const words = {
      queued: "Waiting for the renderer",
      rendering: "Rendering",
      done: "Rendered",
      failed: "Failed",
    };
    progressLabel.textContent = `${words[status.state]}: ${status.done} of ${status.total} frames`;
  }

  async function startAnimation() {
    const id = sessionId();
    if (!id) return showError("no run yet: start one first");
    showError(null);
    gifLink.hidden = true;
    animate.disabled = true;
    const response = await fetch(sessionPath(id, "animations"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...GIF, with: otherId() }),
    }).catch((e) => ({ ok: false, failure: `the server cannot be reached (${e.message})` }));
    if (!response.ok) {
      animate.disabled = false;
      return showError(response.failure ?? (await failureText(response)));
    }
    const started = await response.json();
    showProgress(started);
    follow(started.id);
  }

  function follow(animationId) {
    clearTimeout(polling);
    polling = setTimeout(async () => {
      const response = await fetch(`/api/animations/${encodeURIComponent(animationId)}`).catch(() => null);
      if (!response?.ok) {
        animate.disabled = false;
        return showError(response ? await failureText(response) : "the server cannot be reached");
      }
      const status = await response.json();
      showProgress(status);
      if (status.state === "done") {
        animate.disabled = false;
        gifLink.href = `/api/animations/${encodeURIComponent(animationId)}/file`;
        gifLink.textContent = `Download the GIF (${status.frames} frames, ${megabytes(status.bytes)})`;
        gifLink.hidden = false;
      } else if (status.state === "failed") {
        animate.disabled = false;
        showError(status.message);
      } else {
        follow(animationId);
      }
    }, POLL_MS);
  }
  animate.addEventListener("click", startAnimation);

  function close() {
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    forget?.();
    forget = null;
  }

  function open() {
    figureButtons();
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    forget = opened(() => {
      close();
      button.focus();
    });
    figures.querySelector("button")?.focus();
  }

  button.addEventListener("click", () => (menu.hidden ? open() : close()));
  // Keys pressed in the menu are the menu's (Space presses a button, not play), but Escape.
  menu.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") event.stopPropagation();
  });
  document.addEventListener("click", (event) => {
    if (!menu.hidden && !root.contains(event.target)) close();
  });
  return { open, close };
}
