"""The points ledger: every change of a member's points is a row; balances are derived.

Positive rows (``earn``, ``opening``, positive ``adjust``) are *lots* with an
expiry date. Rows that take points out of a lot (``redeem``, ``expire``,
``reverse``) or give them back to it (``restore``) point at the lot through
``lot_id``; a lot's remainder is its own points plus those rows. Redemption
spends the lots that expire first (FIFO by expiry), so points are never lost
to expiry while younger ones are spent.

All functions work inside the caller's transaction; nothing here commits.
Rows are written at once (:mod:`terminal.store.direct`): what the functions
return are the written rows' values, not objects the session tracks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from terminal.errors import InvalidInput, StateError
from terminal.store.direct import fetch, insert_rows
from terminal.store.models import PointsEntry
from terminal.store.types import new_id, utcnow

LOT_KINDS = ("earn", "opening", "adjust")


@dataclass(frozen=True)
class Lot:
    id: str
    points: int
    remaining: int
    expires_on: date | None


def _write(
    session: Session, rows: list[dict[str, object]], now: datetime | None = None
) -> list[PointsEntry]:
    """Write ledger rows now, made at ``now`` (the till's clock; default the wall clock);
    their values as (untracked) entries."""
    made = now if now is not None else utcnow()
    for row in rows:
        row.setdefault("id", new_id())
        row.setdefault("created_at", made)
        row.setdefault("lot_id", None)
        row.setdefault("expires_on", None)
        row.setdefault("sale_id", None)
    insert_rows(session, PointsEntry, rows)
    return [PointsEntry(**row) for row in rows]


def expiry_for(earned_on: date, policy: str) -> date | None:
    """The expiry date of points earned on ``earned_on`` under ``policy``.

    ``end_of_next_year`` (default): 31 December of the following year.
    ``days:N``: N days later. ``never``: no expiry.
    """
    if policy == "end_of_next_year":
        return date(earned_on.year + 1, 12, 31)
    if policy == "never":
        return None
    if policy.startswith("days:"):
        return earned_on + timedelta(days=int(policy.split(":", 1)[1]))
    raise InvalidInput("bad_expiry_policy", policy=policy[:40])


# Plain SQL on the driver: a sale reads it in its commit (the customer waits).
_LOTS = (
    "SELECT id, points, (SELECT coalesce(sum(c.points), 0) FROM points_entry AS c "
    "WHERE c.lot_id = points_entry.id), expires_on FROM points_entry "
    "WHERE member_id = ? AND lot_id IS NULL AND points > 0 "
    "ORDER BY expires_on IS NULL, expires_on, created_at"
)


def lots(session: Session, member_id: str) -> list[Lot]:
    """The member's lots with their remainders, earliest expiry first."""
    return [
        Lot(lot_id, points, points + used, date.fromisoformat(expires) if expires else None)
        for lot_id, points, used, expires in fetch(session, _LOTS, (member_id,))
    ]


def balance(session: Session, member_id: str, today: date) -> int:
    """Points the member can spend today: the remainders of lots not yet expired."""
    return sum(
        lot.remaining
        for lot in lots(session, member_id)
        if lot.remaining > 0 and (lot.expires_on is None or lot.expires_on >= today)
    )


def earn(
    session: Session,
    member_id: str,
    points: int,
    *,
    expires_on: date | None,
    sale_id: str | None = None,
    reason: str = "",
    kind: str = "earn",
    now: datetime | None = None,
) -> PointsEntry | None:
    """Add a lot of ``points`` (none when ``points`` is 0)."""
    if points < 0:
        raise InvalidInput("bad_points")
    if points == 0:
        return None
    (entry,) = _write(
        session,
        [
            {
                "member_id": member_id,
                "kind": kind,
                "points": points,
                "expires_on": expires_on,
                "sale_id": sale_id,
                "reason": reason,
            }
        ],
        now,
    )
    return entry


def _take(
    session: Session,
    member_id: str,
    points: int,
    kind: str,
    today: date,
    *,
    sale_id: str | None,
    reason: str,
    prefer_lot: str | None = None,
    now: datetime | None = None,
) -> list[PointsEntry]:
    """Take ``points`` out of live lots (``prefer_lot`` first, then FIFO by expiry)."""
    live = [
        lot
        for lot in lots(session, member_id)
        if lot.remaining > 0 and (lot.expires_on is None or lot.expires_on >= today)
    ]
    if prefer_lot is not None:
        live.sort(key=lambda lot: lot.id != prefer_lot)
    if sum(lot.remaining for lot in live) < points:
        raise StateError(
            "points_insufficient", available=sum(lot.remaining for lot in live), needed=points
        )
    rows: list[dict[str, object]] = []
    left = points
    for lot in live:
        if left == 0:
            break
        take = min(left, lot.remaining)
        rows.append(
            {
                "member_id": member_id,
                "kind": kind,
                "points": -take,
                "lot_id": lot.id,
                "sale_id": sale_id,
                "reason": reason,
            }
        )
        left -= take
    return _write(session, rows, now)


def redeem(
    session: Session,
    member_id: str,
    points: int,
    today: date,
    *,
    sale_id: str,
    reason: str = "",
    now: datetime | None = None,
) -> list[PointsEntry]:
    """Spend ``points`` from the lots that expire first; refuses rather than go negative."""
    if points <= 0:
        return []
    return _take(
        session, member_id, points, "redeem", today, sale_id=sale_id, reason=reason, now=now
    )


def reverse(
    session: Session,
    member_id: str,
    points: int,
    today: date,
    *,
    sale_id: str,
    earned_lot: str | None,
    reason: str,
) -> list[PointsEntry]:
    """Take back earned points (a return), from the sale's own lot first."""
    if points <= 0:
        return []
    return _take(
        session,
        member_id,
        points,
        "reverse",
        today,
        sale_id=sale_id,
        reason=reason,
        prefer_lot=earned_lot,
    )


def restore_redeemed(
    session: Session, original_sale_id: str, member_id: str, points: int, *, sale_id: str
) -> list[PointsEntry]:
    """Give back ``points`` redeemed by ``original_sale_id`` to the lots they came from.

    The restore rows point at the same lots the points came from, so a full
    return leaves every lot exactly as before the sale.
    """
    if points <= 0:
        return []

    def per_lot(kind: str, condition: ColumnElement[bool]) -> dict[str | None, int]:
        rows = session.execute(
            select(PointsEntry.lot_id, func.sum(PointsEntry.points))
            .where(PointsEntry.kind == kind, PointsEntry.member_id == member_id, condition)
            .group_by(PointsEntry.lot_id)
        ).all()
        return {lot_id: int(total) for lot_id, total in rows}

    redeemed = per_lot("redeem", PointsEntry.sale_id == original_sale_id)
    restored = per_lot("restore", PointsEntry.reason == f"restore:{original_sale_id}")
    open_per_lot = [
        (lot_id, -total - restored.get(lot_id, 0)) for lot_id, total in redeemed.items()
    ]
    open_total = sum(n for _, n in open_per_lot)
    if points > open_total:
        raise StateError("restore_exceeds_redeemed")
    rows: list[dict[str, object]] = []
    left = points
    for lot_id, n in reversed(open_per_lot):
        if left == 0:
            break
        give = min(left, n)
        if give <= 0:
            continue
        rows.append(
            {
                "member_id": member_id,
                "kind": "restore",
                "points": give,
                "lot_id": lot_id,
                "sale_id": sale_id,
                "reason": f"restore:{original_sale_id}",
            }
        )
        left -= give
    return _write(session, rows)


def expire_due(session: Session, member_id: str, today: date) -> int:
    """Write ``expire`` rows for lots past their date; returns the points expired."""
    due = [
        lot
        for lot in lots(session, member_id)
        if lot.remaining > 0 and lot.expires_on is not None and lot.expires_on < today
    ]
    _write(
        session,
        [
            {
                "member_id": member_id,
                "kind": "expire",
                "points": -lot.remaining,
                "lot_id": lot.id,
                "reason": f"expired {lot.expires_on.isoformat()}",
            }
            for lot in due
            if lot.expires_on is not None
        ],
    )
    return sum(lot.remaining for lot in due)


def expiring_within(session: Session, member_id: str, today: date, days: int) -> int:
    """Points that will expire within ``days`` days (for the member panel)."""
    horizon = today + timedelta(days=days)
    return sum(
        lot.remaining
        for lot in lots(session, member_id)
        if lot.remaining > 0 and lot.expires_on is not None and today <= lot.expires_on <= horizon
    )
