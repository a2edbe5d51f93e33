"""Writing files so that a crash or power cut leaves the old or the new version, never half.

Also the two things every file posterm writes shares: it is private to the
user the till runs as (the store holds PIN hashes and members' encrypted
personal data), and a failure to write it (full disk, read-only folder) is
told to the person as one line saying what to do, not as a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from terminal.errors import StoreError

PRIVATE_UMASK = 0o077
"""Files and folders posterm creates are readable by their owner only."""

_FULL = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def private_umask() -> None:
    """Make everything this process creates from now on private (0600 files, 0700 folders)."""
    os.umask(PRIVATE_UMASK)


def make_private(*paths: Path) -> None:
    """``chmod`` existing files to 0600 and folders to 0700; missing paths are skipped.

    Fixes stores and backups made before posterm set its umask. A file this
    user does not own, or on a read-only disk, cannot be changed and is left
    as it is (writing to it will say why).
    """
    for path in paths:
        try:
            mode = os.stat(path).st_mode
            wanted = 0o700 if stat.S_ISDIR(mode) else 0o600
            if stat.S_IMODE(mode) != wanted:
                os.chmod(path, wanted)
        except OSError:
            continue


def is_read_only(folder: Path) -> bool:
    """True when ``folder``'s file system is mounted read-only or the folder is not writable."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return not os.access(folder, os.W_OK)


def write_error(exc: OSError, path: Path) -> StoreError:
    """The one-line refusal for an ``OSError`` met while writing ``path``."""
    folder = Path(path).parent
    if exc.errno in _FULL:
        return StoreError("store_disk_full", folder=folder)
    if exc.errno in _READ_ONLY or is_read_only(folder):
        return StoreError("store_read_only", folder=folder)
    return StoreError("store_io_error", path=path, detail=exc.strerror or str(exc))


def fsync_file(path: Path) -> None:
    """Force a file's bytes to disk."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def fsync_dir(directory: Path) -> None:
    """Force a directory entry (a rename) to disk; best effort where the OS cannot."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str, *, mode: int = 0o600) -> None:
    """Write ``text`` to ``path`` so a crash leaves either the old or the new file.

    The one atomic writer of the terminal (config files, the member key file).
    The file has permission ``mode`` (default: private to the owner) from the
    moment it exists, whatever the umask: a key is never readable by others,
    not even for a moment. A full disk or read-only folder raises
    :class:`StoreError` and leaves no temporary file behind.
    """
    path = Path(path)
    tmp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.fchmod(fd, mode)  # mkstemp made it 0600; set what is asked before any byte is in
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except OSError as exc:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
        raise write_error(exc, path) from exc
    except BaseException:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
