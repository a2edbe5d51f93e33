"""The pricing engine: one pure function, :func:`price`, in the order of DESIGN.md.

0. rewards (积分兑换): reward lines priced by the reward, outside every later step
1. item promotions (incl. nth item), gifts, then manual line discounts
2. member tier discount
3. basket thresholds (满减)
4. coupons
5. points redemption
6. rounding of the payable amount
7. coupons the sale issues for a later visit (满额返券), on what is paid
8. VAT per rate inside what is paid (价税分离)

Limits (每人限享/限购, 限量) hold rules back inside steps 1, 3 and 7. Each step
lives in its own function; every fen a step takes is allocated to lines, so
each line knows what was actually paid for it. No I/O, no clock: ``now`` is an
argument (the till's local time).
"""

from __future__ import annotations

from datetime import datetime

from terminal.messages import Ref, Text, Words, render
from terminal.money import allocate, format_yuan, mul_div_floor
from terminal.pricing.basket_steps import apply_thresholds, apply_tier_discount
from terminal.pricing.coupons import apply_coupons
from terminal.pricing.issue import issue_coupons
from terminal.pricing.items import add_gifts, apply_item_promotions, apply_manual_discounts
from terminal.pricing.model import (
    Basket,
    MemberInfo,
    PricedBasket,
    PricedLine,
    PricingConfig,
    RuleSet,
)
from terminal.pricing.points import points_for
from terminal.pricing.prepared import live as active_now
from terminal.pricing.prepared import prepare
from terminal.pricing.rewards import apply_rewards
from terminal.pricing.rules import Promotion
from terminal.pricing.tax import split_tax
from terminal.pricing.work import PricingState, WorkLine, signed_yuan

ITEM_KIND_NAMES = ("special_price", "percent_off", "amount_off", "buy_x_get_y", "nth_item")

_ROUNDING_LABEL = {  # what the sale stores and the receipt prints
    mode: render(f"px_rounding_{mode}", lang="zh_CN")
    for mode in ("drop_fen", "round_jiao", "drop_jiao")
}


def price(
    basket: Basket,
    member: MemberInfo | None,
    rules: RuleSet,
    now: datetime,
    config: PricingConfig,
) -> PricedBasket:
    """Price a basket. Pure and deterministic: same inputs, same result."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    state = PricingState(_work_lines(basket))
    asked = {line.line_id: line.reward_id for line in basket.lines if line.reward_id is not None}
    rewards, reward_points, issued = apply_rewards(
        state,
        asked,
        basket.reward_coupons,
        rules.rewards,
        rules.coupon_definitions,
        member,
        now,
    )
    usage = rules.usage
    prepared = prepare(rules.promotions)  # made once per rule set, not per scan
    live: dict[str, list[Promotion]] = {}
    for rule in active_now(prepared, now, member):
        live.setdefault(rule.kind, []).append(rule)
    items = [r for kind in ITEM_KIND_NAMES for r in live.get(kind, ())]
    apply_item_promotions(state, items, now, member, usage, prepared.items)
    add_gifts(state, live.get("gift", []), rules.gift_products, now, member, usage)
    apply_manual_discounts(state)
    apply_tier_discount(state, member)
    apply_thresholds(state, live.get("threshold", []), now, member, usage)
    coupons = apply_coupons(state, basket.coupon_codes, rules.coupon_lookup, member, now)
    points_redeemed, points_value = redeem_points(
        state, basket.redeem_points, member, config, reward_points
    )
    payable_before = sum(w.amount for w in state.lines)
    rounding = apply_rounding(state, config.rounding)
    issued += issue_coupons(state, rules.promotions, rules.coupon_definitions, now, member, usage)
    taxes, tax_lines = split_tax([(w.product.vat, w.amount) for w in state.lines])
    lines = tuple(_priced_line(w, tax) for w, tax in zip(state.lines, taxes, strict=True))
    earned, multipliers = points_for(lines, member, live.get("points_multiplier", []), now)
    if member is not None:
        names = [p.name for p in multipliers]
        why = Words("".join(f"，{n}" for n in names), "".join(f", {n}" for n in names))
        state.explain("px_points_earned", points=earned, why=why)
    notes = tuple(state.explanation)
    subtotal = sum(line.gross for line in lines)
    return PricedBasket(
        lines=lines,
        adjustments=tuple(state.adjustments),
        coupons=tuple(coupons),
        subtotal=subtotal,
        discount_total=subtotal - payable_before - points_value,
        points_redeemed=points_redeemed,
        points_value=points_value,
        payable_before_rounding=payable_before,
        rounding=rounding,
        payable=payable_before - rounding,
        points_earned=earned,
        explanation=tuple(n.render("zh_CN") for n in notes),
        notes=notes,
        reward_points=reward_points,
        rewards=tuple(rewards),
        coupons_issued=tuple(issued),
        limits=tuple(state.limit_notes),
        rule_uses=tuple(state.rule_uses),
        taxes=tuple(tax_lines),
    )


def _work_lines(basket: Basket) -> list[WorkLine]:
    out: list[WorkLine] = []
    seen: set[str] = set()
    for line in basket.lines:
        if line.line_id in seen or line.line_id.startswith("gift:"):
            raise ValueError(f"line id {line.line_id!r} is repeated or reserved")
        seen.add(line.line_id)
        if line.qty < 1:
            raise ValueError(f"line {line.line_id}: quantity must be at least 1")
        unit = line.product.price if line.override_price is None else line.override_price
        if unit < 0 or line.manual_discount < 0:
            raise ValueError(f"line {line.line_id}: negative price or discount")
        if line.label_amount is not None and (line.label_amount < 0 or line.override_price):
            raise ValueError(f"line {line.line_id}: a scale label amount cannot be overridden")
        w = WorkLine(
            line_id=line.line_id,
            product=line.product,
            qty=line.qty,
            unit_price=unit,
            overridden=line.override_price is not None,
            manual_discount=line.manual_discount,
            manual_reason=line.manual_reason,
            label_amount=line.label_amount,
        )
        w.amount = w.gross
        out.append(w)
    return out


def redeem_points(
    state: PricingState,
    requested: int,
    member: MemberInfo | None,
    config: PricingConfig,
    reward_points: int = 0,
) -> tuple[int, int]:
    """Step 5: turn points into fen off; returns ``(points used, value in fen)``.

    The request is cut to the member's balance less the points rewards spend,
    then the value (``points × 100 // points_per_yuan``) is capped at
    ``redeem_cap_bp`` of the payable after step 4 (floored, so the cap is never
    exceeded). The points charged are the fewest that give that value, so no
    point is spent on a fraction of a fen. The value is allocated over lines
    (reward lines excepted) by largest remainder on their running amounts.
    """
    if requested < 0:
        raise ValueError("redeem_points must not be negative")
    if requested == 0:
        return 0, 0
    if member is None:
        state.explain("px_points_no_member")
        return 0, 0
    ppy = config.points_per_yuan
    balance = max(0, member.points_balance - reward_points)
    points = min(requested, balance)
    if points < requested:
        state.explain("px_points_over_balance", asked=requested, balance=balance)
    lines = [w for w in state.lines if w.reward_id is None]
    payable = sum(w.amount for w in lines)
    cap = mul_div_floor(payable, config.redeem_cap_bp, 10_000)
    value = points * 100 // ppy
    if value > cap:
        state.explain(
            "px_points_cap", share=format_yuan(config.redeem_cap_bp), cap=format_yuan(cap)
        )
        value = cap
    value = (value * ppy // 100) * 100 // ppy  # a value whole points can buy
    used = -(-value * ppy // 100)  # the fewest points that buy it
    if value <= 0:
        if points > 0:
            state.explain("px_points_too_few")
        return 0, 0
    parts = allocate(value, [w.amount for w in lines])
    state.take(
        "points",
        "points",
        "points",
        f"积分抵扣 {used} 分",
        {w.line_id: p for w, p in zip(lines, parts, strict=True)},
        Text("px_points", {"points": used, "amount": signed_yuan(value)}),
    )
    return used, value


def rounding_amount(payable: int, mode: str) -> int:
    """What rounding takes off ``payable`` (negative: the customer pays more)."""
    if mode == "drop_fen":
        return payable % 10
    if mode == "round_jiao":
        fen = payable % 10
        return fen if fen < 5 else fen - 10
    if mode == "drop_jiao":
        return payable % 100
    if mode == "none":
        return 0
    raise ValueError(f"unknown rounding mode {mode!r}")


def apply_rounding(state: PricingState, mode: str) -> int:
    """Step 6: round the payable; the rounding is allocated over lines by their net.

    Rounding is not a discount: it changes ``paid`` (and the lines' ``rounding``),
    never ``net``.
    """
    net = [w.amount for w in state.lines]
    r = rounding_amount(sum(net), mode)
    if r == 0:
        return 0
    parts = allocate(r, net)
    label = Ref(f"px_rounding_{mode}")
    state.take(
        "rounding",
        "rounding",
        "rounding",
        _ROUNDING_LABEL[mode],
        {w.line_id: p for w, p in zip(state.lines, parts, strict=True)},
        Text("px_rounding", {"label": label, "amount": signed_yuan(r)}),
    )
    return r


def _priced_line(w: WorkLine, tax: int) -> PricedLine:
    step = w.by_step.get
    rounding = step("rounding", 0)
    net = w.amount + rounding
    return PricedLine(
        line_id=w.line_id,
        product=w.product,
        qty=w.qty,
        unit_price=w.unit_price,
        gross=w.gross,
        is_gift=w.is_gift,
        item_discount=step("item", 0),
        manual_discount=step("manual", 0),
        tier_discount=step("tier", 0),
        threshold_discount=step("threshold", 0),
        coupon_discount=step("coupon", 0),
        points_value=step("points", 0),
        net=net,
        rounding=rounding,
        paid=w.amount,
        adjustments=tuple(w.adjustments),
        reward_discount=step("reward", 0),
        reward_id=w.reward_id,
        reward_points=w.reward_points,
        tax=tax,
    )
