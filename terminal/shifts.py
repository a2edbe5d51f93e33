"""Shifts and the cash drawer.

A shift is the span between opening a till with a counted float and closing it
with a counted drawer. Every sale and return belongs to the shift that was open
on its terminal (checkout calls :func:`require_open_shift`), so the drawer can
be reconciled: what should be in it (:func:`expected_cash`) against what was
counted, and the difference (variance = counted − expected) is recorded.

Cash contract with checkout and returns: a sale's cash ``Payment.amount`` is
the cash kept (tendered minus change); a return is a ``Sale`` of kind
``return`` whose ``Payment`` rows carry negative amounts. So the cash a shift
took is simply the sum of its cash payments.

All functions work in the caller's session and transaction; they flush but
never commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from terminal import audit
from terminal.auth import Actor, Permission, authorize, authorize_role
from terminal.errors import InvalidInput, NotFound, StateError
from terminal.money import MAX_AMOUNT, format_yuan
from terminal.store.direct import fetch
from terminal.store.models import CashMovement, Payment, Sale, Shift, Terminal, User
from terminal.tenders import METHODS as TENDER_METHODS

DENOMINATIONS: tuple[int, ...] = (10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 2, 1)
"""Notes and coins of the renminbi in fen, largest first: ¥100 … 1分.

Change is given to the fen (a store that wants no fen coins rounds the payable,
``[pricing] rounding``), and the shift expects cash to the fen, so the count
takes fen coins too: an exact count of the drawer never shows a variance."""


def denomination_label(fen: int) -> str:
    """How a note or coin is called at the till and on the Z slip: 100元, 5角, 2分."""
    if fen % 100 == 0:
        return f"{fen // 100}元"
    return f"{fen // 10}角" if fen % 10 == 0 else f"{fen}分"


@dataclass(frozen=True)
class ShiftSummary:
    """Everything an X report (open shift) or Z report (closed shift) prints.

    Amounts are fen. ``gross_sales`` is the list-price subtotal of sales before
    discounts, ``discounts_total`` their discounts, ``net_sales`` what the
    customers owed (``Sale.payable``). ``returns_total`` is the money given
    back on returns, as a positive number. ``tenders`` is per method, net of
    refunds (cash = cash kept). ``counted_cash``/``variance`` are None while
    the shift is open; ``counts`` maps denomination (fen) -> pieces.
    ``topups`` is the stored value topped up less top-up refunds and
    ``topups_count`` the number of top-ups: money in the tenders and the
    drawer that is held for members, not sales.
    """

    shift_id: str
    terminal_id: str
    status: str
    opened_by: str
    opened_by_name: str
    opened_at: datetime
    closed_by: str | None
    closed_by_name: str | None
    closed_at: datetime | None
    opening_float: int
    sales_count: int
    returns_count: int
    gross_sales: int
    discounts_total: int
    net_sales: int
    returns_total: int
    tenders: dict[str, int]
    cash_in: int
    cash_out: int
    expected_cash: int
    counted_cash: int | None
    variance: int | None
    counts: dict[int, int]
    topups: int = 0
    topups_count: int = 0


# --- finding the shift --------------------------------------------------------------------


def current_shift(session: Session, terminal_id: str) -> Shift | None:
    """The open shift of a terminal, or None."""
    return session.scalars(
        select(Shift).where(Shift.terminal_id == terminal_id, Shift.status == "open")
    ).one_or_none()


def open_shift_id(session: Session, terminal_id: str) -> str:
    """The id of the terminal's open shift (a sale checks it in its own transaction)."""
    found = fetch(
        session, "SELECT id FROM shift WHERE terminal_id = ? AND status = 'open'", (terminal_id,)
    )
    if not found:
        raise StateError("no_shift")
    return str(found[0][0])


def require_open_shift(session: Session, terminal_id: str) -> Shift:
    """The open shift of a terminal; no sale, return or cash movement without one."""
    shift = current_shift(session, terminal_id)
    if shift is None:
        raise StateError("no_shift")
    return shift


# --- validation helpers -------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive_amount(amount: int) -> int:
    if not _is_int(amount) or amount <= 0:
        raise InvalidInput("bad_amount")
    _not_too_large(amount)
    return amount


def _not_too_large(amount: int) -> None:
    if amount > MAX_AMOUNT:
        raise InvalidInput("amount_too_large", max=format_yuan(MAX_AMOUNT))


def _reason(reason: str) -> str:
    text = (reason or "").strip() if isinstance(reason, str) else ""
    if not text:
        raise InvalidInput("reason_required")
    if len(text) > 200:
        raise InvalidInput("reason_too_long", max=200)
    return text


# --- opening ------------------------------------------------------------------------------


def open_shift(
    session: Session,
    *,
    terminal_id: str,
    actor: Actor,
    opening_float: int,
    now: datetime,
    approver: Actor | None = None,
) -> Shift:
    """Open a shift on a terminal with a counted opening float (fen, may be 0)."""
    if not _is_int(opening_float) or opening_float < 0:
        raise InvalidInput("bad_float")
    _not_too_large(opening_float)
    if session.get(Terminal, terminal_id) is None:
        raise NotFound("terminal_not_registered")
    if current_shift(session, terminal_id) is not None:
        raise StateError("shift_open")
    who = authorize(actor, Permission.SHIFT_OPEN, approver)
    shift = Shift(
        terminal_id=terminal_id,
        status="open",
        opened_by=actor.user_id,
        opened_at=now,
        opening_float=opening_float,
    )
    session.add(shift)
    try:
        # the partial unique index is the last word if two tills race
        session.flush()
    except IntegrityError as exc:
        raise StateError("shift_open") from exc
    session.add(
        CashMovement(
            shift_id=shift.id,
            kind="float",
            amount=opening_float,
            reason="opening float",
            user_id=actor.user_id,
            created_at=now,
        )
    )
    audit.record(
        session,
        "shift_opened",
        user_id=actor.user_id,
        terminal_id=terminal_id,
        target=shift.id,
        approved_by=who.user_id if who is not actor else None,
        opening_float=opening_float,
    )
    session.flush()
    return shift


# --- cash in and out ----------------------------------------------------------------------


def _cash_movement(
    session: Session,
    kind: str,
    *,
    terminal_id: str,
    actor: Actor,
    amount: int,
    reason: str,
    now: datetime,
    approver: Actor | None,
    min_role: str = "cashier",
) -> CashMovement:
    amount = _positive_amount(amount)
    text = _reason(reason)
    shift = require_open_shift(session, terminal_id)
    if kind == "out":
        in_drawer = expected_cash(session, shift)
        if amount > in_drawer:
            raise StateError("insufficient_cash", in_drawer=format_yuan(in_drawer))
    if min_role == "cashier":  # the role matrix as it stands
        who = authorize(actor, Permission.CASH_MOVEMENT, approver)
    else:  # the store's [security] cash_movement_role: a supervisor (or above) approves
        who = authorize_role(actor, Permission.CASH_MOVEMENT, min_role, approver)
    movement = CashMovement(
        shift_id=shift.id,
        kind=kind,
        amount=amount,
        reason=text,
        user_id=actor.user_id,
        created_at=now,
    )
    session.add(movement)
    session.flush()
    audit.record(
        session,
        "cash_in" if kind == "in" else "cash_out",
        user_id=actor.user_id,
        terminal_id=terminal_id,
        target=shift.id,
        approved_by=who.user_id if who is not actor else None,
        amount=amount,
        reason=text,
    )
    return movement


def cash_in(
    session: Session,
    *,
    terminal_id: str,
    actor: Actor,
    amount: int,
    reason: str,
    now: datetime,
    approver: Actor | None = None,
    min_role: str = "cashier",
) -> CashMovement:
    """Put cash into the drawer (e.g. more change); a reason is required.

    ``min_role`` is the store's ``[security] cash_movement_role``: below it, an
    approver of that role (or above) is needed (:class:`~terminal.auth.NeedsApproval`).
    """
    return _cash_movement(
        session,
        "in",
        terminal_id=terminal_id,
        actor=actor,
        amount=amount,
        reason=reason,
        now=now,
        approver=approver,
        min_role=min_role,
    )


def cash_out(
    session: Session,
    *,
    terminal_id: str,
    actor: Actor,
    amount: int,
    reason: str,
    now: datetime,
    approver: Actor | None = None,
    min_role: str = "cashier",
) -> CashMovement:
    """Take cash out of the drawer (e.g. a safe drop); never more than should be in it."""
    return _cash_movement(
        session,
        "out",
        terminal_id=terminal_id,
        actor=actor,
        amount=amount,
        reason=reason,
        now=now,
        approver=approver,
        min_role=min_role,
    )


# --- reckoning ----------------------------------------------------------------------------


def _movements(session: Session, shift_id: str) -> dict[str, int]:
    rows = session.execute(
        select(CashMovement.kind, func.coalesce(func.sum(CashMovement.amount), 0))
        .where(CashMovement.shift_id == shift_id)
        .group_by(CashMovement.kind)
    ).all()
    return {kind: int(total) for kind, total in rows}


def _tenders(session: Session, shift_id: str) -> dict[str, int]:
    rows = session.execute(
        select(Payment.method, func.coalesce(func.sum(Payment.amount), 0))
        .join(Sale, Payment.sale_id == Sale.id)
        .where(Sale.shift_id == shift_id)
        .group_by(Payment.method)
    ).all()
    totals = dict.fromkeys(TENDER_METHODS, 0)
    for method, total in rows:
        totals[method] = int(total)
    return totals


def expected_cash(session: Session, shift: Shift) -> int:
    """What the drawer should hold.

    The opening float, plus cash kept on sales, minus cash refunded, plus cash
    in, minus cash out.
    """
    session.flush()
    moves = _movements(session, shift.id)
    cash = _tenders(session, shift.id)["cash"]
    return shift.opening_float + cash + moves.get("in", 0) - moves.get("out", 0)


def user_name(session: Session, user_id: str | None) -> str | None:
    """The display name of a user, as screens and slips show who did something."""
    if user_id is None:
        return None
    user = session.get(User, user_id)
    return user.display_name if user is not None else None


def x_report(session: Session, terminal_id: str, actor: Actor) -> ShiftSummary:
    """The open shift's figures so far (X report); a manager's report (REPORTS)."""
    authorize(actor, Permission.REPORTS)
    return shift_summary(session, require_open_shift(session, terminal_id))


def shift_summary(session: Session, shift: Shift) -> ShiftSummary:
    """The figures of a shift, open (X report) or closed (Z report)."""
    session.flush()
    per_kind = {
        kind: (int(n), int(subtotal), int(discounts), int(payable))
        for kind, n, subtotal, discounts, payable in session.execute(
            select(
                Sale.kind,
                func.count(),
                func.coalesce(func.sum(Sale.subtotal), 0),
                func.coalesce(func.sum(Sale.discount_total), 0),
                func.coalesce(func.sum(Sale.payable), 0),
            )
            .where(Sale.shift_id == shift.id)
            .group_by(Sale.kind)
        ).all()
    }
    sales = per_kind.get("sale", (0, 0, 0, 0))
    returns = per_kind.get("return", (0, 0, 0, 0))
    moves = _movements(session, shift.id)
    tenders = _tenders(session, shift.id)
    expected = shift.opening_float + tenders["cash"] + moves.get("in", 0) - moves.get("out", 0)
    closed = shift.status == "closed"
    return ShiftSummary(
        shift_id=shift.id,
        terminal_id=shift.terminal_id,
        status=shift.status,
        opened_by=shift.opened_by,
        opened_by_name=user_name(session, shift.opened_by) or "",
        opened_at=shift.opened_at,
        closed_by=shift.closed_by,
        closed_by_name=user_name(session, shift.closed_by),
        closed_at=shift.closed_at,
        opening_float=shift.opening_float,
        sales_count=sales[0],
        returns_count=returns[0],
        gross_sales=sales[1],
        discounts_total=sales[2],
        net_sales=sales[3],
        returns_total=-returns[3],
        tenders=tenders,
        cash_in=moves.get("in", 0),
        cash_out=moves.get("out", 0),
        expected_cash=shift.expected_cash
        if closed and shift.expected_cash is not None
        else expected,
        counted_cash=shift.counted_cash if closed else None,
        variance=shift.variance if closed else None,
        counts={int(d): n for d, n in (shift.counts or {}).items()} if closed else {},
        topups=per_kind.get("topup", (0, 0, 0, 0))[3]
        + per_kind.get("topup_refund", (0, 0, 0, 0))[3],
        topups_count=per_kind.get("topup", (0, 0, 0, 0))[0],
    )


# --- closing ------------------------------------------------------------------------------


MAX_PIECES = 99_999  # of one denomination in a drawer count


def validate_counts(counts: Mapping[int, int]) -> dict[int, int]:
    """Check a drawer count (denomination in fen -> pieces) and fill in the missing zeros."""
    if not isinstance(counts, Mapping):
        raise InvalidInput("bad_counts")
    full = dict.fromkeys(DENOMINATIONS, 0)
    for denom, pieces in counts.items():
        if not _is_int(denom) or denom not in full:
            raise InvalidInput(
                "bad_denomination",
                denomination=repr(denom)[:20],
                valid=", ".join(str(d) for d in DENOMINATIONS),
            )
        if not _is_int(pieces) or not 0 <= pieces <= MAX_PIECES:
            raise InvalidInput(
                "bad_count", denomination=denomination_label(denom), pieces=repr(pieces)[:20]
            )
        full[denom] = pieces
    return full


def close_shift(
    session: Session,
    *,
    terminal_id: str,
    actor: Actor,
    counts: Mapping[int, int],
    now: datetime,
    approver: Actor | None = None,
) -> ShiftSummary:
    """Close the open shift with the counted drawer and return its Z-report figures.

    Needs SHIFT_CLOSE (a supervisor, or a cashier with a supervisor's
    ``approver``). The shift records expected, counted and variance; a
    variance is not refused, it is recorded and audited for the manager.
    """
    full = validate_counts(counts)
    shift = require_open_shift(session, terminal_id)
    who = authorize(actor, Permission.SHIFT_CLOSE, approver)
    counted = sum(denom * pieces for denom, pieces in full.items())
    expected = expected_cash(session, shift)
    shift.status = "closed"
    shift.closed_by = actor.user_id
    shift.closed_at = now
    shift.expected_cash = expected
    shift.counted_cash = counted
    shift.variance = counted - expected
    shift.counts = {str(d): n for d, n in full.items()}
    session.flush()
    audit.record(
        session,
        "shift_closed",
        user_id=actor.user_id,
        terminal_id=terminal_id,
        target=shift.id,
        approved_by=who.user_id if who is not actor else None,
        expected=expected,
        counted=counted,
        variance=counted - expected,
    )
    return shift_summary(session, shift)
