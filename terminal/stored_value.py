"""The stored-value (储值) ledger: every change of a member's balance is a row.

Same shape as the points ledger (:mod:`terminal.ledger`): rows, never a
mutable balance; a balance is derived. Two buckets are kept apart:

* ``principal``: money the member paid in at a top-up. Only unspent principal
  is ever refunded (and only with a manager, :mod:`terminal.topups`).
* ``bonus``: top-up bonuses (充500送50). Never paid out in money.

Spending takes from both buckets **in proportion to what is in each** at that
moment (largest remainder, principal first on a tie), so a member who spent
part of a top-up keeps principal and bonus in the ratio they had; a return
gives back to each bucket exactly the share the sale took from it, taken
cumulatively so a return in several goes ends where the sale began.

Offline, a member may spend only up to the balance HQ has confirmed (rows HQ
sent, and this till's rows whose outbox record HQ acknowledged) minus this
till's spending HQ has not seen yet: credits made here but not yet synced
(a top-up, a refund to the balance) are not spendable until they are.

A member's own payment PIN (支付密码) is kept here too, as an argon2id hash,
with the same lockout as users' PINs. Nothing here commits except
:func:`check_pay_pin`, which must keep a failed attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from terminal import auth
from terminal.errors import InvalidInput, NotFound, PermissionDenied, StateError
from terminal.money import allocate, format_yuan, mul_div_half_up
from terminal.store.database import Database
from terminal.store.models import MemberPayPin, OutboxRow, Sale, StoredValueEntry

BUCKETS = ("principal", "bonus")
PIN_ATTEMPTS = 5
PIN_LOCK = timedelta(minutes=15)


@dataclass(frozen=True)
class Balance:
    principal: int
    bonus: int

    @property
    def total(self) -> int:
        return self.principal + self.bonus


def _sums(session: Session, *where: object) -> Balance:
    rows = session.execute(
        select(StoredValueEntry.bucket, func.coalesce(func.sum(StoredValueEntry.amount), 0))
        .where(*where)  # type: ignore[arg-type]
        .group_by(StoredValueEntry.bucket)
    ).all()
    got = {bucket: int(total) for bucket, total in rows}
    return Balance(got.get("principal", 0), got.get("bonus", 0))


def balance(session: Session, member_id: str) -> Balance:
    """The member's balance in each bucket: the sum of every row."""
    return _sums(session, StoredValueEntry.member_id == member_id)


def _synced() -> object:
    """Rows HQ knows: sent by HQ, or carried by an outbox record HQ acknowledged."""
    acknowledged = exists().where(
        OutboxRow.record_id == StoredValueEntry.record_id, OutboxRow.sent_at.is_not(None)
    )
    return or_(StoredValueEntry.origin == "hq", acknowledged)


def offline_allowance(session: Session, member_id: str) -> int:
    """What the member may spend while HQ cannot be reached.

    The balance HQ confirmed at the last sync, minus this till's spending HQ
    has not seen yet (never below zero).
    """
    synced = _synced()
    total = session.scalar(
        select(
            func.coalesce(
                func.sum(
                    case(
                        (synced, StoredValueEntry.amount),  # type: ignore[arg-type]
                        (StoredValueEntry.amount < 0, StoredValueEntry.amount),
                        else_=0,
                    )
                ),
                0,
            )
        ).where(StoredValueEntry.member_id == member_id)
    )
    return max(0, int(total or 0))


def spendable(session: Session, member_id: str, *, online: bool) -> int:
    """What the member may pay by balance now: the balance, or offline the allowance."""
    whole = balance(session, member_id).total
    return whole if online else min(whole, offline_allowance(session, member_id))


def _row(
    member_id: str,
    kind: str,
    bucket: str,
    amount: int,
    *,
    sale_id: str | None,
    record_id: str | None,
    reason: str,
    now: datetime,
) -> StoredValueEntry:
    return StoredValueEntry(
        member_id=member_id,
        kind=kind,
        bucket=bucket,
        amount=amount,
        sale_id=sale_id,
        record_id=record_id,
        origin="till",
        reason=reason,
        created_at=now,
    )


def _write(session: Session, rows: list[StoredValueEntry]) -> list[StoredValueEntry]:
    rows = [r for r in rows if r.amount]
    session.add_all(rows)
    session.flush()
    return rows


def top_up(
    session: Session,
    member_id: str,
    principal: int,
    bonus: int,
    *,
    sale_id: str,
    reason: str,
    now: datetime,
) -> list[StoredValueEntry]:
    """Credit a top-up: ``principal`` paid in, ``bonus`` given with it."""
    if principal <= 0 or bonus < 0:
        raise InvalidInput("sv_bad_amount")
    common = {"sale_id": sale_id, "record_id": sale_id, "reason": reason, "now": now}
    return _write(
        session,
        [
            _row(member_id, "topup", "principal", principal, **common),  # type: ignore[arg-type]
            _row(member_id, "bonus", "bonus", bonus, **common),  # type: ignore[arg-type]
        ],
    )


def spend(
    session: Session,
    member_id: str,
    amount: int,
    *,
    sale_id: str,
    reason: str,
    now: datetime,
    limit: int | None = None,
) -> list[StoredValueEntry]:
    """Pay ``amount`` from the balance, principal and bonus in proportion to what each holds.

    Refuses (``sv_insufficient``) rather than go below zero, or above
    ``limit`` (the offline allowance) when one is given.
    """
    if amount <= 0:
        return []
    held = balance(session, member_id)
    available = held.total if limit is None else min(held.total, limit)
    if amount > available:
        raise StateError("sv_insufficient", available=format_yuan(available))
    principal, bonus = allocate(amount, [held.principal, held.bonus])
    common = {"sale_id": sale_id, "record_id": sale_id, "reason": reason, "now": now}
    return _write(
        session,
        [
            _row(member_id, "spend", "principal", -principal, **common),  # type: ignore[arg-type]
            _row(member_id, "spend", "bonus", -bonus, **common),  # type: ignore[arg-type]
        ],
    )


def return_to_balance(
    session: Session,
    member_id: str,
    original: Sale,
    amount: int,
    *,
    return_id: str,
    now: datetime,
) -> list[StoredValueEntry]:
    """Give back ``amount`` of what ``original`` paid by balance, to the buckets it came from.

    Each bucket gets its cumulative share: after returns of ``R`` in total,
    principal has had ``round(p × R / S)`` back (``p`` of ``S`` spent came
    from principal), bonus the rest, so a full return restores both exactly.
    """
    if amount <= 0:
        return []
    spent = _sums(
        session, StoredValueEntry.sale_id == original.id, StoredValueEntry.kind == "spend"
    )
    p, total = -spent.principal, -spent.total
    back = _sums(
        session,
        StoredValueEntry.kind == "refund",
        StoredValueEntry.sale_id.in_(
            select(Sale.id).where(Sale.original_sale_id == original.id, Sale.id != return_id)
        ),
    ).total
    if back + amount > total:
        raise StateError("refund_exceeds_paid")
    principal = mul_div_half_up(p, back + amount, total) - mul_div_half_up(p, back, total)
    common = {
        "sale_id": return_id,
        "record_id": return_id,
        "reason": f"return {original.receipt_no}",
        "now": now,
    }
    return _write(
        session,
        [
            _row(member_id, "refund", "principal", principal, **common),  # type: ignore[arg-type]
            _row(member_id, "refund", "bonus", amount - principal, **common),  # type: ignore[arg-type]
        ],
    )


def topup_refund_split(
    session: Session, topup: Sale, principal: int | None = None
) -> tuple[int, int]:
    """(principal, bonus) a refund of this top-up gives back / takes back now.

    Principal: ``principal`` (default: all that can be), never more than what
    the top-up paid in less earlier refunds of it, nor more than the member's
    unspent principal. Bonus: the top-up's bonus in proportion to the principal
    refunded (cumulative over its refunds, half-up), never more than is left.
    """
    assert topup.member_id is not None
    paid = _sums(session, StoredValueEntry.sale_id == topup.id)
    undone = _sums(
        session,
        StoredValueEntry.sale_id.in_(
            select(Sale.id).where(Sale.original_sale_id == topup.id, Sale.kind == "topup_refund")
        ),
    )
    held = balance(session, topup.member_id)
    left = max(0, min(paid.principal + undone.principal, held.principal))
    give = left if principal is None else max(0, min(principal, left))
    if give <= 0 or paid.principal <= 0:
        return 0, 0
    due = mul_div_half_up(paid.bonus, -undone.principal + give, paid.principal) + undone.bonus
    return give, max(0, min(due, held.bonus))


def refund_topup(
    session: Session,
    topup: Sale,
    principal: int,
    bonus: int,
    *,
    refund_id: str,
    now: datetime,
) -> list[StoredValueEntry]:
    """Take a refunded top-up's principal (and its share of bonus) out of the balance."""
    assert topup.member_id is not None
    common = {
        "sale_id": refund_id,
        "record_id": refund_id,
        "reason": f"topup refund {topup.receipt_no}",
        "now": now,
    }
    member = topup.member_id
    return _write(
        session,
        [
            _row(member, "topup_refund", "principal", -principal, **common),  # type: ignore[arg-type]
            _row(member, "bonus_void", "bonus", -bonus, **common),  # type: ignore[arg-type]
        ],
    )


def unsynced_rows(session: Session, member_id: str) -> int:
    """How many of the member's rows written here HQ has not acknowledged yet."""
    sent = exists().where(
        and_(OutboxRow.record_id == StoredValueEntry.record_id, OutboxRow.sent_at.is_not(None))
    )
    return int(
        session.scalar(
            select(func.count())
            .select_from(StoredValueEntry)
            .where(
                StoredValueEntry.member_id == member_id,
                StoredValueEntry.origin == "till",
                ~sent,
            )
        )
        or 0
    )


# --- the member's payment PIN -------------------------------------------------------------


def has_pay_pin(session: Session, member_id: str) -> bool:
    return session.get(MemberPayPin, member_id) is not None


def set_pay_pin(session: Session, member_id: str, pin: str, now: datetime) -> None:
    """Set (or replace) the member's payment PIN: 6 digits, stored only as a hash.

    The caller makes sure the member is present and proved it (a member-app
    code verified at the till); the till never shows or logs the PIN.
    """
    if not (isinstance(pin, str) and pin.isascii() and pin.isdigit() and len(pin) == 6):
        raise InvalidInput("pay_pin_format")
    row = session.get(MemberPayPin, member_id)
    if row is None:
        row = MemberPayPin(member_id=member_id, pin_hash="", failed_attempts=0)
        session.add(row)
    row.pin_hash = auth.HASHER.hash(pin)
    row.failed_attempts = 0
    row.locked_until = None
    row.updated_at = now
    session.flush()


def check_pay_pin(db: Database, member_id: str, pin: str, now: datetime) -> None:
    """Verify the member's payment PIN in its own transaction.

    A wrong PIN is counted (and the count committed) before the refusal says
    how many tries are left; after :data:`PIN_ATTEMPTS` wrong tries the PIN is
    locked for :data:`PIN_LOCK`.
    """
    refusal: Exception | None = None
    with db.transaction() as session:
        row = session.get(MemberPayPin, member_id)
        if row is None:
            raise NotFound("pay_pin_not_set")
        if row.locked_until is not None and now < row.locked_until:
            minutes = max(1, -(-int((row.locked_until - now).total_seconds()) // 60))
            raise StateError("pay_pin_locked", minutes=minutes)
        if auth.verify_pin(row.pin_hash, pin if isinstance(pin, str) else ""):
            row.failed_attempts = 0
            row.locked_until = None
            return
        row.failed_attempts += 1
        left = PIN_ATTEMPTS - row.failed_attempts
        if left <= 0:
            row.failed_attempts = 0
            row.locked_until = now + PIN_LOCK
            refusal = StateError("pay_pin_locked", minutes=int(PIN_LOCK.total_seconds() // 60))
        else:
            refusal = PermissionDenied("pay_pin_wrong", left=left)
    raise refusal
