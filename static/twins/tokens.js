// The twins' control tokens in this browser, as drive_link.js keeps a run's: the twins' token
// (which plays, steps and resets both) under "bpv.twins.<twins id>", and each side's own token
// (which drives that run alone, on the main page) under "bpv.twinrun.<run id>", apart from the
// main page's runs so that page never takes a twin for the run it drove last.
//
// The driver link, <origin>/twins/<id>#token=<twins token>&left=<token>&right=<token>, carries
// them in the fragment, which a browser never sends: opening it moves them to storage and takes
// them out of the address bar.

import { pageTokens } from "../lib/drive_link.js";

const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

export const twinsTokens = pageTokens("bpv.twins.");
export const sideTokens = pageTokens("bpv.twinrun.");

// location.hash -> { token, left, right } (each null when absent or not a token).
export function tokensFromLink(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const read = (name) => {
    const value = params.get(name);
    return value && TOKEN.test(value) ? value : null;
  };
  return { token: read("token"), left: read("left"), right: read("right") };
}

// What POST .../twins answered: every token it holds, kept.
export function rememberCreated(created) {
  twinsTokens.remember(created.id, created.token);
  for (const side of [created.left, created.right]) sideTokens.remember(side.id, side.token);
}

// The link that drives the twins `id` from any browser ("" without their token). ids: { left,
// right }, the runs' ids, whose tokens go with it when this browser has them.
export function twinsDriverLink(origin, id, ids) {
  const token = twinsTokens.tokenFor(id);
  if (!token) return "";
  const params = new URLSearchParams({ token });
  for (const side of ["left", "right"]) {
    const sideToken = ids[side] ? sideTokens.tokenFor(ids[side]) : null;
    if (sideToken) params.set(side, sideToken);
  }
  return `${origin}/twins/${encodeURIComponent(id)}#${params}`;
}
