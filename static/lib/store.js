// The page store: the page's one copy of what the server has said about the run it shows. The
// stream writes it (the hello, 'points' messages, 'ok' messages, frames); every panel reads it.
// Nothing else keeps its own copy of the points or of the run's state, so when a driver edits
// the data every view follows from here.
//
// hello: { session: { id, config, status, step, ... }, role, points: { x, y, label, train,
// test }, box: [x_min, x_max, y_min, y_max], classes, history } (docs/protocol.md).

export class PageStore {
  constructor() {
    this.hello = null;
    this.points = null; // all points: { x, y, label, train (indices), test (indices) }
    this.box = null; // [x_min, x_max, y_min, y_max] of the plots
    this.frame = null; // the latest live frame, { header, arrays }
    this.step = null;
    this.status = null; // "paused" | "running" | "diverged" | "failed"
    this.live = null; // the settings a run changes without a reset, as the latest frame has them
    this.listeners = new Map();
  }

  // ---- what the stream writes ----------------------------------------------------------

  // A new session, or the same one after a reconnect: everything starts again from the hello.
  begin(hello) {
    this.hello = hello;
    this.points = hello.points;
    this.box = hello.box;
    this.frame = null;
    this.step = hello.session.step;
    this.status = hello.session.status;
    this.live = null;
  }

  // A driver added or removed points: the new list, and the plots' box around them.
  setPoints(points, box) {
    this.points = points;
    if (box) this.box = box;
    this.emit("points");
  }

  setFrame(frame) {
    const f = frame.header;
    this.frame = frame;
    this.step = f.step;
    this.status = f.status;
    if (f.live) this.live = f.live;
  }

  // An 'ok' message may say the run's status changed before the next frame does.
  setStatus(status) {
    this.status = status;
  }

  // ---- what panels read ------------------------------------------------------------------

  get session() {
    return this.hello ? this.hello.session : null;
  }

  get sessionId() {
    return this.hello ? this.hello.session.id : null;
  }

  // The run's configuration as it was started (RunConfig, nested), or null before a hello.
  get config() {
    return this.hello ? this.hello.session.config : null;
  }

  get classes() {
    return this.hello ? this.hello.classes : 0;
  }

  // How many training points there are: the derivation and the hidden units number them.
  get trainCount() {
    return this.points ? this.points.train.length : 0;
  }

  // The settings the run has now: the live ones from the latest frame over the configuration.
  setting(name) {
    if (this.live && this.live[name] !== undefined) return this.live[name];
    return this.config ? this.config[name] : undefined;
  }

  // ---- changes a panel can follow ----------------------------------------------------------

  // on("points", fn): fn() after the points changed.
  on(event, fn) {
    if (!this.listeners.has(event)) this.listeners.set(event, []);
    this.listeners.get(event).push(fn);
  }

  emit(event) {
    for (const fn of this.listeners.get(event) ?? []) fn();
  }
}
