// The page's one training session: created from a configuration, or adopted (an existing run this
// page is to drive: its driver link, a saved run opened); driven over its stream; replaced (the
// old one deleted, its watchers told where to go) when the data or the architecture changes.
// Leaving the page does not delete the run: it plays on as left, for its driver to come back.

import { driverLink, pageTokens, searchWithDrive } from "./drive_link.js";
import { driverSocket, Stream, watcherSocket } from "./protocol.js";
import * as rest from "./rest.js";
import { keptViewerId } from "./viewer_id.js";

function streamPath(id) {
  return `/ws/sessions/${encodeURIComponent(id)}`;
}

export class SessionDriver {
  // handlers: onHello, onFrame, onMessage, onState, onGone (see protocol.js Stream)
  constructor(streamOptions, handlers, tokens = pageTokens()) {
    this.streamOptions = streamOptions;
    this.handlers = handlers;
    this.tokens = tokens; // the control tokens this browser holds (drive_link.js)
    this.session = null; // { id, token, stream }
    this.stream = null;
    this.generation = 0;
    this.adopted = false; // the run was not made from this page's form (its config comes in the hello)
  }

  // Start a new session from `config`; the current one keeps running until the new one exists,
  // so a rejected configuration loses nothing. Resolves to { ok, errors }.
  async start(config) {
    const generation = ++this.generation;
    const result = await rest.createSession(config);
    if (!result.ok) return result;
    const created = result.data;
    if (generation !== this.generation) {
      // A later start overtook this one (two quick changes): this session is already stale.
      rest.deleteSession(created);
      return { ok: false, stale: true, errors: [] };
    }
    this.drive(created, false);
    return { ok: true, data: created };
  }

  // Drive an existing session ({ id, token }: a driver link, a saved run just opened): the page's
  // previous run is deleted, its watchers told to follow this one, and this page connects as
  // its driver. The run is as it was: same step, playing or paused.
  adopt({ id, token }) {
    this.generation += 1;
    const session = { id, token, stream: streamPath(id) };
    this.drive(session, true);
    return { ok: true, data: session };
  }

  drive(session, adopted) {
    if (this.session && this.session.id !== session.id)
      this.stop(session.id); // watchers follow
    else this.leave();
    this.session = session;
    this.adopted = adopted;
    this.tokens.remember(session.id, session.token);
    history.replaceState(
      history.state,
      "",
      `${location.pathname}${searchWithDrive(location.search, session.id)}`,
    );
    this.stream = new Stream(driverSocket(session), this.streamOptions, this.handlers);
    this.stream.connect();
  }

  // Watch someone else's session (a share link): no token, so the server refuses our controls,
  // and no this.session, so stop() only closes the socket and never deletes their run.
  watch(sessionId) {
    this.generation += 1;
    this.leave();
    this.session = null;
    this.stream = new Stream(watcherSocket(sessionId, keptViewerId), this.streamOptions, this.handlers);
    this.stream.connect();
  }

  // Close the stream and delete the session on the server: the run is replaced by `replacedBy`
  // (its watchers are sent there) or ended on purpose.
  stop(replacedBy) {
    const session = this.session;
    this.leave();
    if (session) {
      rest.deleteSession(session, replacedBy);
      this.tokens.forget(session.id);
    }
    this.session = null;
  }

  // Close the stream and keep the run: the page is going away (a reload, a closed tab) and the run
  // plays on as left until this browser's driver link takes it back.
  leave() {
    if (this.stream) this.stream.close();
    this.stream = null;
    if (this.session) this.tokens.touch(this.session.id);
  }

  // Connect again to the run this page drives (the page came back from the back-forward cache).
  reconnect() {
    if (!this.session) return false;
    this.leave();
    this.stream = new Stream(driverSocket(this.session), this.streamOptions, this.handlers);
    this.stream.connect();
    return true;
  }

  // The run this page drove is gone (expired, deleted, the server restarted): its token is useless.
  lost() {
    if (this.session) this.tokens.forget(this.session.id);
    this.leave();
    this.session = null;
  }

  send(message) {
    return this.stream ? this.stream.send(message) : false;
  }

  get id() {
    return this.session ? this.session.id : null;
  }

  // The bookmarkable link that drives this run from any browser, or "" when this page watches.
  get driverLink() {
    return this.session ? driverLink(location.origin, this.session.id, this.session.token) : "";
  }
}
