// The page's one training session: created from a configuration, driven over its stream, and
// replaced (the old one deleted) when the data or the architecture changes.

import { driverSocket, Stream, watcherSocket } from "./protocol.js";
import * as rest from "./rest.js";

export class SessionDriver {
  // handlers: onHello, onFrame, onMessage, onState, onGone (see protocol.js Stream)
  constructor(streamOptions, handlers) {
    this.streamOptions = streamOptions;
    this.handlers = handlers;
    this.session = null; // { id, token, stream }
    this.stream = null;
    this.generation = 0;
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
    this.stop(created.id); // watchers of the old run are told to follow the new one
    this.session = created;
    this.stream = new Stream(driverSocket(created), this.streamOptions, this.handlers);
    this.stream.connect();
    return { ok: true, data: created };
  }

  // Drive a session made elsewhere (a saved run opened): { id, token } as the server gave them.
  // The page's previous run is deleted with this one as its replacement, as start() does, so
  // its watchers follow.
  adopt({ id, token }) {
    this.generation += 1;
    const session = { id, token, stream: `/ws/sessions/${encodeURIComponent(id)}` };
    this.stop(id);
    this.session = session;
    this.stream = new Stream(driverSocket(session), this.streamOptions, this.handlers);
    this.stream.connect();
  }

  // Watch someone else's session (a share link): no token, so the server refuses our controls,
  // and no this.session, so stop() only closes the socket and never deletes their run.
  watch(sessionId) {
    this.generation += 1;
    this.stop();
    this.stream = new Stream(watcherSocket(sessionId), this.streamOptions, this.handlers);
    this.stream.connect();
  }

  // Close the stream and delete the session on the server (a class of reloading laptops must
  // not fill the server's session limit).
  stop(replacedBy) {
    if (this.stream) this.stream.close();
    if (this.session) rest.deleteSession(this.session, replacedBy);
    this.stream = null;
    this.session = null;
  }

  send(message) {
    return this.stream ? this.stream.send(message) : false;
  }

  get id() {
    return this.session ? this.session.id : null;
  }
}
