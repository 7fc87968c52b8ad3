// The delete tokens of the runs this browser saved or uploaded, kept in localStorage so that
// "Delete" is offered for them (and only them) after a reload. A token is the server's answer to
// the save; a page that cannot use storage (private mode, full) simply offers no Delete.

const KEY = "bpv.savedRunTokens";
const MAX_KEPT = 1000; // the server's default limit on saved runs

function read() {
  try {
    const kept = JSON.parse(localStorage.getItem(KEY) ?? "{}");
    return kept && typeof kept === "object" && !Array.isArray(kept) ? kept : {};
  } catch {
    return {};
  }
}

function write(kept) {
  try {
    localStorage.setItem(KEY, JSON.stringify(kept));
  } catch {
    // storage refused: Delete is not offered after a reload
  }
}

export const savedRunTokens = {
  get(runId) {
    const token = read()[runId];
    return typeof token === "string" ? token : null;
  },
  keep(runId, token) {
    const kept = read();
    kept[runId] = token;
    const ids = Object.keys(kept);
    for (const old of ids.slice(0, Math.max(0, ids.length - MAX_KEPT))) delete kept[old];
    write(kept);
  },
  forget(runId) {
    const kept = read();
    delete kept[runId];
    write(kept);
  },
  // Only the runs still listed keep their tokens (others were deleted elsewhere).
  keepOnly(runIds) {
    const listed = new Set(runIds);
    const kept = read();
    for (const id of Object.keys(kept)) if (!listed.has(id)) delete kept[id];
    write(kept);
  },
};
