"""Frames of one session, built once and shared by every viewer that makes the same request.

A run steps 60 times a second, so by the time a viewer's ack arrives the run has usually moved
and the frame built for it a moment ago is one version old. If each viewer then built its own,
a session with 100 viewers would build 100 frames for what is, to the eye, one picture: the
classroom benchmark spent most of a core doing that. Instead a feed keeps the last frame it built
and at most one build in flight:

- a viewer whose last frame is older than the feed's latest gets the latest if it shows the run
  as it is now, or, while the run plays, if it was built within SHARE_WITHIN seconds: no build;
- otherwise it waits for the build in flight, or starts one that the next viewers share.

So a session's frames cost at most about 1/SHARE_WITHIN builds a second whatever the number of
viewers, and a frame is never more than SHARE_WITHIN older than a frame built for the viewer alone.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .builder import FrameBuilder
from .request import FrameRequest

if TYPE_CHECKING:
    from app.training.session import Session

# Half a step at 60 steps/s is 8 ms; a frame shared for up to 20 ms is at most ~1 step older than
# one built alone, far below what a viewer at <= 60 frames/s can tell.
SHARE_WITHIN = 0.020


@dataclass(frozen=True)
class Built:
    version: int  # the run's version the frame shows
    at: float  # time.monotonic() when its build finished
    data: bytes


class FrameFeed:
    """One session's frames for one request (grid, with or without arrays and input gradients)."""

    def __init__(self, session: Session, request: FrameRequest, builder: FrameBuilder):
        self._session = weakref.ref(session)  # the feeds are kept per session, not the other way round
        self.request = request
        self.builder = builder
        self.latest: Built | None = None
        self.building: asyncio.Task | None = None
        self.builds = 0  # how many frames this feed built (the tests and benchmarks read it)

    @property
    def session(self) -> Session:
        session = self._session()
        if session is None:  # only a viewer asks, and a viewer holds its session
            raise RuntimeError("the session of this feed is gone")
        return session

    async def newer_than(self, version: int | None) -> Built:
        """A frame of a later version than `version` (the viewer's last; None: any frame), shared
        when a fresh one is at hand. The caller has seen the run move past `version`."""
        latest = self.latest
        if latest is not None and _later(latest.version, version) and self._shareable(latest):
            return latest
        for _ in range(2):  # the build in flight may have begun before the run moved: then one more
            if self.building is None:
                self.building = asyncio.get_running_loop().create_task(self._build())
            # shielded: a viewer that leaves while waiting must not cancel the others' frame
            built = await asyncio.shield(self.building)
            if _later(built.version, version) and self._shareable(built):
                break
        return built

    def _shareable(self, built: Built) -> bool:
        """The run as it is now; or, while it plays (and moves on every step anyway), as it was
        at most SHARE_WITHIN ago. A paused run's changes (a step, a viewer, new points) are
        events a viewer waits to see, so then only the current version will do."""
        player = self.session.player
        if built.version == player.version:
            return True
        return player.playing and time.monotonic() - built.at <= SHARE_WITHIN

    async def _build(self) -> Built:
        try:
            version, data = await self.builder.build(self.session, self.request)
            self.builds += 1
            self.latest = Built(version, time.monotonic(), data)
            return self.latest
        finally:
            self.building = None


def _later(version: int, than: int | None) -> bool:
    """Versions only grow, over resets too; a viewer switching feeds (arrays_every > 1) must not
    be handed the other feed's older frame and see the run step back."""
    return than is None or version > than


FEEDS_PER_SESSION = 8  # the requests in use at once; a viewer trying grid sizes leaves old ones behind


class FrameFeeds:
    """Every session's feeds in one app, built by its builder. The feeds go with their session:
    nothing here keeps a session alive."""

    def __init__(self, builder: FrameBuilder):
        self.builder = builder
        self._feeds: weakref.WeakKeyDictionary[Session, dict[FrameRequest, FrameFeed]] = (
            weakref.WeakKeyDictionary()
        )

    def feed(self, session: Session, request: FrameRequest) -> FrameFeed:
        """The feed of `session` for `request`, made on first use. The least recently used feeds
        beyond FEEDS_PER_SESSION are dropped (their last frame with them)."""
        feeds = self._feeds.setdefault(session, {})
        feed = feeds.pop(request, None) or FrameFeed(session, request, self.builder)
        feeds[request] = feed  # now the most recently used
        if len(feeds) > FEEDS_PER_SESSION:
            del feeds[next(iter(feeds))]  # a build in flight finishes for those who wait on it
        return feed

    def of(self, session: Session) -> list[FrameFeed]:
        """The session's feeds now, least recently used first."""
        return list(self._feeds.get(session, {}).values())
