"""Member measures as retail chains read them, and sales by member tier.

Definitions (the period P, its previous period Q of the same length; money
in fen; rates in basis points, rounded half up):

* member sales: what sales to members came to (``Sale.payable`` of sales
  with a member); member share: member sales / all sales.
* average ticket (客单价): sales amount / number of sales, for members and for
  non-members.
* members: members on file at the end of P (erased ones left out); new
  members: those whose record was made in P; growth: new members in P against
  new members in Q.
* active 30 / 90 days: members with a sale in the 30 / 90 business days
  ending on P's last day.
* buyers: members with a sale in P; repeat purchase rate: buyers with two
  sales or more / buyers; retention (留存率): buyers of Q who bought again in
  P / buyers of Q.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import case, distinct, func, select
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
    ratio_bp,
    require_reports,
)
from terminal.reports.rfm import Buyer, period_buyers
from terminal.store.models import Member, Sale, Tier

MEASURE_COLUMNS = (
    Column("measure", "rpt_col_measure", "code"),
    Column("value", "rpt_col_value", "auto"),
)


def measure(code: str, value: int | None, unit: str = "int") -> dict[str, Any]:
    """One row of a list of measures: ``rpt_m_<code>``, its value and how it reads."""
    return {"key": code, "measure": f"rpt_m_{code}", "value": value, "unit": unit}


def _in(period: Period) -> Any:
    return Sale.business_day.between(period.first, period.last)


def buyers(session: Session, period: Period) -> dict[str, int]:
    """Members who bought in ``period`` -> their number of sales."""
    return {b.member_id: b.visits for b in period_buyers(session, period)}


def _active(session: Session, period: Period) -> tuple[int, int]:
    """Members with a sale in the 30 and in the 90 business days ending on the last day."""
    since_30 = period.last - timedelta(days=29)
    window = Period(period.last - timedelta(days=89), period.last)
    a30, a90 = session.execute(
        select(
            func.count(distinct(case((Sale.business_day >= since_30, Sale.member_id)))),
            func.count(distinct(Sale.member_id)),
        ).where(_in(window), Sale.kind == "sale", Sale.member_id.is_not(None))
    ).one()
    return int(a30 or 0), int(a90 or 0)


def _new_members(session: Session, period: Period, scope: Scope) -> int:
    start, end = scope.bounds(period)
    return int(
        session.scalar(
            select(func.count()).where(Member.created_at >= start, Member.created_at < end)
        )
        or 0
    )


def member_measures(
    session: Session,
    actor: Actor,
    period: Period,
    scope: Scope,
    *,
    bought: list[Buyer] | None = None,
) -> Table:
    """The member dashboard's measures for the period (see the module's definitions).

    ``bought`` is :func:`~terminal.reports.rfm.period_buyers` of the period when the
    caller has it already (the RFM segments read the same pass over the sales).
    """
    require_reports(actor)
    is_member = Sale.member_id.is_not(None)
    m_count, m_amount, g_count, g_amount = (
        int(v or 0)
        for v in session.execute(
            select(
                func.sum(case((is_member, 1), else_=0)),
                func.sum(case((is_member, Sale.payable), else_=0)),
                func.sum(case((is_member, 0), else_=1)),
                func.sum(case((is_member, 0), else_=Sale.payable)),
            ).where(_in(period), Sale.kind == "sale")
        ).one()
    )
    _, end = scope.bounds(period)
    on_file = int(
        session.scalar(
            select(func.count()).where(Member.created_at < end, Member.status != "erased")
        )
        or 0
    )
    new_now = _new_members(session, period, scope)
    new_before = _new_members(session, period.previous(), scope)
    if bought is None:
        bought = period_buyers(session, period)
    now_buyers = {b.member_id: b.visits for b in bought}
    before_buyers = buyers(session, period.previous())
    repeat = sum(1 for n in now_buyers.values() if n >= 2)
    kept = len(before_buyers.keys() & now_buyers.keys())
    active_30, active_90 = _active(session, period)
    rows = [
        measure("member_sales", m_amount, "fen"),
        measure("member_share", ratio_bp(m_amount, m_amount + g_amount), "bp"),
        measure("member_sales_count", m_count),
        measure("guest_sales_count", g_count),
        measure("member_avg_ticket", average(m_amount, m_count), "fen"),
        measure("guest_avg_ticket", average(g_amount, g_count), "fen"),
        measure("members", on_file),
        measure("new_members", new_now),
        measure("new_members_previous", new_before),
        measure("new_members_growth", growth_bp(new_now, new_before), "bp"),
        measure("active_30", active_30),
        measure("active_90", active_90),
        measure("buyers", len(now_buyers)),
        measure("repeat_rate", ratio_bp(repeat, len(now_buyers)), "bp"),
        measure("retention", ratio_bp(kept, len(before_buyers)), "bp"),
    ]
    return Table("members", "rpt_title_members", MEASURE_COLUMNS, rows, period)


def tiers(session: Session, actor: Actor, period: Period) -> Table:
    """Per member tier (the tier at the sale): members buying, sales, amount, refunds, net."""
    require_reports(actor)
    rows = session.execute(
        select(
            Sale.tier_code,
            func.count(distinct(case((Sale.kind == "sale", Sale.member_id)))),
            func.sum(case((Sale.kind == "sale", 1), else_=0)),
            func.sum(case((Sale.kind == "sale", Sale.payable), else_=0)),
            func.sum(case((Sale.kind == "return", -Sale.payable), else_=0)),
        )
        .where(_in(period), Sale.kind.in_(SALE_KINDS), Sale.member_id.is_not(None))
        .group_by(Sale.tier_code)
    ).all()
    ranks = {k: v for k, v in session.execute(select(Tier.code, Tier.rank))}
    names = {k: v for k, v in session.execute(select(Tier.code, Tier.name))}
    out = [
        {
            "tier": names.get(code or "", code or ""),
            "code": code,
            "members": int(members),
            "sales": int(sales or 0),
            "amount": int(amount or 0),
            "refunds": int(refunds or 0),
            "net": int(amount or 0) - int(refunds or 0),
            "avg_ticket": average(int(amount or 0), int(sales or 0)),
        }
        for code, members, sales, amount, refunds in rows
    ]
    out.sort(key=lambda r: ranks.get(r["code"] or "", 99))
    columns = (
        Column("tier", "rpt_col_tier", "text"),
        Column("members", "rpt_col_members"),
        Column("sales", "rpt_col_sales"),
        Column("amount", "rpt_col_amount", "fen"),
        Column("refunds", "rpt_col_refunds", "fen"),
        Column("net", "rpt_col_net", "fen"),
        Column("avg_ticket", "rpt_col_avg_ticket", "fen"),
    )
    return Table("tiers", "rpt_title_tiers", columns, out, period)
