// A viewer's id for voting: random, made once per tab and kept in sessionStorage, so that a
// reconnect (a phone that slept, a reload) changes the same vote rather than casting another.
// Nothing personal: the server knows a viewer by this id alone.

const KEY = "bpv.viewer";
const VALID = /^[A-Za-z0-9_-]{8,64}$/;

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function viewerId(storage = globalThis.sessionStorage) {
  let id = null;
  try {
    id = storage.getItem(KEY);
    if (!VALID.test(id ?? "")) {
      id = randomId();
      storage.setItem(KEY, id);
    }
  } catch {
    id ??= randomId(); // storage refused (a private window): this page's id, for as long as it is open
  }
  return id;
}
