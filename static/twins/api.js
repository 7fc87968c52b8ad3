// The twins' REST calls (the API is documented at /docs), through the page's one REST client:
// failures come back as values, { ok: false, status, message }, never thrown.

import { request } from "../lib/rest.js";

const twinsPath = (id, path = "") => `/api/twins/${encodeURIComponent(id)}${path ? `/${path}` : ""}`;

// Two runs from session `sessionId` as it was at `atStep` (null: now), the right one with `changes`
// (what a fork takes): { id, token, step, title, left: { id, token }, right: { id, token } }.
export function makeTwins(sessionId, atStep, changes) {
  return request("POST", `/api/sessions/${encodeURIComponent(sessionId)}/twins`, {
    body: { at_step: atStep, changes },
  });
}

// A paired preset's twins, trained to its fork step on the server: the same reply as makeTwins.
export function makePresetTwins(name) {
  return request("POST", "/api/twins", { body: { preset: name } });
}

export function listPairedPresets() {
  return request("GET", "/api/twins/presets");
}

// { id, step, title, status, left: SessionSummary, right: SessionSummary }
export function getTwins(id) {
  return request("GET", twinsPath(id));
}

// { steps, layers: { W1: [...], ... } }: ‖W(l) − W′(l)‖ at the recorded steps from `since` on.
export function getDistance(id, since) {
  return request("GET", twinsPath(id, "distance"), { query: { since } });
}

// play, pause, reset, or step with { n }: both runs, with the twins' token. Answers as getTwins.
export function control(id, token, action, body) {
  return request("POST", twinsPath(id, action), { token, body });
}

export function endTwins(id, token) {
  return request("DELETE", twinsPath(id), { token });
}
