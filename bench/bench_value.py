"""Add-and-reprice with every member-value rule kind active, 500 active promotions.

    .venv/bin/python bench/bench_value.py [--products 20000] [--members 20000] [--reps 500]

Builds (once, cached under --work) a demo store, then replaces its promotions
with 500 active ones of every kind, in the mix a chain runs: mostly item
promotions on SKUs (special and flash prices, percent and amount off, buy X get
Y, 第二件半价 / 买三免一: 90 %), and a few basket-wide ones (gifts, 满减, points
multipliers, 满额返券, top-up bonuses: 10 %); a fifth of them with limits (per
member, per day, quota), plus the demo's rewards catalogue. A member (with stored value and
used limits) holds a 49-line basket with weighed goods from scale labels and a
reward line; the bench then adds one product and re-prices the 50-line basket
(product lookup + limit usage + pricing), as ``Checkout.add`` does at the till.
Target: p95 < 5 ms. Wall and CPU time are both printed, with the load
average: on a shared machine the wall-clock tail follows the load.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select

from terminal import auth, shifts
from terminal.checkout import Checkout
from terminal.checkout_settings import CheckoutSettings
from terminal.demo import build_demo, ean13, scale_label
from terminal.pricing.rules import load_promotions
from terminal.store.database import Database
from terminal.store.models import Member, PromotionRow, PromotionUse, Sale, Terminal, User

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 25, 19, 0, tzinfo=TZ)  # a Wednesday evening: flash sales and member day
WINDOW = {"valid_from": "2026-01-01T00:00:00+08:00", "valid_to": "2027-12-31T23:59:59+08:00"}
CATEGORIES = [f"C{k:02d}" for k in range(1, 12)]


def pct(samples: list[float], p: int) -> float:  # float ok: timings, not money
    return statistics.quantiles(samples, n=100)[p - 1]


def promotions(rng: random.Random, products: int, count: int) -> list[dict[str, Any]]:
    """``count`` valid promotions of every kind; a fifth carry limits."""
    out: list[dict[str, Any]] = []

    def skus(n: int) -> list[str]:
        return [f"SKU{rng.randint(1, products):06d}" for _ in range(n)]

    kinds = [
        lambda: {"kind": "special_price", "skus": skus(2), "price": rng.randrange(100, 3000, 10)},
        lambda: {
            "kind": "special_price",
            "skus": skus(1),
            "price": rng.randrange(100, 3000, 10),
            "limit_qty": 2,
            "time_from": "18:00",
            "time_to": "20:00",
        },
        lambda: {"kind": "percent_off", "skus": skus(3), "percent_off_bp": rng.randint(500, 3000)},
        lambda: {"kind": "amount_off", "skus": skus(3), "amount": rng.randrange(10, 300, 10)},
        lambda: {"kind": "buy_x_get_y", "skus": skus(4), "buy": 2, "get": 1},
        lambda: {
            "kind": "nth_item",
            "skus": skus(2),
            "n": 2,
            "percent_off_bp": 5000,
            "same_product": True,
        },
        lambda: {"kind": "nth_item", "skus": skus(5), "n": 3, "percent_off_bp": 10_000},
        lambda: {"kind": "gift", "skus": skus(2), "min_qty": 2, "gift_sku": skus(1)[0]},
        lambda: {
            "kind": "threshold",
            "categories": [rng.choice(CATEGORIES)],
            "min_spend": rng.randrange(5000, 30_000, 1000),
            "amount": 500,
        },
        lambda: {"kind": "points_multiplier", "multiplier_bp": 15_000, "weekdays": [3]},
        lambda: {
            "kind": "coupon_issue",
            "categories": [rng.choice(CATEGORIES)],
            "min_spend": 10_000,
            "coupon_id": "CD-RET10",
            "valid_days": 30,
        },
        lambda: {"kind": "topup_bonus", "min_amount": 50_000, "bonus": rng.randrange(1000, 8000)},
    ]
    # item promotions 9 in 10 (kinds 0-6), the basket-wide ones share the rest
    weights = [20, 8, 15, 15, 12, 10, 10, 2, 3, 1, 2, 2]
    for i in range(count):
        body = rng.choices(kinds, weights)[0]()
        rule = {"id": f"B{i:04d}", "name": f"促销{i}", "priority": rng.randint(0, 9), **body}
        rule["exclusive"] = rng.random() < 0.1 and rule["kind"] != "points_multiplier"
        if i % 5 == 0 and rule["kind"] not in ("points_multiplier", "topup_bonus"):
            item = rule["kind"] in ("special_price", "percent_off", "amount_off", "nth_item",
                                    "buy_x_get_y")  # fmt: skip
            rule["limits"] = (
                {"per_member_units": 3, "quota": 500} if item else {"per_member_day": 1}
            )
        out.append({**rule, **WINDOW})
    load_promotions(out)  # every one valid, or the bench is wrong
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--products", type=int, default=20_000)
    ap.add_argument("--members", type=int, default=20_000)
    ap.add_argument("--promotions", type=int, default=500)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "posterm-bench")
    ap.add_argument("--reps", type=int, default=500)
    args = ap.parse_args()

    store = args.work / f"value-{args.products}-{args.members}.sqlite3"
    args.work.mkdir(parents=True, exist_ok=True)
    if not store.exists():
        db = Database(store)
        build_demo(db, products=args.products, members=args.members, now=NOW)
        db.close()
    db = Database(store)
    rng = random.Random(11)
    rules = promotions(rng, args.products, args.promotions)
    with db.transaction() as s:
        s.execute(delete(PromotionUse))
        s.execute(delete(PromotionRow))
        s.execute(
            insert(PromotionRow),
            [{"id": r["id"], "body": r, "active": True, "updated_at": NOW} for r in rules],
        )
        terminal = s.scalars(select(Terminal)).one()
        user = s.scalars(select(User).where(User.role == "cashier")).one()
        cashier = auth.Actor(user.id, user.username, user.display_name, user.role)
        if shifts.current_shift(s, terminal.id) is None:
            shifts.open_shift(s, terminal_id=terminal.id, actor=cashier, opening_float=0, now=NOW)
        member = s.scalars(select(Member).where(Member.member_no == "M00000001")).one()
        sale_id = s.scalars(select(Sale.id)).first()
        if sale_id is not None:  # some used limits, so the usage query has rows to count
            for r in rules[::5]:
                s.add(
                    PromotionUse(
                        rule_id=r["id"],
                        member_id=member.id,
                        sale_id=sale_id,
                        business_day=date(2026, 11, 25),
                        times=1,
                        units=1,
                    )
                )
    settings = CheckoutSettings(terminal_id=terminal.id, receipt_prefix="S001T01-", tz=TZ)
    # half of what is scanned is on promotion, as in a store's promoted aisles
    promoted = sorted({int(sku[3:]) for r in rules for sku in r.get("skus", ())})
    barcodes = [
        ean13("69", rng.choice(promoted) if k % 2 else rng.randint(1, args.products))
        for k in range(5000)
    ]

    co = Checkout(db, settings, cashier, clock=lambda: NOW)
    co.attach_member("M00000001")
    co.add_reward("RW-NOODLE")
    for sku, grams in (("SKU900101", 532), ("SKU900102", 1480), ("SKU900105", 215)):
        co.add(scale_label(sku, grams))
    while len(co.lines) < 49:
        co.add(rng.choice(barcodes), rng.randint(1, 3))
    priced = co.quote()
    kinds = {a.kind for a in priced.adjustments}
    add_ms: list[float] = []
    cpu_ms: list[float] = []
    for i in range(args.reps):
        t, c = time.perf_counter(), time.process_time()
        co.add(barcodes[i % 4000], 1)
        add_ms.append((time.perf_counter() - t) * 1000)
        cpu_ms.append((time.process_time() - c) * 1000)
        if len(co.lines) == 50:
            co.lines.pop()
        else:  # the scan merged into the last line
            co.lines[-1].qty -= 1
    db.close()

    print(
        f"store: {args.products:,} products, {args.members:,} members; "
        f"{args.promotions} active promotions ({sum('limits' in r for r in rules)} with limits)"
    )
    print(f"basket: 50 lines; adjustment kinds seen: {', '.join(sorted(kinds))}")
    print(f"{'measure':44} {'median':>8} {'p95':>8} {'CPU p95':>8} {'target':>8}")
    print(
        f"{'add to 49-line basket + re-price 50 lines':44} {statistics.median(add_ms):7.2f}ms "
        f"{pct(add_ms, 95):7.2f}ms {pct(cpu_ms, 95):7.2f}ms {'< 5ms':>8}"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
