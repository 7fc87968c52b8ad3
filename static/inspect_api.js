// The REST views the inspection panels read (docs at /docs): GET .../derivation/{n}, gradcheck,
// units/{j}, parameters, gradients, and POST .../compare. Like api.js, failures come back as
// values with a message that says what is wrong, never as thrown errors.

import { describeDetail } from "./config.js";

async function call(method, url, body) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    return { ok: false, message: `the server cannot be reached (${e.message})` };
  }
  const data = await response.json().catch(() => null);
  if (response.ok) return { ok: true, data };
  const detail = data && data.detail !== undefined ? data.detail : `HTTP ${response.status}`;
  return { ok: false, status: response.status, message: describeDetail(detail).map((d) => d.message).join("; ") };
}

function sessionUrl(sessionId, path, query) {
  const url = `/api/sessions/${encodeURIComponent(sessionId)}/${path}`;
  const q = query ? new URLSearchParams(query).toString() : "";
  return q ? `${url}?${q}` : url;
}

export function getView(sessionId, path, query) {
  return call("GET", sessionUrl(sessionId, path, query));
}

export function postView(sessionId, path, body, query) {
  return call("POST", sessionUrl(sessionId, path, query), body);
}

// Keeps a REST view in step with a running session: whenever the run's step moves past the step
// the view shows, fetch again, at most once every `ms`, one request at a time, and always the
// last one (so a paused run ends up shown at its final step). load() fetches and draws, and
// returns the step it drew (or null when it drew nothing).
export function follower(load, ms) {
  let shownStep = null;
  let latestStep = null;
  let busy = false;
  let again = false;
  let timer = null;
  let last = -Infinity;

  async function run() {
    timer = null;
    busy = true;
    last = performance.now();
    let step = null;
    try {
      step = await load();
    } finally {
      busy = false;
    }
    if (step !== null && step !== undefined) shownStep = step;
    if (again) {
      again = false;
      run();
      return;
    }
    poke();
  }

  function poke() {
    if (busy || timer || latestStep === null || shownStep === null || shownStep === latestStep) return;
    timer = setTimeout(run, Math.max(0, ms - (performance.now() - last)));
  }

  return {
    // Fetch now (what to show changed); after the request in flight, if there is one.
    now() {
      if (busy) {
        again = true;
        return;
      }
      clearTimeout(timer);
      run();
    },
    // The run is at `step` (from a frame).
    stepIs(step) {
      latestStep = step;
      poke();
    },
    stop() {
      clearTimeout(timer);
      timer = null;
    },
  };
}
