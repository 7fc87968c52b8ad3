// A panel with tabs, so more views share one place on the screen. Each tab holds a panel with
// the same small interface as every other: begin(hello), update(frame). Every tab hears begin;
// only the visible one gets frames (a hidden view costs nothing), and a tab shown again is
// given the last frame at once, so it never shows stale numbers.
//
// Panels may also have shown() and hidden() (e.g. to fetch over REST only while visible).

export function create(nav, body, hint) {
  const tabs = [];
  let active = null;
  let lastHello = null;
  let lastFrame = null;

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
    hint.textContent = tab.hint || "";
    tab.panel.shown?.();
    if (lastFrame) tab.panel.update(lastFrame);
  }

  return {
    // create(element) makes the panel inside its own body element.
    add({ id, title, hint: hintText = "", create: make }) {
      const button = document.createElement("button");
      button.type = "button";
      button.role = "tab";
      button.id = `tab-${id}`;
      button.textContent = title;
      button.setAttribute("aria-selected", "false");
      button.addEventListener("click", () => select(id));
      nav.append(button);
      const tabBody = document.createElement("div");
      tabBody.className = "tab-body";
      tabBody.id = `tab-body-${id}`;
      tabBody.role = "tabpanel";
      tabBody.hidden = true;
      body.append(tabBody);
      const tab = { id, button, body: tabBody, hint: hintText, panel: make(tabBody) };
      tabs.push(tab);
      if (lastHello) tab.panel.begin(lastHello);
      if (!active) select(id);
      return tab.panel;
    },
    select,
    get active() {
      return active?.id ?? null;
    },
    begin(hello) {
      lastHello = hello;
      lastFrame = null;
      for (const tab of tabs) tab.panel.begin(hello);
    },
    update(frame) {
      lastFrame = frame;
      active?.panel.update(frame);
    },
  };
}
