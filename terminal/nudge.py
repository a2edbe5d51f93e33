"""The 满减 nudge: "再买 ¥12.00 可减 ¥20.00" when a basket is close to a reward.

After each change the till asks :func:`nearest` for the one reward the
customer is closest to and has not reached: a basket threshold (满减, or
its next repeat) or the minimum spend of a coupon on the basket. It reads the
priced basket the screen already shows and the same rules the pricing used;
it never prices anything itself, so it cannot disagree with the engine about
what a line costs.

"Close" means the amount still to spend is at most :data:`CLOSE_BP` of the
threshold (30 %) and at most :data:`CLOSE_MAX` (¥50): further away, a nudge
would be advertising, not help.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from terminal import messages
from terminal.money import apply_bp, format_yuan
from terminal.pricing.conditions import is_active, targets
from terminal.pricing.model import MemberInfo, PricedBasket, PricedLine, RuleSet
from terminal.pricing.rules import CouponAmountOff, Threshold

CLOSE_BP = 3000
CLOSE_MAX = 5000


@dataclass(frozen=True)
class Nudge:
    """Spend ``missing`` fen more on what ``rule_id`` counts to gain ``gain`` fen off."""

    rule_id: str
    name: str
    missing: int
    gain: int

    def text(self, lang: str | None = None) -> str:
        """How the screen says it: 再买 ¥12.00 可减 ¥20.00（满100减20）, in the till's language
        unless ``lang`` is given (message ``nudge``)."""
        params = {"missing": format_yuan(self.missing), "gain": format_yuan(self.gain)}
        return messages.render("nudge", {**params, "name": self.name}, lang)


def _before_thresholds(line: PricedLine) -> int:
    """What a line counted toward 满减: its amount after item promotions and the tier rate."""
    return line.gross - line.item_discount - line.manual_discount - line.tier_discount


def _eligible(rule: object, lines: tuple[PricedLine, ...]) -> list[PricedLine]:
    return [
        line
        for line in lines
        if not line.is_gift
        and line.reward_id is None  # bought with points: counts toward no threshold
        and line.product.discountable
        and targets(rule, line.product)
    ]


def _close(missing: int, threshold: int) -> bool:
    return 0 < missing <= min(CLOSE_MAX, apply_bp(threshold, CLOSE_BP))


def _threshold_nudge(rule: Threshold, priced: PricedBasket) -> Nudge | None:
    subtotal = sum(_before_thresholds(line) for line in _eligible(rule, priced.lines))
    if rule.percent_off_bp is not None:
        if subtotal >= rule.min_spend:
            return None
        target, gain = rule.min_spend, apply_bp(rule.min_spend, rule.percent_off_bp)
    else:
        assert rule.amount is not None
        times = subtotal // rule.min_spend
        if times and not rule.repeat:
            return None
        if rule.max_repeats is not None and times >= rule.max_repeats:
            return None
        target, gain = rule.min_spend * (times + 1), rule.amount
    missing = target - subtotal
    return Nudge(rule.id, rule.name, missing, gain) if _close(missing, rule.min_spend) else None


def _coupon_nudges(priced: PricedBasket, rules: RuleSet) -> list[Nudge]:
    out = []
    for result in priced.coupons:
        coupon = rules.coupon_lookup.get(result.code)
        if coupon is None or result.reason != "min_spend_not_met":
            continue
        d = coupon.definition
        lines = _eligible(d, priced.lines)
        # a coupon counts its lines after steps 1-3 (items, tier, 满减)
        subtotal = sum(_before_thresholds(line) - line.threshold_discount for line in lines)
        missing = d.min_spend - subtotal
        if isinstance(d, CouponAmountOff):
            gain = d.value
        else:
            gain = apply_bp(d.min_spend, d.percent_off_bp)
        if _close(missing, d.min_spend):
            out.append(Nudge(d.id, d.name, missing, gain))
    return out


def nearest(
    priced: PricedBasket, rules: RuleSet, now: datetime, member: MemberInfo | None
) -> Nudge | None:
    """The closest unmet reward of this basket, or None; ties go to the larger gain."""
    if not priced.lines:
        return None
    found = [
        nudge
        for rule in rules.promotions
        if isinstance(rule, Threshold) and is_active(rule, now, member)
        for nudge in [_threshold_nudge(rule, priced)]
        if nudge is not None
    ]
    found += _coupon_nudges(priced, rules)
    return min(found, key=lambda n: (n.missing, -n.gain), default=None)
