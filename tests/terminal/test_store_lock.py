"""The lock beside the store: a restore never replaces a store a till has open.

Seen before the lock: ``posterm restore`` ran while ``posterm till`` was selling;
the till went on writing into the replaced file, a paid sale was in neither
store, and the next sale reused a receipt number.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from terminal import backup, events
from terminal.auth import Actor
from terminal.checkout import Tender
from terminal.config import DataDir
from terminal.config_render import ensure_config
from terminal.errors import StoreError
from terminal.store import lock
from terminal.store.database import Database
from tests.terminal.tillkit import make_till

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor("admin-id", "9001", "管理员", "admin")


def _data(demo_template: Path, tmp_path: Path) -> DataDir:
    data = DataDir(tmp_path / "data")
    ensure_config(data, code="S001", name="测试店")
    shutil.copyfile(demo_template, data.store_path)
    db = Database(data.store_path)
    make_till(db)
    db.close()
    return data


def _start_till(store: Path, sales: int, seed: int = 1) -> tuple[subprocess.Popen[str], int]:
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.terminal.restore_till_child",
            str(store),
            str(seed),
            str(sales),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "loaded"
    child.stdin.write("open\n")
    child.stdin.flush()
    first = child.stdout.readline().split()
    if first[:1] != ["ready"]:
        child.kill()
        raise AssertionError(f"till did not start: {first} {child.communicate()[1]}")
    return child, int(first[1])


def _receipts_until_done(child: subprocess.Popen[str]) -> list[str]:
    assert child.stdout is not None
    receipts = []
    for line in child.stdout:
        if line.strip() == "done":
            return receipts
        receipts.append(line.strip())
    raise AssertionError(f"till stopped early: {child.communicate()[1]}")


def test_two_databases_in_one_process_share_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    first, second = Database(path), Database(path)
    try:
        holders = lock.live_holders(path)
        assert len(holders) == 2 and all(h.pid == os.getpid() for h in holders)
        assert not any(h.exclusive for h in holders)
    finally:
        first.close()
        second.close()
    assert lock.live_holders(path) == []


def test_restore_is_refused_while_a_till_sells_naming_it(
    demo_template: Path, tmp_path: Path
) -> None:
    data = _data(demo_template, tmp_path)
    snapshot = backup.copy_store(data.store_path, tmp_path / "snap.sqlite3")
    till, pid = _start_till(data.store_path, sales=5)
    try:
        with pytest.raises(StoreError) as err:
            backup.restore(data, snapshot, actor=ADMIN, carry_over=True)
        assert err.value.code == "store_in_use"
        assert f"posterm till (pid {pid}, since " in str(err.value)
        receipts = _receipts_until_done(till)
    finally:
        till.communicate("")
    assert till.returncode == 0
    assert not list(data.backups_dir.glob("pre-restore-*"))  # nothing was touched

    report = backup.restore(data, snapshot, actor=ADMIN, carry_over=True)
    assert [r for _id, r in report.loss.sales] == receipts
    db = Database(data.store_path)
    try:
        kept = db.scalar(
            "SELECT group_concat(receipt_no) FROM (SELECT receipt_no FROM sale ORDER BY seq)"
        )
        assert kept.split(",") == receipts
        assert db.scalar("SELECT next_receipt_seq FROM terminal") == len(receipts) + 1
    finally:
        db.close()


def test_the_store_cannot_be_opened_while_a_restore_runs(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    Database(path).close()
    lock.set_program("posterm restore")
    try:
        with lock.exclusive(path):
            with pytest.raises(StoreError) as err:
                Database(path)
            assert err.value.code == "store_restore_running"
            assert "posterm restore (pid" in str(err.value)
    finally:
        lock.set_program("")
    Database(path).close()


def test_a_killed_till_leaves_no_lock_behind(demo_template: Path, tmp_path: Path) -> None:
    data = _data(demo_template, tmp_path)
    till, pid = _start_till(data.store_path, sales=2)
    _receipts_until_done(till)
    assert [h.pid for h in lock.live_holders(data.store_path)] == [pid]
    os.kill(pid, signal.SIGKILL)
    till.communicate()
    assert lock.live_holders(data.store_path) == []
    assert [p.name for p in lock.holders_dir(data.store_path).iterdir()] == []  # stale: removed
    with lock.exclusive(data.store_path):
        pass


def test_a_store_replaced_under_a_till_is_never_written_again(
    demo_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "store.sqlite3"
    shutil.copyfile(demo_template, path)
    db = Database(path)
    told: list[str] = []
    unsubscribe = events.subscribe("store_replaced", lambda path: told.append(path))
    try:
        shop = make_till(db)
        co = shop.checkout()
        co.add("SKU000300")
        due = co.quote().payable
        sales_before = db.scalar("SELECT count(*) FROM sale")
        # something that ignores the lock (an old posterm, a copy by hand) swaps the file
        shutil.copyfile(path, tmp_path / "other.sqlite3")
        os.replace(tmp_path / "other.sqlite3", path)

        with pytest.raises(StoreError) as err:
            co.pay([Tender("cash", due)])
        assert err.value.code == "store_replaced"
        assert "restart posterm" in str(err.value)
        assert told == [str(path)]
        assert len(co.lines) == 1  # the basket is kept for after the restart
        with pytest.raises(StoreError), db.transaction() as session:
            session.execute(text("INSERT INTO store_meta (key, value) VALUES ('x', 'y')"))
        # nothing reached the file that was replaced (still readable through our connections)
        assert db.scalar("SELECT count(*) FROM sale") == sales_before
        assert db.scalar("SELECT count(*) FROM store_meta WHERE key = 'x'") == 0
    finally:
        unsubscribe()
        db.close()
    fresh = Database(path)
    try:
        assert fresh.scalar("SELECT count(*) FROM sale") == sales_before
        assert fresh.scalar("SELECT count(*) FROM store_meta WHERE key = 'x'") == 0
    finally:
        fresh.close()
