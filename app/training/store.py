"""Saved runs in SQLite (stdlib sqlite3): one row a run, one transaction a save, WAL journal.

WAL with a transaction per save means a server killed mid-save (even SIGKILL) leaves the database
readable with every earlier run intact: the half-written save is simply not there.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
import zlib
from contextlib import closing
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created REAL NOT NULL,
    step INTEGER NOT NULL,
    kind TEXT NOT NULL,
    hidden INTEGER NOT NULL,
    document BLOB NOT NULL,  -- zlib-compressed JSON of a SavedRun
    accuracy REAL,  -- on the training points at the saved weights (NULL: saved before it was kept)
    test_accuracy REAL,  -- on the test points (NULL: none, or saved before it was kept)
    points INTEGER  -- how many points the run has
)
"""
# Columns added after the first release: a database made then gets them, empty, when opened.
ADDED_COLUMNS = {"accuracy": "REAL", "test_accuracy": "REAL", "points": "INTEGER"}
SUMMARY = "id, name, created, step, kind, hidden, accuracy, test_accuracy, points"


class StoreFull(Exception):
    """The store holds its maximum number of runs."""


class RunStore:
    def __init__(self, data_dir: str | Path, max_runs: int = 1000):
        self.path = Path(data_dir) / "runs.sqlite3"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.max_runs = max_runs
        with closing(self._connect()) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(SCHEMA)
            present = {row[1] for row in db.execute("PRAGMA table_info(runs)")}
            for column, kind in ADDED_COLUMNS.items():
                if column not in present:
                    db.execute(f"ALTER TABLE runs ADD COLUMN {column} {kind}")
            db.commit()

    def _connect(self) -> sqlite3.Connection:
        # A connection per call: sqlite3 connections are not shared between threads, and REST
        # handlers run in a thread pool.
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable at checkpoints, never corrupt
        return db

    @staticmethod
    def _info(row) -> dict:
        keys = SUMMARY.split(", ")
        info = dict(zip(keys, row))
        if isinstance(info["hidden"], str):  # a deep run's widths, kept as JSON text in the column
            info["hidden"] = json.loads(info["hidden"])
        return info

    def save(self, document: dict, scores: dict | None = None) -> dict:
        """Store a SavedRun document under a new id with its scores (accuracy, test_accuracy,
        points: computed once, by the caller, from the run); its summary."""
        run_id = secrets.token_urlsafe(12)
        blob = zlib.compress(json.dumps(document, allow_nan=False, separators=(",", ":")).encode())
        kind = document["config"]["dataset"]["kind"]
        scores = scores or {}
        row = (
            run_id,
            document.get("name") or f"{kind} at step {document['step']}",
            time.time(),
            document["step"],
            kind,
            _hidden_column(document["config"]["hidden"]),
            scores.get("accuracy"),
            scores.get("test_accuracy"),
            scores.get("points"),
        )
        with closing(self._connect()) as db:
            with db:  # one transaction: all of the row or nothing
                (count,) = db.execute("SELECT COUNT(*) FROM runs").fetchone()
                if count >= self.max_runs:
                    raise StoreFull(
                        f"the store holds {self.max_runs} saved runs, its limit; delete some first"
                    )
                db.execute(
                    f"INSERT INTO runs ({SUMMARY}, document) VALUES ({', '.join('?' * (len(row) + 1))})",
                    (*row, blob),
                )
        return self._info(row)

    def list(self) -> list[dict]:
        with closing(self._connect()) as db:
            rows = db.execute(f"SELECT {SUMMARY} FROM runs ORDER BY created DESC").fetchall()
        return [self._info(r) for r in rows]

    def info(self, run_id: str) -> dict | None:
        with closing(self._connect()) as db:
            row = db.execute(f"SELECT {SUMMARY} FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else self._info(row)

    def document(self, run_id: str) -> dict | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT document FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else json.loads(zlib.decompress(row[0]))

    def delete(self, run_id: str) -> bool:
        with closing(self._connect()) as db:
            with db:
                return db.execute("DELETE FROM runs WHERE id = ?", (run_id,)).rowcount > 0


def _hidden_column(hidden) -> int | str:
    """hidden as its column holds it: one layer's width as the integer it always was, a deep
    run's list of widths as JSON text (SQLite keeps a value's own type, whatever the column says)."""
    return hidden if isinstance(hidden, int) else json.dumps(hidden)
