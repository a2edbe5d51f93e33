"""The bonus a stored-value top-up earns (充500送50): a pure function of the rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from terminal.pricing.conditions import is_active
from terminal.pricing.model import MemberInfo
from terminal.pricing.rules import Promotion, TopUpBonus


@dataclass(frozen=True)
class TopUpOffer:
    """The bonus for a top-up and the rule that gives it (None: no bonus)."""

    bonus: int
    rule: TopUpBonus | None

    @property
    def label(self) -> str:
        return self.rule.name if self.rule is not None else ""


def _bonus(rule: TopUpBonus, amount: int) -> int:
    if amount < rule.min_amount:
        return 0
    if not rule.repeat:
        return rule.bonus
    n = amount // rule.min_amount
    return rule.bonus * (min(n, rule.max_repeats) if rule.max_repeats is not None else n)


def topup_bonus(
    amount: int, promotions: Sequence[Promotion], member: MemberInfo | None, now: datetime
) -> TopUpOffer:
    """The one ``topup_bonus`` rule that applies to a top-up of ``amount`` fen.

    Bonus rules do not add up: of the active rules the top-up reaches, the
    highest priority wins, then the larger bonus, then the smaller rule id
    (充500送50 and 充1000送120 are two rules; 1000 yuan earns 120).
    """
    offers = [
        (rule, bonus)
        for rule in promotions
        if isinstance(rule, TopUpBonus)
        and is_active(rule, now, member)
        and (bonus := _bonus(rule, amount)) > 0
    ]
    if not offers:
        return TopUpOffer(0, None)
    rule, bonus = min(offers, key=lambda o: (-o[0].priority, -o[1], o[0].id))
    return TopUpOffer(bonus, rule)
