"""The report figures recomputed from raw rows, in plain Python, from docs/reports.md alone.

Nothing here uses the report code nor SQLAlchemy: rows are read with the
``sqlite3`` module, and a sale's business day is worked out again from its
UTC time, the store's zone and the hour its day starts (not read from the
``business_day`` column), so the business-day rule is checked as well.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


@dataclass
class Raw:
    tz: ZoneInfo
    day_start: time
    sales: list[dict[str, Any]]
    lines: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    adjustments: list[dict[str, Any]]
    points: list[dict[str, Any]]
    stored_value: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    members: list[dict[str, Any]]
    products: dict[str, dict[str, Any]]
    users: dict[str, str]
    coupons: list[dict[str, Any]]
    redemptions: list[dict[str, Any]]
    shifts: list[dict[str, Any]]

    def day(self, when: str) -> date:
        """The business day of a UTC time: local time, less the hours before the day starts."""
        local = at(when).astimezone(self.tz)
        start = timedelta(hours=self.day_start.hour, minutes=self.day_start.minute)
        return (local - start).date()

    def sales_in(self, first: date, last: date, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
        return [
            s
            for s in self.sales
            if s["kind"] in kinds and first <= self.day(s["created_at"]) <= last
        ]

    def in_days(self, when: str, first: date, last: date) -> bool:
        return first <= self.day(when) <= last


def load(path: Path, tz: ZoneInfo, day_start: time) -> Raw:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row

    def rows(sql: str) -> list[dict[str, Any]]:
        return [dict(r) for r in conn.execute(sql)]

    raw = Raw(
        tz,
        day_start,
        rows("SELECT * FROM sale"),
        rows("SELECT * FROM sale_line"),
        rows("SELECT * FROM payment"),
        rows("SELECT * FROM sale_adjustment"),
        rows("SELECT * FROM points_entry"),
        rows("SELECT * FROM stored_value_entry"),
        rows("SELECT * FROM audit_event"),
        rows("SELECT * FROM member"),
        {r["id"]: r for r in rows("SELECT * FROM product")},
        {r["id"]: r["display_name"] for r in rows("SELECT * FROM user")},
        rows("SELECT * FROM coupon"),
        rows("SELECT * FROM coupon_redemption"),
        rows("SELECT * FROM shift"),
    )
    conn.close()
    return raw


def totals(sales: list[dict[str, Any]]) -> dict[str, int]:
    sold = [s for s in sales if s["kind"] == "sale"]
    back = [s for s in sales if s["kind"] == "return"]
    amount = sum(s["payable"] for s in sold)
    refunds = -sum(s["payable"] for s in back)
    return {
        "sales": len(sold),
        "gross": sum(s["subtotal"] for s in sold),
        "discounts": sum(s["discount_total"] for s in sold),
        "amount": amount,
        "returns": len(back),
        "refunds": refunds,
        "net": amount - refunds,
    }


def by_day(raw: Raw, first: date, last: date) -> dict[date, dict[str, int]]:
    grouped: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for s in raw.sales_in(first, last, ("sale", "return")):
        grouped[raw.day(s["created_at"])].append(s)
    return {d: totals(v) for d, v in grouped.items()}


def by_hour(raw: Raw, first: date, last: date) -> dict[int, dict[str, int]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for s in raw.sales_in(first, last, ("sale", "return")):
        grouped[at(s["created_at"]).astimezone(raw.tz).hour].append(s)
    return {h: totals(v) for h, v in grouped.items()}


def line_rows(raw: Raw, first: date, last: date) -> list[dict[str, Any]]:
    ids = {s["id"] for s in raw.sales_in(first, last, ("sale", "return"))}
    return [x for x in raw.lines if x["sale_id"] in ids]


def per_category(raw: Raw, first: date, last: date) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for x in line_rows(raw, first, last):
        cat = raw.products[x["product_id"]]["category_id"]
        out[cat]["paid"] += x["paid"]
        out[cat]["gross"] += x["gross"]
        out[cat]["units" if x["sold_by"] == "unit" else "grams"] += x["qty"]
    return out


def per_product(raw: Raw, first: date, last: date) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for x in line_rows(raw, first, last):
        out[raw.products[x["product_id"]]["sku"]] += x["paid"]
    return out


def per_tender(raw: Raw, first: date, last: date, terminal: str | None = None) -> dict:
    kinds = {s["id"]: s["kind"] for s in raw.sales if raw.in_days(s["created_at"], first, last)}
    if terminal is not None:
        kinds = {k: v for k, v in kinds.items() if _terminal_of(raw, k) == terminal}
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in raw.payments:
        kind = kinds.get(p["sale_id"])
        if kind == "sale":
            out[p["method"]]["taken"] += p["amount"]
        elif kind == "return":
            out[p["method"]]["refunded"] -= p["amount"]
        elif kind in ("topup", "topup_refund"):
            out[p["method"]]["topups"] += p["amount"]
    return out


def _terminal_of(raw: Raw, sale_id: str) -> str:
    return next(s["terminal_id"] for s in raw.sales if s["id"] == sale_id)
