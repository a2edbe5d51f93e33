"""Step 7 of the pricing order: coupons a sale issues for a later visit (满额返券).

Runs after rounding, on what the customer pays: a ``coupon_issue`` rule adds
up ``paid`` on its target lines (discountable, not gifts, not rewards) and, if
that reaches ``min_spend``, the sale issues ``count`` coupons (per whole
multiple of ``min_spend`` with ``repeat``). Issuing changes no price; the
coupons are written when the sale is paid, bound to the member if there is
one. Every active rule that qualifies issues (``exclusive`` does not apply).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from terminal.money import format_yuan
from terminal.pricing.conditions import rule_order
from terminal.pricing.limits import allowance, blocked_note
from terminal.pricing.model import IssuedCoupon, MemberInfo, RuleUsage, RuleUse
from terminal.pricing.rewards import issue_window
from terminal.pricing.rules import CouponDefinition, CouponIssue, Promotion
from terminal.pricing.work import PricingState, WorkLine


def issue_times(rule: CouponIssue, basis: int) -> int:
    """How many times ``basis`` (fen paid on the rule's lines) earns the rule's coupons."""
    if basis < rule.min_spend:
        return 0
    if not rule.repeat:
        return 1
    n = basis // rule.min_spend
    return min(n, rule.max_repeats) if rule.max_repeats is not None else n


def issue_lines(state: PricingState, rule: CouponIssue) -> list[WorkLine]:
    return [w for w in state.targeted(rule) if w.priced_by_rules and w.product.discountable]


def issue_coupons(
    state: PricingState,
    promotions: Sequence[Promotion],
    definitions: Mapping[str, CouponDefinition],
    now: datetime,
    member: MemberInfo | None,
    usage: Mapping[str, RuleUsage] | None = None,
) -> list[IssuedCoupon]:
    """The coupons this sale earns; explains what was earned and what is still missing.

    ``promotions`` are the active ones.
    """
    out: list[IssuedCoupon] = []
    rules = sorted((p for p in promotions if isinstance(p, CouponIssue)), key=rule_order)
    for rule in rules:
        lines = issue_lines(state, rule)
        basis = sum(w.amount for w in lines)
        definition = definitions.get(rule.coupon_id)
        times = issue_times(rule, basis)
        if definition is None:
            if times:
                state.explain(
                    "px_issue_unknown", name=rule.name, coupon=rule.coupon_id, rule=rule.id
                )
            continue
        if not times:
            if basis > 0:
                short = format_yuan(rule.min_spend - basis)
                state.explain(
                    "px_issue_short",
                    name=rule.name,
                    short=short,
                    coupon=definition.name,
                    rule=rule.id,
                )
            continue
        allowed = allowance(rule, (usage or {}).get(rule.id))
        bound = allowed.blocked if allowed is not None else None
        if bound is not None:
            note = blocked_note(rule, bound)
            state.limit_notes.append(note)
            state.explanation.append(note.note)
            continue
        count = times * rule.count
        start, end = issue_window(now, rule.starts_after_days, rule.valid_days)
        out.append(
            IssuedCoupon(
                "coupon_issue",
                rule.id,
                definition.id,
                definition.name,
                count,
                start,
                end,
                basis,
                tuple(w.line_id for w in lines if w.amount),
            )
        )
        if rule.limits is not None:
            state.rule_uses.append(RuleUse(rule.id, None, 0))
        state.explain(
            "px_issued",
            name=rule.name,
            coupon=definition.name,
            count=count,
            start=f"{start:%Y-%m-%d}",
            days=rule.valid_days,
            rule=rule.id,
        )
    return out
