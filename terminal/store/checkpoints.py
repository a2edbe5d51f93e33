"""WAL checkpoints off the sale's path.

SQLite copies its write-ahead log back into the store (a checkpoint) on the
commit that takes the log past ``wal_autocheckpoint`` pages. A sale writes
about ninety pages (its rows and every index over them), so with SQLite's
default of 1,000 one sale in a dozen also copied and synced a thousand pages:
that was the slow tail of the till's commits, not the sale's own work.

A :class:`Checkpointer` (one per open store, started by its first commit)
does the copying instead, on its own connection and its own thread, after
each write transaction. It checkpoints PASSIVE, so it never blocks a writer
or a reader, and the GIL is released while SQLite works. The connections'
own automatic checkpoint stays, at :data:`SAFETY_PAGES`, as a backstop for a
store whose checkpointer cannot keep up or does not run.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

SAFETY_PAGES = 4000
"""``wal_autocheckpoint`` of the store's own connections (16 MB of 4 KB pages)."""


class Checkpointer:
    """Checkpoint the WAL of the store at ``path`` in the background after commits."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._wake = threading.Event()
        self._stopping = False
        self._start = threading.Lock()
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()
        self.rounds = 0  # checkpoints run

    def poke(self) -> None:
        """A write transaction committed: checkpoint soon (never waits)."""
        if self._stopping:
            return
        if self._thread is None:
            with self._start:
                if self._thread is None and not self._stopping:
                    self._thread = threading.Thread(
                        target=self._run, name="store-checkpoints", daemon=True
                    )
                    self._thread.start()
        self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float | None = None) -> bool:  # float ok: seconds
        """Wait until every commit poked so far has been checkpointed (for tests and tools)."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        """Stop the thread and close its connection (the store is closing)."""
        with self._start:
            self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while True:
                self._wake.wait()
                if self._stopping:
                    return
                self._wake.clear()
                try:
                    if conn is None:  # never creates a file: the store is there once it committed
                        conn = sqlite3.connect(
                            f"file:{self._path}?mode=rw", uri=True, isolation_level=None
                        )
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.rounds += 1
                except sqlite3.Error as exc:  # the commits' own checkpoint is the backstop
                    log.warning("background checkpoint of the store failed: %s", exc)
                if not self._wake.is_set():
                    self._idle.set()
        finally:
            if conn is not None:
                conn.close()
            self._idle.set()
