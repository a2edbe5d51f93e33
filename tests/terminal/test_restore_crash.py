"""Kill -9 ``posterm restore --carry-over`` at random moments while a till sells in bursts.

A till process (``restore_till_child``) sells a burst of sales and exits; while
it has the store open, a restore is tried and must be refused by the lock,
naming the till. Between bursts, restores from an old backup are started and
killed with SIGKILL at random points of their work (``restore_cli_child`` has
its imports done before it is told to go). After every kill, and at the end:
the store passes ``integrity_check``; every sale any till committed is in it;
receipt numbers are gap-free and none was printed twice; every sale is queued
for HQ. The default run kills a few restores; ``-m soak`` kills hundreds.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from terminal import backup
from terminal.config import DataDir
from terminal.config_render import ensure_config
from terminal.store.database import Database, integrity_check
from tests.terminal.tillkit import make_till

ROOT = Path(__file__).resolve().parents[2]
_EXIT = re.compile(r"exit (-?\d+)$")


def _spawn(module: str, *args: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return child


def _readline(child: subprocess.Popen[str]) -> str:
    assert child.stdout is not None
    line = child.stdout.readline()
    if not line:
        raise AssertionError(f"child ended: {child.wait()}")
    return line.strip()


class Restorer:
    """``restore_cli_child``: forks a ``posterm`` process per request, imports already done."""

    def __init__(self) -> None:
        self.child = _spawn("tests.terminal.restore_cli_child")
        assert _readline(self.child) == "ready"

    def _write(self, text: str) -> None:
        assert self.child.stdin is not None
        self.child.stdin.write(text)
        self.child.stdin.flush()

    def start(self, argv: list[str], pin: str | None = None) -> int:
        """Start ``posterm ARGV``; returns its pid."""
        self._write(json.dumps({"argv": argv, "pin": pin}) + "\n")
        line = _readline(self.child)
        assert line.startswith("started "), line
        return int(line.split()[1])

    def finish(self) -> tuple[int, list[str]]:
        """Reap the started process: its exit status (-9 if killed) and what it said."""
        self._write("reap\n")
        said: list[str] = []
        while True:
            line = _readline(self.child)
            match = _EXIT.search(line)
            if match:
                return int(match.group(1)), said
            if line:
                said.append(line)

    def run(self, argv: list[str], pin: str | None = None) -> tuple[int, list[str]]:
        self.start(argv, pin)
        return self.finish()

    def close(self) -> None:
        if self.child.poll() is None:
            self.child.kill()
        self.child.communicate()


@dataclass
class Run:
    data: DataDir
    snapshot: Path
    rng: random.Random
    receipts: list[str] = field(default_factory=list)
    refused: int = 0
    killed: int = 0
    completed: int = 0
    window: float = 1.0

    @property
    def restore_argv(self) -> list[str]:
        return [
            "restore",
            str(self.snapshot),
            "--carry-over",
            "--data-dir",
            str(self.data.root),
            "--user",
            "9001",
        ]

    def spawn_till(self) -> subprocess.Popen[str]:
        return _spawn(
            "tests.terminal.restore_till_child",
            str(self.data.store_path),
            str(self.rng.randrange(1 << 30)),
            str(self.rng.randint(1, 6)),
        )

    def burst(self, till: subprocess.Popen[str], refuser: Restorer) -> None:
        """Let a started till sell its burst; a restore tried meanwhile is refused."""
        assert _readline(till) == "loaded"
        assert till.stdin is not None
        till.stdin.write("open\n")
        till.stdin.flush()
        first = _readline(till).split()
        assert first[0] == "ready", first
        pid = int(first[1])
        status, said = refuser.run(self.restore_argv)  # while the till sells
        assert status == 2, said
        assert f"in use by posterm till (pid {pid}," in said[-1], said
        self.refused += 1
        while (line := _readline(till)) != "done":
            self.receipts.append(line)
        till.communicate("")
        assert till.returncode == 0

    def kill_a_restore(self, restorer: Restorer) -> None:
        pid = restorer.start(self.restore_argv, pin="9999")
        time.sleep(self.rng.uniform(0, self.window))
        os.kill(pid, signal.SIGKILL)  # not reaped yet: the pid is still this restore's
        status, said = restorer.finish()
        if status == -signal.SIGKILL:
            self.killed += 1
        else:
            assert status == 0, said
            self.completed += 1
        self.check()

    def check(self) -> None:
        store = self.data.store_path
        assert integrity_check(store) == []
        db = Database(store)
        try:
            with db.engine.connect() as conn:
                seqs = [r[0] for r in conn.exec_driver_sql("SELECT seq FROM sale ORDER BY seq")]
                receipts = {r[0] for r in conn.exec_driver_sql("SELECT receipt_no FROM sale")}
                queued = conn.exec_driver_sql(
                    "SELECT count(*) FROM outbox WHERE kind = 'sale' AND record_id IN "
                    "(SELECT id FROM sale)"
                ).scalar()
        finally:
            db.close()
        assert len(self.receipts) == len(set(self.receipts)), "a receipt number was used twice"
        assert set(self.receipts) <= receipts, sorted(set(self.receipts) - receipts)
        assert seqs == list(range(1, len(seqs) + 1))
        assert len(seqs) == len(self.receipts)
        assert queued == len(seqs)


def _prepare(demo_template: Path, tmp_path: Path, seed: int) -> Run:
    data = DataDir(tmp_path / "data")
    ensure_config(data, code="S001", name="测试店")
    shutil.copyfile(demo_template, data.store_path)
    db = Database(data.store_path)
    make_till(db)  # logs in and opens the shift the tills sell in
    db.close()
    snapshot = backup.copy_store(data.store_path, tmp_path / "snapshot.sqlite3")
    return Run(data=data, snapshot=snapshot, rng=random.Random(seed))


def _crash_run(run: Run, rounds: int, kills_per_round: int) -> None:
    """Each till is started one burst early, so its imports overlap the restores."""
    restorer = Restorer()
    till = run.spawn_till()
    try:
        run.burst(till, restorer)
        till = run.spawn_till()
        # one restore to the end: it must work, and it shows how long one takes here
        started = time.monotonic()
        status, said = restorer.run(run.restore_argv, pin="9999")
        assert status == 0, said
        run.window = (time.monotonic() - started) * 1.2
        run.check()
        for _ in range(rounds):
            run.burst(till, restorer)
            till = run.spawn_till()
            for _ in range(kills_per_round):
                run.kill_a_restore(restorer)
        run.burst(till, restorer)  # the till sells on whatever the last kill left
        run.check()
    finally:
        restorer.close()
        if till.poll() is None:
            till.kill()
        till.communicate()


def test_sigkill_during_restore_never_loses_or_repeats_a_sale(demo_template, tmp_path):
    run = _prepare(demo_template, tmp_path, seed=5)
    _crash_run(run, rounds=2, kills_per_round=2)
    assert run.refused == 4 and run.killed + run.completed == 4
    print(f"restores killed: {run.killed}, ran to the end: {run.completed}")


@pytest.mark.soak
def test_sigkill_restore_soak(demo_template, tmp_path):
    run = _prepare(demo_template, tmp_path, seed=23)
    _crash_run(run, rounds=60, kills_per_round=4)
    assert run.refused == 62 and run.killed + run.completed == 240
    print(f"restores killed: {run.killed}, ran to the end: {run.completed}")
