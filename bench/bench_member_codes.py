"""Member-code verification latency on a big store.

    .venv/bin/python bench/bench_member_codes.py [--members 1000000] [--keys N]

Builds (once, cached under --work) a demo store with N members and installs
one demo app key per member (``install_demo_keys``; ``--keys`` caps how
many), then measures, on codes for random members:

* parse only (pure);
* verify a dynamic code inside the caller's write transaction (key lookup,
  member lookup, Ed25519 check, window, status, SeenCode prune + insert),
  target p95 < 3 ms;
* accept a dynamic code in its own transaction (adds the commit:
  WAL, synchronous=FULL);
* verify a static code (member number lookup).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from terminal.demo import build_demo
from terminal.membercodes import (
    accept,
    demo_app_key,
    demo_key_id,
    encode_dynamic,
    install_demo_keys,
    parse,
    verify,
)
from terminal.store.database import Database
from terminal.store.models import Member, SeenCode

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
SEED = b"posterm bench demo app seed 0001"


def pct(samples: list[float], p: int) -> float:  # float ok: timings, not money
    return statistics.quantiles(samples, n=100)[p - 1]


def build(path: Path, members: int, keys: int) -> None:
    """Build into a side file and rename it, so an interrupted build is never reused."""
    final, path = path, path.with_suffix(".building")
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    t = time.perf_counter()
    db = Database(path)
    build_demo(db, products=1000, members=members, now=NOW)
    built = time.perf_counter() - t
    t = time.perf_counter()
    with db.engine.begin() as conn:
        rows = conn.execute(select(Member.id, Member.member_no).order_by(Member.member_no)).all()
        written = install_demo_keys(conn, SEED, rows, limit=keys, created_at=NOW)
    keyed = time.perf_counter() - t
    db.close()  # checkpoints the WAL into the file
    path.rename(final)
    print(
        f"built store: {members:,} members in {built:.0f} s; {written:,} app keys in "
        f"{keyed:.1f} s ({keyed / max(written, 1) * 1e6:.0f} µs/key); "
        f"{final.stat().st_size / 2**20:.0f} MiB"
    )


def timed(fn: Callable[[], object], reps: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per call.

    CPU time is shown next to wall time because on a busy machine the wall
    tail is other processes' scheduling, not this code (nor the store's size).
    """
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(reps):
        t, c = time.perf_counter(), time.thread_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--keys", type=int, default=None, help="app keys to install (default: all)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "posterm-bench")
    ap.add_argument("--reps", type=int, default=2000)
    args = ap.parse_args()
    keys = min(args.keys or args.members, args.members)

    store = args.work / f"membercodes-{args.members}-{keys}.sqlite3"
    args.work.mkdir(parents=True, exist_ok=True)
    if not store.exists():
        build(store, args.members, keys)
    db = Database(store)
    with db.transaction() as s:  # codes seen by an earlier run would be replays
        s.execute(delete(SeenCode))
    rng = random.Random(7)
    step = timedelta(seconds=30)

    def codes(at: datetime) -> list[str]:
        # distinct members: no code repeats, so nothing is refused as a replay
        nos = [f"M{k:08d}" for k in rng.sample(range(1, keys + 1), min(args.reps, keys))]
        return [encode_dynamic(n, demo_key_id(SEED, n), demo_app_key(SEED, n), at) for n in nos]

    rows: list[tuple[str, tuple[list[float], list[float]]]] = []
    batch = codes(NOW)
    it = iter(batch)
    rows.append(("parse a dynamic code (pure)", timed(lambda: parse(next(it)), len(batch))))

    it = iter(batch)
    with db.transaction() as s:
        rows.append(
            (
                "verify dynamic, caller's transaction",
                timed(lambda: verify(s, next(it), NOW), len(batch)),
            )
        )

    later = NOW + 4 * step  # fresh window: the first batch's SeenCode rows get pruned
    batch = codes(later)
    it = iter(batch)
    rows.append(
        (
            "accept dynamic, own transaction + commit",
            timed(lambda: accept(db, next(it), later), len(batch)),
        )
    )

    statics = [f"M{rng.randint(1, args.members):08d}" for _ in range(args.reps)]
    it = iter(statics)
    with db.transaction() as s:
        rows.append(
            (
                "verify static (member number)",
                timed(lambda: verify(s, next(it), later), len(statics)),
            )
        )
    db.close()

    print(f"members {args.members:,}, app keys {keys:,}, samples {len(batch):,}")
    print(f"{'measure':42} {'median':>9} {'p95':>9} {'cpu p50':>9} {'cpu p95':>9} {'target':>7}")
    for name, (wall, cpu) in rows:
        target = "< 3ms" if name.startswith("verify dynamic") else ""
        print(
            f"{name:42} {statistics.median(wall):7.3f}ms {pct(wall, 95):7.3f}ms "
            f"{statistics.median(cpu):7.3f}ms {pct(cpu, 95):7.3f}ms {target:>7}"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
