// A share link to 127.0.0.1 only works on the teacher's own machine: the hint that says how to
// serve the class's network instead, or null when the page is already served on one.

import { el } from "../../lib/dom.js";

const LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

export function localOnlyHint(hostname = location.hostname) {
  if (!LOCAL_HOSTS.includes(hostname)) return null;
  return el(
    "p",
    "hint share-local",
    "This address only works on this computer. For a class, start the server with " +
      'make run ARGS="--host 0.0.0.0" and open this page at this computer\'s network address.',
  );
}
