"""The printer-independent receipt documents: sale receipt, refund slip (退货单), Z summary,
and the slips of a stored-value top-up (储值充值单) and its refund (储值退款单).

A document is a plain dict (str, int, bool, None, lists, dicts) that ``json.dumps``
accepts as is, so it can be stored on a :class:`~terminal.store.models.PrintJob`
and printed again later exactly as it was. Amounts are integer fen; the printer
side (``devices/printer``) formats them and lays the document out for the
paper. The format is described in ``docs/printing.md``.

Every money document adds up from its own rows: a line's ``gross − discount −
points_value = net``; a receipt's ``subtotal − discounts − coupons − points −
rounding = payable``; a refund slip's ``Σ net − shortfall_charged − rounding =
refund_total``; a Z summary's ``原价 − 优惠 − 积分抵扣 − 抹零 = 实收`` and
``净收款 + 储值收款净额 = 收款合计``; a stored-value balance's ``本金 + 赠送``;
the VAT per rate's ``不含税 + 税额 = 金额``. A document never opens the cash
drawer (see ``print_jobs.opens_drawer``).

Personal data: a member's phone is printed masked (``138****5678``). Reading it
needs the member vault; pass ``vault`` (the phone is decrypted and masked
here) or ``member_display`` (values the caller already masked), or neither
(no phone is printed). The member number is printed with all but its last
four characters hidden.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, literal_column, select
from sqlalchemy.orm import Session

from terminal import ledger, stored_value, tax_report
from terminal.errors import NotFound
from terminal.members import mask_phone
from terminal.messages import render
from terminal.money import format_yuan
from terminal.pricing.tax import VAT_LABEL, summarise
from terminal.shifts import DENOMINATIONS, ShiftSummary, denomination_label
from terminal.store.models import (
    Coupon,
    CouponDefinitionRow,
    CouponRedemption,
    Member,
    PointsEntry,
    Product,
    PromotionRow,
    RewardRow,
    Sale,
    Shift,
    StoredValueEntry,
    Terminal,
    User,
)
from terminal.tenders import ALL_METHODS, method_name

if TYPE_CHECKING:
    from terminal.pii import MemberVault

SCHEMA = 2
DEFAULT_FOOTER = "谢谢惠顾，欢迎再次光临"

TENDER_LABELS: dict[str, str] = {
    method: render(method_name(method).code, lang="zh_CN") for method in ALL_METHODS
}
"""Each tender's name as receipts and slips print it (in Chinese): the catalogue's names
of :data:`terminal.tenders.ALL_METHODS`, the ones the tills show."""

TITLES: dict[str, str] = {
    "receipt": "购物小票",
    "refund": "退货单",
    "z_report": "交班报表 (Z)",
    "x_report": "班次报表 (X)",
    "topup": "储值充值单",
    "topup_refund": "储值退款单",
}

NOT_DISCOUNTS = ("points", "rounding", "coupon")
"""Adjustment steps printed on their own rows rather than as discounts."""

NAMED_STEPS = ("item", "manual")
"""Steps whose adjustment applies to one line: their row names the product."""

_RULE_REF = re.compile(r"\s*\(规则 [^)]*\)$")
"""The rule id at the end of an explanation line: for the screen, not the customer."""


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


def _reward_names(session: Session, sale: Sale) -> dict[str, str]:
    ids = {line.reward_id for line in sale.lines if line.reward_id}
    names: dict[str, str] = {}
    for reward_id in sorted(ids):
        row = session.get(RewardRow, reward_id)
        names[reward_id] = str(row.body.get("name", "")) if row is not None else ""
    return names


def _lines(session: Session, sale: Sale, sign: int) -> list[dict[str, Any]]:
    gifts = _gifts(session, sale)
    rewards = _reward_names(session, sale)
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
            # qty is grams and unit_price per kg when sold by weight
            "sold_by": line.sold_by,
            "vat": line.vat,
            "tax": sign * line.tax,
            "reward": {
                "id": line.reward_id,
                "name": rewards.get(line.reward_id, ""),
                "points": abs(line.points_redeemed),
            }
            if line.reward_id
            else None,
        }
        for line in sale.lines
    ]


def _taxes(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """价税分离 per VAT rate from the lines' paid amounts and their tax (one rounding per
    rate per receipt, made when the sale was priced: ``terminal.pricing.tax``)."""
    return [
        {
            "vat": t.vat,
            "label": VAT_LABEL[t.vat],
            "rate_bp": t.rate_bp,
            "amount": t.amount,
            "net": t.net,
            "tax": t.tax,
        }
        for t in summarise([(x["vat"], x["paid"], x["tax"]) for x in lines])
    ]


def _local_day(at: datetime | None, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d") if at is not None else ""


def _coupons_issued(session: Session, sale: Sale) -> list[dict[str, Any]]:
    """Coupons the sale issued (满额返券, coupons bought with points), one entry per code."""
    out: list[dict[str, Any]] = []
    for group in (sale.extras or {}).get("issued", []):
        definition = session.get(CouponDefinitionRow, group["definition_id"])
        body = definition.body if definition is not None else {}
        for code in group["codes"]:
            coupon = session.get(Coupon, code)
            out.append(
                {
                    "code": code,
                    "name": str(body.get("name") or group.get("name", "")),
                    "source": group["source"],
                    "points": int(group.get("points", 0)) if group["source"] == "reward" else 0,
                    "value": int(body.get("value", 0)),
                    "min_spend": int(body.get("min_spend", 0)),
                    "valid_from": _local_day(coupon.valid_from if coupon else None, sale.tz),
                    "valid_to": _local_day(coupon.valid_to if coupon else None, sale.tz),
                }
            )
    return out


_WRITTEN: ColumnElement[int] = literal_column("stored_value_entry.rowid")


def _balance_after(session: Session, sale: Sale) -> stored_value.Balance:
    """The member's balance right after the sale's own ledger rows (rows are written in
    order), so a receipt built again later still prints the balance the customer had."""
    assert sale.member_id is not None
    last = session.scalar(select(func.max(_WRITTEN)).where(StoredValueEntry.sale_id == sale.id))
    if last is None:
        return stored_value.balance(session, sale.member_id)
    rows = session.execute(
        select(StoredValueEntry.bucket, func.coalesce(func.sum(StoredValueEntry.amount), 0))
        .where(StoredValueEntry.member_id == sale.member_id, last >= _WRITTEN)
        .group_by(StoredValueEntry.bucket)
    ).all()
    got = {bucket: int(amount) for bucket, amount in rows}
    return stored_value.Balance(got.get("principal", 0), got.get("bonus", 0))


def _stored_value(session: Session, sale: Sale, sign: int) -> dict[str, Any] | None:
    """Stored value used (or given back) by the sale and the member's balance after it."""
    if sale.member_id is None:
        return None
    moved = session.scalar(
        select(func.coalesce(func.sum(StoredValueEntry.amount), 0)).where(
            StoredValueEntry.sale_id == sale.id
        )
    )
    used = sum(p.amount for p in sale.payments if p.method == "stored_value")
    if not used and not moved:
        return None
    member = session.get(Member, sale.member_id)
    after = _balance_after(session, sale)
    return {
        "member_no": mask_member_no(member.member_no) if member is not None else "",
        "amount": sign * used,
        "principal": after.principal,
        "bonus": after.bonus,
        "balance": after.total,
    }


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


MEMBER_FACTS = ("member_no", "phone", "tier", "points_balance")
"""What a receipt prints about the member that can change after the sale."""


def member_facts(
    member: Member,
    vault: MemberVault | None,
    *,
    points_balance: int,
    tier_name: str | None = None,
) -> dict[str, Any]:
    """The member as a receipt prints them (masked), given their points balance (and tier
    name, when the caller holds it): kept with a receipt queued unbuilt, so it prints what
    was true at the till (``member_display``)."""
    phone = ""
    if vault is not None and member.phone_enc is not None:
        phone = mask_phone(vault.decrypt_field("phone", member.id, member.phone_enc) or "")
    return {
        "member_no": mask_member_no(member.member_no),
        "phone": phone,
        "tier": tier_name if tier_name is not None else member.tier.name,
        "points_balance": points_balance,
    }


def _member(
    session: Session,
    sale: Sale,
    vault: MemberVault | None,
    member_display: Mapping[str, Any] | None,
) -> dict[str, Any] | None:
    if sale.member_id is None:
        return None
    display = dict(member_display or {})
    if all(key in display for key in MEMBER_FACTS):
        return {key: display[key] for key in MEMBER_FACTS}
    member = session.get(Member, sale.member_id)
    if member is None:
        return None
    info = member_facts(
        member,
        vault,
        points_balance=(
            display["points_balance"]
            if "points_balance" in display
            else ledger.balance(session, member.id, sale.business_day)
        ),
    )
    info.update({key: display[key] for key in MEMBER_FACTS if key in display})
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
    if sale.kind in ("topup", "topup_refund"):
        return _topup_document(session, sale, footer, vault, member_display)
    doc = _header(session, sale, "receipt", footer)
    member = _member(session, sale, vault, member_display)
    if member is not None:
        member["points_earned"] = sale.points_earned
        member["reward_points"] = sale.reward_points
    lines = _lines(session, sale, 1)
    rounding_label = next((a.label for a in sale.adjustments if a.step == "rounding"), "")
    doc.update(
        lines=lines,
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
        stored_value=_stored_value(session, sale, 1),
        taxes=_taxes(lines),
        coupons_issued=_coupons_issued(session, sale),
        # a limit that held a promotion back (每人限购 2 件 …), in the customer's words
        notes=[_RULE_REF.sub("", n) for n in (sale.extras or {}).get("limits", [])],
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
        rewards_back = -ret.reward_points
        member["points_reversed"] = abs(moved.get("reverse", 0))
        member["points_restored"] = max(0, abs(moved.get("restore", 0)) - rewards_back)
        member["reward_points_back"] = rewards_back
    lines = _lines(session, ret, -1)
    refund_total = -ret.payable
    paid = sum(x["paid"] for x in lines)
    coupon_deduction = int((ret.extras or {}).get("coupon_deduction", 0))
    cancelled = _coupons_cancelled(session, ret, original)
    value = _stored_value(session, ret, -1)
    # the header says the original receipt and the reason, the rows the coupons taken back
    # and the stored value given back: the notes keep the rest
    notes = [
        n
        for n in ret.explanation
        if not (ret.reason and ret.reason in n)
        and not any(c["code"] in n for c in cancelled)
        and not (value and n.startswith("退回储值余额"))
    ]
    doc.update(
        original_receipt_no=original.receipt_no if original is not None else "",
        reason=ret.reason,
        approved_by=_approver(session, ret.approved_by),
        lines=lines,
        rounding=sum(x["net"] for x in lines) - paid,
        shortfall_charged=paid - refund_total - coupon_deduction,
        coupon_deduction=coupon_deduction,
        refund_total=refund_total,
        tenders=[t for t in _tenders(ret, -1) if t["amount"]],
        member=member,
        stored_value=value,
        taxes=_taxes(lines),
        coupons_cancelled=cancelled,
        notes=notes,
        signature=True,
    )
    return doc


def _coupons_cancelled(session: Session, ret: Sale, original: Sale | None) -> list[dict[str, Any]]:
    """Coupons the original sale issued that this return took back: ``void`` (cancelled,
    unused; a coupon bought with points comes back with its points) or ``used`` (already
    spent: the refund may be reduced by it, ``coupon_deduction``)."""
    sources = {
        code: group["source"]
        for group in ((original.extras or {}) if original is not None else {}).get("issued", [])
        for code in group["codes"]
    }
    out: list[dict[str, Any]] = []
    for code in (ret.extras or {}).get("coupons_taken_back", []):
        coupon = session.get(Coupon, code)
        definition = session.get(CouponDefinitionRow, coupon.definition_id) if coupon else None
        out.append(
            {
                "code": code,
                "name": str(definition.body.get("name", "")) if definition is not None else "",
                "source": sources.get(code, "coupon_issue"),
                "status": "void" if coupon is None or coupon.status == "void" else "used",
            }
        )
    return out


def _topup_document(
    session: Session,
    sale: Sale,
    footer: str,
    vault: MemberVault | None,
    member_display: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """A stored-value top-up slip (kind ``receipt``, ``slip`` ``topup``) or the slip of its
    refund (kind ``refund``, ``slip`` ``topup_refund``): the money, the bonus, the balance after.

    The kinds stay those of a sale's receipt and refund slip, so the print queue, reprints
    and the list of printouts treat them alike; ``slip`` picks the layout.
    """
    refund = sale.kind == "topup_refund"
    sign = -1 if refund else 1
    doc = _header(session, sale, "refund" if refund else "receipt", "" if refund else footer)
    doc.update(slip=sale.kind, title=TITLES[sale.kind])
    bonus = session.scalar(
        select(func.coalesce(func.sum(StoredValueEntry.amount), 0)).where(
            StoredValueEntry.sale_id == sale.id, StoredValueEntry.bucket == "bonus"
        )
    )
    info = _member(session, sale, vault, member_display)
    value = _stored_value(session, sale, sign)
    doc.update(
        member=info,
        principal=sign * sale.payable,
        bonus=sign * int(bonus or 0),
        tenders=[t for t in _tenders(sale, sign) if t["amount"] or t["tendered"]],
        change=sale.change_given,
        stored_value=value,
        notes=[n for n in sale.explanation if not (refund and sale.reason and sale.reason in n)],
    )
    if refund:
        original = session.get(Sale, sale.original_sale_id) if sale.original_sale_id else None
        doc.update(
            original_receipt_no=original.receipt_no if original is not None else "",
            reason=sale.reason,
            approved_by=_approver(session, sale.approved_by),
            refund_total=-sale.payable,
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


def _stored_value_section(session: Session, shift_id: str) -> dict[str, Any] | None:
    """Stored-value top-ups of the shift: money taken in (and refunded) that is no sale."""
    per_kind = {
        kind: (int(n), int(amount))
        for kind, n, amount in session.execute(
            select(Sale.kind, func.count(), func.coalesce(func.sum(Sale.payable), 0))
            .where(Sale.shift_id == shift_id, Sale.kind.in_(("topup", "topup_refund")))
            .group_by(Sale.kind)
        ).all()
    }
    if not per_kind:
        return None
    bonus = session.scalar(
        select(func.coalesce(func.sum(StoredValueEntry.amount), 0))
        .join(Sale, StoredValueEntry.sale_id == Sale.id)
        .where(Sale.shift_id == shift_id, StoredValueEntry.bucket == "bonus")
        .where(Sale.kind.in_(("topup", "topup_refund")))
    )
    n, topped = per_kind.get("topup", (0, 0))
    refunds_n, refunded = per_kind.get("topup_refund", (0, 0))
    return {
        "title": "储值充值(不计销售)",
        "rows": [
            {"label": "充值笔数", "value": str(n)},
            {"label": "储值充值", "amount": topped},
            {"label": "充值退款笔数", "value": str(refunds_n)},
            {"label": "充值退款", "amount": refunded},
            {"label": "储值收款净额", "amount": topped + refunded, "total": True},
            {"label": "赠送金额(不收款)", "value": f"{format_yuan(int(bonus or 0))}元"},
        ],
    }


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
    stored = _stored_value_section(session, summary.shift_id)
    if stored is not None:
        sections.insert(2, stored)
    taxes = tax_report.shift_taxes(session, summary.shift_id)
    if taxes:
        rows: list[dict[str, Any]] = []
        for t in taxes:
            rows += [
                {"label": f"{VAT_LABEL[t.vat]} 金额", "amount": t.amount},
                {"label": "  不含税", "amount": t.net},
                {"label": "  税额", "amount": t.tax},
            ]
        sections.append({"title": "价税分离(销售净额)", "rows": rows})
    if summary.counts:
        sections.append(
            {
                "title": "点钞",
                "rows": [
                    {
                        "label": denomination_label(d),
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
