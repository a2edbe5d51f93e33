"""The pricing engine: one pure function, :func:`price`, in the order of DESIGN.md.

1. item promotions (and gifts), then manual line discounts
2. member tier discount
3. basket thresholds (满减)
4. coupons
5. points redemption
6. rounding of the payable amount

Each step lives in its own function; every fen a step takes is allocated to
lines, so each line knows what was actually paid for it. No I/O, no clock:
``now`` is an argument.
"""

from __future__ import annotations

from datetime import datetime

from terminal.money import allocate, format_yuan, mul_div_floor
from terminal.pricing.basket_steps import apply_thresholds, apply_tier_discount
from terminal.pricing.coupons import apply_coupons
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
from terminal.pricing.work import PricingState, WorkLine, signed_yuan

_ROUNDING_LABEL = {
    "drop_fen": "抹零(抹分)",
    "round_jiao": "四舍五入到角",
    "drop_jiao": "抹零(抹角)",
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
    apply_item_promotions(state, rules.promotions, now, member)
    add_gifts(state, rules.promotions, rules.gift_products, now, member)
    apply_manual_discounts(state)
    apply_tier_discount(state, member)
    apply_thresholds(state, rules.promotions, now, member)
    coupons = apply_coupons(state, basket.coupon_codes, rules.coupon_lookup, member, now)
    points_redeemed, points_value = redeem_points(state, basket.redeem_points, member, config)
    payable_before = sum(w.amount for w in state.lines)
    rounding = apply_rounding(state, config.rounding)
    lines = tuple(_priced_line(w) for w in state.lines)
    earned, multipliers = points_for(lines, member, rules.promotions, now)
    explanation = list(state.explanation)
    if member is not None:
        why = "".join(f"，{p.name}" for p in multipliers)
        explanation.append(f"本单可得积分 {earned} 分{why}")
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
        explanation=tuple(explanation),
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
        out.append(
            WorkLine(
                line_id=line.line_id,
                product=line.product,
                qty=line.qty,
                unit_price=unit,
                overridden=line.override_price is not None,
                manual_discount=line.manual_discount,
                manual_reason=line.manual_reason,
                amount=unit * line.qty,
            )
        )
    return out


def redeem_points(
    state: PricingState, requested: int, member: MemberInfo | None, config: PricingConfig
) -> tuple[int, int]:
    """Step 5: turn points into fen off; returns ``(points used, value in fen)``.

    The request is cut to the member's balance, then the value
    (``points × 100 // points_per_yuan``) is capped at ``redeem_cap_bp`` of the
    payable after step 4 (floored, so the cap is never exceeded). The points
    charged are the fewest that give that value, so no point is spent on a
    fraction of a fen. The value is allocated over lines by largest remainder
    on their running amounts.
    """
    if requested < 0:
        raise ValueError("redeem_points must not be negative")
    if requested == 0:
        return 0, 0
    if member is None:
        state.explanation.append("未识别会员，不能使用积分抵扣")
        return 0, 0
    ppy = config.points_per_yuan
    balance = max(0, member.points_balance)
    points = min(requested, balance)
    if points < requested:
        state.explanation.append(
            f"申请抵扣 {requested} 分超过可用积分 {balance} 分，按 {balance} 分计"
        )
    payable = sum(w.amount for w in state.lines)
    cap = mul_div_floor(payable, config.redeem_cap_bp, 10_000)
    value = points * 100 // ppy
    if value > cap:
        state.explanation.append(
            f"积分最多抵扣应付金额的 {format_yuan(config.redeem_cap_bp)}%，即 {format_yuan(cap)} 元"
        )
        value = cap
    value = (value * ppy // 100) * 100 // ppy  # a value whole points can buy
    used = -(-value * ppy // 100)  # the fewest points that buy it
    if value <= 0:
        if points > 0:
            state.explanation.append("积分不足以抵扣 1 分钱，未使用积分")
        return 0, 0
    parts = allocate(value, [w.amount for w in state.lines])
    state.take(
        "points",
        "points",
        "points",
        f"积分抵扣 {used} 分",
        {w.line_id: p for w, p in zip(state.lines, parts, strict=True)},
        f"积分抵扣 {used} 分 {signed_yuan(value)}",
    )
    return used, value


def percent(bp: int) -> str:
    """``5000`` -> ``"50%"``, ``1250`` -> ``"12.5%"``."""
    if bp % 100 == 0:
        return f"{bp // 100}%"
    return f"{bp // 100}.{bp % 100:02d}".rstrip("0") + "%"


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
    label = _ROUNDING_LABEL[mode]
    state.take(
        "rounding",
        "rounding",
        "rounding",
        label,
        {w.line_id: p for w, p in zip(state.lines, parts, strict=True)},
        f"{label} {signed_yuan(r)}",
    )
    return r


def _priced_line(w: WorkLine) -> PricedLine:
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
    )
