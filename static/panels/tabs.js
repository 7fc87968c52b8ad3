// A panel with tabs, so more views share one place on the screen. Each tab holds a panel with
// the same contract as every other (app.js): every tab hears begin and showStep; only the
// visible one gets frames (a hidden view costs nothing), and a tab shown again is given the
// latest frame at once, so it never shows stale numbers. Tab panels may also have shown() and
// hidden() (e.g. to fetch over REST only while visible).

import { el } from "../lib/dom.js";

// section: the panel (#inspector-tabs, #inspector-body, #inspector-hint).
export function mount(section, store) {
  const nav = section.querySelector("#inspector-tabs");
  const body = section.querySelector("#inspector-body");
  const hint = section.querySelector("#inspector-hint");
  const tabs = [];
  let active = null;

  function select(id) {
    const tab = tabs.find((t) => t.id === id);
    if (!tab || tab === active) return;
    if (active) {
      active.button.setAttribute("aria-selected", "false");
      active.body.hidden = true;
      active.panel.hidden?.();
    }
    active = tab;
    tab.button.setAttribute("aria-selected", "true");
    tab.body.hidden = false;
    hint.textContent = tab.hint;
    // The views that need more room than the weights make the panel grow while they are open.
    section.classList.toggle("panel-roomy", tab.roomy);
    tab.panel.shown?.();
    if (store.frame) tab.panel.update?.(store.frame);
  }

  return {
    // mount(element) makes the tab's panel inside its own body element, whose id is bodyId
    // (default tab-body-<id>). roomy: the panel grows while this tab is open.
    add({ id, title, hint: hintText = "", roomy = false, bodyId = `tab-body-${id}`, mount: make }) {
      const button = el(
        "button",
        { type: "button", role: "tab", id: `tab-${id}`, "aria-selected": "false", "aria-controls": bodyId },
        title,
      );
      button.addEventListener("click", () => select(id));
      nav.append(button);
      // Focusable: a keyboard scrolls a view taller than the panel.
      const tabBody = el("div", {
        className: "tab-body",
        id: bodyId,
        role: "tabpanel",
        hidden: true,
        tabIndex: 0,
        "aria-labelledby": `tab-${id}`,
      });
      body.append(tabBody);
      const tab = { id, button, body: tabBody, hint: hintText, roomy, panel: make(tabBody) };
      tabs.push(tab);
      if (store.hello) tab.panel.begin?.(store.hello);
      if (!active) select(id);
      return tab.panel;
    },
    select,
    begin(hello) {
      for (const tab of tabs) tab.panel.begin?.(hello);
    },
    update(frame) {
      active?.panel.update?.(frame);
    },
    showStep(step) {
      return Promise.all(tabs.map((tab) => tab.panel.showStep?.(step))).then((shown) =>
        shown.find(Number.isInteger),
      );
    },
  };
}
