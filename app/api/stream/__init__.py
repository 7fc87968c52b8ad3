"""The WebSocket stream of one session: a hello, then binary frames paced by the viewer's acks.

Flow control: the server sends a frame, then waits for the viewer's {"type": "ack"} before it sends
the next, and the next is always the latest state. A slow viewer skips steps; it never receives a
backlog. Frames are never sent faster than the viewer's fps. docs/protocol.md describes every message.

- handshake.py: who may connect and as what (the subprotocols, the token, the origin);
- messages.py: what a client may send, read strictly;
- viewer.py: one connection, and the frames sent to it;
- pacing.py: when its next frame may go, from its fps and how late its acks come back;
- inbox.py: the messages received from it.

The route itself is app/api/routers/stream.py.
"""
