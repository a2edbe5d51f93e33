"""Date-range presets and the reports the screen shows, loaded in one call off the GUI thread.

No Qt here: :func:`load` is what the screen's background op runs, and the
presets are plain date arithmetic the tests check directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from terminal import auth
from terminal.pii import MemberVault
from terminal.reports import Context, Period, Scope, Table, run
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
    """All the screen's reports for ``period`` (the core checks the user may read them).

    Through :func:`terminal.reports.run`, as the command shell gets them, so a
    family's tables are put together (and its reads shared) in one place.
    """
    context = Context(scope, vault=vault)
    with db.sessions() as s:

        def tables(name: str) -> list[Table]:
            return run(s, actor, name, period, context)

        summary, daily, _weeks, _months = tables("sales")
        top, bottom = tables("products")
        cashiers, refunds = tables("cashiers")
        tenders, tax = tables("tenders")
        members, tiers, segments, callback = tables("members")
        return Reports(
            period=period,
            summary=summary,
            daily=daily,
            hourly=tables("hourly")[0],
            categories=tables("categories")[0],
            tenders=tenders,
            tax=tax,
            top=top,
            bottom=bottom,
            cashiers=cashiers,
            refunds=refunds,
            promotions=tables("promotions")[0],
            members=members,
            tiers=tiers,
            rfm=segments,
            callback=callback,
            points=tables("points")[0],
        )
