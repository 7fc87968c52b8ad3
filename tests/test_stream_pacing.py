"""A viewer's frame rate follows its acks: one whose acks come back late gets frames less often,
its rate rises again when it keeps up, and a prompt viewer of the same run is never slowed."""

from __future__ import annotations

import threading
import time

import pytest

from app.api.stream.pacing import LONGEST_ACK, AckPacer

from .test_stream import Watcher, new_session

FPS = 10.0


def test_a_viewer_that_keeps_up_is_paced_by_its_fps_alone():
    pacer = AckPacer()
    for k in range(20):
        pacer.sent(k * 0.1)
        pacer.acked(k * 0.1 + 0.05)  # acked in half its interval
    assert pacer.lateness(FPS) == 0.0
    assert pacer.next_send_at(due=2.0, fps=FPS) == 2.0


def test_late_acks_add_their_lateness_after_the_ack_and_it_goes_when_they_keep_up():
    pacer = AckPacer()
    now = 0.0
    for _ in range(40):  # acked 0.3 s after each send, at 10 frames/s: 0.2 s late
        pacer.sent(now)
        now += 0.3
        pacer.acked(now)
    assert pacer.lateness(FPS) == pytest.approx(0.2, abs=1e-3)
    assert pacer.next_send_at(due=now, fps=FPS) == pytest.approx(now + 0.2, abs=1e-3)
    for _ in range(40):  # now acked at once: the wait shrinks to nothing
        pacer.sent(now)
        now += 0.01
        pacer.acked(now)
    assert pacer.next_send_at(due=now, fps=FPS) == now


def test_round_trips_under_a_tenth_of_a_second_are_never_late_whatever_the_fps():
    pacer = AckPacer()
    for k in range(40):  # asking 1000 frames/s, acked 60 ms after each send
        pacer.sent(k * 0.06)
        pacer.acked(k * 0.06 + 0.06)
    assert pacer.lateness(1000.0) == 0.0 and pacer.lateness(30.0) == 0.0


def test_a_tab_that_acks_minutes_later_counts_as_one_slow_ack():
    pacer = AckPacer()
    pacer.sent(0.0)
    pacer.acked(600.0)
    assert pacer.ack_time <= LONGEST_ACK
    pacer.acked(601.0)  # an ack with nothing in flight changes nothing
    assert pacer.acked_at == 600.0


class Counter(threading.Thread):
    """A viewer in its own thread that spends `draw_s` "drawing" each frame before its ack, and
    notes when each frame arrived."""

    def __init__(self, server, session_id: str, draw_s: float):
        super().__init__(daemon=True)
        self.watcher = Watcher(server, session_id)
        self.watcher.send({"type": "options", "fps": FPS, "grid": 20, "arrays_every": 0})
        self.draw_s = draw_s
        self.arrivals: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.watcher.next_frame(ack=False)
            self.arrivals.append(time.monotonic())
            time.sleep(self.draw_s)
            self.watcher.send({"type": "ack"})

    def rate(self, start: float, end: float) -> float:
        return sum(start <= t < end for t in self.arrivals) / (end - start)

    def close(self) -> None:
        self.stop.set()
        self.join(timeout=5)
        self.watcher.close()


@pytest.mark.slow
def test_a_viewer_acking_late_gets_fewer_frames_and_a_prompt_one_is_not_slowed(live_server):
    c = new_session(live_server, {"steps_per_second": 200})
    driver = Watcher(live_server, c["id"], c["token"])
    driver.send({"type": "play"})
    prompt = Counter(live_server, c["id"], draw_s=0.0)
    prompt.start()
    time.sleep(0.5)
    alone = (time.monotonic(), time.monotonic() + 2.0)
    time.sleep(2.0)

    slow = Counter(live_server, c["id"], draw_s=0.3)  # 0.3 s a frame: 0.2 s late at 10 frames/s
    slow.start()
    time.sleep(1.5)  # its pace settles
    together = (time.monotonic(), time.monotonic() + 3.0)
    time.sleep(3.0)
    slow.draw_s = 0.0  # it keeps up again
    time.sleep(1.5)
    recovered = (time.monotonic(), time.monotonic() + 2.0)
    time.sleep(2.0)
    for viewer in (prompt, slow):
        viewer.close()
    driver.send({"type": "pause"})
    driver.close()

    # Acking as it drew, it would get 1/0.3 = 3.3 frames/s; waiting its lateness after each ack,
    # a frame every 0.3 + 0.2 s: 2 frames/s
    rates = {
        "prompt alone": prompt.rate(*alone),
        "prompt beside the slow one": prompt.rate(*together),
        "slow": slow.rate(*together),
        "slow, keeping up again": slow.rate(*recovered),
    }
    assert rates["slow"] < 0.75 / 0.3, rates
    assert rates["slow, keeping up again"] > 2 * rates["slow"], rates
    assert rates["prompt beside the slow one"] >= 0.8 * rates["prompt alone"], rates
    assert rates["prompt beside the slow one"] > 3 * rates["slow"], rates
