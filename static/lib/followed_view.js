// A view that follows the run over REST (the derivation, a hidden unit, the hidden space, the
// loss slice): while it is visible it fetches what it shows again as the run moves on, at most
// once a `gap`, the newest step only (lib/throttle.js); scrubbed back, it fetches the
// timeline's step instead (at_step) and ignores the run until the timeline goes live again.
// A tab panel hands it its shown, hidden, update and showStep calls.

import { Latest } from "./throttle.js";

export class FollowedView {
  // what(): what to show besides the step, e.g. { n: 3 } (its JSON names the request), or null
  // when there is nothing to show;
  // load({ sessionId, atStep, ...what }) -> Promise of a result; show(result, what) draws it
  // (what: the wish it answers, which may be older than what() is now).
  constructor(store, { what = () => ({}), load, show, gap }) {
    this.store = store;
    this.what = what;
    this.visible = false;
    this.atStep = null; // the past step the timeline shows, or null when live
    this.fetcher = new Latest(
      (key) => load(JSON.parse(key)),
      (result, key) => {
        if (this.visible) show(result, JSON.parse(key));
      },
      { gap },
    );
  }

  // Fetch what to show now, if it is not shown already. now: a person asked (a click, a new
  // tab), so without waiting out the gap.
  follow(now = false) {
    const { store } = this;
    const what = this.what();
    if (!store.sessionId || !this.visible || what === null) return;
    // Live, the step is part of the wish, so each new step is a new one; in the past it is not.
    const live = this.atStep === null ? store.step : null;
    const wish = { sessionId: store.sessionId, atStep: this.atStep, live, ...what };
    this.fetcher.want(JSON.stringify(wish), { now });
  }

  // ---- the panel's calls ------------------------------------------------------------------

  // A new session: nothing in flight or shown from the last one counts.
  begin() {
    this.fetcher.cancel();
  }

  update() {
    if (this.atStep === null) this.follow();
  }

  showStep(step) {
    this.atStep = step;
    this.follow(true);
  }

  shown() {
    this.visible = true;
    this.follow(true);
  }

  hidden() {
    this.visible = false;
    this.fetcher.cancel();
  }
}
