"""Start-up on a full-scale store: `posterm --help`, the keyboard till's login prompt, the GUI.

    .venv/bin/python bench/bench_start.py [--products 300000] [--members 1000000] [--runs 5]

Builds (once, cached under --work) a demo data directory with `posterm demo`
at the given scale, then measures, from the moment the process is launched:

* ``posterm --help`` printing its help (target < 0.3 s);
* ``posterm till`` showing its login prompt (target < 1 s), warm, and on the
  first start of a day (today's automatic backup missing, so it is taken —
  in the background);
* the desktop till (offscreen) showing its login screen (target < 2 s);
* with ``--cold``, the same after dropping the page cache (needs root and a
  kernel that allows it; skipped with a note otherwise).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

POSTERM = Path(sys.executable).parent / "posterm"

GUI_CHILD = r"""
import sys, os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from terminal.home import TerminalHome
from ui.qt.app import application, build
app = application()
home = TerminalHome.open(sys.argv[1])
window = build(home)
window.show()
app.processEvents()
print("SHOWN", flush=True)
"""


def build(data: Path, products: int, members: int) -> None:
    t = time.perf_counter()
    subprocess.run(
        [
            str(POSTERM),
            "demo",
            "--data-dir",
            str(data),
            "--products",
            str(products),
            "--members",
            str(members),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    size = (data / "store.sqlite3").stat().st_size / 2**30
    print(
        f"built {products:,} products, {members:,} members in "
        f"{time.perf_counter() - t:.0f} s: {size:.2f} GiB"
    )


def until(argv: list[str], marker: bytes, env: dict[str, str] | None = None) -> float:
    """Seconds from launch until ``marker`` appears on stdout (the process is then ended)."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert proc.stdout is not None
    seen = b""
    while marker not in seen:
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            raise SystemExit(f"{argv[:3]} ended before showing {marker!r}")
        seen += chunk
    elapsed = time.perf_counter() - t
    proc.kill()
    proc.wait()
    return elapsed


def drop_caches() -> bool:
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def row(name: str, samples: list[float], target: str) -> None:
    print(
        f"{name:52} {statistics.median(samples) * 1000:8.0f} ms "
        f"{max(samples) * 1000:8.0f} ms {target:>9}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--products", type=int, default=300_000)
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cold", action="store_true")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "posterm-bench")
    args = ap.parse_args()
    data = args.work / f"data-{args.products}-{args.members}"
    if not (data / "store.sqlite3").exists():
        build(data, args.products, args.members)
    env = {**os.environ, "POSTERM_DATA_DIR": str(data)}
    till = [str(POSTERM), "till"]
    until(till, "工号".encode(), env)  # warm the page cache and take today's backup once

    print(f"{'measure':52} {'median':>11} {'max':>11} {'target':>9}")
    row(
        "posterm --help",
        [until([str(POSTERM), "--help"], b"COMMAND") for _ in range(args.runs)],
        "< 300 ms",
    )
    row(
        "posterm till -> login prompt (warm)",
        [until(till, "工号".encode(), env) for _ in range(args.runs)],
        "< 1000 ms",
    )
    firsts = []
    for _ in range(args.runs):
        today = datetime.now().strftime("%Y%m%d")
        for backup in (data / "backups").glob(f"store-{today}-*.sqlite3"):
            backup.unlink()
        firsts.append(until(till, "工号".encode(), env))
    row("posterm till -> login prompt (first start of the day)", firsts, "< 1000 ms")
    gui = [sys.executable, "-c", GUI_CHILD, str(data)]
    row(
        "desktop till -> login screen shown (warm)",
        [until(gui, b"SHOWN", env) for _ in range(args.runs)],
        "< 2000 ms",
    )
    if args.cold:
        if not drop_caches():
            print("(cold start not measured: cannot drop the page cache here)")
        else:
            colds = []
            for _ in range(args.runs):
                drop_caches()
                colds.append(until(till, "工号".encode(), env))
            row("posterm till -> login prompt (cold cache)", colds, "< 1000 ms")


if __name__ == "__main__":
    main()
