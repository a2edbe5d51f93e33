"""Where the money came in and what the state is owed: tenders, and tax per VAT rate.

Payments carry the money as kept (cash = tendered − change); a return's
payments are negative. Per tender: ``taken`` on sales, ``refunded`` on
returns (positive), ``topups`` the money members paid into stored value
(less top-ups refunded), ``net`` all of it — what the drawer and the bank
statements should show. Stored value spent is a tender of its own (money
taken earlier, at the top-up).
"""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from terminal.auth import Actor
from terminal.pricing.tax import VAT_LABEL, VAT_RATE_BP
from terminal.reports.base import Column, Period, Table, ratio_bp, require_reports
from terminal.reports.products import lines_in
from terminal.store.models import Payment, Sale, SaleLine
from terminal.tenders import ALL_METHODS


def _totals(rows: object) -> dict[str, dict[str, int]]:
    out = {m: {"taken": 0, "refunded": 0, "topups": 0, "net": 0} for m in ALL_METHODS}
    for method, taken, refunded, topups in rows:  # type: ignore[attr-defined]
        t, r, u = int(taken or 0), int(refunded or 0), int(topups or 0)
        out[method] = {"taken": t, "refunded": r, "topups": u, "net": t - r + u}
    return out


def tender_totals(session: Session, *where: object) -> dict[str, dict[str, int]]:
    """Per method: taken, refunded, topups, net (fen), for the sales matching ``where``."""
    rows = session.execute(
        select(
            Payment.method,
            func.sum(case((Sale.kind == "sale", Payment.amount), else_=0)),
            func.sum(case((Sale.kind == "return", -Payment.amount), else_=0)),
            func.sum(case((Sale.kind.in_(("topup", "topup_refund")), Payment.amount), else_=0)),
        )
        .join(Sale, Payment.sale_id == Sale.id)
        .where(*where)  # type: ignore[arg-type]
        .group_by(Payment.method)
    ).all()
    return _totals(rows)


def period_tender_totals(session: Session, period: Period) -> dict[str, dict[str, int]]:
    """:func:`tender_totals` of a period's sales, from the payments alone.

    Each payment carries its sale's business day and kind (revision 0007), so a
    year of payments is summed from ``ix_payment_report`` without finding its sales.
    """
    kind = Payment.sale_kind
    rows = session.execute(
        select(
            Payment.method,
            func.sum(case((kind == "sale", Payment.amount), else_=0)),
            func.sum(case((kind == "return", -Payment.amount), else_=0)),
            func.sum(case((kind.in_(("topup", "topup_refund")), Payment.amount), else_=0)),
        )
        .where(Payment.business_day.between(period.first, period.last))
        .group_by(Payment.method)
    ).all()
    return _totals(rows)


def tenders(session: Session, actor: Actor, period: Period) -> Table:
    """Per tender over the period, with each tender's share of the money taken on sales."""
    require_reports(actor)
    totals = period_tender_totals(session, period)
    taken = sum(t["taken"] for t in totals.values())
    rows = [
        {"tender": f"tender_{m}", "method": m, **t, "share": ratio_bp(t["taken"], taken)}
        for m, t in totals.items()
    ]
    columns = (
        Column("tender", "rpt_col_tender", "code"),
        Column("taken", "rpt_col_taken", "fen"),
        Column("refunded", "rpt_col_refunded", "fen"),
        Column("topups", "rpt_col_topups", "fen"),
        Column("net", "rpt_col_net", "fen"),
        Column("share", "rpt_col_share", "bp"),
    )
    return Table("tenders", "rpt_title_tenders", columns, rows, period)


def tax(session: Session, actor: Actor, period: Period) -> Table:
    """Per VAT rate (价税分离): paid (tax included), the tax in it and the net of tax.

    Net of returns; each receipt's tax was rounded once per rate when it was
    made, so these are plain sums and add up to the receipts to the fen.
    """
    require_reports(actor)
    # per product and rate first: a long period reads the lines in the product-first
    # index's order (no sort of a year of lines), then the rates add up ~3,000 rows
    per_product = (
        select(
            SaleLine.vat.label("vat"),
            func.sum(SaleLine.paid).label("paid"),
            func.sum(SaleLine.tax).label("tax"),
        )
        .where(lines_in(period))
        .group_by(SaleLine.product_id, SaleLine.vat)
        .subquery()
    )
    rows = session.execute(
        select(
            per_product.c.vat, func.sum(per_product.c.paid), func.sum(per_product.c.tax)
        ).group_by(per_product.c.vat)
    ).all()
    got = {vat: (int(paid or 0), int(tax or 0)) for vat, paid, tax in rows}
    out = [
        {
            "vat": VAT_LABEL[vat],
            "code": vat,
            "rate_bp": rate,
            "paid": got[vat][0],
            "tax": got[vat][1],
            "net_of_tax": got[vat][0] - got[vat][1],
        }
        for vat, rate in VAT_RATE_BP.items()
        if vat in got
    ]
    columns = (
        Column("vat", "rpt_col_vat", "text"),
        Column("paid", "rpt_col_paid", "fen"),
        Column("tax", "rpt_col_tax", "fen"),
        Column("net_of_tax", "rpt_col_net_of_tax", "fen"),
    )
    return Table("tax", "rpt_title_tax", columns, out, period)
