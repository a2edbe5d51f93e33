"""HQ's offline redemption policy, as the till enforces it without asking HQ.

HQ sets the policy (``posterm-hq policy set NAME VALUE``) and the feed brings
it into the store's ``hq_policy`` table; the core reads it from there and
never from the network. On a till enrolled with HQ:

* **Allowance.** While HQ cannot be reached, a member may redeem at most the
  points balance HQ has confirmed (rows HQ sent, and this till's rows whose
  sale HQ acknowledged) minus this till's redemptions HQ has not seen yet
  (outbox rows not yet sent). Points earned here and not yet synced are not
  spendable until they are. Stored value has had the same rule since it was
  built (:func:`terminal.stored_value.offline_allowance`).
* **Daily cap.** When the till's last successful sync is older than
  ``offline_max_hours`` (or it never synced since it was enrolled), each
  member may redeem at most ``daily_cap_points`` points and pay at most
  ``daily_cap_stored_value`` fen by stored value per business day at this
  till (what this till's sales of the day took, returns netted).

A name HQ has not set means no cap. A till that is not enrolled keeps its
config's ``[points] offline_redeem_limit`` (points per sale) instead.

Every refusal names the limit that held (codes ``points_offline_allowance``,
``points_daily_cap``, ``sv_daily_cap``) in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from terminal.errors import StateError
from terminal.money import format_yuan
from terminal.store.direct import fetch
from terminal.store.models import (
    HqPolicy,
    OutboxRow,
    PointsEntry,
    Sale,
    StoredValueEntry,
)

OFFLINE_MAX_HOURS = "offline_max_hours"
DAILY_CAP_POINTS = "daily_cap_points"
DAILY_CAP_STORED_VALUE = "daily_cap_stored_value"
MEMBER_BLOCK_SIZE = "member_block_size"
"""How many member numbers HQ gives a till at a time (HQ's own setting; sent like the rest)."""
NAMES = (OFFLINE_MAX_HOURS, DAILY_CAP_POINTS, DAILY_CAP_STORED_VALUE, MEMBER_BLOCK_SIZE)

# keys of ``sync_state`` the sync writes (sync/state.py uses these names)
HQ_URL_KEY = "hq_url"
CREDENTIAL_KEY = "credential"
LAST_SUCCESS_KEY = "last_success"


@dataclass(frozen=True)
class Policy:
    """The policy as this till holds it; None: HQ set no such limit."""

    offline_max_hours: int | None = None
    daily_cap_points: int | None = None
    daily_cap_stored_value: int | None = None


def read(session: Session) -> Policy:
    values = {name: value for name, value in session.execute(select(HqPolicy.name, HqPolicy.value))}
    return Policy(
        offline_max_hours=values.get(OFFLINE_MAX_HOURS),
        daily_cap_points=values.get(DAILY_CAP_POINTS),
        daily_cap_stored_value=values.get(DAILY_CAP_STORED_VALUE),
    )


def _state(session: Session, key: str) -> str | None:
    found = fetch(session, "SELECT value FROM sync_state WHERE key = ?", (key,))
    return str(found[0][0]) if found else None


def enrolled(session: Session) -> bool:
    """Whether this till is linked to HQ (enrolment saved HQ's address and a credential)."""
    return bool(_state(session, HQ_URL_KEY)) and bool(_state(session, CREDENTIAL_KEY))


def last_sync(session: Session) -> datetime | None:
    """When this till last synced with HQ successfully (push and pull), or None."""
    raw = _state(session, LAST_SUCCESS_KEY)
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def long_offline(session: Session, now: datetime, policy: Policy | None = None) -> bool:
    """Whether the daily caps apply: enrolled, a time set by HQ, and no sync within it."""
    policy = policy or read(session)
    if policy.offline_max_hours is None or not enrolled(session):
        return False
    last = last_sync(session)
    return last is None or now - last > timedelta(hours=policy.offline_max_hours)


@dataclass(frozen=True)
class Limit:
    """The most that may be redeemed now, and the refusal that names it."""

    amount: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def refusal(self) -> StateError:
        return StateError(self.code, **self.params)


# --- points ---------------------------------------------------------------------------------


def _points_synced() -> Any:
    """Points rows HQ knows: sent by HQ, or written by a sale whose record HQ acknowledged."""
    acknowledged = exists().where(
        OutboxRow.record_id == PointsEntry.sale_id, OutboxRow.sent_at.is_not(None)
    )
    return or_(PointsEntry.origin == "hq", acknowledged)


def points_allowance(session: Session, member_id: str, today: date) -> int:
    """The points balance HQ confirmed, less this till's redemptions HQ has not seen.

    The confirmed balance is the member's live lots (not expired on ``today``)
    counting only rows HQ knows; every row of this till HQ has not seen that
    takes points away (a redemption, an expiry written here) is then taken
    off. Never below zero.
    """
    synced = _points_synced().label("synced")
    rows = session.execute(
        select(
            PointsEntry.id, PointsEntry.lot_id, PointsEntry.points, PointsEntry.expires_on, synced
        ).where(PointsEntry.member_id == member_id)
    ).all()
    lots: dict[str, list[Any]] = {}
    for entry_id, lot_id, points, expires_on, is_synced in rows:
        if is_synced and lot_id is None and points > 0:
            lots[entry_id] = [points, expires_on]
    unsynced_taken = 0
    for _entry_id, lot_id, points, _expires_on, is_synced in rows:
        if is_synced and lot_id is not None and lot_id in lots:
            lots[lot_id][0] += points
        elif not is_synced and points < 0:
            unsynced_taken -= points
    confirmed = sum(
        max(0, left) for left, expires in lots.values() if expires is None or expires >= today
    )
    return max(0, confirmed - unsynced_taken)


def points_redeemed_on(session: Session, member_id: str, day: date) -> int:
    """Points this till's sales of business day ``day`` redeemed for the member (returns netted)."""
    total = session.scalar(
        select(func.coalesce(func.sum(PointsEntry.points), 0))
        .join(Sale, Sale.id == PointsEntry.sale_id)
        .where(
            PointsEntry.member_id == member_id,
            PointsEntry.kind.in_(("redeem", "restore")),
            Sale.business_day == day,
        )
    )
    return max(0, -int(total or 0))


def points_limit(
    session: Session, member_id: str, *, today: date, now: datetime, reachable: bool
) -> Limit | None:
    """The most the member may redeem in points now under HQ's policy; None: no limit.

    Only on an enrolled till (the config's per-sale limit holds elsewhere).
    ``reachable``: HQ answered just now, so the allowance does not apply.
    """
    if not enrolled(session):
        return None
    policy = read(session)
    limit: Limit | None = None
    if not reachable:
        allowance = points_allowance(session, member_id, today)
        limit = Limit(allowance, "points_offline_allowance", {"limit": allowance})
    if policy.daily_cap_points is not None and long_offline(session, now, policy):
        cap = policy.daily_cap_points
        left = max(0, cap - points_redeemed_on(session, member_id, today))
        if limit is None or left < limit.amount:
            limit = Limit(
                left,
                "points_daily_cap",
                {"hours": policy.offline_max_hours, "cap": cap, "left": left},
            )
    return limit


# --- stored value -----------------------------------------------------------------------------


def stored_value_spent_on(session: Session, member_id: str, day: date) -> int:
    """Fen this till's sales of business day ``day`` took from the member's balance (net)."""
    total = session.scalar(
        select(func.coalesce(func.sum(StoredValueEntry.amount), 0))
        .join(Sale, Sale.id == StoredValueEntry.sale_id)
        .where(
            StoredValueEntry.member_id == member_id,
            StoredValueEntry.kind.in_(("spend", "refund")),
            Sale.business_day == day,
        )
    )
    return max(0, -int(total or 0))


def stored_value_cap(
    session: Session, member_id: str, *, today: date, now: datetime
) -> Limit | None:
    """The daily stored-value cap left for the member while the till is long offline; or None.

    (The allowance, HQ's confirmed balance less unsynced spending, is
    :func:`terminal.stored_value.offline_allowance`.)
    """
    policy = read(session)
    if policy.daily_cap_stored_value is None or not long_offline(session, now, policy):
        return None
    cap = policy.daily_cap_stored_value
    left = max(0, cap - stored_value_spent_on(session, member_id, today))
    return Limit(
        left,
        "sv_daily_cap",
        {"hours": policy.offline_max_hours, "cap": format_yuan(cap), "left": format_yuan(left)},
    )
