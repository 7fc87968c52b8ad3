// Views that follow a live run over REST (hidden space, loss slice, the timeline's past step)
// want new data on every frame, 30 times a second. This asks for the newest wish only, one
// request at a time and no sooner than `gap` ms after the last began, so a slow server or a
// fast drag on the timeline never builds a queue of stale answers.

export class Latest {
  // load(key) -> Promise of a result; show(result, key) draws it. Keys are strings.
  constructor(load, show, { gap = 250 } = {}) {
    this.load = load;
    this.show = show;
    this.gap = gap;
    this.wanted = null;
    this.loaded = null; // the key last shown
    this.busy = false;
    this.timer = null;
    this.lastStart = -Infinity;
    this.generation = 0;
  }

  want(key) {
    this.wanted = key;
    this.pump();
  }

  // Forget what was wanted and what is in flight (a new session, or back to live).
  cancel() {
    this.generation += 1;
    this.wanted = null;
    this.loaded = null;
    clearTimeout(this.timer);
    this.timer = null;
    this.busy = false;
  }

  pump() {
    if (this.busy || this.timer !== null || this.wanted === null || this.wanted === this.loaded) return;
    const wait = this.lastStart + this.gap - performance.now();
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
    this.lastStart = performance.now();
    this.load(key)
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
