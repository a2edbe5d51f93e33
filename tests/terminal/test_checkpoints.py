"""The store's WAL is copied back by a background checkpointer, not by the sale's commit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from terminal.store.checkpoints import SAFETY_PAGES, Checkpointer
from terminal.store.database import Database
from tests.terminal.tillkit import make_till, ring


def _left_to_copy(path: Path) -> tuple[int, int]:
    """(frames in the WAL, frames already copied back), asked without copying anything."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_autocheckpoint=0")
        _busy, log, copied = conn.execute("PRAGMA wal_checkpoint(NOOP)").fetchone()
        return log, copied
    finally:
        conn.close()


def test_sales_are_copied_back_in_the_background_and_the_commits_own_threshold_is_high(
    demo_db: Database,
) -> None:
    with demo_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == SAFETY_PAGES
    shop = make_till(demo_db)
    for _ in range(3):
        ring(shop, [("SKU000007", 1)])
    assert demo_db.checkpoints.wait_idle(timeout=60)
    assert demo_db.checkpoints.rounds >= 1
    log, copied = _left_to_copy(demo_db.path)
    assert log > 0 and copied == log  # the three sales' pages are in the store file


def test_closing_the_store_stops_the_checkpointer_and_leaves_no_log(demo_db: Database) -> None:
    ring(make_till(demo_db), [("SKU000007", 1)])
    demo_db.close()
    assert not Path(f"{demo_db.path}-wal").exists()  # the last connection copied it all
    rounds = demo_db.checkpoints.rounds
    demo_db.checkpoints.poke()  # a late poke on a closed store starts nothing
    assert demo_db.checkpoints.wait_idle(timeout=60)
    assert demo_db.checkpoints.rounds == rounds and not Path(f"{demo_db.path}-wal").exists()


def test_a_missing_store_is_never_created_by_the_checkpointer(tmp_path: Path) -> None:
    path = tmp_path / "gone.sqlite3"
    checkpoints = Checkpointer(path)
    checkpoints.poke()
    assert checkpoints.wait_idle(timeout=60)
    checkpoints.stop()
    assert not path.exists() and checkpoints.rounds == 0
