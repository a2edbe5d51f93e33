"""How long a whole-file check of the store takes, per MB: the start-up threshold comes from here.

    .venv/bin/python bench/bench_integrity.py [--sizes 16 64 256] [--work DIR]

Builds a demo store, rings up a few hundred real sales, then grows it to each
size by cloning those sales (with their lines, payments, points, print jobs,
audit and outbox rows, under new ids and receipt numbers), so the pages and
indexes look like a store with a long sales history. For each size it prints
``PRAGMA integrity_check`` and ``quick_check`` times (median of 3, warm page
cache: the file was just written) and what opening the store costs with and
without the start-up check. ``terminal.store.database.INTEGRITY_CHECK_MAX_BYTES``
is chosen so the start-up check stays a small part of the 1 s login budget.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from terminal import auth, shifts
from terminal.checkout import Checkout, CheckoutSettings, Tender
from terminal.demo import build_demo
from terminal.store import database
from terminal.store.database import Database
from terminal.store.models import Member, Terminal, User

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
MB = 2**20

# every column that holds a record's own id or points at one, and gets the clone's suffix
ID_COLUMNS = {"id", "sale_id", "record_id", "receipt_no", "original_sale_id", "lot_id", "target"}
CLONED = ("sale", "sale_line", "sale_adjustment", "payment", "points_entry", "print_job")


def ring_sales(path: Path, sales: int) -> None:
    db = Database(path)
    build_demo(db, products=2000, members=5000, now=NOW)
    with db.transaction() as s:
        terminal = s.scalars(select(Terminal)).one()
        user = s.scalars(select(User).where(User.role == "cashier")).one()
        cashier = auth.Actor(user.id, user.username, user.display_name, user.role)
        shifts.open_shift(s, terminal_id=terminal.id, actor=cashier, opening_float=0, now=NOW)
        members = list(s.scalars(select(Member.member_no).limit(500)))
    settings = CheckoutSettings(terminal_id=terminal.id, receipt_prefix="S001T01-", tz=TZ)
    rng = random.Random(7)
    co = Checkout(db, settings, cashier, clock=lambda: NOW)
    for _ in range(sales):
        for _ in range(rng.randint(3, 10)):
            co.add(f"SKU{rng.randint(1, 2000):06d}", rng.randint(1, 3))
        if rng.random() < 0.6:
            co.attach_member(rng.choice(members))
        co.pay([Tender("cash", co.quote().payable)])
    db.close()


def clone_sales(path: Path, round_no: int) -> None:
    """Double the sales history: every sale and what was written with it, under new ids."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("BEGIN")
    top = conn.execute("SELECT max(seq) FROM sale").fetchone()[0]
    only = {"outbox": "kind = 'sale'", "audit_event": "action = 'sale'"}
    for table in (*CLONED, *only):
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        if table == "outbox":
            cols.remove("id")  # a new local id
        values = [
            f"\"{c}\" || '~{round_no}'"
            if c in ID_COLUMNS
            else (f'"{c}" + {top}' if c == "seq" else f'"{c}"')
            for c in cols
        ]
        names = ", ".join(f'"{c}"' for c in cols)
        conn.execute(
            f'INSERT INTO "{table}" ({names}) SELECT {", ".join(values)} FROM "{table}" '
            f"WHERE {only.get(table, '1')}"
        )
    conn.execute("COMMIT")
    conn.close()


def median_ms(fn, reps: int = 3) -> float:  # float ok: timings, not money
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[16, 64, 256], help="MB")
    ap.add_argument("--sales", type=int, default=300)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "posterm-bench")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    store = args.work / "integrity.sqlite3"
    for leftover in args.work.glob("integrity.sqlite3*"):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
    t = time.perf_counter()
    ring_sales(store, args.sales)
    print(f"base store: {store.stat().st_size / MB:.1f} MB in {time.perf_counter() - t:.0f} s")

    print(f"threshold now: {database.INTEGRITY_CHECK_MAX_BYTES / MB:.0f} MB")
    print("   MB  integrity ms  ms/MB   quick ms  ms/MB   open+check ms  open ms")
    round_no = 0
    for target in sorted(args.sizes):
        while store.stat().st_size < target * MB:
            round_no += 1
            clone_sales(store, round_no)
        size = store.stat().st_size / MB
        assert database.integrity_check(store) == []  # warms the page cache too
        full = median_ms(lambda: database.integrity_check(store))
        quick = median_ms(lambda: database.quick_check(store))
        database.INTEGRITY_CHECK_MAX_BYTES = 1 << 62
        checked = median_ms(lambda: Database(store).close())
        database.INTEGRITY_CHECK_MAX_BYTES = 0
        unchecked = median_ms(lambda: Database(store).close())
        print(
            f"{size:5.0f}  {full:12.0f}  {full / size:5.2f}  {quick:9.0f}  {quick / size:5.2f}"
            f"   {checked:13.0f}  {unchecked:7.0f}"
        )


if __name__ == "__main__":
    main()
