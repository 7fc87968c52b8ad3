"""The viewer ids a session's server issued: one per watcher's socket, in its hello. A vote (over
the socket or REST) counts only with an id issued here, so a client cannot mint voters by making up
ids; a page that reconnects offers its id back and keeps it (and its votes) if this session issued
it and no other socket holds it now.

Bounded: the ids of connected sockets (at most the session's viewers) and of the last `keep`
sockets that left (a class's phones that slept), the oldest of those forgotten first."""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict


class ViewerIds:
    def __init__(self):
        self._lock = threading.Lock()
        self._ids: OrderedDict[str, bool] = OrderedDict()  # id -> held by a connected socket now

    def take(self, offered: str | None, keep: int) -> str:
        """The id for a socket connecting now: `offered` if this session issued it and no socket
        holds it, else a new random one."""
        with self._lock:
            if offered is not None and self._ids.get(offered) is False:
                self._ids[offered] = True
                self._ids.move_to_end(offered)
                return offered
            issued = secrets.token_urlsafe(12)
            self._ids[issued] = True
            self._forget_beyond(keep)
            return issued

    def give_back(self, viewer: str, keep: int) -> None:
        """The socket holding `viewer` closed: the id stays valid (for a reconnect, a REST vote)
        until `keep` newer sockets have left."""
        with self._lock:
            if viewer in self._ids:
                self._ids[viewer] = False
                self._ids.move_to_end(viewer)
            self._forget_beyond(keep)

    def issued(self, viewer: str) -> bool:
        with self._lock:
            return viewer in self._ids

    def __len__(self) -> int:
        with self._lock:
            return len(self._ids)

    def _forget_beyond(self, keep: int) -> None:
        left = sum(not held for held in self._ids.values())
        for viewer in [v for v, held in self._ids.items() if not held]:
            if left <= keep:
                break
            del self._ids[viewer]
            left -= 1
