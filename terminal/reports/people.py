"""Who sold, and what was taken back: per cashier, and every refund and void with its approver.

A void is a line voided or a quantity lowered on a basket (audit actions
``void_line`` and ``void_qty``) or a whole basket cancelled
(``basket_cancelled``); they never became sales, so the audit trail is where
they are counted. A refund is a return (its own receipt, money given back).
"""

from __future__ import annotations

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
    require_reports,
)
from terminal.store.models import AuditEvent, Sale, User

VOID_ACTIONS = ("void_line", "void_qty", "basket_cancelled")


def _names(session: Session) -> dict[str, str]:
    return {k: v for k, v in session.execute(select(User.id, User.display_name))}


def cashiers(session: Session, actor: Actor, period: Period, scope: Scope) -> Table:
    """Per cashier: sales, amount, average ticket, returns, refunds, voided lines, cancellations."""
    require_reports(actor)
    rows = session.execute(
        select(
            Sale.cashier_id,
            func.sum(case((Sale.kind == "sale", 1), else_=0)),
            func.sum(case((Sale.kind == "sale", Sale.payable), else_=0)),
            func.sum(case((Sale.kind == "return", 1), else_=0)),
            func.sum(case((Sale.kind == "return", -Sale.payable), else_=0)),
        )
        .where(Sale.business_day.between(period.first, period.last), Sale.kind.in_(SALE_KINDS))
        .group_by(Sale.cashier_id)
    ).all()
    start, end = scope.bounds(period)
    voids = session.execute(
        select(AuditEvent.user_id, AuditEvent.action, func.count())
        .where(AuditEvent.at >= start, AuditEvent.at < end, AuditEvent.action.in_(VOID_ACTIONS))
        .group_by(AuditEvent.user_id, AuditEvent.action)
    ).all()
    names = _names(session)
    per: dict[str, dict[str, Any]] = {}

    def row(user_id: str) -> dict[str, Any]:
        return per.setdefault(
            user_id,
            {
                "cashier": names.get(user_id, user_id),
                "sales": 0,
                "amount": 0,
                "avg_ticket": 0,
                "returns": 0,
                "refunds": 0,
                "voids": 0,
                "cancelled": 0,
            },
        )

    for user_id, sales, amount, returns, refunds in rows:
        r = row(user_id)
        r.update(sales=int(sales), amount=int(amount), returns=int(returns), refunds=int(refunds))
        r["avg_ticket"] = average(r["amount"], r["sales"])
    for user_id, action, count in voids:
        if user_id is None:
            continue
        key = "cancelled" if action == "basket_cancelled" else "voids"
        row(user_id)[key] += int(count)
    out = sorted(per.values(), key=lambda r: (-r["amount"], r["cashier"]))
    columns = (
        Column("cashier", "rpt_col_cashier", "text"),
        Column("sales", "rpt_col_sales"),
        Column("amount", "rpt_col_amount", "fen"),
        Column("avg_ticket", "rpt_col_avg_ticket", "fen"),
        Column("returns", "rpt_col_returns"),
        Column("refunds", "rpt_col_refunds", "fen"),
        Column("voids", "rpt_col_voids"),
        Column("cancelled", "rpt_col_cancelled"),
    )
    return Table("cashiers", "rpt_title_cashiers", columns, out, period)


def refunds_and_voids(session: Session, actor: Actor, period: Period, scope: Scope) -> Table:
    """Every refund and void of the period, oldest first, with who did it and who approved it.

    ``amount`` is the money refunded (a refund) or the list value of what was
    voided when the audit row recorded it (a cancelled basket's amount).
    """
    require_reports(actor)
    names = _names(session)
    out: list[dict[str, Any]] = []
    for at, receipt, payable, cashier, approver, reason in session.execute(
        select(
            Sale.created_at,
            Sale.receipt_no,
            Sale.payable,
            Sale.cashier_id,
            Sale.approved_by,
            Sale.reason,
        ).where(Sale.business_day.between(period.first, period.last), Sale.kind == "return")
    ):
        out.append(
            {
                "at": at,
                "kind": "refund",
                "receipt": receipt,
                "amount": -payable,
                "cashier": names.get(cashier, ""),
                "approver": names.get(approver or "", ""),
                "reason": reason,
            }
        )
    start, end = scope.bounds(period)
    for at, action, user_id, approved_by, details in session.execute(
        select(
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.user_id,
            AuditEvent.approved_by,
            AuditEvent.details,
        ).where(AuditEvent.at >= start, AuditEvent.at < end, AuditEvent.action.in_(VOID_ACTIONS))
    ):
        details = details or {}
        out.append(
            {
                "at": at,
                "kind": action,
                "receipt": "",
                "amount": int(details.get("amount", 0) or 0),
                "cashier": names.get(user_id or "", ""),
                "approver": names.get(approved_by or "", ""),
                "reason": str(details.get("sku", "")),
            }
        )
    out.sort(key=lambda r: r["at"])
    for r in out:
        r["time"] = r.pop("at").astimezone(scope.tz).strftime("%Y-%m-%d %H:%M")
        r["kind"] = f"rpt_kind_{r['kind']}"
    columns = (
        Column("time", "rpt_col_time", "text"),
        Column("kind", "rpt_col_kind", "code"),
        Column("receipt", "rpt_col_receipt", "text"),
        Column("amount", "rpt_col_amount", "fen"),
        Column("cashier", "rpt_col_cashier", "text"),
        Column("approver", "rpt_col_approver", "text"),
        Column("reason", "rpt_col_reason", "text"),
    )
    return Table("refunds", "rpt_title_refunds", columns, out, period)
