"""The 满减 nudge, computed in the core from the priced basket and the same rules."""

from __future__ import annotations

from datetime import UTC, datetime

from terminal.nudge import Nudge, nearest
from terminal.pricing.engine import price
from terminal.pricing.model import (
    Basket,
    BasketLine,
    CouponInstance,
    PricingConfig,
    ProductInfo,
    RuleSet,
)
from terminal.pricing.rules import load_coupon_definitions, load_promotions

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def product(sku: str, price_fen: int, *, category: str = "C1", discountable: bool = True):
    return ProductInfo(
        product_id=sku,
        sku=sku,
        name=sku,
        category_id=category,
        price=price_fen,
        discountable=discountable,
        earns_points=True,
    )


MANJIAN = {
    "id": "P-MJ",
    "kind": "threshold",
    "name": "满100减20",
    "min_spend": 10000,
    "amount": 2000,
    "repeat": True,
    "max_repeats": 2,
}


def run(lines, promotions=(MANJIAN,), coupons=(), codes=()):
    rules = RuleSet(
        promotions=load_promotions(list(promotions)),
        coupon_lookup={c.code: c for c in coupons},
        gift_products={},
    )
    basket = Basket(
        lines=tuple(BasketLine(str(i), p, q) for i, (p, q) in enumerate(lines, start=1)),
        coupon_codes=tuple(codes),
    )
    priced = price(basket, None, rules, NOW, PricingConfig())
    return nearest(priced, rules, NOW, None)


def test_close_to_a_threshold_says_how_much_more_and_what_it_gains():
    assert run([(product("A", 8800), 1)]) == Nudge("P-MJ", "满100减20", 1200, 2000)
    assert run([(product("A", 8800), 1)]).text() == "再买 ¥12.00 可减 ¥20.00（满100减20）"


def test_far_away_or_reached_says_nothing():
    assert run([(product("A", 3000), 1)]) is None  # ¥70 short: advertising, not help
    # reached once: the nudge points at the repeat, once the basket is close to it
    assert run([(product("A", 10500), 1)]) is None
    assert run([(product("A", 18500), 1)]) == Nudge("P-MJ", "满100减20", 1500, 2000)
    # max_repeats reached: nothing more to gain
    assert run([(product("A", 19000), 1), (product("B", 1000), 1)]) is None


def test_goods_the_rule_does_not_count_are_not_counted():
    nondisc = product("N", 5000, discountable=False)
    assert run([(product("A", 4000), 1), (nondisc, 1)]) is None
    rule = {**MANJIAN, "categories": ["C2"]}
    assert run([(product("A", 9500), 1)], promotions=(rule,)) is None
    assert run([(product("A", 9500, category="C2"), 1)], promotions=(rule,)).missing == 500


def test_a_coupons_minimum_spend():
    (definition,) = load_coupon_definitions(
        [
            {
                "id": "CD-50",
                "kind": "amount_off",
                "name": "满50减10元券",
                "value": 1000,
                "min_spend": 5000,
            }
        ]
    )
    coupon = CouponInstance("CP100001", definition)
    nudge = run([(product("A", 4200), 1)], promotions=(), coupons=[coupon], codes=["CP100001"])
    assert nudge == Nudge("CD-50", "满50减10元券", 800, 1000)


def test_the_nearest_wins():
    (definition,) = load_coupon_definitions(
        [{"id": "CD-90", "kind": "amount_off", "name": "满90减5", "value": 500, "min_spend": 9000}]
    )
    coupon = CouponInstance("CP1", definition)
    nudge = run([(product("A", 8700), 1)], coupons=[coupon], codes=["CP1"])
    assert nudge is not None and nudge.rule_id == "CD-90" and nudge.missing == 300
