"""The live stream's frames: what a frame is built from, the one way it is built, where, and how
it is shared among a run's viewers; and the messages the stream sends besides frames.

    request.py        FrameRequest (what a viewer asks for), FrameJob and FrameData (a copy of the
                      run taken under its lock), take_job
    build.py          build_frame(job, data): the frame's bytes, a pure function of them
    encoding.py       the binary layout (length-prefixed JSON header, 4-byte aligned arrays)
    messages.py       hello, points and the frame header: every shape the stream sends, written once
    pipe.py           the framing and the dataset cache shared by the server and its frame process
    frame_process.py  `python -m app.frames.frame_process`: build_frame on a core of its own
    worker.py         the server's end of that process
    builder.py        FrameBuilder: the frame process when it runs, else worker threads
    feed.py           FrameFeeds: one build shared by every viewer of a run that asks alike

This package sits between the runs (app/training) and the transport (app/api): it reads a run
through its lock and never changes it, and knows nothing of FastAPI.
"""
