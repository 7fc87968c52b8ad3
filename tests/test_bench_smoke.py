"""The benchmarks in bench/ run and report sane, finite figures. Never a timing assertion: how
fast is what the benchmarks themselves are for (bench/README.md)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_benchmark(name: str, tmp_path: Path, *args: str, timeout: float = 120) -> dict:
    """`python -m bench.NAME --quick --out FILE ...`, as the README says to run it; its results."""
    out = tmp_path / f"{name}.json"
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", "--quick", "--out", str(out), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "wrote" in done.stdout  # and it printed its table first
    results = json.loads(out.read_text())
    assert results["benchmark"] == name and results["machine"]["openblas_threads"] == "1"
    return results


def positive(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x) and x > 0


@pytest.mark.slow  # among the quick loop's heaviest (0.5-0.8 s): the full suite runs it
def test_step_benchmark_times_ours_numpy_and_the_session(tmp_path):
    results = run_benchmark("step", tmp_path)
    rows = results["rows"]
    assert {(r["N"], r["H"], r["C"]) for r in rows} >= {(200, 8, 2), (200, 100, 3), (2000, 8, 3)}
    for r in rows:
        assert positive(r["ours_us"]) and positive(r["numpy_us"]) and positive(r["session_us"])
        assert r["ours_vs_numpy"] < 1e-4  # the contenders computed the same loss and gradients
        if results["torch"] is not None:
            assert positive(r["torch_us"]) and positive(r["ratio"])
            assert r["torch_vs_numpy"] < 1e-3  # float32 too, summed in its own order
        else:
            assert r["ratio"] is None


@pytest.mark.slow
def test_grid_benchmark_times_every_configuration(tmp_path):
    rows = run_benchmark("grid", tmp_path)["rows"]
    assert {(r["G"], r["H"]) for r in rows} == {(G, H) for G in (50, 100, 150) for H in (100, 500)}
    for r in rows:
        assert positive(r["blocks32_ms"]) and positive(r["plain32_ms"]) and positive(r["plain64_ms"])
        assert r["max_abs_diff_vs_float64"] < 1e-5  # float32 blocks give the float64 picture


@pytest.mark.slow
def test_stream_benchmark_receives_frames_of_bounded_age(tmp_path):
    results = run_benchmark("stream", tmp_path)
    for case in results["cases"].values():
        assert case["frames"] >= 2 and positive(case["frames_per_s"]) and positive(case["steps_per_s"])
        assert 0 <= case["age_median_ms"] <= case["age_max_ms"] < 10_000
        assert case["frame_bytes"] > 30_000  # a G=100 grid of 3 classes is 30,000 bytes alone
    for frame in results["frames"]:
        assert positive(frame["encode_ms"]) and positive(frame["build_ms"]) and frame["frame_bytes"] > 30_000
    assert set(results["verdicts"]) == set(results["targets"])


@pytest.mark.slow
def test_classroom_benchmark_serves_every_viewer(tmp_path):
    options = ("--sessions", "2", "--viewers", "3", "--seconds", "3")
    result = run_benchmark("classroom", tmp_path, *options)["result"]
    assert result["viewers"] == 5
    assert result["dropped_connections"] == result["error_messages"] == result["rest_errors"] == 0
    assert positive(result["viewer_fps_min"])  # every viewer got frames
    assert result["rest_requests"] > 0 and positive(result["rest_p99_ms"])
    assert positive(result["server_cpu_percent"]) and positive(result["server_rss_mb_end"])
    assert positive(result["steps_per_s_total"])


@pytest.mark.slow
@pytest.mark.browser
def test_page_load_benchmark_counts_bytes_and_the_first_frame(tmp_path):
    from tests.browser.chromium import chromium_path

    if chromium_path() is None:
        pytest.skip("chromium is not installed (make chromium installs Debian's)")
    results = run_benchmark("page_load", tmp_path)
    ours = results["results"]["ours"]
    first, repeat = ours["first"], ours["repeat"]
    assert 100 < first["http_kB"] < 2_000 and first["requests"] > 20  # the page and its modules
    assert repeat["http_kB"] < first["http_kB"] / 10  # the reload comes from the browser's cache
    # The reload takes none of the page's files from the network: only the HTML and the API's
    # answers (how many of those land before the first frame depends on the machine's load).
    assert repeat["static_from_network"] == 0 < first["static_from_network"]
    assert repeat["from_network"] < first["requests"] - 20
    assert first["ws_kB"] > 5 and positive(first["first_frame_s"]) and positive(repeat["first_frame_s"])
    assert ours["accept_encoding"] == "gzip, deflate"  # a LAN name over plain http, as in class
    assert set(results["verdicts"]) == set(results["targets"])
