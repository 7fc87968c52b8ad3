// The share link: a button that opens a small dialog with the link that watches this run
// read-only, and a Copy button; for the driver, the driver link too (driver_link_section.js).

import { copyOnClick, el } from "../../lib/dom.js";
import { opened } from "../../lib/escape.js";
import { driverLinkSection } from "./driver_link_section.js";
import { localOnlyHint } from "./local_hint.js";
import { lightLinkChoice } from "./share_light.js";

// button: the Share button (the dialog opens under it); sessionId(): the run to share;
// driverLink(): the link that drives it, "" for a watcher.
export function shareDialog(button, sessionId, driverLink = () => "") {
  const linkBox = el("input", {
    type: "text",
    id: "share-link",
    readOnly: true,
    spellcheck: false,
    "aria-label": "Link that watches this run",
  });
  const copy = el("button", { type: "button", id: "share-copy", className: "primary" }, "Copy");
  const light = lightLinkChoice(() => {
    link = shareUrl();
    linkBox.value = link;
  });
  const panel = el("div", { className: "share-panel", id: "share-panel", hidden: true, role: "dialog" }, [
    el("p", "share-title", "Anyone who opens this link watches this run live"),
    el("div", "share-row", [linkBox, copy]),
    light.element,
    el(
      "p",
      "hint",
      "They see every step you take, and cannot play, step, reset or change anything. " +
        "Starting another run (new data, a preset) makes a new link.",
    ),
  ]);
  panel.setAttribute("aria-label", "Share this run");
  const localHint = localOnlyHint(); // a 127.0.0.1 link works on this machine only
  if (localHint) panel.append(localHint);
  const driverSection = driverLinkSection(driverLink);
  panel.append(driverSection.node);
  document.body.append(panel);
  let open = false;
  let link = ""; // the link shown

  function shareUrl() {
    const id = sessionId();
    return light.apply(id ? `${location.origin}/?watch=${encodeURIComponent(id)}` : "");
  }

  function place() {
    const r = button.getBoundingClientRect();
    panel.style.top = `${r.bottom + 6}px`;
    panel.style.left = `${Math.max(8, r.left)}px`;
  }

  let releaseEscape = () => {};
  function setOpen(value) {
    open = value;
    releaseEscape();
    releaseEscape = open ? opened(() => setOpen(false)) : () => {};
    if (!open && panel.contains(document.activeElement)) button.focus(); // where the keyboard was
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) {
      link = shareUrl();
      linkBox.value = link;
      driverSection.refresh();
      place();
      linkBox.select();
    }
  }

  button.addEventListener("click", () => setOpen(!open));
  copyOnClick(copy, linkBox, () => link);
  document.addEventListener("click", (event) => {
    if (open && !panel.contains(event.target) && event.target !== button) setOpen(false);
  });

  return {
    get open() {
      return open;
    },
    setOpen,
    // The page moved (presentation mode): the dialog follows its button.
    place() {
      if (open) place();
    },
    // A new run: an open dialog shows its link.
    refresh() {
      if (!open) return;
      link = shareUrl();
      linkBox.value = link;
      driverSection.refresh();
    },
  };
}
