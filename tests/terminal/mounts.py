"""Real full disks and read-only folders for tests: small tmpfs mounts and read-only bind mounts.

Needs root (CAP_SYS_ADMIN); where mounting is not possible the tests that use
these skip and say why. ``fill`` writes a filler file until the file system
answers ENOSPC, so "the disk is full" is the kernel's word, not a stand-in.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def _umount(path: Path) -> None:
    if _run("umount", str(path)).returncode != 0:
        _run("umount", "-l", str(path))  # something still holds a file open: detach lazily


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (e.g. ``"8m"``) mounted at ``path`` for the duration."""
    path.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield path
    finally:
        _umount(path)


def resize(path: Path, size: str) -> None:
    """Give a mounted tmpfs a new size (e.g. to free space on a full one)."""
    done = _run("mount", "-o", f"remount,size={size}", str(path))
    assert done.returncode == 0, done.stderr


@contextmanager
def read_only_view(source: Path, view: Path) -> Iterator[Path]:
    """``source`` bind-mounted read-only at ``view``: writes fail with EROFS, even for root."""
    view.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "--bind", str(source), str(view))
    if done.returncode != 0:
        pytest.skip(f"cannot bind-mount here (needs root): {done.stderr.strip()}")
    try:
        done = _run("mount", "-o", "remount,bind,ro", str(view))
        assert done.returncode == 0, done.stderr
        yield view
    finally:
        _umount(view)


def fill(folder: Path) -> Path:
    """Write a filler file in ``folder`` until its file system is full; returns the filler."""
    filler = folder / "filler.bin"
    chunk = b"\0" * 65536
    with open(filler, "wb", buffering=0) as handle:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    handle.write(chunk[:size])
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
    assert os.statvfs(folder).f_bavail == 0
    return filler
