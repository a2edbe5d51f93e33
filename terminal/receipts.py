"""The printer-independent receipt documents: sale receipt, refund slip (退货单), Z summary.

A document is a plain dict (str, int, bool, None, lists, dicts) that ``json.dumps``
accepts as is, so it can be stored on a :class:`~terminal.store.models.PrintJob`
and printed again later exactly as it was. Amounts are integer fen; the printer
side (``devices/printer``) formats them and lays the document out for the
paper. The format is described in ``docs/printing.md``.

Personal data: a member's phone is printed masked (``138****5678``). Reading it
needs the member vault; pass ``vault`` (the phone is decrypted and masked
here) or ``member_display`` (values the caller already masked), or neither
(no phone is printed). The member number is printed with all but its last
four characters hidden.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal import ledger
from terminal.errors import NotFound
from terminal.members import mask_phone
from terminal.shifts import DENOMINATIONS, ShiftSummary
from terminal.store.models import (
    CouponRedemption,
    Member,
    PointsEntry,
    Sale,
    Terminal,
    User,
)

if TYPE_CHECKING:
    from terminal.pii import MemberVault

SCHEMA = 1
DEFAULT_FOOTER = "谢谢惠顾，欢迎再次光临"

TENDER_LABELS: dict[str, str] = {
    "cash": "现金",
    "card": "银行卡",
    "wechat": "微信支付",
    "alipay": "支付宝",
}

TITLES: dict[str, str] = {
    "receipt": "购物小票",
    "refund": "退货单",
    "z_report": "交班报表 (Z)",
    "x_report": "班次报表 (X)",
}

NOT_DISCOUNTS = ("points", "rounding", "coupon")
"""Adjustment steps printed on their own rows rather than as discounts."""


def _local(at: datetime, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")


def mask_member_no(member_no: str) -> str:
    """``M000012345`` -> ``******2345``: enough to tell a member, not enough to use."""
    return "*" * max(0, len(member_no) - 4) + member_no[-4:]


def _user_name(session: Session, user_id: str | None) -> str:
    if user_id is None:
        return ""
    user = session.get(User, user_id)
    return user.display_name if user is not None else ""


def _header(session: Session, sale: Sale, kind: str, footer: str) -> dict[str, Any]:
    terminal = session.get(Terminal, sale.terminal_id)
    if terminal is None:
        raise NotFound("本机未登记 / this terminal is not registered")
    return {
        "schema": SCHEMA,
        "kind": kind,
        "title": TITLES[kind],
        "reprint": False,
        "store": {
            "code": terminal.store.code,
            "name": terminal.store.name,
            "address": terminal.store.address,
        },
        "terminal": terminal.code,
        "cashier": _user_name(session, sale.cashier_id),
        "time": _local(sale.created_at, sale.tz),
        "receipt_no": sale.receipt_no,
        "sale_id": sale.id,
        "footer": footer,
        "code": sale.receipt_no,
    }


def _lines(sale: Sale, sign: int) -> list[dict[str, Any]]:
    return [
        {
            "line_no": line.line_no,
            "sku": line.sku,
            "name": line.name,
            "qty": sign * line.qty,
            "unit_price": line.unit_price,
            "gross": sign * line.gross,
            "discount": sign * line.discount,
            "points_value": sign * line.points_value,
            "net": sign * line.net,
            "paid": sign * line.paid,
            "is_gift": line.is_gift,
            "override_reason": line.override_reason,
        }
        for line in sale.lines
    ]


def _tenders(sale: Sale, sign: int) -> list[dict[str, Any]]:
    return [
        {
            "method": p.method,
            "label": TENDER_LABELS.get(p.method, p.method),
            "amount": sign * p.amount,
            "tendered": sign * p.tendered,
        }
        for p in sale.payments
    ]


def _member(
    session: Session,
    sale: Sale,
    vault: MemberVault | None,
    member_display: Mapping[str, Any] | None,
) -> dict[str, Any] | None:
    if sale.member_id is None:
        return None
    member = session.get(Member, sale.member_id)
    if member is None:
        return None
    phone = ""
    if vault is not None and member.phone_enc is not None:
        phone = mask_phone(vault.decrypt_field("phone", member.id, member.phone_enc) or "")
    info: dict[str, Any] = {
        "member_no": mask_member_no(member.member_no),
        "phone": phone,
        "tier": member.tier.name,
        "points_balance": ledger.balance(session, member.id, sale.business_day),
    }
    if member_display:
        for key in ("phone", "tier", "points_balance", "member_no"):
            if key in member_display:
                info[key] = member_display[key]
    return info


def sale_document(
    session: Session,
    sale_id: str,
    *,
    footer: str = DEFAULT_FOOTER,
    vault: MemberVault | None = None,
    member_display: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The document of a committed sale (kind ``receipt``) or return (kind ``refund``).

    ``member_display`` may hold ``phone`` (already masked), ``tier``,
    ``points_balance`` and ``member_no`` to print instead of what is read here.
    ``open_drawer`` is true when cash changed hands.
    """
    sale = session.get(Sale, sale_id)
    if sale is None:
        raise NotFound(f"找不到该笔交易 / no sale {sale_id}")
    if sale.kind == "return":
        return _refund_document(session, sale, footer, vault, member_display)
    doc = _header(session, sale, "receipt", footer)
    coupon_labels = [a.label for a in sale.adjustments if a.step == "coupon" and a.amount]
    redemptions = session.scalars(
        select(CouponRedemption)
        .where(CouponRedemption.sale_id == sale.id, CouponRedemption.kind == "redeem")
        .order_by(CouponRedemption.created_at, CouponRedemption.coupon_code)
    ).all()
    coupons = [
        {
            "code": r.coupon_code,
            "label": coupon_labels[i] if i < len(coupon_labels) else "",
            "amount": r.amount,
        }
        for i, r in enumerate(redemptions)
    ]
    member = _member(session, sale, vault, member_display)
    if member is not None:
        member["points_earned"] = sale.points_earned
    doc.update(
        lines=_lines(sale, 1),
        discounts=[
            {"label": a.label, "amount": a.amount, "step": a.step}
            for a in sale.adjustments
            if a.step not in NOT_DISCOUNTS and a.amount
        ],
        coupons=coupons,
        points_used={"points": sale.points_redeemed, "value": sale.points_value},
        rounding=sale.rounding,
        subtotal=sale.subtotal,
        savings=sale.discount_total,
        payable=sale.payable,
        tenders=_tenders(sale, 1),
        change=sale.change_given,
        member=member,
        notes=[],
        open_drawer=any(p.method == "cash" and p.tendered > 0 for p in sale.payments),
    )
    return doc


def _refund_document(
    session: Session,
    ret: Sale,
    footer: str,
    vault: MemberVault | None,
    member_display: Mapping[str, Any] | None,
) -> dict[str, Any]:
    doc = _header(session, ret, "refund", footer)
    original = session.get(Sale, ret.original_sale_id) if ret.original_sale_id else None
    member = _member(session, ret, vault, member_display)
    if member is not None:
        moved: dict[str, int] = {}
        for kind, points in session.execute(
            select(PointsEntry.kind, PointsEntry.points).where(PointsEntry.sale_id == ret.id)
        ).all():
            moved[kind] = moved.get(kind, 0) + points
        member["points_reversed"] = abs(moved.get("reverse", 0))
        member["points_restored"] = abs(moved.get("restore", 0))
    refund_total = -ret.payable
    doc.update(
        original_receipt_no=original.receipt_no if original is not None else "",
        reason=ret.reason,
        approved_by=_user_name(session, ret.approved_by),
        lines=_lines(ret, -1),
        refund_total=refund_total,
        tenders=[t for t in _tenders(ret, -1) if t["amount"]],
        member=member,
        notes=list(ret.explanation),
        open_drawer=any(p.method == "cash" and p.amount for p in ret.payments),
    )
    return doc


def z_report_document(session: Session, summary: ShiftSummary, *, tz: str) -> dict[str, Any]:
    """The Z summary (closed shift) or X report (open shift) of a :class:`ShiftSummary`."""
    terminal = session.get(Terminal, summary.terminal_id)
    if terminal is None:
        raise NotFound("本机未登记 / this terminal is not registered")
    kind = "z_report"
    closed = summary.status == "closed"
    at = summary.closed_at if closed and summary.closed_at else summary.opened_at
    cash_rows: list[dict[str, Any]] = [
        {"label": "备用金", "amount": summary.opening_float},
        {"label": "现金收款(净)", "amount": summary.tenders.get("cash", 0)},
        {"label": "存入", "amount": summary.cash_in},
        {"label": "取出", "amount": -summary.cash_out},
        {"label": "应有现金", "amount": summary.expected_cash},
    ]
    if summary.counted_cash is not None:
        cash_rows.append({"label": "实点现金", "amount": summary.counted_cash})
    if summary.variance is not None:
        cash_rows.append({"label": "差额(长+/短-)", "amount": summary.variance})
    sections: list[dict[str, Any]] = [
        {
            "title": "班次",
            "rows": [
                {"label": "开班", "value": summary.opened_by_name},
                {"label": "开班时间", "value": _local(summary.opened_at, tz)},
                {"label": "交班", "value": summary.closed_by_name or ""},
                {
                    "label": "交班时间",
                    "value": _local(summary.closed_at, tz) if summary.closed_at else "",
                },
            ],
        },
        {
            "title": "营业",
            "rows": [
                {"label": "销售笔数", "value": str(summary.sales_count)},
                {"label": "销售原价合计", "amount": summary.gross_sales},
                {"label": "优惠合计", "amount": summary.discounts_total},
                {"label": "销售实收", "amount": summary.net_sales},
                {"label": "退货笔数", "value": str(summary.returns_count)},
                {"label": "退款合计", "amount": summary.returns_total},
            ],
        },
        {
            "title": "收款方式(净额)",
            "rows": [
                {"label": TENDER_LABELS.get(m, m), "amount": amount}
                for m, amount in summary.tenders.items()
            ],
        },
        {"title": "现金", "rows": cash_rows},
    ]
    if summary.counts:
        sections.append(
            {
                "title": "点钞",
                "rows": [
                    {
                        "label": f"{d // 100}元" if d % 100 == 0 else f"{d // 10}角",
                        "value": f"{summary.counts.get(d, 0)}张",
                    }
                    for d in DENOMINATIONS
                    if summary.counts.get(d, 0)
                ],
            }
        )
    return {
        "schema": SCHEMA,
        "kind": kind,
        "title": TITLES["z_report" if closed else "x_report"],
        "reprint": False,
        "store": {
            "code": terminal.store.code,
            "name": terminal.store.name,
            "address": terminal.store.address,
        },
        "terminal": terminal.code,
        "cashier": summary.closed_by_name or summary.opened_by_name,
        "time": _local(at, tz),
        "receipt_no": "",
        "shift_id": summary.shift_id,
        "sections": sections,
        "footer": "",
        "code": None,
        "open_drawer": False,
    }


def as_reprint(document: Mapping[str, Any], *, at: datetime, tz: str) -> dict[str, Any]:
    """A copy of ``document`` marked 重印 / REPRINT; a reprint never opens the drawer."""
    doc = copy.deepcopy(dict(document))
    doc["reprint"] = True
    doc["reprinted_at"] = _local(at, tz)
    doc["open_drawer"] = False
    return doc
