// The driver link: what lets a teacher's page take its run back after a reload, a closed tab or a
// laptop that slept. A driving page's address is /?drive=<session id> (with the setup's other
// parameters); its control token is kept in this browser's storage, one entry per session id.
// The link a teacher can bookmark or copy, <origin>/?drive=<id>#token=<token>, carries the token
// in the fragment: a browser never sends a fragment, so it reaches no request line, server log or
// Referer. Opening it moves the token to storage and takes it out of the address bar.

const PREFIX = "bpv.drive.";
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;
const KEEP_MS = 7 * 24 * 3600 * 1000; // an entry unused this long is dropped without asking
const MOST = 20; // entries kept at most: the newest

// location.search and location.hash -> { id, token } (either may be null).
export function driveFromLink(search, hash) {
  const id = new URLSearchParams(search).get("drive");
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return { id: id && ID.test(id) ? id : null, token: token && TOKEN.test(token) ? token : null };
}

// The bookmarkable link that drives session `id` from any browser.
export function driverLink(origin, id, token) {
  return `${origin}/?drive=${encodeURIComponent(id)}#token=${encodeURIComponent(token)}`;
}

// search with drive=<id> first (or without drive when id is null), the other parameters kept.
export function searchWithDrive(search, id) {
  const params = new URLSearchParams(search);
  params.delete("drive");
  params.delete("watch"); // a page drives or watches, not both
  const rest = params.toString();
  if (!id) return rest ? `?${rest}` : "";
  return `?drive=${encodeURIComponent(id)}${rest ? `&${rest}` : ""}`;
}

// Control tokens this browser holds, each with when it was last used: { id, token, used }.
// storage is localStorage (or any object with its methods); now() the time in ms.
// prefix: what the entries' keys start with (the compare page keeps its twins' tokens apart).
export class TokenStore {
  constructor(storage, now = Date.now, prefix = PREFIX) {
    this.storage = storage;
    this.now = now;
    this.prefix = prefix;
  }

  remember(id, token) {
    this.write(id, { token, used: this.now() });
    this.prune();
  }

  // The run was used just now (its socket opened, its page closed): it sorts first.
  touch(id) {
    const entry = this.read(id);
    if (entry) this.write(id, { token: entry.token, used: this.now() });
  }

  tokenFor(id) {
    const entry = this.read(id);
    return entry ? entry.token : null;
  }

  forget(id) {
    this.safely(() => this.storage.removeItem(this.prefix + id));
  }

  // Every entry, the most recently used first.
  entries() {
    const out = [];
    for (let i = 0; i < this.storage.length; i++) {
      const key = this.storage.key(i);
      if (!key || !key.startsWith(this.prefix)) continue;
      const entry = this.read(key.slice(this.prefix.length));
      if (entry) out.push({ id: key.slice(this.prefix.length), ...entry });
    }
    return out.sort((a, b) => b.used - a.used);
  }

  // Drop entries unused for a week and all but the newest MOST (the dead ones are dropped when
  // the server says so: forget()).
  prune() {
    const now = this.now();
    this.entries().forEach((entry, i) => {
      if (i >= MOST || now - entry.used > KEEP_MS) this.forget(entry.id);
    });
  }

  read(id) {
    if (!ID.test(id)) return null;
    try {
      const entry = JSON.parse(this.storage.getItem(this.prefix + id));
      return entry && TOKEN.test(entry.token) && Number.isFinite(entry.used) ? entry : null;
    } catch {
      return null;
    }
  }

  write(id, entry) {
    if (ID.test(id) && TOKEN.test(entry.token)) {
      this.safely(() => this.storage.setItem(this.prefix + id, JSON.stringify(entry)));
    }
  }

  // Storage can refuse (full, or blocked in a private window): the page still drives, it only
  // cannot take the run back after a reload.
  safely(action) {
    try {
      action();
    } catch {
      // nothing kept
    }
  }
}

// The page's token store: localStorage when the browser lets us use it, else memory only.
export function pageTokens(prefix = PREFIX) {
  try {
    return new TokenStore(globalThis.localStorage, Date.now, prefix);
  } catch {
    return new TokenStore(memoryStorage(), Date.now, prefix);
  }
}

// A Storage kept in memory: for a browser that refuses localStorage, and for the tests.
export function memoryStorage() {
  const map = new Map();
  return {
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => map.set(k, String(v)),
    removeItem: (k) => map.delete(k),
  };
}
