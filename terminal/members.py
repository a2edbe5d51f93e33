"""Members at the till: lookup and the pricing view of a member.

This module knows members by their member number; scanned member codes
(static and dynamic) are resolved to a member number by the member-code
module before they get here.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from terminal import ledger
from terminal.errors import NotFound, StateError
from terminal.pricing.model import MemberInfo, TierInfo
from terminal.store.models import Member, Tier


def find_member(session: Session, member_no: str) -> Member:
    """The member with this number; refuses unknown, blocked and erased members."""
    member = session.scalar(
        select(Member).where(Member.member_no == member_no.strip()).options(joinedload(Member.tier))
    )
    if member is None:
        raise NotFound(f"未找到会员 {member_no} / unknown member", code="unknown_member")
    if member.status == "blocked":
        raise StateError("该会员已冻结，请联系店长 / member is blocked", code="member_blocked")
    if member.status == "erased":
        raise NotFound("该会员已注销 / member has been erased", code="unknown_member")
    return member


def tier_info(tier: Tier) -> TierInfo:
    return TierInfo(
        code=tier.code,
        name=tier.name,
        discount_bp=tier.discount_bp,
        points_multiplier_bp=tier.points_multiplier_bp,
    )


def member_info(
    session: Session, member: Member, today: date, birthday_month: int | None = None
) -> MemberInfo:
    """The pricing engine's view of a member, with the balance spendable today.

    ``birthday_month`` comes from the decrypted personal data, which this
    module never reads itself.
    """
    return MemberInfo(
        member_id=member.id,
        tier=tier_info(member.tier),
        birthday_month=birthday_month,
        points_balance=ledger.balance(session, member.id, today),
    )
