"""Checkout latency on a big store: add-to-basket + re-price, and sale commit.

    .venv/bin/python bench/bench_checkout.py [--products 100000] [--members 1000000]

Builds (once, cached under --work) a demo store with the given catalogue and
membership, then measures:

* add one product to a basket that already holds 49 lines, and re-price the
  whole 50-line basket (product lookup + pricing), target p95 < 5 ms;
* commit a sale (one SQLite transaction, WAL, synchronous=FULL) of a 5–10 line
  basket with a member earning and redeeming points, target p95 < 5 ms (issue 10),
  with the CPU it took and, for scale, a bare durable INSERT+COMMIT on the same
  disk (on a busy machine the disk's fsync alone can exceed the target).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from terminal import auth, shifts
from terminal.checkout import Checkout
from terminal.checkout_settings import CheckoutSettings
from terminal.demo import build_demo, ean13
from terminal.store.database import Database
from terminal.store.models import Terminal, User
from terminal.tenders import Tender

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


def pct(samples: list[float], p: int) -> float:  # float ok: timings, not money
    return statistics.quantiles(samples, n=100)[p - 1]


def build(path: Path, products: int, members: int) -> None:
    t = time.perf_counter()
    db = Database(path)
    build_demo(db, products=products, members=members, now=NOW)
    db.close()
    print(
        f"built store: {products:,} products, {members:,} members in "
        f"{time.perf_counter() - t:.0f} s ({path.stat().st_size / 2**20:.0f} MiB)"
    )


def bare_commit_ms(folder: Path, reps: int = 300) -> list[float]:
    """A bare durable INSERT+COMMIT on the same disk (WAL, synchronous=FULL): the floor
    a sale's commit stands on, so a slow disk is told apart from slow code."""
    path = folder / "bare.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (body) VALUES (?)", ("x" * 500,))
        conn.execute("COMMIT")
        samples.append((time.perf_counter() - t) * 1000)
    conn.close()
    return samples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "posterm-bench")
    ap.add_argument("--reps", type=int, default=500)
    ap.add_argument("--sales", type=int, default=300)
    args = ap.parse_args()

    store = args.work / f"store-{args.products}-{args.members}.sqlite3"
    args.work.mkdir(parents=True, exist_ok=True)
    if not store.exists():
        build(store, args.products, args.members)
    db = Database(store)
    with db.transaction() as s:
        terminal = s.scalars(select(Terminal)).one()
        user = s.scalars(select(User).where(User.role == "cashier")).one()
        cashier = auth.Actor(user.id, user.username, user.display_name, user.role)
        if shifts.current_shift(s, terminal.id) is None:
            shifts.open_shift(s, terminal_id=terminal.id, actor=cashier, opening_float=0, now=NOW)
    settings = CheckoutSettings(terminal_id=terminal.id, receipt_prefix="S001T01-", tz=TZ)
    rng = random.Random(1)
    barcodes = [ean13("69", rng.randint(1, args.products)) for _ in range(5000)]

    co = Checkout(db, settings, cashier, clock=lambda: NOW)
    co.attach_member(f"M{rng.randint(1, args.members):08d}")
    while len(co.lines) < 49:
        co.add(rng.choice(barcodes))
    add_ms: list[float] = []
    for i in range(args.reps):
        t = time.perf_counter()
        co.add(barcodes[49 + i % 4000], 1)
        add_ms.append((time.perf_counter() - t) * 1000)
        if len(co.lines) == 50:
            co.lines.pop()
        else:  # the scan merged into the last line
            co.lines[-1].qty -= 1
    assert len(co.lines) == 49
    co.clear()

    commit_ms: list[float] = []
    cpu_ms: list[float] = []
    for _ in range(args.sales):
        for _ in range(rng.randint(5, 10)):
            co.add(rng.choice(barcodes), rng.randint(1, 3))
        co.attach_member(f"M{rng.randint(1, args.members):08d}")
        co.set_redeem_points(rng.choice([0, 100, 500]))
        due = co.quote().payable
        t, cpu = time.perf_counter(), time.thread_time()
        co.pay([Tender("cash", due + 1000)])
        commit_ms.append((time.perf_counter() - t) * 1000)
        cpu_ms.append((time.thread_time() - cpu) * 1000)
    db.close()
    bare_ms = bare_commit_ms(args.work)

    print(f"{'measure':44} {'median':>8} {'p95':>8} {'target':>8}")
    print(
        f"{'add to 49-line basket + re-price 50 lines':44} {statistics.median(add_ms):7.2f}ms "
        f"{pct(add_ms, 95):7.2f}ms {'< 5ms':>8}"
    )
    print(
        f"{'commit a sale (5-10 lines, member, points)':44} "
        f"{statistics.median(commit_ms):7.2f}ms {pct(commit_ms, 95):7.2f}ms {'< 5ms':>8}"
    )
    print(
        f"{'  of which CPU in this thread':44} "
        f"{statistics.median(cpu_ms):7.2f}ms {pct(cpu_ms, 95):7.2f}ms"
    )
    print(
        f"{'bare durable INSERT+COMMIT, same disk':44} "
        f"{statistics.median(bare_ms):7.2f}ms {pct(bare_ms, 95):7.2f}ms"
    )


if __name__ == "__main__":
    main()
