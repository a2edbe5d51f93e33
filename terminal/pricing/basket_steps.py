"""Steps 2 and 3 of the pricing order: member tier discount, basket thresholds (满减)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from terminal.messages import Text, Words
from terminal.money import allocate, apply_bp, format_yuan
from terminal.pricing.conditions import choose, rule_order
from terminal.pricing.limits import allowance, blocked_note
from terminal.pricing.model import MemberInfo, RuleUsage, RuleUse
from terminal.pricing.rules import Promotion, Threshold
from terminal.pricing.work import PricingState, WorkLine, percent


def zhe(discount_bp: int) -> str:
    """A discount as shoppers say it: 500 bp off -> ``"95折"``, 1000 -> ``"9折"``."""
    rest = 10_000 - discount_bp
    if rest % 1000 == 0:
        return f"{rest // 1000}折"
    if rest % 100 == 0:
        return f"{rest // 100}折"
    return f"{rest // 100}.{rest % 100:02d}".rstrip("0") + "折"


def apply_tier_discount(state: PricingState, member: MemberInfo | None) -> None:
    """The member's tier rate off each discountable line, half-up per line.

    Skipped: gift and reward lines, non-discountable products, and lines an item
    promotion with ``tier_discount: false`` took money off.
    """
    if member is None or member.tier.discount_bp <= 0:
        return
    tier = member.tier
    shares = {
        w.line_id: apply_bp(w.amount, tier.discount_bp)
        for w in state.lines
        if w.priced_by_rules and w.product.discountable and w.tier_ok and w.amount > 0
    }
    rate = Words(zhe(tier.discount_bp), f"{percent(tier.discount_bp)} off")
    total = sum(shares.values())
    state.take(
        "tier",
        "tier",
        f"tier:{tier.code}",
        f"{tier.name}会员 {rate.zh_CN}",  # what the sale stores and the receipt prints
        shares,
        Text("px_tier", {"tier": tier.name, "rate": rate, "amount": f"-{format_yuan(total)}"}),
    )


def eligible_lines(state: PricingState, rule: object) -> list[WorkLine]:
    """Lines a basket rule or coupon may discount: targeted, discountable, not gifts or
    rewards, not zero."""
    return [
        w
        for w in state.targeted(rule)
        if w.priced_by_rules and w.product.discountable and w.amount > 0
    ]


def _times(rule: Threshold, subtotal: int) -> int:
    if subtotal < rule.min_spend:
        return 0
    if not rule.repeat or rule.percent_off_bp is not None:
        return 1
    n = subtotal // rule.min_spend
    return min(n, rule.max_repeats) if rule.max_repeats is not None else n


def _planned(rule: Threshold, subtotal: int) -> int:
    if rule.percent_off_bp is not None:
        return apply_bp(subtotal, rule.percent_off_bp)
    assert rule.amount is not None
    return rule.amount * _times(rule, subtotal)


def _label(rule: Threshold, subtotal: int) -> str:
    n = _times(rule, subtotal)
    return f"{rule.name} ×{n}" if n > 1 else rule.name


def apply_thresholds(
    state: PricingState,
    promotions: Sequence[Promotion],
    now: datetime,
    member: MemberInfo | None,
    usage: Mapping[str, RuleUsage] | None = None,
) -> None:
    """满减 on the eligible subtotal after steps 1–2.

    Each rule qualifies and computes its discount on its eligible subtotal as it
    stood at the start of this step; when several rules stack, each later one
    is capped by what is left on its eligible lines. A rule's discount is
    allocated over its eligible lines by largest remainder on their running
    amounts. Conflicts are resolved on the whole basket with :func:`choose`.
    A qualifying rule whose limit is used up is left out and the reason noted.
    ``promotions`` are the active ones.
    """
    base: dict[str, int] = {}
    lines_of: dict[str, list[WorkLine]] = {}
    qualifying: list[Threshold] = []
    for rule in sorted((p for p in promotions if isinstance(p, Threshold)), key=rule_order):
        lines_of[rule.id] = eligible_lines(state, rule)
        base[rule.id] = sum(w.amount for w in lines_of[rule.id])
        if _times(rule, base[rule.id]) > 0:
            allowed = allowance(rule, (usage or {}).get(rule.id))
            bound = allowed.blocked if allowed is not None else None
            if bound is not None:
                note = blocked_note(rule, bound)
                state.limit_notes.append(note)
                state.explanation.append(note.note)
                continue
            qualifying.append(rule)
    if not qualifying:
        return

    def run(option: Sequence[Threshold], apply: bool) -> int:
        amounts = {w.line_id: w.amount for w in state.lines}
        total = 0
        for rule in option:
            lines = [w for w in lines_of[rule.id] if amounts[w.line_id] > 0]
            left = sum(amounts[w.line_id] for w in lines)
            d = min(_planned(rule, base[rule.id]), left)
            parts = allocate(d, [amounts[w.line_id] for w in lines])
            shares = {w.line_id: p for w, p in zip(lines, parts, strict=True)}
            for line_id, p in shares.items():
                amounts[line_id] -= p
            total += d
            if apply:
                taken = state.take(
                    "threshold", rule.kind, rule.id, _label(rule, base[rule.id]), shares
                )
                if taken and rule.limits is not None:
                    state.rule_uses.append(RuleUse(rule.id, None, 0))
        return total

    run(choose(qualifying, lambda opt: run(opt, apply=False)), apply=True)
