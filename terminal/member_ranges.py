"""Member numbers from the blocks HQ gave this till, so offline tills never clash.

HQ hands each enrolled till a block of member numbers (``first``..``last``,
10,000 by default) at enrolment, and another when the till has used most of
what it holds (the sync agent asks, see :mod:`sync.policy`). The blocks are
kept in the store (:class:`~terminal.store.models.MemberRange`); a
registration takes the lowest free number in them, inside its write
transaction, so two tills registering offline at once still give different
numbers, and HQ takes both.

A till HQ never gave a block (a standalone or demo till, or one enrolled with
an HQ that does not hand out blocks) keeps numbering after the highest
member number it holds. A till whose blocks are used up refuses the
registration (``member_range_used_up``) rather than give a number twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal.errors import StateError
from terminal.store.models import Member, MemberRange

PREFIX = "M"
DIGITS = 8
HIGHEST = 10**DIGITS - 1
ASK_BELOW_PERCENT = 20
"""The agent asks HQ for another block when less than this share of a block is left."""


def member_no(number: int) -> str:
    return f"{PREFIX}{number:0{DIGITS}d}"


@dataclass(frozen=True)
class Block:
    """One block as the till holds it, with how far it is used."""

    first: int
    last: int
    next: int
    """The next free number (``last + 1`` when the block is used up)."""

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    @property
    def left(self) -> int:
        return self.last - self.next + 1


def _highest_in(session: Session, first: int, last: int) -> int | None:
    """The highest member number the store holds inside first..last, or None."""
    found = session.scalar(
        select(func.max(Member.member_no)).where(
            Member.member_no >= member_no(first),
            Member.member_no <= member_no(last),
            Member.member_no.op("GLOB")(PREFIX + "[0-9]" * DIGITS),
        )
    )
    return int(found[1:]) if found else None


def blocks(session: Session) -> list[Block]:
    """This till's blocks, lowest first, each with its next free number."""
    out = []
    for row in session.scalars(select(MemberRange).order_by(MemberRange.first)):
        highest = _highest_in(session, row.first, row.last)
        out.append(Block(row.first, row.last, row.first if highest is None else highest + 1))
    return out


def next_number(session: Session) -> str | None:
    """The next member number from HQ's blocks; None when HQ never gave this till one.

    Call inside the registration's write transaction. Raises
    ``member_range_used_up`` when every block is used.
    """
    held = blocks(session)
    if not held:
        return None
    for block in held:
        if block.left > 0:
            return member_no(block.next)
    raise StateError("member_range_used_up", last=member_no(held[-1].last))


def numbers_left(session: Session) -> int:
    return sum(block.left for block in blocks(session))


def needs_more(session: Session) -> bool:
    """Whether to ask HQ for another block: none held, or less than 20% of a block left."""
    held = blocks(session)
    if not held:
        return True
    size = held[-1].size
    return sum(b.left for b in held) * 100 < size * ASK_BELOW_PERCENT


def highest_last(session: Session) -> int:
    """The end of the highest block held (0 for none): HQ answers with blocks above it."""
    return int(session.scalar(select(func.max(MemberRange.last))) or 0)


def save(session: Session, given: Iterable[tuple[int, int]]) -> int:
    """Keep the blocks HQ gave (those already held are kept as they are); how many were new."""
    new = 0
    for first, last in given:
        if not 1 <= first <= last <= HIGHEST:
            raise ValueError(f"member number block {first}..{last} is out of range")
        if session.get(MemberRange, first) is None:
            session.add(MemberRange(first=first, last=last))
            new += 1
    session.flush()
    return new
