// The compare page's share link: a button that opens a small dialog with the link that shows
// both runs to a class (/twins/<id>: no controls, the same charts) and a Copy button; for the
// driver, the driver link too (the classroom's section, with the twins' tokens).

import { copyOnClick, el } from "../lib/dom.js";
import { opened } from "../lib/escape.js";
import { driverLinkSection } from "../panels/classroom/driver_link_section.js";
import { localOnlyHint } from "../panels/classroom/local_hint.js";

// slot: where the button goes; twinsId; driverLink(): the link that drives both, "" for a watcher.
export function mountShare(slot, twinsId, driverLink) {
  const button = el("button", { type: "button", id: "share", "aria-expanded": "false" }, "Share link");
  button.title = "A link that shows both runs, read-only, for a class to watch";
  const link = `${location.origin}/twins/${encodeURIComponent(twinsId)}`;
  const linkBox = el("input", {
    type: "text",
    id: "share-link",
    readOnly: true,
    spellcheck: false,
    value: link,
    "aria-label": "Link that shows both runs",
  });
  const copy = el("button", { type: "button", id: "share-copy", className: "primary" }, "Copy");
  const driverSection = driverLinkSection(driverLink);
  const panel = el("div", { className: "share-panel", id: "share-panel", hidden: true, role: "dialog" }, [
    el("p", "share-title", "Anyone who opens this link watches both runs live"),
    el("div", "share-row", [linkBox, copy]),
    el("p", "hint", "They see every step you take, side by side, and cannot play, step or reset."),
  ]);
  const localHint = localOnlyHint(); // a 127.0.0.1 link works on this machine only
  if (localHint) panel.append(localHint);
  panel.append(driverSection.node);
  panel.setAttribute("aria-label", "Share this comparison");
  slot.append(button);
  document.body.append(panel);
  copyOnClick(copy, linkBox, () => link);

  let open = false;
  let releaseEscape = () => {};
  function setOpen(value) {
    open = value;
    releaseEscape();
    releaseEscape = open ? opened(() => setOpen(false)) : () => {};
    if (!open && panel.contains(document.activeElement)) button.focus();
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) {
      driverSection.refresh();
      const r = button.getBoundingClientRect();
      panel.style.top = `${r.bottom + 6}px`;
      panel.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - panel.offsetWidth - 8))}px`;
      linkBox.select();
    }
  }
  button.addEventListener("click", () => setOpen(!open));
  document.addEventListener("click", (event) => {
    if (open && !panel.contains(event.target) && event.target !== button) setOpen(false);
  });
  return { setOpen };
}
