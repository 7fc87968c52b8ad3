"""Training runs, between the core math (app/core) and the stream's frames and the API.

    run.py        Run: one run as data (config, points, parameters, optimizer, step, history,
                  kept weights) and its step; no threads, no viewers
    player.py     Player: when a run steps (play, pause, step(n)), under one lock, and who is told
    trainer.py    Trainer: the one thread that plays an app's running runs
    session.py    Session: a run and its player under an id and a control token
    registry.py   every session of an app: limits, lookup, expiry
    snapshots.py  copies of past steps, each with what a run needs to go on from there (state.Resume)
    fork.py       a new run from another's kept step, with some settings changed
    saved_run.py  a run as one JSON document, and back (through Run's public methods)
    state.py      copies of a run's state: RunState (frames, reports), Progress (saved runs)
    points.py     points added and removed mid-run
    reports/      what REST shows, recomputed in float64 (a module a group of views)

Nothing here imports FastAPI or the frames: those read a run through its player's lock.
"""
