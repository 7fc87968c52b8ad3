// A watcher's viewer id: the server gives each watcher's socket one in its hello (hello.viewer),
// and a vote counts under it. The page keeps it for the tab (sessionStorage, per session) and
// offers it back when it reconnects (a phone that slept, a reload), so that it changes the same
// vote rather than casting another; the server takes it back only if it issued it for that
// session. Nothing personal: a random id.

const PREFIX = "bpv.viewer.";
const VALID = /^[A-Za-z0-9_-]{8,64}$/;

// The id this tab was given for the session, or null.
export function keptViewerId(sessionId, storage = globalThis.sessionStorage) {
  try {
    const id = storage.getItem(PREFIX + sessionId);
    return VALID.test(id ?? "") ? id : null;
  } catch {
    return null; // storage refused (a private window): a reconnect gets a new id
  }
}

export function keepViewerId(sessionId, id, storage = globalThis.sessionStorage) {
  if (!VALID.test(id ?? "")) return;
  try {
    storage.setItem(PREFIX + sessionId, id);
  } catch {
    // storage refused: the id lasts as long as this socket
  }
}
