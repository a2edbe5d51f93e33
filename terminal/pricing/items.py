"""Step 1 of the pricing order: item promotions, gifts, then manual line discounts.

Item promotions (``special_price``, ``percent_off``, ``amount_off``,
``buy_x_get_y``) work on the running amount of each line. Two of them look
across lines: ``buy_x_get_y`` (cheapest target units are free) and a
``special_price`` with ``limit_qty`` (the first units in basket order). Those
"unit plans" are computed twice: once over every line the rule could touch, to
compare options when rules conflict, and again over only the lines that chose
the rule, to price them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial

from terminal.money import apply_bp, format_yuan, mul_div_half_up
from terminal.pricing.conditions import choose, is_active, rule_order, targets
from terminal.pricing.model import Adjustment, MemberInfo, ProductInfo
from terminal.pricing.rules import (
    AmountOff,
    BuyXGetY,
    Gift,
    ItemPromotion,
    PercentOff,
    Promotion,
    SpecialPrice,
)
from terminal.pricing.work import PricingState, WorkLine, signed_yuan

ITEM_KINDS = (SpecialPrice, PercentOff, AmountOff, BuyXGetY)
Plans = Mapping[str, Mapping[str, int]]  # rule id -> line id -> units the rule covers


def _applies(rule: ItemPromotion, product: ProductInfo) -> bool:
    """A non-discountable product only gets item rules that name its SKU or category."""
    if not product.discountable and not rule.skus and not rule.categories:
        return False
    return targets(rule, product)


def unit_plan(rule: ItemPromotion, lines: Sequence[WorkLine]) -> dict[str, int]:
    """How many units of each line the rule covers (free units for buy X get Y)."""
    if isinstance(rule, BuyXGetY):
        units = sum(w.qty for w in lines)
        free = units // (rule.buy + rule.get) * rule.get
        plan = {w.line_id: 0 for w in lines}
        # cheapest units first; equal prices go to the earlier line
        for w in sorted(lines, key=lambda w: w.unit_price):
            n = min(free, w.qty)
            plan[w.line_id] = n
            free -= n
        return plan
    if isinstance(rule, SpecialPrice) and rule.limit_qty is not None:
        left = rule.limit_qty
        plan = {}
        for w in lines:
            plan[w.line_id] = min(left, w.qty)
            left -= plan[w.line_id]
        return plan
    return {w.line_id: w.qty for w in lines}


def rule_discount(rule: ItemPromotion, w: WorkLine, amount: int, units: int) -> int:
    """Fen the rule takes off a line whose running amount is ``amount``.

    Covered units are valued at their share of the running amount
    (``amount × units / qty``, half-up), which is exactly ``units × unit_price``
    when no earlier rule of the step touched the line.
    """
    if isinstance(rule, SpecialPrice):
        d = mul_div_half_up(amount, units, w.qty) - units * rule.price
    elif isinstance(rule, PercentOff):
        d = apply_bp(amount, rule.percent_off_bp)
    elif isinstance(rule, AmountOff):
        d = rule.amount * w.qty
    else:
        d = mul_div_half_up(amount, units, w.qty)
    return max(0, min(d, amount))


def run_stack(
    option: Sequence[ItemPromotion], w: WorkLine, plans: Plans
) -> list[tuple[ItemPromotion, int]]:
    """Apply the rules of an option one after another; the discount each one gives."""
    amount = w.amount
    out = []
    for rule in option:
        d = rule_discount(rule, w, amount, plans.get(rule.id, {}).get(w.line_id, 0))
        out.append((rule, d))
        amount -= d
    return out


def _stack_total(option: Sequence[ItemPromotion], *, w: WorkLine, first: Plans) -> int:
    """The total discount an option gives a line (what :func:`choose` compares)."""
    return sum(d for _, d in run_stack(option, w, first))


def apply_item_promotions(
    state: PricingState,
    promotions: Sequence[Promotion],
    now: datetime,
    member: MemberInfo | None,
) -> None:
    """Step 1: resolve each line's conflict with :func:`choose`, then apply the chosen rules."""
    active: list[ItemPromotion] = sorted(
        (p for p in promotions if isinstance(p, ITEM_KINDS) and is_active(p, now, member)),
        key=rule_order,
    )
    lines = [w for w in state.lines if not w.is_gift and not w.overridden]
    candidates = {w.line_id: [r for r in active if _applies(r, w.product)] for w in lines}

    def plans_for(member_of: Mapping[str, Sequence[ItemPromotion]]) -> dict[str, dict[str, int]]:
        return {
            r.id: unit_plan(
                r, [w for w in lines if r.id in {x.id for x in member_of.get(w.line_id, ())}]
            )
            for r in active
        }

    first = plans_for(candidates)
    chosen = {
        w.line_id: choose(candidates[w.line_id], partial(_stack_total, w=w, first=first))
        for w in lines
        if candidates[w.line_id]
    }
    final = plans_for(chosen)
    for w in lines:
        for rule, d in run_stack(chosen.get(w.line_id, ()), w, final):
            if d <= 0:
                continue
            label = rule.name
            state.take(
                "item",
                rule.kind,
                rule.id,
                label,
                {w.line_id: d},
                f"{w.product.name} {label} {signed_yuan(d)} (规则 {rule.id})",
            )
            if not rule.tier_discount:
                w.tier_ok = False


def add_gifts(
    state: PricingState,
    promotions: Sequence[Promotion],
    gift_products: Mapping[str, ProductInfo],
    now: datetime,
    member: MemberInfo | None,
) -> None:
    """Add a zero-price gift line for every active gift rule whose condition holds.

    The condition is read on the target lines (no gifts, no overridden lines)
    after item promotions: total quantity ``>= min_qty`` and/or running amount
    ``>= min_amount`` (both must hold when both are given). Gift rules never
    conflict with price rules, so ``exclusive`` does not apply to them.
    """
    gifts = sorted(
        (p for p in promotions if isinstance(p, Gift) and is_active(p, now, member)),
        key=rule_order,
    )
    for rule in gifts:
        lines = [
            w
            for w in state.lines
            if not w.is_gift and not w.overridden and targets(rule, w.product)
        ]
        if not lines:
            continue
        if rule.min_qty is not None and sum(w.qty for w in lines) < rule.min_qty:
            continue
        if rule.min_amount is not None and sum(w.amount for w in lines) < rule.min_amount:
            continue
        product = gift_products.get(rule.gift_sku)
        if product is None:
            state.explanation.append(
                f"{rule.name}：赠品 {rule.gift_sku} 未登记，未赠送 (规则 {rule.id})"
            )
            continue
        line_id = f"gift:{rule.id}"
        state.lines.append(
            WorkLine(line_id, product, rule.gift_qty, unit_price=0, is_gift=True, amount=0)
        )
        label = f"{rule.name}：赠 {product.name} ×{rule.gift_qty}"
        gift_adj = Adjustment(rule.id, "item", rule.kind, label, 0, (line_id,))
        state.lines[-1].adjustments.append(gift_adj)
        state.adjustments.append(gift_adj)
        state.explanation.append(
            f"{label}（价值 {format_yuan(product.price * rule.gift_qty)}）(规则 {rule.id})"
        )


def apply_manual_discounts(state: PricingState) -> None:
    """The cashier's fen off a line, capped so the line never goes below zero."""
    for w in state.lines:
        d = min(w.manual_discount, w.amount)
        if d <= 0:
            continue
        reason = f"（{w.manual_reason}）" if w.manual_reason else ""
        state.take(
            "manual",
            "manual",
            "manual",
            f"手工折让{reason}",
            {w.line_id: d},
            f"{w.product.name} 手工折让 {signed_yuan(d)}{reason}",
        )
