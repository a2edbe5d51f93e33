"""HQ's policy for the tills, and the member-number blocks it hands out.

**Policy.** Settings HQ decides for every till, each a whole number, published
in the feed as entity ``hq_policy`` (key: the name) so every till gets them
with its next pull; unsetting one publishes its deletion. The names:

- ``offline_max_hours``: after this many hours without a successful sync a
  till applies the daily caps below (unset: never).
- ``daily_cap_points``: points a member may redeem per business day at a till
  that has not synced for ``offline_max_hours``.
- ``daily_cap_stored_value``: fen a member may pay by stored value per
  business day at such a till.
- ``member_block_size``: member numbers per block handed to a till (default
  :data:`DEFAULT_BLOCK`); HQ's own, sent along and ignored by tills.

The till enforces them in ``terminal/offline_policy.py``.

**Member numbers.** Each terminal gets a block of numbers at enrolment and
another when it asks (``POST /v1/member-range``, when less than 20% is left).
A new block starts above every block handed out before and above the highest
member number HQ holds, under one lock (a PostgreSQL advisory lock; SQLite
takes its write lock first), and ``first``/``last`` are unique in the table
besides: blocks never overlap, also when many tills ask at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from sync.hq import auth, feed
from sync.hq.models import HqEntity, HqMemberRange, HqMeta, HqStore, HqTerminal
from sync.protocol import MemberRange
from terminal import offline_policy
from terminal.store.types import utcnow

ENTITY = "hq_policy"
NAMES: dict[str, str] = {
    offline_policy.OFFLINE_MAX_HOURS: "hours without a sync before the daily caps apply",
    offline_policy.DAILY_CAP_POINTS: "points per member per day while a till is long offline",
    offline_policy.DAILY_CAP_STORED_VALUE: "stored value (fen) per member per day, same condition",
    offline_policy.MEMBER_BLOCK_SIZE: "member numbers handed to a till at a time",
}
MAX_VALUE = 2**31 - 1
DEFAULT_BLOCK = 10_000
HIGHEST_NO = 99_999_999
"""Member numbers are ``M`` + 8 digits."""
_RANGE_LOCK = 0x4D4E4F52  # pg advisory lock id ("MNOR")


# --- policy -----------------------------------------------------------------------------------


def set_value(session: Session, name: str, value: int) -> None:
    """Set a policy value and publish it to every till."""
    if name not in NAMES:
        raise auth.Refusal(
            400, "unknown_policy", f"no policy {name!r}; known: {', '.join(sorted(NAMES))}"
        )
    lowest = 1 if name == offline_policy.MEMBER_BLOCK_SIZE else 0
    if not lowest <= value <= MAX_VALUE:
        raise auth.Refusal(
            400, "bad_policy_value", f"{name} must be a whole number {lowest}..{MAX_VALUE}"
        )
    feed.publish(
        session, ENTITY, name, {"name": name, "value": value, "updated_at": utcnow().isoformat()}
    )


def unset(session: Session, name: str) -> None:
    """Remove a policy value (no limit any more); tills drop it with their next pull."""
    if name not in NAMES:
        raise auth.Refusal(400, "unknown_policy", f"no policy {name!r}")
    feed.publish(session, ENTITY, name, {"name": name}, deleted=True)


def values(session: Session) -> dict[str, int]:
    """The policy values set now, by name."""
    rows = session.scalars(
        select(HqEntity).where(HqEntity.entity == ENTITY, HqEntity.deleted.is_(False))
    )
    return {r.key: int(r.data["value"]) for r in rows}


# --- member-number blocks ------------------------------------------------------------------------


def _lock(session: Session) -> None:
    """Serialise block allocation: one allocator at a time across HQ's processes."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _RANGE_LOCK})
    else:  # SQLite: a write first takes the database's write lock for the transaction
        session.execute(update(HqMeta).where(HqMeta.key == "member_range_lock").values(value=""))


def _highest_member_no(session: Session) -> int:
    """The highest ``M`` + 8-digit member number HQ holds (0 for none)."""
    number = HqEntity.data["member_no"].as_string()
    found = session.scalar(
        select(func.max(number)).where(
            HqEntity.entity == "member", func.length(number) == 9, number.like("M%")
        )
    )
    digits = (found or "")[1:]
    return int(digits) if digits.isascii() and digits.isdigit() else 0


def _wire(rows: Any) -> list[MemberRange]:
    return [MemberRange(first=r.first, last=r.last) for r in rows]


def ranges_after(session: Session, terminal: HqTerminal, after: int) -> list[HqMemberRange]:
    return list(
        session.scalars(
            select(HqMemberRange)
            .where(HqMemberRange.terminal_id == terminal.id, HqMemberRange.first > after)
            .order_by(HqMemberRange.first)
        )
    )


def allocate(session: Session, terminal: HqTerminal) -> HqMemberRange:
    """A new block for ``terminal``, above every block and member number HQ knows."""
    _lock(session)
    block = values(session).get(offline_policy.MEMBER_BLOCK_SIZE, DEFAULT_BLOCK)
    top = session.scalar(select(func.max(HqMemberRange.last))) or 0
    first = max(int(top), _highest_member_no(session)) + 1
    if first > HIGHEST_NO:
        raise auth.Refusal(
            409, "member_numbers_exhausted", "every member number M00000001-M99999999 is handed out"
        )
    row = HqMemberRange(
        terminal_id=terminal.id, first=first, last=min(HIGHEST_NO, first + block - 1)
    )
    session.add(row)
    session.flush()
    return row


def member_ranges(session: Session, terminal: HqTerminal, after: int) -> list[MemberRange]:
    """The terminal's blocks above ``after``; a new one when it has none.

    Idempotent per ``after``: a till asking again after a lost answer gets the same block.
    """
    held = ranges_after(session, terminal, after)
    if not held:
        held = [allocate(session, terminal)]
    return _wire(held)


def all_ranges(session: Session) -> list[tuple[str, HqMemberRange]]:
    """Every block handed out, with its terminal's id, lowest first (for ``posterm-hq``)."""
    return [
        (r.terminal_id, r)
        for r in session.scalars(select(HqMemberRange).order_by(HqMemberRange.first))
    ]


def run_cli(session: Session, action: str, name: str, args: Any) -> None:
    """``posterm-hq policy set|unset|show|ranges`` (prints what it did)."""
    if action == "set":
        set_value(session, name, args.value)
        print(f"policy {name} = {args.value}: tills get it with their next sync")
    elif action == "unset":
        unset(session, name)
        print(f"policy {name} unset: tills drop it with their next sync")
    elif action == "show":
        now = values(session)
        for known in NAMES:
            shown = now.get(known)
            default = f"{DEFAULT_BLOCK} (default)" if known == "member_block_size" else "unset"
            print(f"{known:<24} {shown if shown is not None else default}")
    elif action == "ranges":
        names = {
            t.id: f"{store}/{t.code}"
            for t, store in session.execute(
                select(HqTerminal, HqStore.code).join(HqStore, HqStore.id == HqTerminal.store_id)
            ).all()
        }
        for terminal_id, r in all_ranges(session):
            print(
                f"{names.get(terminal_id, terminal_id):<16} M{r.first:08d}-M{r.last:08d}  "
                f"{r.allocated_at:%Y-%m-%d %H:%M}"
            )
