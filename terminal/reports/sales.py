"""Sales over time: a summary, by day, week or month with growth, and by hour of the day.

Figures per bucket (fen unless a count): ``sales`` the number of sales,
``gross`` their list-price subtotal, ``discounts`` the discounts on them,
``amount`` what customers owed (``Sale.payable``: after discounts, points
and rounding), ``returns``/``refunds`` the returns and the money they gave
back, ``net`` = amount − refunds, ``avg_ticket`` = amount / sales (客单价).
Growth compares ``net`` with the bucket before (the day, ISO week or month
before; for hours, the same hour in the previous period of equal length).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from terminal.auth import Actor
from terminal.reports.base import (
    SALE_KINDS,
    Column,
    Period,
    Scope,
    Table,
    average,
    growth_bp,
    require_reports,
)
from terminal.store.models import Sale

GRAINS = ("day", "week", "month")


@dataclass
class Totals:
    """Running totals of one bucket."""

    sales: int = 0
    gross: int = 0
    discounts: int = 0
    amount: int = 0
    returns: int = 0
    refunds: int = 0

    def add(self, other: Totals) -> None:
        self.sales += other.sales
        self.gross += other.gross
        self.discounts += other.discounts
        self.amount += other.amount
        self.returns += other.returns
        self.refunds += other.refunds

    @property
    def net(self) -> int:
        return self.amount - self.refunds

    def row(self) -> dict[str, Any]:
        return {
            "sales": self.sales,
            "gross": self.gross,
            "discounts": self.discounts,
            "amount": self.amount,
            "returns": self.returns,
            "refunds": self.refunds,
            "net": self.net,
            "avg_ticket": average(self.amount, self.sales),
        }


_is_sale = Sale.kind == "sale"
_is_return = Sale.kind == "return"


def _figures() -> tuple[Any, ...]:
    return (
        func.sum(case((_is_sale, 1), else_=0)),
        func.sum(case((_is_sale, Sale.subtotal), else_=0)),
        func.sum(case((_is_sale, Sale.discount_total), else_=0)),
        func.sum(case((_is_sale, Sale.payable), else_=0)),
        func.sum(case((_is_return, 1), else_=0)),
        func.sum(case((_is_return, -Sale.payable), else_=0)),
    )


def _totals(values: Iterable[Any]) -> Totals:
    return Totals(*(int(v or 0) for v in values))


def daily_totals(session: Session, period: Period) -> dict[date, Totals]:
    """Totals per business day that had any sale or return."""
    rows = session.execute(
        select(Sale.business_day, *_figures())
        .where(Sale.business_day.between(period.first, period.last), Sale.kind.in_(SALE_KINDS))
        .group_by(Sale.business_day)
    ).all()
    return {row[0]: _totals(row[1:]) for row in rows}


SUMMARY_COLUMNS = (
    Column("sales", "rpt_col_sales"),
    Column("gross", "rpt_col_gross", "fen"),
    Column("discounts", "rpt_col_discounts", "fen"),
    Column("amount", "rpt_col_amount", "fen"),
    Column("returns", "rpt_col_returns"),
    Column("refunds", "rpt_col_refunds", "fen"),
    Column("net", "rpt_col_net", "fen"),
    Column("avg_ticket", "rpt_col_avg_ticket", "fen"),
)


def _compared(first: Column) -> tuple[Column, ...]:
    """``first``, the totals, and the net of the period before with the growth over it."""
    return (
        first,
        *SUMMARY_COLUMNS,
        Column("previous", "rpt_col_previous", "fen"),
        Column("growth", "rpt_col_growth", "bp"),
    )


def _within(daily: dict[date, Totals], period: Period) -> Totals:
    out = Totals()
    for day, totals in daily.items():
        if period.first <= day <= period.last:
            out.add(totals)
    return out


def summary(
    session: Session, actor: Actor, period: Period, daily: dict[date, Totals] | None = None
) -> Table:
    """One row: the period's totals, with the previous period's net and the growth.

    ``daily`` are totals per day already read (covering the period and the one
    before), so several tables of one period read the sales once.
    """
    require_reports(actor)
    before_period = period.previous()
    if daily is None:
        daily = daily_totals(session, Period(before_period.first, period.last))
    now = _within(daily, period)
    before = _within(daily, before_period)
    row = {
        "period": period.label(),
        **now.row(),
        "previous": before.net,
        "growth": growth_bp(now.net, before.net),
    }
    columns = _compared(Column("period", "rpt_col_period", "text"))
    return Table("summary", "rpt_title_summary", columns, [row], period)


def bucket_of(day: date, grain: str) -> date:
    """The first day of the day / ISO week (Monday) / month holding ``day``."""
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def bucket_label(start: date, grain: str) -> str:
    if grain == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if grain == "month":
        return start.strftime("%Y-%m")
    return start.isoformat()


def _bucket_before(start: date, grain: str) -> date:
    if grain == "week":
        return start - timedelta(days=7)
    if grain == "month":
        return (start - timedelta(days=1)).replace(day=1)
    return start - timedelta(days=1)


def by_period(
    session: Session,
    actor: Actor,
    period: Period,
    grain: str = "day",
    daily: dict[date, Totals] | None = None,
) -> Table:
    """Totals per day, ISO week or month of the period, each with growth over the one before.

    A week or month cut by the period's ends holds only the period's days; the
    bucket before the first is read whole, so the first row has its growth too.
    """
    require_reports(actor)
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}")
    first = bucket_of(period.first, grain)
    reach = Period(_bucket_before(first, grain), period.last)
    if daily is None:
        daily = daily_totals(session, reach)
    buckets: dict[date, Totals] = {}
    for day, totals in daily.items():
        start = bucket_of(day, grain)
        if day < reach.first or day > period.last or (day < period.first and start >= first):
            continue  # outside, or in the first bucket but before the period
        buckets.setdefault(start, Totals()).add(totals)
    rows: list[dict[str, Any]] = []
    start = first
    while start <= period.last:
        got = buckets.get(start, Totals())
        before = buckets.get(_bucket_before(start, grain), Totals())
        rows.append(
            {
                "period": bucket_label(start, grain),
                **got.row(),
                "previous": before.net,
                "growth": growth_bp(got.net, before.net),
            }
        )
        start = _next(start, grain)
    columns = _compared(Column("period", "rpt_col_period", "text"))
    return Table(f"sales_{grain}", f"rpt_title_sales_{grain}", columns, rows, period)


def sales_tables(session: Session, actor: Actor, period: Period) -> list[Table]:
    """The summary and the day, week and month tables, from one read of the sales."""
    require_reports(actor)
    reach = min(
        period.previous().first,
        *(_bucket_before(bucket_of(period.first, g), g) for g in GRAINS),
    )
    daily = daily_totals(session, Period(reach, period.last))
    return [
        summary(session, actor, period, daily),
        *(by_period(session, actor, period, g, daily) for g in GRAINS),
    ]


def _next(start: date, grain: str) -> date:
    if grain == "week":
        return start + timedelta(days=7)
    if grain == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def _hour_totals(session: Session, period: Period, scope: Scope) -> dict[int, Totals]:
    """Totals per local hour of the day (0–23), from UTC hour buckets of ``created_at``.

    ``created_at`` is stored as sortable UTC text, so its first 13 characters
    are the UTC hour; each bucket is moved to local time in Python (a year is
    at most 8,784 buckets). Exact for zones whose offset is whole hours.
    """
    hour = func.substr(Sale.created_at, 1, 13)
    rows = session.execute(
        select(hour, *_figures())
        .where(Sale.business_day.between(period.first, period.last), Sale.kind.in_(SALE_KINDS))
        .group_by(hour)
    ).all()
    out: dict[int, Totals] = {}
    for bucket, *values in rows:
        at = datetime.strptime(bucket, "%Y-%m-%dT%H").replace(tzinfo=UTC)
        out.setdefault(at.astimezone(scope.tz).hour, Totals()).add(_totals(values))
    return out


def hourly(session: Session, actor: Actor, period: Period, scope: Scope) -> Table:
    """Totals per local hour of the day over the period, against the previous period."""
    require_reports(actor)
    now = _hour_totals(session, period, scope)
    before = _hour_totals(session, period.previous(), scope)
    rows = []
    for h in range(24):
        got, prev = now.get(h, Totals()), before.get(h, Totals())
        rows.append(
            {
                "hour": f"{h:02d}:00",
                **got.row(),
                "previous": prev.net,
                "growth": growth_bp(got.net, prev.net),
            }
        )
    columns = _compared(Column("hour", "rpt_col_hour", "text"))
    return Table("hourly", "rpt_title_hourly", columns, rows, period)
