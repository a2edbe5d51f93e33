"""Member lookup latency with encrypted personal data and blind indexes.

    .venv/bin/python bench/bench_member_lookup.py [--members 1000000] [--reps 1000]

Builds (once, cached under --work) a demo store with 1,000 products and N
members via ``terminal.demo.build_demo``, then gives every member encrypted
personal data with ``terminal.demo_people.fill_demo_people`` (AES-GCM for
name, phone, birthday; HMAC blind indexes), and measures:

* phone lookup (normalise + HMAC + indexed query + tier), target p95 < 3 ms;
* loading the member panel (lookup by number, decrypt, tier, points balance
  and expiring points from the ledger, coupons), target p95 < 3 ms;
* last-4 lookup (all matches, at most 20, masked), for information.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from terminal.config import DataDir
from terminal.demo import build_demo
from terminal.demo_people import fill_demo_people
from terminal.members import find_by_last4, find_by_phone, find_member, member_panel
from terminal.pii import MemberVault
from terminal.store.database import Database
from terminal.store.models import Member

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


def pct(samples: list[float], p: int) -> float:  # float ok: timings, not money
    return statistics.quantiles(samples, n=100)[p - 1]


def build(work: Path, members: int) -> tuple[Database, MemberVault]:
    path = work / "store.sqlite3"
    vault = MemberVault.from_data_dir(DataDir(work))
    if path.exists():
        return Database(path), vault
    work.mkdir(parents=True, exist_ok=True)
    tmp = work / "building.sqlite3"
    for p in work.glob("building.sqlite3*"):
        p.unlink()
    t = time.perf_counter()
    db = Database(tmp)
    build_demo(db, products=1000, members=members, now=NOW)
    built = time.perf_counter() - t
    t = time.perf_counter()
    with db.engine.begin() as conn:
        ids = conn.execute(select(Member.id, Member.member_no)).all()
        filled = fill_demo_people(conn, vault, [(i, n) for i, n in ids], random.Random(7))
    fill = time.perf_counter() - t
    db.close()
    tmp.rename(path)
    print(
        f"built store: {members:,} members in {built:.0f} s; personal data for {filled:,} "
        f"members in {fill:.1f} s ({fill / max(filled, 1) * 1e6:.0f} µs each); "
        f"{path.stat().st_size / 2**20:.0f} MiB"
    )
    return Database(path), vault


def measure(label: str, reps: int, target_ms: float | None, fn: Callable[[int], object]) -> None:
    for i in range(min(50, reps)):  # warm up caches
        fn(i)
    samples = []
    for i in range(reps):
        t = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t) * 1000)
    p50, p95 = pct(samples, 50), pct(samples, 95)
    verdict = "" if target_ms is None else (" OK" if p95 < target_ms else " OVER TARGET")
    target = "" if target_ms is None else f" (target p95 < {target_ms:g} ms)"
    print(f"{label:<28} p50 {p50:6.3f} ms  p95 {p95:6.3f} ms{target}{verdict}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "posterm-bench")
    args = ap.parse_args()
    db, vault = build(args.work / f"members-{args.members}", args.members)
    rng = random.Random(1)
    with db.sessions() as session:
        total = session.query(Member).count()
        picks = [f"M{rng.randint(1, total):08d}" for _ in range(args.reps)]
        rows = session.scalars(select(Member).where(Member.member_no.in_(picks))).all()
        phones = {m.member_no: vault.decrypt_field("phone", m.id, m.phone_enc) for m in rows}
    typed = [phones[no] for no in picks]
    # the way a cashier types it half the time: with spaces
    typed = [f"{p[:3]} {p[3:7]} {p[7:]}" if i % 2 else p for i, p in enumerate(typed)]
    today = NOW.date()

    def by_phone(i: int) -> object:
        with db.sessions() as session:
            return find_by_phone(session, vault, typed[i]).member_no

    def panel(i: int) -> object:
        with db.sessions() as session:
            return member_panel(session, vault, find_member(session, picks[i]), today)

    def last4(i: int) -> object:
        with db.sessions() as session:
            return find_by_last4(session, vault, typed[i][-4:])

    print(f"{total:,} members, {args.reps} lookups each")
    measure("phone lookup", args.reps, 3, by_phone)
    measure("member panel (by number)", args.reps, 3, panel)
    measure("last-4 lookup (<= 20, masked)", min(args.reps, 300), None, last4)
    db.close()


if __name__ == "__main__":
    main()
