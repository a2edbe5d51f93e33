"""Step 1 of the pricing order: item promotions, gifts, then manual line discounts.

Item promotions (``special_price``, ``percent_off``, ``amount_off``,
``buy_x_get_y``, ``nth_item``) work on the running amount of each line. Some
look across lines: ``buy_x_get_y`` and ``nth_item`` (the cheapest target units
take the discount), a ``special_price`` with ``limit_qty`` and any rule capped
by a unit limit (the first units in basket order). Those "unit plans" are
computed twice: once over every line the rule could touch, to compare options
when rules conflict, and again over only the lines that chose the rule, to
price them.

Goods sold by weight (quantity in grams) take part only in rules that do not
count units: ``percent_off``, ``amount_off`` (per kg) and ``special_price``
(per kg) without ``limit_qty`` or unit limits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import partial

from terminal.messages import Text, Words
from terminal.money import apply_bp, format_yuan, line_amount, mul_div_half_up
from terminal.pricing.conditions import choose, rule_order, targets
from terminal.pricing.limits import Allowance, allowance, blocked_note, capped_note
from terminal.pricing.model import Adjustment, MemberInfo, ProductInfo, RuleUsage, RuleUse
from terminal.pricing.prepared import TargetIndex, prepare
from terminal.pricing.rules import (
    ITEM_KINDS,
    AmountOff,
    BuyXGetY,
    Gift,
    ItemPromotion,
    NthItem,
    PercentOff,
    Promotion,
    SpecialPrice,
)
from terminal.pricing.work import PricingState, WorkLine, signed_yuan

Plans = Mapping[str, Mapping[str, int]]  # rule id -> line id -> units the rule covers


def counts_units(rule: ItemPromotion) -> bool:
    """Whether a rule works on units of the basket (and so never on goods sold by weight)."""
    if isinstance(rule, BuyXGetY | NthItem):
        return True
    if isinstance(rule, SpecialPrice) and rule.limit_qty is not None:
        return True
    limits = rule.limits
    return limits is not None and (
        limits.counts_units or limits.quota is not None or limits.quota_day is not None
    )


def _applies(rule: ItemPromotion, product: ProductInfo) -> bool:
    """A non-discountable product only gets item rules that name its SKU or category."""
    if not product.discountable and not rule.skus and not rule.categories:
        return False
    if product.weighed and counts_units(rule):
        return False
    return targets(rule, product)


def _first_units(lines: Sequence[WorkLine], cap: int | None) -> dict[str, int]:
    """Units of each line a rule considers: all, or the first ``cap`` in basket order."""
    if cap is None:
        return {w.line_id: w.qty for w in lines}
    plan: dict[str, int] = {}
    left = cap
    for w in lines:
        plan[w.line_id] = min(left, w.qty)
        left -= plan[w.line_id]
    return plan


def _cheapest(
    lines: Sequence[WorkLine], considered: Mapping[str, int], take: int
) -> dict[str, int]:
    """The ``take`` cheapest considered units; equal prices go to the earlier line."""
    plan = {w.line_id: 0 for w in lines}
    for w in sorted(lines, key=lambda w: w.unit_price):
        n = min(take, considered[w.line_id])
        plan[w.line_id] = n
        take -= n
    return plan


def unit_plan(rule: ItemPromotion, lines: Sequence[WorkLine], cap: int | None) -> dict[str, int]:
    """How many units of each line the rule covers (the discounted units for buy X get Y
    and nth item); ``cap`` is the most units a limit lets the rule consider."""
    if isinstance(rule, SpecialPrice) and rule.limit_qty is not None:
        cap = rule.limit_qty if cap is None else min(cap, rule.limit_qty)
    considered = _first_units(lines, cap)
    if isinstance(rule, BuyXGetY):
        free = sum(considered.values()) // (rule.buy + rule.get) * rule.get
        return _cheapest(lines, considered, free)
    if isinstance(rule, NthItem):
        if not rule.same_product:
            return _cheapest(lines, considered, sum(considered.values()) // rule.n)
        plan: dict[str, int] = {}
        by_product: dict[str, list[WorkLine]] = defaultdict(list)
        for w in lines:
            by_product[w.product.product_id].append(w)
        for group in by_product.values():
            units = sum(considered[w.line_id] for w in group)
            plan.update(_cheapest(group, considered, units // rule.n))
        return plan
    return considered


def _take_first(lines: Sequence[WorkLine], available: Mapping[str, int], n: int) -> dict[str, int]:
    """The first ``n`` of the ``available`` units, in basket order."""
    out: dict[str, int] = {}
    for w in lines:
        out[w.line_id] = min(n, available[w.line_id])
        n -= out[w.line_id]
    return out


def used_units(rule: ItemPromotion, lines: Sequence[WorkLine], cap: int | None) -> dict[str, int]:
    """Units of each line that took part in the rule, as its unit limits count them.

    For buy X get Y and nth item these are the units of complete groups (the
    first considered units in basket order); for the others, the units the
    rule covers.
    """
    plan = unit_plan(rule, lines, cap)
    if not isinstance(rule, BuyXGetY | NthItem):
        return plan
    size, per = (rule.buy + rule.get, rule.get) if isinstance(rule, BuyXGetY) else (rule.n, 1)
    considered = _first_units(lines, cap)
    groups: list[list[WorkLine]] = [list(lines)]
    if isinstance(rule, NthItem) and rule.same_product:
        by_product: dict[str, list[WorkLine]] = defaultdict(list)
        for w in lines:
            by_product[w.product.product_id].append(w)
        groups = list(by_product.values())
    out: dict[str, int] = {}
    for group in groups:
        complete = sum(plan[w.line_id] for w in group) // per
        out.update(_take_first(group, considered, complete * size))
    return out


def rule_discount(rule: ItemPromotion, w: WorkLine, amount: int, units: int) -> int:
    """Fen the rule takes off a line whose running amount is ``amount``.

    Covered units are valued at their share of the running amount
    (``amount × units / qty``, half-up), which is exactly ``units × unit_price``
    when no earlier rule of the step touched the line. For goods sold by
    weight, prices and amounts in a rule are per kg.
    """
    value = amount if units == w.qty else mul_div_half_up(amount, units, w.qty)
    weighed = w.product.weighed
    if isinstance(rule, SpecialPrice):
        d = value - line_amount(rule.price, units, weighed=weighed)
    elif isinstance(rule, PercentOff | NthItem):
        d = apply_bp(value, rule.percent_off_bp)
    elif isinstance(rule, AmountOff):
        d = line_amount(rule.amount, units, weighed=weighed)
    else:
        d = value
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


class _Index:
    """The active item rules a line meets: those about its SKU or category, or all products."""

    def __init__(self, prepared: TargetIndex, active: Sequence[ItemPromotion]) -> None:
        self.index = prepared
        self.active = {r.id for r in active}

    def candidates(self, product: ProductInfo) -> list[ItemPromotion]:
        index, active = self.index, self.active
        found = {
            r.id: r
            for group in (
                index.every,
                index.by_sku.get(product.sku, ()),
                index.by_category.get(product.category_id, ()),
            )
            for r in group
            if r.id in active
        }
        return sorted(
            (r for r in found.values() if _applies(r, product)),
            key=lambda r: index.order[r.id],
        )


def _limited(
    state: PricingState,
    rules: Sequence[ItemPromotion],
    usage: Mapping[str, RuleUsage],
) -> tuple[list[ItemPromotion], dict[str, Allowance]]:
    """Leave out the rules a used-up limit blocks (noted); the allowance of the others."""
    kept: list[ItemPromotion] = []
    allowances: dict[str, Allowance] = {}
    for rule in rules:
        allowed = allowance(rule, usage.get(rule.id))
        if allowed is not None:
            bound = allowed.blocked
            if bound is not None:
                note = blocked_note(rule, bound)
                state.limit_notes.append(note)
                state.explanation.append(note.note)
                continue
            allowances[rule.id] = allowed
        kept.append(rule)
    return kept, allowances


def apply_item_promotions(
    state: PricingState,
    promotions: Sequence[Promotion],
    now: datetime,
    member: MemberInfo | None,
    usage: Mapping[str, RuleUsage] | None = None,
    targets_of: TargetIndex | None = None,
) -> None:
    """Step 1: resolve each line's conflict with :func:`choose`, then apply the chosen rules.

    ``promotions`` are the active ones; ``targets_of`` indexes item rules by
    their targets (made once per rule set, :mod:`terminal.pricing.prepared`).
    """
    active: list[ItemPromotion] = sorted(
        (p for p in promotions if isinstance(p, ITEM_KINDS)), key=rule_order
    )
    lines = [w for w in state.lines if w.priced_by_rules and not w.overridden]
    if not active or not lines:
        return
    index = _Index(targets_of or prepare(active).items, active)
    candidates = {w.line_id: index.candidates(w.product) for w in lines}
    touched = {r.id for rules in candidates.values() for r in rules}
    active, allowances = _limited(state, [r for r in active if r.id in touched], usage or {})
    kept = {r.id for r in active}
    candidates = {k: [r for r in v if r.id in kept] for k, v in candidates.items()}

    def cap(rule: ItemPromotion) -> int | None:
        allowed = allowances.get(rule.id)
        return allowed.unit_cap if allowed is not None else None

    def lines_of(member_of: Mapping[str, Sequence[ItemPromotion]]) -> dict[str, list[WorkLine]]:
        out: dict[str, list[WorkLine]] = defaultdict(list)
        for w in lines:
            for r in member_of.get(w.line_id, ()):
                out[r.id].append(w)
        return out

    def plans_for(member_of: Mapping[str, Sequence[ItemPromotion]]) -> dict[str, dict[str, int]]:
        by_rule = lines_of(member_of)
        return {r.id: unit_plan(r, by_rule[r.id], cap(r)) for r in active if r.id in by_rule}

    first = plans_for(candidates)
    chosen = {
        w.line_id: choose(candidates[w.line_id], partial(_stack_total, w=w, first=first))
        for w in lines
        if candidates[w.line_id]
    }
    final = plans_for(chosen)
    chosen_lines = lines_of(chosen)
    gave: dict[str, set[str]] = defaultdict(set)  # rule id -> lines it took money off
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
                Text(
                    "px_item",
                    {
                        "product": w.product.name,
                        "label": label,
                        "amount": signed_yuan(d),
                        "rule": rule.id,
                    },
                ),
            )
            gave[rule.id].add(w.line_id)
            if not rule.tier_discount:
                w.tier_ok = False
    for rule in active:
        if rule.id not in gave or rule.limits is None:
            continue
        _note_use(state, rule, chosen_lines.get(rule.id, []), allowances.get(rule.id))


def _note_use(
    state: PricingState, rule: ItemPromotion, lines: Sequence[WorkLine], allowed: Allowance | None
) -> None:
    """Record what a limited rule used on this sale, and say when a unit limit held it back."""
    cap = allowed.unit_cap if allowed is not None else None
    units = used_units(rule, lines, cap)
    wanted = sum(w.qty for w in lines)
    if allowed is not None and allowed.units is not None and cap is not None and wanted > cap:
        note = capped_note(rule, allowed.units, wanted)
        state.limit_notes.append(note)
        state.explanation.append(note.note)
    rows = [RuleUse(rule.id, w.line_id, n) for w in lines if (n := units.get(w.line_id, 0))]
    state.rule_uses.extend(rows or [RuleUse(rule.id, None, 0)])


def add_gifts(
    state: PricingState,
    promotions: Sequence[Promotion],
    gift_products: Mapping[str, ProductInfo],
    now: datetime,
    member: MemberInfo | None,
    usage: Mapping[str, RuleUsage] | None = None,
) -> None:
    """Add a zero-price gift line for every active gift rule whose condition holds.

    The condition is read on the target lines (no gifts, rewards, overridden or
    weighed lines) after item promotions: total quantity ``>= min_qty`` and/or
    running amount ``>= min_amount`` (both must hold when both are given). Gift
    rules never conflict with price rules, so ``exclusive`` does not apply to
    them. A gift rule with limits gives its gift while they allow. ``promotions``
    are the active ones.
    """
    gifts = sorted((p for p in promotions if isinstance(p, Gift)), key=rule_order)
    for rule in gifts:
        lines = [
            w
            for w in state.targeted(rule)
            if w.priced_by_rules and not w.overridden and not w.product.weighed
        ]
        if not lines:
            continue
        if rule.min_qty is not None and sum(w.qty for w in lines) < rule.min_qty:
            continue
        if rule.min_amount is not None and sum(w.amount for w in lines) < rule.min_amount:
            continue
        allowed = allowance(rule, (usage or {}).get(rule.id))
        bound = allowed.blocked if allowed is not None else None
        if bound is not None:
            note = blocked_note(rule, bound)
            state.limit_notes.append(note)
            state.explanation.append(note.note)
            continue
        product = gift_products.get(rule.gift_sku)
        if product is None:
            state.explain("px_gift_unknown", name=rule.name, sku=rule.gift_sku, rule=rule.id)
            continue
        line_id = f"gift:{rule.id}"
        state.lines.append(
            WorkLine(line_id, product, rule.gift_qty, unit_price=0, is_gift=True, amount=0)
        )
        label = f"{rule.name}：赠 {product.name} ×{rule.gift_qty}"
        gift_adj = Adjustment(rule.id, "item", rule.kind, label, 0, (line_id,))
        state.lines[-1].adjustments.append(gift_adj)
        state.adjustments.append(gift_adj)
        state.explain(
            "px_gift",
            name=rule.name,
            product=product.name,
            qty=rule.gift_qty,
            value=format_yuan(product.price * rule.gift_qty),
            rule=rule.id,
        )
        if rule.limits is not None:
            state.rule_uses.append(RuleUse(rule.id, None, 0))


def apply_manual_discounts(state: PricingState) -> None:
    """The cashier's fen off a line, capped so the line never goes below zero."""
    for w in state.lines:
        d = min(w.manual_discount, w.amount)
        if d <= 0:
            continue
        why = w.manual_reason
        reason = Words(f"（{why}）", f" ({why})") if why else Words("", "")
        state.take(
            "manual",
            "manual",
            "manual",
            f"手工折让{reason.zh_CN}",  # what the sale stores and the receipt prints
            {w.line_id: d},
            Text(
                "px_manual", {"product": w.product.name, "amount": signed_yuan(d), "reason": reason}
            ),
        )
