"""The printer-independent receipt documents: sale receipt, refund slip (退货单), Z summary.

A document is a plain dict (str, int, bool, None, lists, dicts) that ``json.dumps``
accepts as is, so it can be stored on a :class:`~terminal.store.models.PrintJob`
and printed again later exactly as it was. Amounts are integer fen; the printer
side (``devices/printer``) formats them and lays the document out for the
paper. The format is described in ``docs/printing.md``.

Every money document adds up from its own rows: a line's ``gross − discount −
points_value = net``; a receipt's ``subtotal − discounts − coupons − points −
rounding = payable``; a refund slip's ``Σ net − shortfall_charged − rounding =
refund_total``; a Z summary's ``原价 − 优惠 − 积分抵扣 − 抹零 = 实收``. A
document never opens the cash drawer (see ``print_jobs.opens_drawer``).

Personal data: a member's phone is printed masked (``138****5678``). Reading it
needs the member vault; pass ``vault`` (the phone is decrypted and masked
here) or ``member_display`` (values the caller already masked), or neither
(no phone is printed). The member number is printed with all but its last
four characters hidden.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal import ledger
from terminal.errors import NotFound
from terminal.members import mask_phone
from terminal.messages import render
from terminal.shifts import DENOMINATIONS, ShiftSummary
from terminal.store.models import (
    CouponRedemption,
    Member,
    PointsEntry,
    Product,
    PromotionRow,
    Sale,
    Shift,
    Terminal,
    User,
)

if TYPE_CHECKING:
    from terminal.pii import MemberVault

SCHEMA = 2
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

NAMED_STEPS = ("item", "manual")
"""Steps whose adjustment applies to one line: their row names the product."""


def _local(at: datetime, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")


def mask_member_no(member_no: str) -> str:
    """``M000012345`` -> ``******2345``: enough to tell a member, not enough to use."""
    return "*" * max(0, len(member_no) - 4) + member_no[-4:]


def role_title(role: str) -> str:
    """A role as a receipt prints it (receipts are in Chinese): 收银员, 主管, 店长, 管理员."""
    return render(f"role_{role}", lang="zh_CN")


def person_name(user: User) -> str:
    """A user's name without the role title some display names start with.

    ``收银员 小李`` -> ``小李``, so a caption such as ``收银员:`` does not say the
    role twice; a display name that is only the title is kept.
    """
    title = role_title(user.role)
    name = user.display_name.strip()
    rest = name.removeprefix(title).strip() if title else name
    return rest or name


def _approver(session: Session, user_id: str | None) -> str:
    user = session.get(User, user_id) if user_id else None
    if user is None:
        return ""
    return f"{role_title(user.role)} {person_name(user)}"


def _store(terminal: Terminal) -> dict[str, Any]:
    return {
        "code": terminal.store.code,
        "name": terminal.store.name,
        "address": terminal.store.address,
    }


def _terminal(session: Session, terminal_id: str) -> Terminal:
    terminal = session.get(Terminal, terminal_id)
    if terminal is None:
        raise NotFound("print_terminal_unknown")
    return terminal


def _header(session: Session, sale: Sale, kind: str, footer: str) -> dict[str, Any]:
    terminal = _terminal(session, sale.terminal_id)
    cashier = session.get(User, sale.cashier_id)
    return {
        "schema": SCHEMA,
        "kind": kind,
        "title": TITLES[kind],
        "reprint": False,
        "store": _store(terminal),
        "terminal": terminal.code,
        "cashier": person_name(cashier) if cashier is not None else "",
        "cashier_no": cashier.username if cashier is not None else "",
        "time": _local(sale.created_at, sale.tz),
        "receipt_no": sale.receipt_no,
        "sale_id": sale.id,
        "footer": footer,
        "code": sale.receipt_no,
    }


def _gifts(session: Session, sale: Sale) -> dict[int, dict[str, Any]]:
    """Gift lines by line number: the promotion that gave them and what they are worth."""
    gifts: dict[int, dict[str, Any]] = {}
    for line in sale.lines:
        if not line.is_gift:
            continue
        adj = next(
            (a for a in sale.adjustments if a.line_no == line.line_no and a.step == "item"), None
        )
        if adj is None:
            continue  # a sale from before adjustments named their line
        rule = session.get(PromotionRow, adj.rule_id)
        promotion = str(rule.body.get("name", "")) if rule is not None else ""
        product = session.get(Product, line.product_id)
        gifts[line.line_no] = {
            "promotion": promotion or adj.label.split("：")[0],
            "value": product.price * abs(line.qty) if product is not None else 0,
        }
    return gifts


def _lines(session: Session, sale: Sale, sign: int) -> list[dict[str, Any]]:
    gifts = _gifts(session, sale)
    return [
        {
            "line_no": line.line_no,
            "sku": line.sku,
            "name": line.name,
            "qty": sign * line.qty,
            "unit_price": line.unit_price,
            "gross": sign * line.gross,
            # derived, so the printed line adds up even where a partial return
            # rounded gross, net and points separately
            "discount": sign * (line.gross - line.net - line.points_value),
            "points_value": sign * line.points_value,
            "net": sign * line.net,
            "paid": sign * line.paid,
            "is_gift": line.is_gift,
            "gift": gifts.get(line.line_no),
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
            "reference": p.reference if p.method != "cash" else "",
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


def _discounts(sale: Sale) -> list[dict[str, Any]]:
    names = {line.line_no: line.name for line in sale.lines}
    return [
        {
            "label": a.label,
            "amount": a.amount,
            "step": a.step,
            "target": names.get(a.line_no, "") if a.line_no and a.step in NAMED_STEPS else "",
        }
        for a in sale.adjustments
        if a.step not in NOT_DISCOUNTS and a.amount
    ]


def _coupons(session: Session, sale: Sale) -> list[dict[str, Any]]:
    labels = [a.label for a in sale.adjustments if a.step == "coupon" and a.amount]
    redemptions = session.scalars(
        select(CouponRedemption)
        .where(CouponRedemption.sale_id == sale.id, CouponRedemption.kind == "redeem")
        .order_by(CouponRedemption.created_at, CouponRedemption.coupon_code)
    ).all()
    return [
        {
            "code": r.coupon_code,
            "label": next((x for x in labels if r.coupon_code in x), ""),
            "amount": r.amount,
        }
        for r in redemptions
    ]


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
    """
    sale = session.get(Sale, sale_id)
    if sale is None:
        raise NotFound("print_sale_unknown")
    if sale.kind == "return":
        return _refund_document(session, sale, vault, member_display)
    doc = _header(session, sale, "receipt", footer)
    member = _member(session, sale, vault, member_display)
    if member is not None:
        member["points_earned"] = sale.points_earned
    rounding_label = next((a.label for a in sale.adjustments if a.step == "rounding"), "")
    doc.update(
        lines=_lines(session, sale, 1),
        discounts=_discounts(sale),
        coupons=_coupons(session, sale),
        points_used={"points": sale.points_redeemed, "value": sale.points_value},
        rounding=sale.rounding,
        rounding_label=rounding_label,
        subtotal=sale.subtotal,
        savings=sale.discount_total,
        payable=sale.payable,
        tenders=_tenders(sale, 1),
        change=sale.change_given,
        member=member,
        notes=[],
    )
    return doc


def _refund_document(
    session: Session,
    ret: Sale,
    vault: MemberVault | None,
    member_display: Mapping[str, Any] | None,
) -> dict[str, Any]:
    # a refund slip ends with the customer's signature, not "welcome back"
    doc = _header(session, ret, "refund", "")
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
    lines = _lines(session, ret, -1)
    refund_total = -ret.payable
    paid = sum(x["paid"] for x in lines)
    # the header says the original receipt and the reason: the notes keep the rest
    notes = [n for n in ret.explanation if not (ret.reason and ret.reason in n)]
    doc.update(
        original_receipt_no=original.receipt_no if original is not None else "",
        reason=ret.reason,
        approved_by=_approver(session, ret.approved_by),
        lines=lines,
        rounding=sum(x["net"] for x in lines) - paid,
        shortfall_charged=paid - refund_total,
        refund_total=refund_total,
        tenders=[t for t in _tenders(ret, -1) if t["amount"]],
        member=member,
        notes=notes,
        signature=True,
    )
    return doc


def _shift_numbers(session: Session, summary: ShiftSummary) -> tuple[int, date | None]:
    """The shift's number on its terminal (1, 2, 3 … in opening order) and its first
    sale's business day (None for a shift without sales)."""
    number = session.scalar(
        select(func.count())
        .select_from(Shift)
        .where(Shift.terminal_id == summary.terminal_id, Shift.opened_at <= summary.opened_at)
    )
    first_day = session.scalar(
        select(func.min(Sale.business_day)).where(Sale.shift_id == summary.shift_id)
    )
    return int(number or 0), first_day


def z_report_document(
    session: Session,
    summary: ShiftSummary,
    *,
    tz: str,
    business_day: date | None = None,
) -> dict[str, Any]:
    """The Z summary (closed shift) or X report (open shift) of a :class:`ShiftSummary`.

    ``business_day`` is the store's business day of the shift; without it the
    business day of the shift's first sale is printed, or the local date the
    shift opened.
    """
    terminal = _terminal(session, summary.terminal_id)
    closed = summary.status == "closed"
    at = summary.closed_at if closed and summary.closed_at else summary.opened_at
    shift_no, first_day = _shift_numbers(session, summary)
    day = business_day or first_day or summary.opened_at.astimezone(ZoneInfo(tz)).date()
    points_value, rounding = session.execute(
        select(
            func.coalesce(func.sum(Sale.points_value), 0),
            func.coalesce(func.sum(Sale.rounding), 0),
        ).where(Sale.shift_id == summary.shift_id, Sale.kind == "sale")
    ).one()
    cash_rows: list[dict[str, Any]] = [
        {"label": "备用金", "amount": summary.opening_float},
        {"label": "现金收款(净)", "amount": summary.tenders.get("cash", 0)},
        {"label": "存入", "amount": summary.cash_in},
        {"label": "取出", "amount": -summary.cash_out},
        {"label": "应有现金", "amount": summary.expected_cash, "total": True},
    ]
    if summary.counted_cash is not None:
        cash_rows.append({"label": "实点现金", "amount": summary.counted_cash})
    if summary.variance is not None:
        cash_rows.append({"label": "差额(长+/短-)", "amount": summary.variance})
    business_rows: list[dict[str, Any]] = [
        {"label": "销售笔数", "value": str(summary.sales_count)},
        {"label": "销售原价合计", "amount": summary.gross_sales},
        {"label": "优惠合计", "amount": -summary.discounts_total},
        {"label": "积分抵扣", "amount": -int(points_value)},
    ]
    if rounding:
        business_rows.append({"label": "抹零", "amount": -int(rounding)})
    business_rows += [
        {"label": "销售实收", "amount": summary.net_sales, "total": True},
        {"label": "退货笔数", "value": str(summary.returns_count)},
        {"label": "退款合计", "amount": -summary.returns_total},
        {"label": "净收款", "amount": summary.net_sales - summary.returns_total, "total": True},
    ]
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
        {"title": "营业", "rows": business_rows},
        {
            "title": "收款方式(净额)",
            "rows": [
                *(
                    {"label": TENDER_LABELS.get(m, m), "amount": amount}
                    for m, amount in summary.tenders.items()
                ),
                {"label": "收款合计", "amount": sum(summary.tenders.values()), "total": True},
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
        "kind": "z_report",
        "title": TITLES["z_report" if closed else "x_report"],
        "reprint": False,
        "store": _store(terminal),
        "terminal": terminal.code,  # who opened and closed it: the 班次 section
        "time": _local(at, tz),
        "receipt_no": "",
        "shift_id": summary.shift_id,
        "shift_no": shift_no,
        "business_day": day.isoformat(),
        "sections": sections,
        "footer": "",
        "code": None,
    }


def as_reprint(document: Mapping[str, Any], *, at: datetime, tz: str) -> dict[str, Any]:
    """A copy of ``document`` marked 重印 / REPRINT (someone asked for it; audited)."""
    doc = copy.deepcopy(dict(document))
    doc["reprint"] = True
    doc["reprinted_at"] = _local(at, tz)
    return doc


def as_copy(document: Mapping[str, Any], *, at: datetime, tz: str) -> dict[str, Any]:
    """``document`` marked 补打 / COPY: printed again because the first print may have
    come out (the printer got the bytes but never confirmed)."""
    doc = copy.deepcopy(dict(document))
    if not doc.get("reprint"):
        doc["copy"] = True
        doc["copied_at"] = _local(at, tz)
    return doc
