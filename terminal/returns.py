"""Returns by receipt number: whole or partial, at what each line really cost.

A return is a :class:`Sale` of kind ``return`` with negative amounts, so the
books add up by plain sums. Each returned line refunds its share of the
line's ``paid`` amount. Shares are taken *cumulatively* (what k of n units are
worth is ``share(returned_before + k) - share(returned_before)``), so returning
a line in several goes refunds exactly what it cost, never a fen more.

Points: the points the returned lines earned are taken back and the points
they were paid with (points-as-money and rewards, 积分兑换) are given back, both
proportionally. Restoring comes first, so a member who has not spent anything
ends exactly where they were. If the member already spent the earned points,
the till never drives the balance negative: the missing points are charged
against the refund at the redemption rate, and the return slip says so.

What a sale paid by stored value goes back to the balance (principal and
bonus as the sale took them, :mod:`terminal.stored_value`). A coupon bought
with points comes back with its points when the whole sale is returned, or
when the return names it, if unused. Coupons the sale issued (满额返券) that it
no longer earns are cancelled, or charged against the refund when already
used (:mod:`terminal.issued_coupons`). Uses of limited promotions are given
back (:mod:`terminal.promotion_use`). Each returned line takes back its share
of the line's VAT, like its share of ``paid``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from terminal import events, issued_coupons, ledger, promotion_use, stored_value
from terminal.auth import Actor, Permission, authorize
from terminal.checkout_settings import CheckoutSettings
from terminal.classifier import unknown_receipt
from terminal.errors import InvalidInput, NotFound, StateError
from terminal.money import format_yuan, mul_div_half_up
from terminal.pii import MemberVault
from terminal.pricing.tax import summarise
from terminal.records import CouponUseRecord, PointsRecord, StoredValueRow, TaxRecord
from terminal.sale_writer import SaleExtras, finish, new_sale_row
from terminal.shifts import require_open_shift
from terminal.store.database import Database
from terminal.store.models import (
    Coupon,
    CouponRedemption,
    Member,
    Payment,
    PointsEntry,
    Sale,
    SaleLine,
)
from terminal.tenders import ALL_METHODS as REFUND_ORDER


@dataclass(frozen=True)
class ReturnableLine:
    line_id: str
    line_no: int
    sku: str
    name: str
    qty: int
    returned: int
    paid: int

    @property
    def remaining(self) -> int:
        return self.qty - self.returned


@dataclass(frozen=True)
class ReturnResult:
    return_id: str
    receipt_no: str
    original_receipt_no: str
    refund: int
    refunds: dict[str, int]
    points_reversed: int
    points_restored: int
    points_shortfall: int
    shortfall_charged: int
    coupons_restored: tuple[str, ...]
    coupons_cancelled: tuple[str, ...] = ()
    coupon_deduction: int = 0
    stored_value_back: int = 0


def _share(total: int, part: int, whole: int) -> int:
    return mul_div_half_up(total, part, whole)


def _cumulative(total: int, before: int, now: int, whole: int) -> int:
    return _share(total, before + now, whole) - _share(total, before, whole)


def _returned_qty(session: Session, line_ids: list[str]) -> dict[str, int]:
    rows = session.execute(
        select(SaleLine.returned_line_id, func.sum(-SaleLine.qty))
        .where(SaleLine.returned_line_id.in_(line_ids))
        .group_by(SaleLine.returned_line_id)
    ).all()
    return {str(line_id): int(n) for line_id, n in rows}


def _load_sale(session: Session, receipt_no: str) -> Sale:
    sale = session.scalar(
        select(Sale)
        .where(Sale.receipt_no == receipt_no.strip(), Sale.kind == "sale")
        .options(selectinload(Sale.lines), selectinload(Sale.payments))
    )
    if sale is None:
        raise unknown_receipt(receipt_no)
    return sale


def returnable_lines(db: Database, receipt_no: str) -> list[ReturnableLine]:
    """What can still be returned from a receipt (for the return screen)."""
    with db.sessions() as session:
        sale = _load_sale(session, receipt_no)
        done = _returned_qty(session, [line.id for line in sale.lines])
        return [
            ReturnableLine(
                line.id,
                line.line_no,
                line.sku,
                line.name,
                line.qty,
                done.get(line.id, 0),
                line.paid,
            )
            for line in sale.lines
        ]


def _split_refund(
    amount: int, paid: Mapping[str, int], refunded: Mapping[str, int]
) -> dict[str, int]:
    """Split a refund over the original tender methods, never above what each paid.

    Each method first gets its proportional share (rounded down) within what it
    has left; the fen left over go to methods with room, cash first.
    """
    total_paid = sum(paid.values())
    room = {m: paid[m] - refunded.get(m, 0) for m in paid}
    if amount > sum(room.values()):
        raise StateError("refund_exceeds_paid")
    split = {m: min(room[m], amount * paid[m] // total_paid) if total_paid else 0 for m in paid}
    left = amount - sum(split.values())
    for m in sorted(paid, key=lambda m: REFUND_ORDER.index(m)):
        give = min(left, room[m] - split[m])
        split[m] += give
        left -= give
    return {m: v for m, v in split.items() if v}


def process_return(
    db: Database,
    settings: CheckoutSettings,
    actor: Actor,
    *,
    receipt_no: str,
    reason: str,
    quantities: Mapping[int, int] | None = None,
    approver: Actor | None = None,
    clock: Callable[[], datetime] | None = None,
    vault: MemberVault | None = None,
    reward_coupons: Sequence[str] = (),
) -> ReturnResult:
    """Return ``quantities`` (line number -> units, grams for a weighed line) of a sale, or
    all that is left; ``reward_coupons`` names coupons bought with points to give back.

    Needs a reason and the REFUND permission (a supervisor, or a supervisor's
    override). The request is validated (receipt, lines, quantities, reason)
    before the permission is checked, so nobody approves a return that is then
    refused. Everything is written in one transaction.
    """
    if not (reason or "").strip():
        raise InvalidInput("reason_required")
    reason = reason.strip()[:200]
    now = (clock or (lambda: datetime.now(UTC)))()
    today = settings.business_day(now)
    with db.transaction() as session:
        shift = require_open_shift(session, settings.terminal_id)
        sale = _load_sale(session, receipt_no)
        done = _returned_qty(session, [line.id for line in sale.lines])
        by_no = {line.line_no: line for line in sale.lines}
        wanted = (
            dict(quantities)
            if quantities is not None
            else {line.line_no: line.qty - done.get(line.id, 0) for line in sale.lines}
        )
        for no, qty in wanted.items():
            if not isinstance(qty, int) or isinstance(qty, bool) or qty < 0:
                raise InvalidInput("bad_return_qty", line=no)
        wanted = {no: q for no, q in wanted.items() if q}
        whole_left = quantities is None
        bought = {
            code
            for group in (sale.extras or {}).get("issued", [])
            if group["source"] == "reward"
            for code in group["codes"]
        }
        unused_rewards = {
            code for code in bought if (c := session.get(Coupon, code)) and c.status == "issued"
        }
        for code in reward_coupons:
            if code not in bought:
                raise StateError("reward_coupon_not_on_receipt", code=code[:40])
            if code not in unused_rewards:
                raise StateError("reward_coupon_used", code=code)
        if not wanted and not reward_coupons and not whole_left:
            raise InvalidInput("return_nothing_chosen")  # every quantity asked for is 0
        if not wanted and not reward_coupons and not unused_rewards:
            raise StateError("already_returned")
        for no, qty in wanted.items():
            line = by_no.get(no)
            if line is None:
                raise NotFound("no_receipt_line", line=no)
            left = line.qty - done.get(line.id, 0)
            if qty > left:
                raise StateError("return_too_many", line=no, name=line.name, left=left)
        who = authorize(actor, Permission.REFUND, approver)

        ret = new_sale_row(
            session,
            settings,
            kind="return",
            shift_id=shift.id,
            cashier_id=actor.user_id,
            now=now,
            original_sale_id=sale.id,
            approved_by=who.user_id if who is not actor else None,
            member_id=sale.member_id,
            tier_code=sale.tier_code,
            subtotal=0,
            discount_total=0,
            payable=0,
            reason=reason,
        )
        session.flush()
        earned = redeemed = points_value = 0
        for line_no, no in enumerate(sorted(wanted), start=1):
            line, qty = by_no[no], wanted[no]
            before = done.get(line.id, 0)

            def cut(total: int, line: SaleLine = line, before: int = before, qty: int = qty) -> int:
                return _cumulative(total, before, qty, line.qty)

            rl = SaleLine(
                sale_id=ret.id,
                line_no=line_no,
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                qty=-qty,
                unit_price=line.unit_price,
                gross=-cut(line.gross),
                discount=-cut(line.discount),
                points_value=-cut(line.points_value),
                points_redeemed=-cut(line.points_redeemed),
                net=-cut(line.net),
                paid=-cut(line.paid),
                points_earned=-cut(line.points_earned),
                is_gift=line.is_gift,
                returned_line_id=line.id,
                sold_by=line.sold_by,
                vat=line.vat,
                tax=-cut(line.tax),
                reward_id=line.reward_id,
                business_day=ret.business_day,
            )
            ret.lines.append(rl)
            earned += -rl.points_earned
            redeemed += -rl.points_redeemed
            points_value += -rl.points_value
        refund = -sum(rl.paid for rl in ret.lines)

        all_done = all(
            done.get(line.id, 0) + wanted.get(line.line_no, 0) == line.qty for line in sale.lines
        )
        paid_left = {
            line.line_no: line.paid
            - _share(line.paid, done.get(line.id, 0) + wanted.get(line.line_no, 0), line.qty)
            for line in sale.lines
        }
        taken = issued_coupons.take_back(
            session,
            sale,
            ret,
            paid_left=paid_left,
            whole=all_done,
            reward_codes=reward_coupons,
            policy=settings.used_coupon_on_return,
            refund=refund,
        )
        refund -= taken.deducted
        if taken.deducted:  # the refund slip prints it on its own row
            ret.extras = {**(ret.extras or {}), "coupon_deduction": taken.deducted}

        points_rows: list[PointsRecord] = []
        shortfall = charged = 0
        member = session.get(Member, sale.member_id) if sale.member_id else None
        if member is not None:
            back = redeemed + taken.points_back
            for e in ledger.restore_redeemed(session, sale.id, member.id, back, sale_id=ret.id):
                points_rows.append(
                    PointsRecord(id=e.id, kind="restore", points=e.points, lot_id=e.lot_id)
                )
            available = ledger.balance(session, member.id, today)
            take = min(earned, available)
            shortfall = earned - take
            earned_lot = session.scalar(
                select(PointsEntry.id).where(
                    PointsEntry.sale_id == sale.id, PointsEntry.kind == "earn"
                )
            )
            for e in ledger.reverse(
                session,
                member.id,
                take,
                today,
                sale_id=ret.id,
                earned_lot=earned_lot,
                reason=f"return {sale.receipt_no}",
            ):
                points_rows.append(
                    PointsRecord(id=e.id, kind="reverse", points=e.points, lot_id=e.lot_id)
                )
            if shortfall:
                # points already spent: charge their value against the refund (rounded up)
                rate = settings.pricing.points_per_yuan
                charged = min(refund, -(-shortfall * 100 // rate))
                refund -= charged
        redeemed += taken.points_back

        paid = {p.method: 0 for p in sale.payments}
        for p in sale.payments:
            paid[p.method] += p.amount
        refunded: dict[str, int] = {}
        for p in session.scalars(
            select(Payment).join(Sale).where(Sale.original_sale_id == sale.id, Sale.id != ret.id)
        ):
            refunded[p.method] = refunded.get(p.method, 0) - p.amount
        refunds = _split_refund(refund, paid, refunded) if refund else {}
        for method, amount in refunds.items():
            ref = next((p.reference for p in sale.payments if p.method == method), "")
            ret.payments.append(
                Payment(
                    method=method,
                    amount=-amount,
                    tendered=-amount,
                    reference=ref,
                    business_day=ret.business_day,
                    sale_kind=ret.kind,
                )
            )
        sv_rows: list[StoredValueRow] = []
        if refunds.get("stored_value") and sale.member_id is not None:
            for row in stored_value.return_to_balance(
                session, sale.member_id, sale, refunds["stored_value"], return_id=ret.id, now=now
            ):
                sv_rows.append(
                    StoredValueRow(
                        id=row.id,
                        kind="refund",
                        bucket=row.bucket,  # type: ignore[arg-type]  # checked by the schema
                        amount=row.amount,
                    )
                )

        ret.subtotal = sum(rl.gross for rl in ret.lines)
        ret.discount_total = sum(rl.discount for rl in ret.lines)
        ret.points_value = -points_value
        ret.points_redeemed = -redeemed
        ret.points_earned = -earned
        ret.payable = -refund
        ret.rounding = sum(rl.net for rl in ret.lines) - sum(rl.paid for rl in ret.lines)
        explanation = [f"退货 原小票 {sale.receipt_no}，原因：{reason}"]
        if shortfall:
            explanation.append(
                f"会员已使用本单所得积分 {shortfall} 分，退款扣减 {format_yuan(charged)} 元"
            )
        explanation.extend(taken.notes)
        if sv_rows:
            explanation.append(f"退回储值余额 {format_yuan(refunds['stored_value'])} 元")
        ret.explanation = explanation
        ret.reward_points = sum(rl.points_redeemed for rl in ret.lines if rl.reward_id) - (
            taken.points_back
        )
        uses = promotion_use.give_back(
            session,
            original_sale_id=sale.id,
            return_id=ret.id,
            member_id=sale.member_id,
            day=ret.business_day,
            returned={by_no[no].id: (done.get(by_no[no].id, 0), qty) for no, qty in wanted.items()},
            whole=all_done,
        )
        sale.status = "returned" if all_done else "partly_returned"
        restored: list[str] = []
        if all_done:
            for red in session.scalars(
                select(CouponRedemption).where(
                    CouponRedemption.sale_id == sale.id, CouponRedemption.kind == "redeem"
                )
            ).all():
                session.execute(
                    update(Coupon).where(Coupon.code == red.coupon_code).values(status="issued")
                )
                session.add(
                    CouponRedemption(
                        coupon_code=red.coupon_code,
                        sale_id=ret.id,
                        kind="restore",
                        amount=-red.amount,
                    )
                )
                restored.append(red.coupon_code)
        finish(
            session,
            settings,
            ret,
            coupons=[CouponUseRecord(code=c, restored=True) for c in restored],
            points=points_rows,
            member_no=member.member_no if member else None,
            vault=vault,
            now=now,
            audit_action="refund",
            extra=SaleExtras(
                reward_points=ret.reward_points,
                coupons_issued=taken.records,
                rule_uses=uses,
                stored_value=sv_rows,
                taxes=[
                    TaxRecord(vat=t.vat, amount=t.amount, tax=t.tax, net=t.net)  # type: ignore[arg-type]
                    for t in summarise([(rl.vat, rl.paid, rl.tax) for rl in ret.lines])
                ],
            ),
            original=sale.receipt_no,
            refund=refund,
            reason=reason,
        )
        result = ReturnResult(
            return_id=ret.id,
            receipt_no=ret.receipt_no,
            original_receipt_no=sale.receipt_no,
            refund=refund,
            refunds=refunds,
            points_reversed=earned - shortfall,
            points_restored=redeemed,
            points_shortfall=shortfall,
            shortfall_charged=charged,
            coupons_restored=tuple(restored),
            coupons_cancelled=tuple(r.code for r in taken.records),
            coupon_deduction=taken.deducted,
            stored_value_back=refunds.get("stored_value", 0),
        )
        original_id = sale.id
    events.emit(
        "return_committed",
        sale_id=result.return_id,
        receipt_no=result.receipt_no,
        original_sale_id=original_id,
    )
    events.emit("print_queue_changed")
    events.emit("outbox_changed")
    return result
