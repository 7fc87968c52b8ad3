"""The server runs numpy's BLAS on one thread (bench/blas_threads.py measured why): `python -m app`
started with no OPENBLAS_NUM_THREADS in its environment has the threads of one started with 1,
one fewer than one started with 2, since OpenBLAS starts its helper threads when numpy loads."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bench._server import ServerProcess


def threads_of(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


@pytest.mark.slow  # three servers start
def test_the_server_process_runs_numpys_blas_on_one_thread_unless_told_otherwise():
    counts = {}
    for setting in (None, 1, 2):
        with ServerProcess(blas_threads=setting) as server:
            counts[setting] = threads_of(server.pid)
    assert counts[None] == counts[1] == counts[2] - 1, counts


# How many threads this process has once numpy is loaded, and the setting it loaded with.
THREADS = (
    "import app, numpy, os; print(len(os.listdir('/proc/self/task')), os.environ['OPENBLAS_NUM_THREADS'])"
)


def threads_after_import(**env) -> list[str]:
    env = {**{k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}, **env}
    run = subprocess.run([sys.executable, "-c", THREADS], env=env, text=True, capture_output=True, check=True)
    return run.stdout.split()


@pytest.mark.slow  # two interpreters start
def test_app_loaded_before_numpy_sets_one_blas_thread_and_an_explicit_setting_wins():
    assert threads_after_import() == ["1", "1"]
    assert threads_after_import(OPENBLAS_NUM_THREADS="2") == ["2", "2"]
