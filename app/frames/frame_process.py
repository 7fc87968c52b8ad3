"""The frame process, `python -m app.frames.frame_process`: it builds frames on a core of its own.

It reads (job, data or None) messages from stdin and answers each on stdout (pipe.py's framing),
keeping the data of the last DATA_KEPT datasets it was sent, as the server's side predicts.
worker.py is the server's end.
"""

from __future__ import annotations

import os
import sys

from .build import build_frame
from .pipe import DataCache, read_message, write_message


def serve(jobs, frames) -> None:
    """Answer each (job, data or None) from `jobs` with ("frame", bytes), ("missing", data key)
    when it was not sent the job's data (the server then starts a fresh process: the two caches
    differ), or ("error", message)."""
    cache = DataCache()
    while (message := read_message(jobs)) is not None:
        job, sent = message
        data = cache.use(job.data_key, sent)
        if data is None:
            write_message(frames, ("missing", job.data_key))
            continue
        try:
            frame = build_frame(job, data)
        except Exception as e:  # the server shows the message; this process goes on
            write_message(frames, ("error", f"{type(e).__name__}: {e}"))
        else:
            write_message(frames, ("frame", frame))


def main() -> None:
    frames = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the frames
    write_message(frames, ("ready", os.getpid()))
    serve(sys.stdin.buffer, frames)


if __name__ == "__main__":
    main()
