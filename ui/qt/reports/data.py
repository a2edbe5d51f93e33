"""Date-range presets and the reports the screen shows, loaded in one call off the GUI thread.

No Qt here: :func:`load` is what the screen's background op runs, and the
presets are plain date arithmetic the tests check directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from terminal import auth
from terminal.pii import MemberVault
from terminal.reports import (
    Period,
    Scope,
    Table,
    loyalty,
    members,
    money,
    people,
    products,
    promotions,
    rfm,
    sales,
)
from terminal.store.database import Database

PRESETS = ("today", "yesterday", "this_week", "this_month", "last_month")


def preset_period(key: str, today: date) -> Period:
    """The business days a preset names; weeks start on Monday."""
    if key == "today":
        return Period.day(today)
    if key == "yesterday":
        return Period.day(today - timedelta(days=1))
    if key == "this_week":
        return Period(today - timedelta(days=today.weekday()), today)
    if key == "this_month":
        return Period(today.replace(day=1), today)
    if key == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last)
    raise ValueError(f"unknown preset {key!r}")


@dataclass(frozen=True)
class Reports:
    """Every table the screen shows for one period."""

    period: Period
    summary: Table
    daily: Table
    hourly: Table
    categories: Table
    tenders: Table
    tax: Table
    top: Table
    bottom: Table
    cashiers: Table
    refunds: Table
    promotions: Table
    members: Table
    tiers: Table
    rfm: Table
    callback: Table
    points: Table

    def all(self) -> list[Table]:
        """In the order exports list them."""
        return [
            self.summary,
            self.daily,
            self.hourly,
            self.categories,
            self.top,
            self.bottom,
            self.cashiers,
            self.refunds,
            self.tenders,
            self.tax,
            self.promotions,
            self.members,
            self.tiers,
            self.rfm,
            self.callback,
            self.points,
        ]


def load(
    db: Database, actor: auth.Actor, period: Period, scope: Scope, vault: MemberVault | None
) -> Reports:
    """All the screen's reports for ``period`` (the core checks the user may read them)."""
    with db.sessions() as s:
        top, bottom = products.top_bottom(s, actor, period)
        summary, daily, _weeks, _months = sales.sales_tables(s, actor, period)
        bought = rfm.period_buyers(s, period)  # shared by the member measures and RFM
        segments, callback = rfm.rfm(s, actor, period, vault=vault, bought=bought)
        return Reports(
            period=period,
            summary=summary,
            daily=daily,
            hourly=sales.hourly(s, actor, period, scope),
            categories=products.categories(s, actor, period),
            tenders=money.tenders(s, actor, period),
            tax=money.tax(s, actor, period),
            top=top,
            bottom=bottom,
            cashiers=people.cashiers(s, actor, period, scope),
            refunds=people.refunds_and_voids(s, actor, period, scope),
            promotions=promotions.promotions(s, actor, period),
            members=members.member_measures(s, actor, period, scope, bought=bought),
            tiers=members.tiers(s, actor, period),
            rfm=segments,
            callback=callback,
            points=loyalty.loyalty(s, actor, period, scope),
        )
