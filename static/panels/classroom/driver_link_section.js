// The share dialog's "driver link" section, for the driver only: the link with the control token
// that takes this run back from any browser (a reload, another laptop, the phone in a pocket).
// It gives control, so it is kept apart from the watch link and says so.

import { copyOnClick, el } from "../../lib/dom.js";

// driverLink(): the link, or "" when this page watches. Returns { node, refresh() }.
export function driverLinkSection(driverLink) {
  const box = el("input", {
    type: "text",
    id: "driver-link",
    readOnly: true,
    spellcheck: false,
    "aria-label": "Driver link",
  });
  const copy = el("button", { type: "button", id: "driver-link-copy" }, "Copy");
  const node = el("section", { className: "driver-link", id: "driver-link-section", hidden: true }, [
    el("p", "share-title", "Driver link (keep it private: it gives control)"),
    el("div", "share-row", [box, copy]),
    el(
      "p",
      "hint",
      "Open it to take this run back after a reload, a closed tab or a laptop that slept, or to " +
        "drive from another device. This browser remembers it too.",
    ),
  ]);

  copyOnClick(copy, box);

  return {
    node,
    refresh() {
      const link = driverLink();
      box.value = link;
      node.hidden = !link;
    },
  };
}
