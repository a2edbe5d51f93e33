"""The lock beside the store: who has it open, and keeping a restore away from them.

Every process that opens the store holds a **shared** ``flock`` on
``store.sqlite3.lock`` for as long as it has the store open (shared locks
coexist, so a till, ``posterm print`` and a test opening the file twice all
run together). A restore takes the lock **exclusively** and without waiting:
while anyone holds it shared, the restore is refused, and while a restore
holds it, nobody can open the store. The kernel drops a lock when its process
dies, so a till killed by a power cut or ``kill -9`` never leaves a stale lock.

To say *who* holds the lock, each holder also keeps a small record in
``store.sqlite3.lock.d/``: one JSON file (program, pid, time opened) that its
owner keeps ``flock``-ed exclusively. A record nobody keeps locked belongs to
a process that is gone and is removed by whoever finds it. The record is made
before the shared lock is taken, so a holder can always be named.

POSIX only (``fcntl.flock``).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from terminal.errors import StoreError
from terminal.files import write_error

_program: str | None = None


def set_program(name: str) -> None:
    """Name this process in holder records (the CLI sets ``posterm till`` etc.)."""
    global _program
    _program = name


def program() -> str:
    """This process's name for holder records: as set, else its command line's first words."""
    if _program:
        return _program
    words = [Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"]
    words += [a for a in sys.argv[1:2] if not a.startswith("-")]
    return " ".join(words)


def lock_path(store: Path) -> Path:
    return Path(f"{store}.lock")


def holders_dir(store: Path) -> Path:
    return Path(f"{store}.lock.d")


@dataclass(frozen=True)
class Holder:
    """A process that has the store open (or is restoring it)."""

    program: str
    pid: int
    since: str
    exclusive: bool
    token: str = ""

    def describe(self) -> str:
        return f"{self.program} (pid {self.pid}, since {self.since})"


def _try_flock(fd: int, how: int) -> bool:
    try:
        fcntl.flock(fd, how | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def live_holders(store: Path) -> list[Holder]:
    """The processes whose holder record is still kept locked; stale records are removed."""
    folder = holders_dir(store)
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    found: list[Holder] = []
    for name in names:
        if not name.endswith(".json"):
            continue
        path = folder / name
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            if _try_flock(fd, fcntl.LOCK_EX):
                path.unlink(missing_ok=True)  # its owner is gone
                continue
            with open(fd, encoding="utf-8", closefd=False) as handle:
                record = json.load(handle)
            found.append(
                Holder(
                    program=str(record.get("program", "?")),
                    pid=int(record.get("pid", 0)),
                    since=str(record.get("since", "?")),
                    exclusive=bool(record.get("exclusive", False)),
                    token=path.stem,
                )
            )
        except (OSError, ValueError):
            continue
        finally:
            os.close(fd)
    return found


class StoreLock:
    """A held lock on one store; :meth:`release` (or ``with``) gives it back.

    Use :func:`shared` and :func:`exclusive` to take one.
    """

    def __init__(self, store: Path, *, exclusive: bool) -> None:
        self.store = Path(store)
        self.exclusive = exclusive
        self._token = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self._record_fd: int | None = None
        self._record: Path | None = None
        self._fd: int | None = None
        try:
            self._write_record()
            self._fd = os.open(lock_path(self.store), os.O_RDWR | os.O_CREAT, 0o600)
            with contextlib.suppress(OSError):  # made before posterm set its umask
                os.fchmod(self._fd, 0o600)
        except OSError as exc:
            self.release()
            raise write_error(exc, lock_path(self.store)) from exc
        if not _try_flock(self._fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH):
            others = [h for h in live_holders(self.store) if h.token != self._token]
            self.release()
            raise self._refusal(others)

    def _write_record(self) -> None:
        """Create this holder's record under a temporary name, lock it, then show it."""
        folder = holders_dir(self.store)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = folder / f".{self._token}.tmp"
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        self._record_fd, self._record = fd, tmp
        fcntl.flock(fd, fcntl.LOCK_EX)
        record = {
            "program": program(),
            "pid": os.getpid(),
            "since": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            "exclusive": self.exclusive,
        }
        os.write(fd, json.dumps(record, ensure_ascii=False).encode("utf-8"))
        final = folder / f"{self._token}.json"
        os.replace(tmp, final)  # same inode: the lock taken above stays with it
        self._record = final

    def _refusal(self, holders: list[Holder]) -> StoreError:
        if self.exclusive:
            names = ", ".join(h.describe() for h in holders) or "another posterm program"
            return StoreError("store_in_use", holder=names, path=self.store)
        restorers = [h for h in holders if h.exclusive] or holders
        names = ", ".join(h.describe() for h in restorers) or "another posterm program"
        return StoreError("store_restore_running", holder=names, path=self.store)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Give the lock back and remove this holder's record (idempotent)."""
        if self._fd is not None:
            os.close(self._fd)  # closing the only descriptor drops the flock
            self._fd = None
        if self._record is not None:
            self._record.unlink(missing_ok=True)
            self._record = None
        if self._record_fd is not None:
            os.close(self._record_fd)
            self._record_fd = None

    def __enter__(self) -> StoreLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def shared(store: Path) -> StoreLock:
    """Hold ``store`` open alongside others; refused while a restore runs."""
    return StoreLock(store, exclusive=False)


def exclusive(store: Path) -> StoreLock:
    """Hold ``store`` alone, without waiting; refused, naming who has it open, otherwise."""
    return StoreLock(store, exclusive=True)
