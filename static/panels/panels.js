// The Panel contract: every view on the page is a panel with the same small interface.
//
//   mount(el, store, options) -> panel   makes the panel's DOM inside el, its own element
//   panel.begin?(hello)                  a session began (or the stream reconnected)
//   panel.update?(frame)                 a live frame: { header, arrays }; draw synchronously
//   panel.showStep?(step)                the timeline: show kept step `step`, or follow the run
//                                        again (null); may return a Promise of the step shown
//
// A panel reads what the run is from the page store (lib/store.js: points, box, config, the
// latest frame), which the stream has already updated when begin and update are called, and
// follows store.on("points") when the data can change under it. A panel never touches another
// panel's DOM, and no logic reads values back from the DOM: a panel keeps what it shows in its
// own variables. What one panel needs from another goes through an option of mount (a callback,
// or the other panel's methods), never through a query of the document.
//
// Tabs (tabs.js) hold panels too; a tab panel may also have shown() and hidden(). Panels that
// only a driver may use have setEnabled(on, reason).

export class Panels {
  constructor() {
    this.list = [];
  }

  // Keeps the panel for the calls below, and returns it.
  add(panel) {
    this.list.push(panel);
    return panel;
  }

  begin(hello) {
    for (const panel of this.list) panel.begin?.(hello);
  }

  update(frame) {
    for (const panel of this.list) panel.update?.(frame);
  }

  // Resolves to the step shown, as the first panel that says so has it.
  async showStep(step) {
    const shown = await Promise.all(this.list.map((panel) => panel.showStep?.(step)));
    return shown.find(Number.isInteger) ?? null;
  }
}
