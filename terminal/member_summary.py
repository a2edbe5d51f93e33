"""Everything the member panel shows about the member on the basket, in one read.

Masked identity, tier and its benefits, points (with the time they are as of),
points expiring soon, what can be paid in points on this basket now, coupons
held, the stored-value balance (and what of it may be spent now, which offline
is the allowance), the birthday badge and up to three usual items not in the basket. Every
front end shows the same thing because they all read it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from terminal import members
from terminal.checkout import Checkout
from terminal.recommend import UsualItem, usual_items
from terminal.stored_value import Balance

NO_BALANCE = Balance(0, 0)


@dataclass(frozen=True)
class MemberSummary:
    panel: members.MemberPanel
    points_as_of: datetime
    redeemable_points: int
    redeemable_value: int
    usual: tuple[UsualItem, ...]
    stored_value: Balance = NO_BALANCE
    stored_value_spendable: int = 0


def member_summary(co: Checkout) -> MemberSummary | None:
    """The panel of the basket's member, or None when no member is on it.

    The points balance is this till's ledger as of now: it holds every local
    change; what other stores did arrives with the next sync.
    """
    if co.member_no is None or co.vault is None:
        return None
    with co.db.sessions() as session:
        member = members.find_member(session, co.member_no)
        panel = members.member_panel(session, co.vault, member, co.today)
        usual = usual_items(
            session, member.id, co.today, exclude_skus=[line.product.sku for line in co.lines]
        )
    points, value = co.redeemable_points()
    held, can = co.stored_value() or (NO_BALANCE, 0)
    return MemberSummary(panel, co.clock(), points, value, tuple(usual), held, can)
