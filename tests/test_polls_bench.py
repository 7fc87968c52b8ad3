"""The classroom benchmark with a poll open runs and counts what it says: every vote answered,
the driver told of them, every viewer fed frames in both kinds of window. Never a timing
assertion (bench/README.md holds the figures)."""

from __future__ import annotations

import pytest

from .test_bench_smoke import positive, run_benchmark


@pytest.mark.slow  # a server, a class of sockets, two windows: about 15 s
def test_classroom_poll_benchmark_votes_and_measures_both_windows(tmp_path):
    results = run_benchmark("classroom_poll", tmp_path, "--sessions", "2", "--viewers", "4", "--seconds", "2")
    assert [w["phase"] for w in results["windows"]] == ["none", "poll"]
    assert results["votes_sent"] >= 4 and results["votes_answered"] == results["votes_sent"]
    assert results["voters_counted"] == [4]  # each voter counted once, however often it changed
    assert results["driver_poll_messages"] >= 1
    assert results["dropped_connections"] == results["error_messages"] == results["votes_refused"] == 0
    for window in results["windows"]:
        assert positive(window["viewer_fps_min"]) and positive(window["driver_fps"])
    assert positive(results["ratios"]["teacher_viewer_fps_median"])
