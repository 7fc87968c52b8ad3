"""The viewer ids a session issues: a new random one per socket, one offered back taken only if
this session issued it and no socket holds it now, and at most `keep` kept for sockets that left."""

from __future__ import annotations

from app.training.viewer_ids import ViewerIds


def test_an_id_is_taken_back_only_when_issued_here_and_free():
    ids = ViewerIds()
    first = ids.take(None, keep=5)
    assert ids.issued(first) and not ids.issued("viewer-fake-0001")
    assert ids.take(first, keep=5) != first  # held by an open socket: a second one gets its own
    assert ids.take("viewer-fake-0001", keep=5) not in (first, "viewer-fake-0001")
    ids.give_back(first, keep=5)
    assert ids.take(first, keep=5) == first  # a reconnect keeps its id


def test_the_ids_of_sockets_that_left_are_bounded():
    ids = ViewerIds()
    open_now = ids.take(None, keep=3)
    left = []
    for _ in range(50):  # a client minting ids by reconnecting
        viewer = ids.take(None, keep=3)
        ids.give_back(viewer, keep=3)
        left.append(viewer)
    assert len(ids) == 4 and ids.issued(open_now)
    assert [ids.issued(v) for v in left[-4:]] == [False, True, True, True]
