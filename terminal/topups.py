"""Stored-value top-ups (储值充值) at the till, and refunding one.

A top-up is a :class:`Sale` of kind ``topup``: it takes a receipt number from
the till's sequence, its payments are the money taken (cash, bank card,
WeChat Pay, Alipay; never stored value itself), so the drawer and the shift's
tenders include it, while the shift's sales figures do not (a top-up is money
held for the member, not a sale). The member's ledger gets the principal and
the bonus the best ``topup_bonus`` rule gives (充500送50), each in its bucket.
Everything, including the HQ record (``stored_value``) and the slip, is one
transaction, like a sale.

Refunding a top-up (kind ``topup_refund``) needs a manager (the REFUND
permission at manager level), gives back at most the top-up's principal that
is still unspent, over the top-up's own tenders, and takes back the bonus in
proportion. Spent principal is never refunded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from terminal import audit, events, members, outbox, print_jobs, stored_value
from terminal.auth import Actor, Permission, authorize, authorize_role
from terminal.checkout_settings import CheckoutSettings
from terminal.classifier import unknown_receipt
from terminal.errors import InvalidInput, StateError
from terminal.money import format_yuan
from terminal.pii import MemberVault
from terminal.pricing.topup import TopUpOffer, topup_bonus
from terminal.records import PaymentRecord, StoredValueRecord, StoredValueRow
from terminal.returns import _split_refund
from terminal.rules_store import RuleCache
from terminal.sale_writer import new_sale_row, receipt_options
from terminal.shifts import require_open_shift
from terminal.store.database import Database
from terminal.store.models import Member, Payment, Sale, StoredValueEntry
from terminal.tenders import METHODS, Tender, check_tenders

MAX_TOPUP = 5_000_000
"""The largest top-up (50,000 yuan): anything bigger is a typing mistake."""

TOPUP_METHODS = METHODS  # money only: stored value never tops up stored value


@dataclass(frozen=True)
class TopUpResult:
    sale_id: str
    receipt_no: str
    principal: int
    bonus: int
    bonus_rule: str
    change: int
    balance: stored_value.Balance


def offer(
    db: Database, settings: CheckoutSettings, member_no: str, amount: int, *, at: datetime
) -> TopUpOffer:
    """The bonus a top-up of ``amount`` would earn this member now (for the screen)."""
    _check_amount(amount)
    with db.sessions() as session:
        member = members.find_member(session, member_no)
        info = members.member_info(session, member, settings.business_day(at))
        rules = RuleCache().promotions(session)
    return topup_bonus(amount, rules, info, at.astimezone(settings.tz))


def _check_amount(amount: int) -> None:
    if not isinstance(amount, int) or isinstance(amount, bool) or not 100 <= amount <= MAX_TOPUP:
        raise InvalidInput("topup_range", max=MAX_TOPUP // 100)


def _rows(entries: Sequence[StoredValueEntry]) -> list[StoredValueRow]:
    return [
        StoredValueRow(id=e.id, kind=e.kind, bucket=e.bucket, amount=e.amount)  # type: ignore[arg-type]
        for e in entries
    ]


def _record(
    sale: Sale,
    member: Member,
    kind: str,
    principal: int,
    bonus: int,
    rule_id: str | None,
    entries: Sequence[StoredValueEntry],
) -> StoredValueRecord:
    return StoredValueRecord(
        id=sale.id,
        kind=kind,  # type: ignore[arg-type]  # topup | topup_refund
        receipt_no=sale.receipt_no,
        original_id=sale.original_sale_id,
        terminal_id=sale.terminal_id,
        shift_id=sale.shift_id,
        cashier_id=sale.cashier_id,
        approved_by=sale.approved_by,
        member_id=member.id,
        member_no=member.member_no,
        created_at=sale.created_at,
        tz=sale.tz,
        business_day=sale.business_day,
        principal=principal,
        bonus=bonus,
        bonus_rule_id=rule_id,
        payments=[
            PaymentRecord(id=p.id, method=p.method, amount=p.amount, reference=p.reference)  # type: ignore[arg-type]
            for p in sale.payments
        ],
        entries=_rows(entries),
    )


def _finish(
    session: Session,
    settings: CheckoutSettings,
    sale: Sale,
    record: StoredValueRecord,
    vault: MemberVault | None,
    now: datetime,
    **details: Any,
) -> None:
    """Audit, outbox record and slip, in the caller's transaction (as a sale's)."""
    session.flush()
    audit.record(
        session,
        record.kind,
        user_id=sale.cashier_id,
        terminal_id=settings.terminal_id,
        approved_by=sale.approved_by,
        target=sale.receipt_no,
        **details,
    )
    outbox.enqueue(session, "stored_value", sale.id, record.payload())
    print_jobs.enqueue_sale(session, sale, now=now, **receipt_options(settings, vault))


def top_up(
    db: Database,
    settings: CheckoutSettings,
    cashier: Actor,
    *,
    member_no: str,
    amount: int,
    tenders: Sequence[Tender],
    clock: Callable[[], datetime] | None = None,
    vault: MemberVault | None = None,
    rules: RuleCache | None = None,
) -> TopUpResult:
    """Take ``amount`` fen for the member's stored value, paid by ``tenders``; add the bonus."""
    _check_amount(amount)
    if any(t.method not in TOPUP_METHODS for t in tenders):
        raise InvalidInput("unknown_tender", method="stored_value")
    authorize(cashier, Permission.SELL)
    now = (clock or (lambda: datetime.now(UTC)))()
    with db.transaction() as session:
        shift = require_open_shift(session, settings.terminal_id)
        member = members.find_member(session, member_no)
        change = check_tenders(amount, tenders)
        info = members.member_info(session, member, settings.business_day(now))
        promotions = (rules or RuleCache()).promotions(session)
        bonus = topup_bonus(amount, promotions, info, now.astimezone(settings.tz))
        label = f"储值充值 {format_yuan(amount)} 元"
        if bonus.bonus:
            label += f"，{bonus.label} 赠送 {format_yuan(bonus.bonus)} 元"
        sale = new_sale_row(
            session,
            settings,
            kind="topup",
            shift_id=shift.id,
            cashier_id=cashier.user_id,
            now=now,
            member_id=member.id,
            tier_code=member.tier_code,
            subtotal=amount,
            discount_total=0,
            payable=amount,
            change_given=change,
            explanation=[label],
        )
        left = change
        for t in tenders:
            kept = t.amount
            if t.method == "cash":
                back = min(left, t.amount)
                kept, left = t.amount - back, left - back
            sale.payments.append(
                Payment(
                    method=t.method,
                    amount=kept,
                    tendered=t.amount,
                    reference=t.reference,
                    business_day=sale.business_day,
                    sale_kind=sale.kind,
                )
            )
        session.flush()
        entries = stored_value.top_up(
            session, member.id, amount, bonus.bonus, sale_id=sale.id, reason=label, now=now
        )
        rule_id = bonus.rule.id if bonus.rule is not None else None
        record = _record(sale, member, "topup", amount, bonus.bonus, rule_id, entries)
        _finish(session, settings, sale, record, vault, now, amount=amount, bonus=bonus.bonus)
        result = TopUpResult(
            sale.id,
            sale.receipt_no,
            amount,
            bonus.bonus,
            bonus.label,
            change,
            stored_value.balance(session, member.id),
        )
    events.emit("sale_committed", sale_id=result.sale_id, receipt_no=result.receipt_no)
    events.emit("print_queue_changed")
    events.emit("outbox_changed")
    return result


@dataclass(frozen=True)
class TopUpRefund:
    refund_id: str
    receipt_no: str
    principal: int
    bonus_taken_back: int
    refunds: dict[str, int]
    balance: stored_value.Balance


def refundable(db: Database, receipt_no: str) -> tuple[int, int]:
    """(principal, bonus) a refund of this top-up would give back / take back now."""
    with db.sessions() as session:
        return stored_value.topup_refund_split(session, _load_topup(session, receipt_no))


def _load_topup(session: Session, receipt_no: str) -> Sale:
    sale = session.scalar(
        select(Sale)
        .where(Sale.receipt_no == receipt_no.strip())
        .options(selectinload(Sale.payments))
    )
    if sale is None:
        raise unknown_receipt(receipt_no)
    if sale.kind != "topup":
        raise StateError("not_a_topup", receipt_no=sale.receipt_no)
    return sale


def refund_topup(
    db: Database,
    settings: CheckoutSettings,
    actor: Actor,
    *,
    receipt_no: str,
    reason: str,
    amount: int | None = None,
    approver: Actor | None = None,
    clock: Callable[[], datetime] | None = None,
    vault: MemberVault | None = None,
) -> TopUpRefund:
    """Refund a top-up's unspent principal (all of it, or ``amount``) with a manager's approval.

    The money goes back over the top-up's own tenders (cash first for the
    odd fen); the bonus is taken back in proportion to the principal refunded.
    """
    if not (reason or "").strip():
        raise InvalidInput("reason_required")
    reason = reason.strip()[:200]
    now = (clock or (lambda: datetime.now(UTC)))()
    with db.transaction() as session:
        shift = require_open_shift(session, settings.terminal_id)
        topup = _load_topup(session, receipt_no)
        principal_left, _ = stored_value.topup_refund_split(session, topup)
        if principal_left <= 0:
            held = stored_value.balance(session, topup.member_id or "")
            raise StateError("topup_nothing_to_refund", left=format_yuan(held.principal))
        principal = principal_left if amount is None else amount
        if not isinstance(principal, int) or principal <= 0:
            raise InvalidInput("sv_bad_amount")
        if principal > principal_left:
            raise StateError("topup_refund_too_much", max=format_yuan(principal_left))
        who = authorize_role(actor, Permission.REFUND, "manager", approver)
        member = session.get(Member, topup.member_id)
        assert member is not None
        ret = new_sale_row(
            session,
            settings,
            kind="topup_refund",
            shift_id=shift.id,
            cashier_id=actor.user_id,
            now=now,
            original_sale_id=topup.id,
            approved_by=who.user_id if who is not actor else None,
            member_id=member.id,
            tier_code=member.tier_code,
            subtotal=-principal,
            discount_total=0,
            payable=-principal,
            reason=reason,
        )
        session.flush()
        _, bonus = stored_value.topup_refund_split(session, topup, principal)
        paid = {p.method: 0 for p in topup.payments}
        for p in topup.payments:
            paid[p.method] += p.amount
        refunded: dict[str, int] = {}
        for p in session.scalars(
            select(Payment).join(Sale).where(Sale.original_sale_id == topup.id, Sale.id != ret.id)
        ):
            refunded[p.method] = refunded.get(p.method, 0) - p.amount
        refunds = _split_refund(principal, paid, refunded)
        for method, part in refunds.items():
            ref = next((p.reference for p in topup.payments if p.method == method), "")
            ret.payments.append(
                Payment(
                    method=method,
                    amount=-part,
                    tendered=-part,
                    reference=ref,
                    business_day=ret.business_day,
                    sale_kind=ret.kind,
                )
            )
        entries = stored_value.refund_topup(
            session, topup, principal, bonus, refund_id=ret.id, now=now
        )
        ret.explanation = [
            f"储值退款 原充值单 {topup.receipt_no}，退本金 {format_yuan(principal)} 元"
            + (f"，扣回赠送 {format_yuan(bonus)} 元" if bonus else "")
            + f"，原因：{reason}"
        ]
        record = _record(ret, member, "topup_refund", -principal, -bonus, None, entries)
        _finish(
            session,
            settings,
            ret,
            record,
            vault,
            now,
            original=topup.receipt_no,
            principal=principal,
            bonus=bonus,
            reason=reason,
        )
        result = TopUpRefund(
            ret.id,
            ret.receipt_no,
            principal,
            bonus,
            refunds,
            stored_value.balance(session, member.id),
        )
    events.emit("return_committed", sale_id=result.refund_id, receipt_no=result.receipt_no)
    events.emit("print_queue_changed")
    events.emit("outbox_changed")
    return result
