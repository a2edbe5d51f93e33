"""How each promotion and coupon was used: sales that used it, discount given, sales it was in.

Read from the adjustments the pricing wrote on each sale (one per rule that
changed a price and line, with the money it took off; only sales have them).
Each adjustment carries its sale's amount and whether it is the rule's first
on that sale (revision 0007), so a year is summed from the index alone. ``uses`` counts the sales a
rule applied to, ``discount`` the money it took off them, ``sales_with`` what
those sales came to (``Sale.payable``). A coupon's rule is its coupon
definition. Member tier discounts, manual discounts, points and rounding are
not promotions and are left out. Returns are not subtracted: the figures say
what the promotion did when it sold.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal.auth import Actor
from terminal.reports.base import Column, Period, Table, require_reports
from terminal.store.models import CouponDefinitionRow, PromotionRow, RewardRow, SaleAdjustment

PROMOTION_STEPS = ("item", "threshold", "coupon", "reward")


def promotions(session: Session, actor: Actor, period: Period) -> Table:
    """Per promotion, coupon definition and reward: uses, discount given, sales it was in."""
    require_reports(actor)
    # per day first: the rows come in the index's order (no sort of a year of
    # adjustments), then the rules add up a few thousand rows
    per_day = (
        select(
            SaleAdjustment.step.label("step"),
            SaleAdjustment.rule_id.label("rule_id"),
            func.sum(SaleAdjustment.rule_first).label("uses"),
            func.sum(SaleAdjustment.amount).label("amount"),
            func.sum(SaleAdjustment.rule_first * SaleAdjustment.sale_payable).label("sales_with"),
        )
        .where(
            SaleAdjustment.business_day.between(period.first, period.last),
            SaleAdjustment.step.in_(PROMOTION_STEPS),
        )
        .group_by(SaleAdjustment.business_day, SaleAdjustment.step, SaleAdjustment.rule_id)
        .subquery()
    )
    rows = session.execute(
        select(
            per_day.c.step,
            per_day.c.rule_id,
            func.sum(per_day.c.uses),
            func.sum(per_day.c.amount),
            func.sum(per_day.c.sales_with),
        ).group_by(per_day.c.step, per_day.c.rule_id)
    ).all()
    names = _rule_names(session)
    out = [
        {
            "rule": names.get(rule_id, rule_id),
            "rule_id": rule_id,
            "step": step,
            "uses": int(uses),
            "discount": int(discount or 0),
            "sales_with": int(sales_with or 0),
        }
        for step, rule_id, uses, discount, sales_with in rows
    ]
    out.sort(key=lambda r: (-r["discount"], r["rule_id"]))
    columns = (
        Column("rule", "rpt_col_rule", "text"),
        Column("step", "rpt_col_step", "text"),
        Column("uses", "rpt_col_uses"),
        Column("discount", "rpt_col_discount_given", "fen"),
        Column("sales_with", "rpt_col_sales_with", "fen"),
    )
    return Table("promotions", "rpt_title_promotions", columns, out, period)


def _rule_names(session: Session) -> dict[str, str]:
    names: dict[str, str] = {}
    for model in (PromotionRow, CouponDefinitionRow, RewardRow):
        for rule_id, body in session.execute(select(model.id, model.body)):
            if isinstance(body, dict) and body.get("name"):
                names[rule_id] = str(body["name"])
    return names
