"""Points, stored value, coupons and rewards over a period: what was given, used and is owed.

* points issued: points earned on sales (``earn`` rows); redeemed: points
  spent at the till (``redeem``); expired: lots that ran out (``expire``);
  outstanding: the balance of every member at the end of the period (the sum
  of the ledger up to then); liability: outstanding points at the store's
  redemption rate (``[pricing] points_per_yuan``), in fen, rounded half up.
* stored value (储值): principal topped up and bonus given, principal and
  bonus spent, and both balances outstanding at the end of the period.
* coupons issued here (满额返券, coupon rewards) on the period's sales, and how
  many of them have come back redeemed; coupons redeemed on the period's sales
  and the discount they gave; rewards (积分兑换) redeemed and their points.

Ledger rows carry a time, not a business day: they are placed in the period
by :meth:`Scope.bounds`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from terminal.auth import Actor
from terminal.reports.base import Period, Scope, Table, require_reports
from terminal.reports.members import MEASURE_COLUMNS, measure
from terminal.store.models import (
    Coupon,
    CouponRedemption,
    PointsEntry,
    Sale,
    SaleLine,
    StoredValueEntry,
)


def _sum_if(condition: Any, value: Any) -> Any:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def liability_fen(points: int, points_per_yuan: int) -> int:
    """What ``points`` are worth in fen at ``points_per_yuan`` (half up)."""
    return (2 * points * 100 + points_per_yuan) // (2 * points_per_yuan)


def points_figures(session: Session, period: Period, scope: Scope) -> dict[str, int]:
    start, end = scope.bounds(period)
    inside = PointsEntry.created_at >= start
    issued, redeemed, expired, outstanding = session.execute(
        select(
            _sum_if(inside & (PointsEntry.kind == "earn"), PointsEntry.points),
            _sum_if(inside & (PointsEntry.kind == "redeem"), -PointsEntry.points),
            _sum_if(inside & (PointsEntry.kind == "expire"), -PointsEntry.points),
            func.coalesce(func.sum(PointsEntry.points), 0),
        ).where(PointsEntry.created_at < end)
    ).one()
    return {
        "issued": int(issued),
        "redeemed": int(redeemed),
        "expired": int(expired),
        "outstanding": int(outstanding),
    }


def stored_value_figures(session: Session, period: Period, scope: Scope) -> dict[str, int]:
    start, end = scope.bounds(period)
    e = StoredValueEntry
    inside = e.created_at >= start
    principal, bonus = e.bucket == "principal", e.bucket == "bonus"
    row = session.execute(
        select(
            _sum_if(inside & (e.kind == "topup") & principal, e.amount),
            _sum_if(inside & (e.kind == "bonus") & bonus, e.amount),
            _sum_if(inside & (e.kind == "spend") & principal, -e.amount),
            _sum_if(inside & (e.kind == "spend") & bonus, -e.amount),
            _sum_if(principal, e.amount),
            _sum_if(bonus, e.amount),
        ).where(e.created_at < end)
    ).one()
    keys = (
        "topped_up",
        "bonus_given",
        "spent_principal",
        "spent_bonus",
        "outstanding_principal",
        "outstanding_bonus",
    )
    return {k: int(v) for k, v in zip(keys, row, strict=True)}


def coupon_figures(session: Session, period: Period) -> dict[str, int]:
    in_period = Sale.business_day.between(period.first, period.last)
    issued, returned = session.execute(
        select(func.count(), _sum_if(Coupon.status == "redeemed", 1))
        .select_from(Coupon)
        .join(Sale, Sale.id == Coupon.issued_sale_id)
        .where(in_period, Sale.kind == "sale")
    ).one()
    redeemed, discount = session.execute(
        select(func.count(), func.coalesce(func.sum(CouponRedemption.amount), 0))
        .join(Sale, Sale.id == CouponRedemption.sale_id)
        .where(in_period, Sale.kind == "sale", CouponRedemption.kind == "redeem")
    ).one()
    rewards = session.scalar(
        select(func.count())
        .select_from(SaleLine)
        .where(
            SaleLine.business_day.between(period.first, period.last),
            SaleLine.reward_id.is_not(None),
            SaleLine.qty > 0,  # a returned reward line is not a reward redeemed
        )
    )
    reward_points = session.scalar(
        select(func.coalesce(func.sum(Sale.reward_points), 0)).where(in_period, Sale.kind == "sale")
    )
    return {
        "issued": int(issued),
        "returned": int(returned),
        "redeemed": int(redeemed),
        "discount": int(discount),
        "rewards": int(rewards or 0),
        "reward_points": int(reward_points or 0),
    }


def loyalty(session: Session, actor: Actor, period: Period, scope: Scope) -> Table:
    """Points, stored value, coupons and rewards of the period (see the module's definitions)."""
    require_reports(actor)
    p = points_figures(session, period, scope)
    sv = stored_value_figures(session, period, scope)
    c = coupon_figures(session, period)
    rows = [
        measure("points_issued", p["issued"], "points"),
        measure("points_redeemed", p["redeemed"], "points"),
        measure("points_expired", p["expired"], "points"),
        measure("points_outstanding", p["outstanding"], "points"),
        measure("points_liability", liability_fen(p["outstanding"], scope.points_per_yuan), "fen"),
        measure("sv_topped_up", sv["topped_up"], "fen"),
        measure("sv_bonus_given", sv["bonus_given"], "fen"),
        measure("sv_spent_principal", sv["spent_principal"], "fen"),
        measure("sv_spent_bonus", sv["spent_bonus"], "fen"),
        measure("sv_outstanding_principal", sv["outstanding_principal"], "fen"),
        measure("sv_outstanding_bonus", sv["outstanding_bonus"], "fen"),
        measure("coupons_issued", c["issued"]),
        measure("coupons_returned", c["returned"]),
        measure("coupons_redeemed", c["redeemed"]),
        measure("coupons_discount", c["discount"], "fen"),
        measure("rewards_redeemed", c["rewards"]),
        measure("rewards_points", c["reward_points"], "points"),
    ]
    return Table("points", "rpt_title_points", MEASURE_COLUMNS, rows, period)
