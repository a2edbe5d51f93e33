"""Every store report over one year of a busy store, and over one day of it.

    .venv/bin/python bench/bench_reports.py [--sales-per-day 822] [--members 50000]
                                            [--work /tmp/posterm-bench-reports] [--reps 3]

Builds once (cached under --work, keyed by the sizes) a demo store with
3,000 products and 50,000 members, then a year of trading written with bulk
Core inserts by :mod:`terminal.demo_history`: about 300,000 sales with
1,500,000 lines, returns, voids, top-ups, points, coupons and a closed shift a
day. Then times every report (``terminal.reports.run`` by name, as the
command shell and the screen call it) for the whole year and for one day,
the median of --reps runs. Targets: a year under 1 s, a day under 100 ms.
Wall and CPU time are printed with the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from terminal import auth, reports
from terminal.demo import build_demo
from terminal.demo_history import generate_history
from terminal.reports import Context, Period, Scope
from terminal.store.database import Database, head_revision
from terminal.store.models import Member, Sale, SaleLine, User

TZ = ZoneInfo("Asia/Shanghai")
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
DAY = Period.day(date(2026, 11, 25))


def build(path: Path, sales_per_day: int, members: int) -> None:
    t0 = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        if leftover.is_file():
            leftover.unlink()
    db = Database(partial)
    build_demo(db, products=3000, members=members, now=datetime(2026, 1, 1, 8, tzinfo=TZ))

    def progress(k: int) -> None:
        if k % 30 == 29:
            print(f"  day {k + 1}/365  {time.perf_counter() - t0:.0f} s", flush=True)

    summary = generate_history(
        db, first=YEAR.first, days=YEAR.days, sales_per_day=sales_per_day, progress=progress
    )
    db.close()
    partial.rename(path)
    for leftover in partial.parent.glob(partial.name + ".lock*"):
        if leftover.is_dir():
            leftover.rmdir()
        else:
            leftover.unlink()
    print(f"built in {time.perf_counter() - t0:.0f} s: {summary}")


def timed(fn, reps: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    walls, cpus = [], []
    for _ in range(reps):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sales-per-day", type=int, default=822)
    ap.add_argument("--members", type=int, default=50_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/posterm-bench-reports"))
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    # keyed by the schema too: a store built by an older schema is built again
    path = args.work / f"year-{args.sales_per_day}-{args.members}-{head_revision()}.sqlite3"
    if not path.exists():
        print(f"building {path} (once) ...", flush=True)
        build(path, args.sales_per_day, args.members)
    db = Database(path)
    with db.sessions() as s:
        sales = s.scalar(select(func.count()).select_from(Sale).where(Sale.kind == "sale"))
        lines = s.scalar(select(func.count()).select_from(SaleLine))
        members = s.scalar(select(func.count()).select_from(Member))
        manager = auth.actor_of(s.scalars(select(User).where(User.role == "manager")).one())
    size = path.stat().st_size / 1e6
    print(f"store: {sales:,} sales, {lines:,} lines, {members:,} members, {size:.0f} MB")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    context = Context(Scope(TZ))
    print(f"{'report':<12}{'year wall ms':>14}{'cpu ms':>9}{'day wall ms':>14}{'cpu ms':>9}  ok")
    worst_year = worst_day = 0.0
    for name in reports.NAMES:
        if name in ("x", "z"):
            continue

        def run(period: Period, name: str = name) -> None:
            with db.sessions() as s:
                reports.run(s, manager, name, period, context)

        yw, yc = timed(lambda run=run: run(YEAR), args.reps)
        dw, dc = timed(lambda run=run: run(DAY), args.reps)
        worst_year, worst_day = max(worst_year, yw), max(worst_day, dw)
        ok = "yes" if yw < 1000 and dw < 100 else "NO"
        print(f"{name:<12}{yw:>14.0f}{yc:>9.0f}{dw:>14.1f}{dc:>9.1f}  {ok}")
    print(f"slowest: year {worst_year:.0f} ms (target < 1000), day {worst_day:.1f} ms (< 100)")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    db.close()


if __name__ == "__main__":
    main()
