"""Property tests: whatever the basket and the rules, the priced basket adds up."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.money import allocate
from terminal.pricing import earn_points, price
from terminal.pricing.model import (
    Basket,
    BasketLine,
    CouponInstance,
    MemberInfo,
    PricingConfig,
    ProductInfo,
    RuleSet,
    RuleUsage,
    TierInfo,
)
from terminal.pricing.rules import load_coupon_definitions, load_promotions, load_rewards

SKUS = ["A", "B", "C", "D", "E"]
CATS = ["C1", "C2", "C3"]
GIFT = ProductInfo("p-gift", "G", "赠品", "C9", 500)

products = st.builds(
    ProductInfo,
    product_id=st.sampled_from(SKUS).map(lambda s: f"p-{s}"),
    sku=st.sampled_from(SKUS),
    name=st.just("商品"),
    category_id=st.sampled_from(CATS),
    price=st.integers(0, 50_000),
    discountable=st.booleans(),
    earns_points=st.booleans(),
    sold_by=st.sampled_from(["unit", "unit", "weight"]),
    vat=st.sampled_from(["13", "9", "6", "0", "exempt"]),
)
ITEM = ("special_price", "percent_off", "amount_off", "buy_x_get_y", "nth_item")
limits = st.fixed_dictionaries(
    {},
    optional={
        "per_member": st.integers(1, 3),
        "per_member_day": st.integers(1, 3),
        "quota": st.integers(1, 20),
        "quota_day": st.integers(1, 20),
    },
)
unit_limits = st.fixed_dictionaries(
    {},
    optional={"per_member_units": st.integers(1, 6), "per_member_day_units": st.integers(1, 6)},
)
usage = st.builds(
    RuleUsage,
    member_times=st.integers(0, 3),
    member_units=st.integers(0, 6),
    member_day_times=st.integers(0, 3),
    member_day_units=st.integers(0, 6),
    quota=st.integers(0, 20),
    quota_day=st.integers(0, 20),
)

targets = st.fixed_dictionaries(
    {},
    optional={
        "skus": st.lists(st.sampled_from(SKUS), max_size=2),
        "categories": st.lists(st.sampled_from(CATS), max_size=2),
    },
)
common = st.fixed_dictionaries(
    {"priority": st.integers(0, 3), "exclusive": st.booleans()},
    optional={
        "weekdays": st.lists(st.integers(1, 7), min_size=1, max_size=3),
        "member_only": st.booleans(),
        "birthday_month_only": st.booleans(),
        "tier_discount": st.booleans(),
    },
)
fen = st.integers(1, 20_000)
bp = st.integers(1, 10_000)
kind_fields = st.one_of(
    st.fixed_dictionaries(
        {"kind": st.just("special_price"), "price": st.integers(0, 20_000)},
        optional={"limit_qty": st.integers(1, 5)},
    ),
    st.fixed_dictionaries({"kind": st.just("percent_off"), "percent_off_bp": bp}),
    st.fixed_dictionaries({"kind": st.just("amount_off"), "amount": fen}),
    st.fixed_dictionaries(
        {"kind": st.just("buy_x_get_y"), "buy": st.integers(1, 3), "get": st.integers(1, 2)}
    ),
    st.fixed_dictionaries(
        {"kind": st.just("nth_item"), "n": st.integers(2, 4), "percent_off_bp": bp},
        optional={"same_product": st.booleans()},
    ),
    st.fixed_dictionaries(
        {
            "kind": st.just("coupon_issue"),
            "min_spend": st.integers(1, 30_000),
            "coupon_id": st.sampled_from(["D0", "D1", "NOPE"]),
            "valid_days": st.integers(1, 60),
        },
        optional={"repeat": st.booleans(), "count": st.integers(1, 3)},
    ),
    st.fixed_dictionaries(
        {"kind": st.just("topup_bonus"), "min_amount": fen, "bonus": fen},
    ),
    st.fixed_dictionaries(
        {"kind": st.just("gift"), "min_qty": st.integers(1, 5), "gift_sku": st.just("G")}
    ),
    st.fixed_dictionaries(
        {
            "kind": st.just("threshold"),
            "min_spend": st.integers(5_000, 50_000),
            "repeat": st.booleans(),
        },
        optional={"max_repeats": st.integers(1, 3)},
    ).flatmap(
        lambda d: st.one_of(
            st.builds(lambda a: {**d, "amount": a}, st.integers(1, d["min_spend"])),
            st.builds(lambda p: {**d, "percent_off_bp": p}, bp),
        )
    ),
    st.fixed_dictionaries(
        {"kind": st.just("points_multiplier"), "multiplier_bp": st.integers(1, 30_000)}
    ),
)


@st.composite
def promotions(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(0, 6))):
        kf = draw(kind_fields)
        rule = {"id": f"P{i}", "name": f"促销{i}", **draw(common), **kf}
        if kf["kind"] not in ("points_multiplier", "topup_bonus"):
            rule.update(draw(targets))
            if draw(st.booleans()):
                lim = draw(limits)
                if kf["kind"] in ITEM:
                    lim.update(draw(unit_limits))
                rule["limits"] = lim
        if kf["kind"] not in ITEM:
            rule.pop("tier_discount", None)
        out.append(rule)
    return out


coupon_defs = st.one_of(
    st.fixed_dictionaries(
        {"kind": st.just("amount_off"), "value": fen, "stackable": st.booleans()},
        optional={
            "min_spend": st.integers(0, 30_000),
            "categories": st.lists(st.sampled_from(CATS), max_size=2),
        },
    ),
    st.fixed_dictionaries(
        {"kind": st.just("percent_off"), "percent_off_bp": bp, "stackable": st.booleans()},
        optional={"max_discount": fen, "min_spend": st.integers(0, 30_000)},
    ),
)


@st.composite
def baskets(draw: st.DrawFn) -> tuple[Basket, RuleSet, MemberInfo | None, datetime, PricingConfig]:
    lines = []
    for i in range(draw(st.integers(0, 6))):
        product = draw(products)
        override = draw(st.none() | st.integers(0, 50_000))
        lines.append(
            BasketLine(
                f"l{i}",
                product,
                draw(st.integers(1, 10) if not product.weighed else st.integers(1, 5000)),
                override_price=override,
                manual_discount=draw(st.sampled_from([0, 0, 1, 99, 1000, 100_000])),
                label_amount=None if override is not None else draw(st.none() | fen),
                reward_id=draw(st.sampled_from([None, None, None, "RW1", "RW2", "NOPE"])),
            )
        )
    defs = draw(st.lists(coupon_defs, max_size=3))
    definitions = load_coupon_definitions(
        [{"id": f"D{i}", "name": f"券{i}", **d} for i, d in enumerate(defs)]
    )
    lookup = {
        f"K{i}": CouponInstance(
            f"K{i}",
            d,
            used=draw(st.booleans()),
            member_id=draw(st.sampled_from([None, "m1", "m2"])),
        )
        for i, d in enumerate(definitions)
    }
    codes = draw(st.lists(st.sampled_from([*lookup, "NOPE"]), max_size=4))
    rewards = load_rewards(
        [
            {
                "id": "RW1",
                "kind": "product",
                "name": "兑换A",
                "sku": "A",
                "points": draw(st.integers(1, 5000)),
                "money": draw(st.integers(0, 5000)),
            },
            {
                "id": "RW2",
                "kind": "coupon",
                "name": "兑券",
                "points": 300,
                "coupon_id": "D0",
                "valid_days": 3,
            },
        ]
    )
    promos = load_promotions(draw(promotions()))
    rules = RuleSet(
        promos,
        lookup,
        {"G": GIFT},
        rewards={r.id: r for r in rewards},
        coupon_definitions={d.id: d for d in definitions},
        usage={p.id: draw(usage) for p in promos},
    )
    reward_coupons = tuple(draw(st.lists(st.sampled_from(["RW2", "RW1", "NOPE"]), max_size=2)))
    member = draw(
        st.none()
        | st.builds(
            MemberInfo,
            member_id=st.just("m1"),
            tier=st.builds(
                TierInfo,
                code=st.just("T"),
                name=st.just("金卡"),
                discount_bp=st.integers(0, 3000),
                points_multiplier_bp=st.integers(0, 30_000),
            ),
            birthday_month=st.none() | st.integers(1, 12),
            points_balance=st.integers(-100, 1_000_000),
        )
    )
    offset = timezone(timedelta(hours=draw(st.integers(-12, 14))))
    now = draw(
        st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31))
    ).replace(tzinfo=offset)
    config = PricingConfig(
        points_per_yuan=draw(st.integers(1, 1000)),
        redeem_cap_bp=draw(st.integers(0, 10_000)),
        rounding=draw(st.sampled_from(["none", "drop_fen", "round_jiao", "drop_jiao"])),
    )
    basket = Basket(tuple(lines), tuple(codes), draw(st.integers(0, 2_000_000)), reward_coupons)
    return basket, rules, member, now, config


@settings(max_examples=300, deadline=None)
@given(baskets())
def test_priced_basket_adds_up(case: tuple[Any, ...]) -> None:
    basket, rules, member, now, config = case
    r = price(basket, member, rules, now, config)
    assert r.payable >= 0
    assert sum(line.net for line in r.lines) == r.payable_before_rounding
    assert sum(line.paid for line in r.lines) == r.payable
    assert r.payable_before_rounding - r.rounding == r.payable
    assert r.subtotal - r.discount_total - r.points_value == r.payable_before_rounding
    assert r.discount_total >= 0
    for line in r.lines:
        assert line.net >= 0 and line.paid >= 0
        assert line.paid == line.net - line.rounding
        assert sum(a.amount for a in line.adjustments) == line.gross - line.paid
    assert sum(a.amount for a in r.adjustments) == r.subtotal - r.payable
    assert 0 <= r.points_redeemed <= max(0, member.points_balance if member else 0)
    assert r.points_redeemed + r.reward_points <= max(0, member.points_balance if member else 0)
    assert r.reward_points == sum(x.points for x in r.rewards if x.applied)
    assert sum(line.reward_points for line in r.lines) <= r.reward_points
    assert len(r.rewards) == sum(1 for x in basket.lines if x.reward_id) + len(
        basket.reward_coupons
    )
    assert r.points_redeemed <= basket.redeem_points
    assert r.points_earned >= 0
    if member is None:
        assert r.points_earned == 0 and r.points_redeemed == 0
    assert len(r.coupons) == len(basket.coupon_codes)
    assert sum(c.amount for c in r.coupons) == sum(line.coupon_discount for line in r.lines)
    assert sum(t.amount for t in r.taxes) == r.payable
    assert sum(t.tax for t in r.taxes) == sum(line.tax for line in r.lines)
    for line in r.lines:
        assert 0 <= line.tax <= line.paid
        if line.reward_id is not None or line.is_gift:
            assert line.points_value == line.coupon_discount == line.tier_discount == 0
    for issued in r.coupons_issued:
        assert issued.count >= 1 and issued.valid_from < issued.valid_to
    assert price(basket, member, rules, now, config) == r  # deterministic


@settings(max_examples=200, deadline=None)
@given(baskets())
def test_points_value_respects_the_cap(case: tuple[Any, ...]) -> None:
    basket, rules, member, now, config = case
    r = price(basket, member, rules, now, config)
    payable_after_coupons = r.payable_before_rounding + r.points_value
    assert r.points_value * 10_000 <= payable_after_coupons * config.redeem_cap_bp
    assert r.points_value == r.points_redeemed * 100 // config.points_per_yuan


@given(st.integers(-(10**9), 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=12))
def test_allocate_sums_exactly(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    if total >= 0 and sum(weights) > 0:
        assert all(p >= 0 for p in parts)
        assert all(w > 0 or p == 0 for w, p in zip(weights, parts, strict=True))
        if total <= sum(weights):
            assert all(p <= w for w, p in zip(weights, parts, strict=True))


@given(st.integers(-(10**7), 10**7), st.lists(st.integers(0, 50_000), max_size=4))
def test_earn_points_is_exact_floor(paid: int, multipliers: list[int]) -> None:
    got = earn_points(paid, multipliers)
    assert got >= 0
    num, den = max(paid, 0), 100
    for m in multipliers:
        num, den = num * m, den * 10_000
    assert got == num // den


@settings(max_examples=200, deadline=None)
@given(baskets())
def test_prepared_rules_are_exactly_the_active_ones(case: tuple[Any, ...]) -> None:
    """The engine's once-per-rule-set preparation never changes which rules apply."""
    from terminal.pricing.conditions import is_active, rule_order
    from terminal.pricing.prepared import live, prepare

    _basket, rules, member, now, _config = case
    expected = [p for p in sorted(rules.promotions, key=rule_order) if is_active(p, now, member)]
    assert live(prepare(rules.promotions), now, member) == expected
    assert prepare(rules.promotions) is prepare(rules.promotions)  # made once per rule set
