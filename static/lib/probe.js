// What the tests and the benchmark read, as window.bpv: counters of what the page has actually
// drawn and the state it shows. Written by the page, never read back by it to decide anything.
//
// framesDrawn, drawMs: frames drawn and the milliseconds spent drawing them; step, status: the
// last frame's; connection: the stream's state; sessionId, role: from the hello; messages: the
// last 50 JSON messages; viewers: how many others watch; atStep: the past step the timeline
// shows (null: live); boundaryStep: the step of the frame the boundary last painted;
// networkPaints, networkBuilds, networkLinks: the Network view's paints of its links, builds of
// its SVG (when the nodes shown change), and each link as it last painted it
// ({ name, index "i,j" or null, width px, color, alpha, state: shown|weak|dimmed|walked|lit }) and
// networkLinksStep the step they are of (a frame moving no link visibly is painted a little later).

export const probe = {
  framesDrawn: 0,
  drawMs: 0,
  step: null,
  status: null,
  connection: "offline",
  sessionId: null,
  role: null,
  messages: [],
  viewers: null,
  atStep: null,
  boundaryStep: null,
};

globalThis.bpv = probe;

export function recordMessage(message) {
  probe.messages.push(message);
  if (probe.messages.length > 50) probe.messages.shift();
}
