// The page's one throttle. Views that follow a live run over REST (the derivation, a hidden
// unit, the hidden space, the loss slice, the timeline's past step) would want new data on every
// frame, 30 times a second, and a slider would send on every pixel it moves. This asks for the
// newest wish only, one at a time and no sooner than `gap` ms after the last began, so a slow
// server or a fast drag never builds a queue of stale answers; the last wish is always carried
// out, so a paused run ends up shown at its final step.

export class Latest {
  // load(key) -> Promise of a result (or a plain value); show(result, key) draws it. Keys are
  // strings that name what to show: a wish equal to what was last shown is already done.
  constructor(load, show = () => {}, { gap = 250 } = {}) {
    this.load = load;
    this.show = show;
    this.gap = gap;
    this.wanted = null;
    this.loaded = null; // the key last shown
    this.busy = false;
    this.timer = null;
    this.lastStart = -Infinity;
    this.urgent = false; // the next load goes at once, whatever the gap
    this.generation = 0;
  }

  // Ask for `key`. now: a person asked for it (a click), so it goes without waiting out the gap.
  want(key, { now = false } = {}) {
    this.wanted = key;
    if (now) {
      this.urgent = true;
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.pump();
  }

  // Forget what was wanted and what is in flight (a new session, a hidden view, back to live).
  cancel() {
    this.generation += 1;
    this.wanted = null;
    this.loaded = null;
    clearTimeout(this.timer);
    this.timer = null;
    this.busy = false;
    this.urgent = false;
  }

  pump() {
    if (this.busy || this.timer !== null || this.wanted === null || this.wanted === this.loaded) return;
    const wait = this.urgent ? 0 : this.lastStart + this.gap - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, wait);
      return;
    }
    const key = this.wanted;
    const generation = this.generation;
    this.busy = true;
    this.urgent = false;
    this.lastStart = performance.now();
    Promise.resolve(this.load(key))
      .then((result) => {
        if (generation !== this.generation) return;
        this.loaded = key;
        this.show(result, key);
      })
      .finally(() => {
        if (generation !== this.generation) return;
        this.busy = false;
        this.pump();
      });
  }
}
