// The REST calls the page makes. Failures come back as values, never as thrown errors, so a bad
// setting shows a message next to its control instead of breaking the page.

import { describeDetail } from "./config.js";

async function request(method, path, body, token) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      keepalive: method === "DELETE", // a session freed as the page closes
    });
  } catch (e) {
    return { ok: false, errors: [{ where: "general", message: `the server cannot be reached (${e.message})` }] };
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return { ok: true, data };
  const detail = data && data.detail !== undefined ? data.detail : `HTTP ${response.status}`;
  return { ok: false, status: response.status, errors: describeDetail(detail) };
}

export function createSession(config) {
  return request("POST", "/api/sessions", config);
}

// replacedBy: the id of the run that takes this one's place, so its watchers can follow.
export function deleteSession(session, replacedBy) {
  const query = replacedBy ? `?replaced_by=${encodeURIComponent(replacedBy)}` : "";
  return request("DELETE", `/api/sessions/${encodeURIComponent(session.id)}${query}`, undefined, session.token);
}

export function listPresets() {
  return request("GET", "/api/presets");
}

export function listDatasets() {
  return request("GET", "/api/datasets");
}

// The token travels in the socket's subprotocol header, never in its URL: servers log URLs.
const PROTOCOL = "bpv.v1";
const TOKEN_PROTOCOL_PREFIX = "bpv.token.";

function socketUrl(path) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

// The driver's socket: { url, protocols } for new WebSocket(url, protocols). The server answers
// with PROTOCOL alone; it never echoes the token back.
export function driverSocket(session) {
  return { url: socketUrl(session.stream), protocols: [PROTOCOL, TOKEN_PROTOCOL_PREFIX + session.token] };
}

// ---- classroom and exploration ------------------------------------------------------

// A session's stream without the token: the server makes this socket a read-only viewer.
export function watcherSocket(sessionId) {
  return { url: socketUrl(`/ws/sessions/${encodeURIComponent(sessionId)}`), protocols: [PROTOCOL] };
}
