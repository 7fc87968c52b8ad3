// The compare tab's memory across reloads: per session, the last check (the text sent, or the
// file's contents), how it was compared (the downloaded inputs' pin, or a step), and the pin of
// the last download, in this browser's localStorage. A check is re-sent after a reload, so the
// numbers shown are the server's, never a stale copy. A check over MAX_CHARS is not kept (the
// tab says so): storage is small and shared with the page's other memories. No DOM here.

const PREFIX = "bpv.check.";
const ID = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_CHARS = 1_000_000; // about 1 MB of text
const MOST = 5; // sessions whose last check is kept: the newest

// storage: localStorage, or any object with its methods; now(): the time in ms.
export class LastChecks {
  constructor(storage, now = Date.now) {
    this.storage = storage;
    this.now = now;
  }

  // entry: { text, pin, atStep, step }. { kept: true } or { kept: false, reason }.
  save(sessionId, entry) {
    if (!ID.test(sessionId)) return { kept: false, reason: "this run's id cannot be a storage key" };
    const value = JSON.stringify({ ...entry, saved: this.now() });
    if (value.length > MAX_CHARS) {
      this.forget(sessionId); // an older, smaller check would come back in its place
      return { kept: false, reason: `over ${MAX_CHARS / 1e6} MB, it is not kept for a reload` };
    }
    try {
      this.storage.setItem(PREFIX + sessionId, value);
    } catch {
      return { kept: false, reason: "this browser's storage refused it: it is not kept for a reload" };
    }
    this.prune();
    return { kept: true };
  }

  load(sessionId) {
    if (!ID.test(sessionId)) return null;
    try {
      const entry = JSON.parse(this.storage.getItem(PREFIX + sessionId));
      return entry && typeof entry.text === "string" && Number.isFinite(entry.saved) ? entry : null;
    } catch {
      return null;
    }
  }

  forget(sessionId) {
    try {
      this.storage.removeItem(PREFIX + sessionId);
    } catch {
      // nothing kept to forget
    }
  }

  // All but the newest MOST sessions' checks go.
  prune() {
    const entries = [];
    for (let i = 0; i < this.storage.length; i++) {
      const key = this.storage.key(i);
      if (!key?.startsWith(PREFIX)) continue;
      const entry = this.load(key.slice(PREFIX.length));
      entries.push({ id: key.slice(PREFIX.length), saved: entry ? entry.saved : 0 });
    }
    entries.sort((a, b) => b.saved - a.saved);
    for (const entry of entries.slice(MOST)) this.forget(entry.id);
  }
}

// The page's: localStorage when the browser lets us use it, else nothing is kept.
export function pageChecks() {
  try {
    return new LastChecks(globalThis.localStorage);
  } catch {
    const none = { length: 0, key: () => null, getItem: () => null, setItem() {}, removeItem() {} };
    return new LastChecks(none);
  }
}
