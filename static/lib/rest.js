// The page's one REST client (the API is documented at /docs). Failures come back as values,
// never as thrown errors, so a bad setting shows a message next to its control and a view says
// what is wrong instead of breaking the page: { ok: true, data } or { ok: false, status,
// errors: [{ where, message }], message } (where: the form field the error is about).

import { describeDetail } from "./config.js";

export async function request(method, path, { body, token, query } = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const q = query ? new URLSearchParams(query).toString() : "";
  let response;
  try {
    response = await fetch(q ? `${path}?${q}` : path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      keepalive: method === "DELETE", // a replaced run is deleted even if the page goes on to close
    });
  } catch (e) {
    return failure(undefined, [{ where: "general", message: `the server cannot be reached (${e.message})` }]);
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return { ok: true, data };
  const detail = data && data.detail !== undefined ? data.detail : `HTTP ${response.status}`;
  return failure(response.status, describeDetail(detail));
}

function failure(status, errors) {
  return { ok: false, status, errors, message: errors.map((e) => e.message).join("; ") };
}

function sessionPath(sessionId, path = "") {
  return `/api/sessions/${encodeURIComponent(sessionId)}${path ? `/${path}` : ""}`;
}

export function createSession(config) {
  return request("POST", "/api/sessions", { body: config });
}

// replacedBy: the id of the run that takes this one's place, so its watchers can follow.
export function deleteSession(session, replacedBy) {
  const query = replacedBy ? { replaced_by: replacedBy } : undefined;
  return request("DELETE", sessionPath(session.id), { token: session.token, query });
}

export function listPresets() {
  return request("GET", "/api/presets");
}

export function listDatasets() {
  return request("GET", "/api/datasets");
}

// A view of one session: getView(id, "derivation/3", { at_step: 10 }).
export function getView(sessionId, path, query) {
  return request("GET", sessionPath(sessionId, path), { query });
}

export function postView(sessionId, path, body, query) {
  return request("POST", sessionPath(sessionId, path), { body, query });
}

// One weight set by the driver (the network diagram): edit { name: "W2", index: [i, j], value }.
export function setWeight(session, edit) {
  return request("PATCH", sessionPath(session.id, "weights"), { token: session.token, body: edit });
}

// ---- saved runs --------------------------------------------------------------------------------

// session: { id, token } of the run to save; resolves to the saved run's summary and its own token.
export function saveRun(session, name) {
  return request("POST", sessionPath(session.id, "save"), { token: session.token, body: { name } });
}

export function listRuns() {
  return request("GET", "/api/runs");
}

// A new session that goes on from the saved run: { id, token, session, stream }.
export function loadRun(runId) {
  return request("POST", `/api/runs/${encodeURIComponent(runId)}/load`);
}

// The address of a saved run's file (GET: the JSON document POST /api/runs takes back).
export function runFileUrl(runId) {
  return `/api/runs/${encodeURIComponent(runId)}/export`;
}

export function importRun(document) {
  return request("POST", "/api/runs", { body: document });
}

export function deleteRun(runId, token) {
  return request("DELETE", `/api/runs/${encodeURIComponent(runId)}`, { token });
}

// A CSV of x, y, label read by the server into points: { points, classes, header }.
export function pointsFromCsv(csv) {
  return request("POST", "/api/datasets/csv", { body: { csv } });
}

// Polls: the driver asks (body: a template and its numbers) and closes or reveals one (action
// "close" | "reveal"), with the session's token; anyone reads a poll (with ?viewer=: its vote).
export function askPoll(session, body) {
  return request("POST", sessionPath(session.id, "polls"), { token: session.token, body });
}

export function drivePoll(session, pollId, action) {
  return request("POST", sessionPath(session.id, `polls/${pollId}/${action}`), { token: session.token });
}
