"""Points earned by a sale.

One point per yuan paid in money on earning lines, times the member's tier
multiplier, times every active ``points_multiplier`` promotion (they multiply).
The product is computed exactly with :class:`fractions.Fraction` and floored
once, at the very end, so no multiplier loses a fraction of a point.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from fractions import Fraction

from terminal.money import BP
from terminal.pricing.conditions import active
from terminal.pricing.model import MemberInfo, PricedLine
from terminal.pricing.rules import PointsMultiplier, Promotion


def earn_points(paid_fen_earning: int, multipliers_bp: Sequence[int]) -> int:
    """``floor(paid_fen_earning / 100 × Π(m / 10000))``; never negative."""
    if paid_fen_earning <= 0:
        return 0
    total = Fraction(paid_fen_earning, 100)
    for m in multipliers_bp:
        total *= Fraction(m, BP)
    return max(0, total.numerator // total.denominator)


def earns(line: PricedLine) -> bool:
    """Whether a line earns points: its product does, and it is neither a gift nor a reward."""
    return line.product.earns_points and not line.is_gift and line.reward_id is None


def earning_base(lines: Iterable[PricedLine]) -> int:
    """Money paid on lines that earn points (gift and reward lines never earn)."""
    return sum(line.paid for line in lines if earns(line))


def active_multipliers(
    promotions: Iterable[Promotion], member: MemberInfo, now: datetime
) -> list[PointsMultiplier]:
    """Every ``points_multiplier`` promotion active now for this member (``exclusive`` is not
    used for multipliers: all active ones multiply), highest priority first."""
    found = [p for p in promotions if isinstance(p, PointsMultiplier)]
    return sorted(active(found, now, member), key=lambda p: (-p.priority, p.id))


def points_for(
    lines: Iterable[PricedLine],
    member: MemberInfo | None,
    promotions: Iterable[Promotion],
    now: datetime,
) -> tuple[int, list[PointsMultiplier]]:
    """Points a member earns for these priced lines, and the promotions that multiplied them."""
    if member is None:
        return 0, []
    extra = active_multipliers(promotions, member, now)
    multipliers = [member.tier.points_multiplier_bp, *(p.multiplier_bp for p in extra)]
    return earn_points(earning_base(lines), multipliers), extra
