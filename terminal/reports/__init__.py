"""Store manager reports: sales, products, people, tenders, promotions, members, Z and X.

One module per family; every report function takes the caller's session
and the acting user first, checks that the user may read reports
(managers and admins, :func:`~terminal.reports.base.require_reports`), and
returns :class:`~terminal.reports.base.Table`\\ s of plain integers (fen,
counts, basis points). :func:`run` is the one entry the command shell and
the screen use to get a report by name. Definitions: ``docs/reports.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal.auth import Actor
from terminal.errors import InvalidInput, NotFound
from terminal.pii import MemberVault
from terminal.reports import loyalty, members, money, people, products, promotions, rfm, sales
from terminal.reports import zreport as z
from terminal.reports.base import Period, Scope, Table, require_reports
from terminal.store.models import Terminal, ZReport

__all__ = ["NAMES", "Context", "Period", "Scope", "Table", "run"]


@dataclass(frozen=True)
class Context:
    """What a report by name may need beyond the session and the user."""

    scope: Scope
    terminal_id: str | None = None
    vault: MemberVault | None = None


def _x(s: Session, a: Actor, p: Period, c: Context) -> list[Table]:
    return [z.x_table(s, _terminal(s, c), a)]


def _z(s: Session, a: Actor, p: Period, c: Context) -> list[Table]:
    require_reports(a)
    terminal_id = _terminal(s, c)
    taken = s.scalars(
        select(ZReport)
        .where(ZReport.terminal_id == terminal_id, ZReport.business_day.between(p.first, p.last))
        .order_by(ZReport.business_day)
    )
    out = [z.z_table(report) for report in taken]
    if not out:
        raise NotFound("z_not_taken", day=p.label())
    return out


def _members(s: Session, a: Actor, p: Period, c: Context) -> list[Table]:
    require_reports(a)
    bought = rfm.period_buyers(s, p)  # one pass over the sales for the measures and RFM
    return [
        members.member_measures(s, a, p, c.scope, bought=bought),
        members.tiers(s, a, p),
        *rfm.rfm(s, a, p, vault=c.vault, bought=bought),
    ]


def _terminal(s: Session, c: Context) -> str:
    if c.terminal_id is not None:
        return c.terminal_id
    return str(s.scalars(select(Terminal.id).order_by(Terminal.code)).first())


RUNNERS: dict[str, Callable[[Session, Actor, Period, Context], list[Table]]] = {
    "x": _x,
    "z": _z,
    "sales": lambda s, a, p, c: sales.sales_tables(s, a, p),
    "hourly": lambda s, a, p, c: [sales.hourly(s, a, p, c.scope)],
    "categories": lambda s, a, p, c: [products.categories(s, a, p)],
    "products": lambda s, a, p, c: list(products.top_bottom(s, a, p)),
    "cashiers": lambda s, a, p, c: [
        people.cashiers(s, a, p, c.scope),
        people.refunds_and_voids(s, a, p, c.scope),
    ],
    "tenders": lambda s, a, p, c: [money.tenders(s, a, p), money.tax(s, a, p)],
    "promotions": lambda s, a, p, c: [promotions.promotions(s, a, p)],
    "members": _members,
    "points": lambda s, a, p, c: [loyalty.loyalty(s, a, p, c.scope)],
}

NAMES: tuple[str, ...] = tuple(RUNNERS)


def run(session: Session, actor: Actor, name: str, period: Period, context: Context) -> list[Table]:
    """The tables of report ``name`` (one of :data:`NAMES`) for ``period``."""
    require_reports(actor)
    runner = RUNNERS.get(name)
    if runner is None:
        raise InvalidInput("report_unknown", name=str(name)[:20])
    return runner(session, actor, period, context)
