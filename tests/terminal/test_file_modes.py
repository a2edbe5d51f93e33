"""The store holds argon2 PIN hashes and members' encrypted data: only its user may read it.

Seen before: the data folder 0755 and the store 0644, so any local user could
copy the PIN hashes and guess them offline.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from terminal.config import DataDir
from terminal.config_render import ensure_config
from terminal.home import TerminalHome
from tests.conftest import DEMO_NOW
from ui.cli import main


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Start from the usual 022, as a till installed by hand would."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_opening_the_till_makes_its_files_private(
    open_umask: None, demo_template: Path, tmp_path: Path
) -> None:
    data = DataDir(tmp_path / "data")
    ensure_config(data, code="S001", name="测试店")
    shutil.copyfile(demo_template, data.store_path)
    for path in (data.root, data.backups_dir, data.keys_dir):
        path.chmod(0o755)
    data.store_path.chmod(0o644)

    till = TerminalHome.open(data.root, now=DEMO_NOW)
    try:
        assert till.daily_backup is not None and till.daily_backup.wait(timeout=60)
        [daily] = data.backups_dir.glob("store-*.sqlite3")
        wal, shm = Path(f"{data.store_path}-wal"), Path(f"{data.store_path}-shm")
        assert wal.exists() and shm.exists()
        lock_file = data.root / "store.sqlite3.lock"
        holders = data.root / "store.sqlite3.lock.d"
        [record] = holders.iterdir()
        for path in (data.store_path, wal, shm, lock_file, record, daily):
            assert mode(path) == 0o600, path
        for path in (data.root, data.backups_dir, data.keys_dir, holders):
            assert mode(path) == 0o700, path
    finally:
        till.close()


def test_the_command_line_writes_private_logs(
    open_umask: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--data-dir", str(tmp_path / "d"), "--members", "5"]) == 0
    assert main(["config", "check", "--data-dir", str(tmp_path / "d")]) == 0
    log = tmp_path / "d" / "logs" / "posterm.log"
    assert log.exists() and mode(log) == 0o600
    assert mode(tmp_path / "d" / "store.sqlite3") == 0o600
    assert mode(tmp_path / "d") == 0o700


def test_the_atomic_writer_gives_the_mode_asked_whatever_the_umask(
    open_umask: None, tmp_path: Path
) -> None:
    from terminal.files import atomic_write_text

    atomic_write_text(tmp_path / "private.toml", "a = 1\n")
    atomic_write_text(tmp_path / "shared.txt", "hello\n", mode=0o644)
    assert mode(tmp_path / "private.toml") == 0o600
    assert mode(tmp_path / "shared.txt") == 0o644
    assert (tmp_path / "shared.txt").read_text(encoding="utf-8") == "hello\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["private.toml", "shared.txt"]


def test_the_member_key_file_is_written_by_the_one_atomic_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while saving the member keys is the store's one-line refusal, like any
    other file posterm writes, not an OSError traceback; no temporary file is left."""
    import errno
    import tempfile

    from terminal.errors import StoreError
    from terminal.pii import FileKeyStore

    def disk_full(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.ENOSPC, "No space left on device")

    store = FileKeyStore(tmp_path / "keys" / "member-keys.json")
    monkeypatch.setattr(tempfile, "mkstemp", disk_full)
    with pytest.raises(StoreError) as err:
        store.save('{"k": 1}')
    assert err.value.code == "store_disk_full"
    monkeypatch.undo()
    store.save('{"k": 1}')
    assert store.load() == '{"k": 1}' and mode(store.path) == 0o600
    assert [p.name for p in store.path.parent.iterdir()] == ["member-keys.json"]
