"""python-escpos's parsed printer database is cached safely between processes."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

PRINT_ONE = (
    "from devices.printer import render_document\n"
    "from escpos import capabilities\n"
    "print(capabilities.pickle_path)\n"
)


def _run(cache_home: Path, count: int) -> list[subprocess.CompletedProcess[str]]:
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env["XDG_CACHE_HOME"] = str(cache_home)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PRINT_ONE],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


def _cached(cache_home: Path) -> Path:
    return cache_home / "posterm" / "escpos" / f"{platform.python_version()}.capabilities.pickle"


def test_processes_starting_together_on_a_fresh_machine_all_load_the_printer(
    tmp_path: Path,
) -> None:
    results = _run(tmp_path, 3)
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert _cached(tmp_path).stat().st_size > 0
    # the next start reads the shared cache instead of parsing the YAML again
    (again,) = _run(tmp_path, 1)
    assert again.returncode == 0
    assert Path(again.stdout.strip()) == _cached(tmp_path)


def test_an_empty_cache_file_left_by_a_crash_is_replaced(tmp_path: Path) -> None:
    cached = _cached(tmp_path)
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"")
    (first,) = _run(tmp_path, 1)
    assert first.returncode == 0, first.stderr
    assert cached.stat().st_size > 0
    (second,) = _run(tmp_path, 1)
    assert second.returncode == 0, second.stderr


def test_a_cache_older_than_a_reinstalled_python_escpos_is_never_rewritten_in_place(
    tmp_path: Path,
) -> None:
    # A fresh virtualenv beside an old ~/.cache: python-escpos would find its
    # database newer than the pickle and rewrite the shared file in place, so a
    # process starting alongside read half a file (CI: EOFError at collection).
    (seed,) = _run(tmp_path, 1)
    assert seed.returncode == 0, seed.stderr
    cached = _cached(tmp_path)
    os.utime(cached, (1_000_000_000, 1_000_000_000))  # older than any install
    (first,) = _run(tmp_path, 1)
    assert first.returncode == 0, first.stderr
    # it parsed into a directory of its own, then published a fresh cache whole
    assert Path(first.stdout.strip()) != cached
    assert cached.stat().st_mtime > 1_000_000_000
    # processes starting together now share it (or parse for themselves): all load
    results = _run(tmp_path, 4)
    assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
    (again,) = _run(tmp_path, 1)
    assert Path(again.stdout.strip()) == cached
