"""How often one viewer gets frames: no sooner than its fps allows, and later still while its acks
come back late.

A frame is in flight from its send to its ack, and the viewer acks after it has received and drawn
the frame, so that time is what a frame costs the viewer's link and device. When it is longer than
both the viewer's frame interval (1/fps) and PROMPT, the viewer cannot take the frames it asked
for: a phone on a crowded Wi-Fi. Sending the next frame at once would keep its link busy all the
time, and the other devices on the same access point would wait behind frames that arrive late
anyway. So after each ack such a viewer waits as long again as its acks are late: a viewer whose
frames come back 0.3 s after they were sent, at 10 frames/s, waits 0.2 s more, and gets a frame
every 0.5 s rather than every 0.3 s. As its acks come back sooner the wait shrinks, to none once
they come back within the interval: its rate rises again to what it asked for. A round trip under
PROMPT is a working link: a viewer asking more frames than that allows (a benchmark asking 1000 a
second) is paced by its acks alone.

Each viewer has its own pacer: a slow viewer never holds up the frames of another.
"""

from __future__ import annotations

PROMPT = 0.1  # seconds: an ack back this soon is never late, whatever the fps
SMOOTHING = 0.25  # the weight of the newest ack time in the running mean: a few frames to adapt
LONGEST_ACK = 1.0  # seconds an ack time counts for at most: a tab in the background acks minutes later


class AckPacer:
    """The ack times of one viewer's frames, and when its next frame may be sent."""

    def __init__(self) -> None:
        self.ack_time = 0.0  # seconds from a frame's send to its ack, smoothed
        self.sent_at: float | None = None  # when the frame in flight was sent (None: none is)
        self.acked_at = 0.0  # when the last frame was acked

    def sent(self, now: float) -> None:
        self.sent_at = now

    def acked(self, now: float) -> None:
        if self.sent_at is None:
            return  # an ack with no frame in flight says nothing about the link
        took = min(now - self.sent_at, LONGEST_ACK)
        self.ack_time += SMOOTHING * (took - self.ack_time)
        self.sent_at = None
        self.acked_at = now

    def lateness(self, fps: float) -> float:
        """How much longer than the viewer's frame interval (or PROMPT) its frames take to be acked."""
        return max(0.0, self.ack_time - max(1 / fps, PROMPT))

    def next_send_at(self, due: float, fps: float) -> float:
        """When the next frame may go: at `due` (1/fps after the last one's build began), and no
        sooner than the lateness after the last ack."""
        return max(due, self.acked_at + self.lateness(fps))
