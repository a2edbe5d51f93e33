"""Pricing scenarios of the member-value kinds, with hand-computed expectations.

Nth-item rules (第二件半价, 买三免一), goods sold by weight, limits (每人限享/限购,
限量), coupons issued for a later visit (满额返券), rewards bought with points
(积分兑换) and VAT per rate. As in test_pricing_scenarios.py, every expected
figure was worked out by hand (the comment shows the arithmetic); amounts in
fen; now = Wednesday 2026-11-25 12:00 +08:00 unless said otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from terminal.pricing import price
from terminal.pricing.model import (
    Basket,
    BasketLine,
    CouponInstance,
    MemberInfo,
    PricedBasket,
    PricingConfig,
    ProductInfo,
    RuleSet,
    RuleUsage,
)
from terminal.pricing.rules import (
    RuleError,
    load_coupon_definitions,
    load_promotions,
    load_rewards,
)
from terminal.pricing.topup import topup_bonus
from tests.terminal.test_pricing_scenarios import (
    APPLE,
    BEER,
    CIG,
    CRAFT,
    CST,
    GOLD,
    MILK,
    NOODLE,
    NORMAL,
    RICE,
    WED_NOON,
    member,
)

YOGURT = ProductInfo("p-yog", "Y1", "酸奶", "C03", 500, vat="13")
RICE9 = ProductInfo("p-rice9", "R9", "大米", "C04", 5000, vat="9")
TOMATO = ProductInfo("p-tom", "V1", "西红柿", "C07", 600, vat="exempt")
APPLE_KG = ProductInfo("p-akg", "AKG", "散装苹果", "C07", 1280, sold_by="weight", vat="9")
COUPON_DEF = {
    "id": "CD-NEXT",
    "kind": "amount_off",
    "name": "下次满50减10",
    "value": 1000,
    "min_spend": 5000,
}


def promo(pid: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {"id": pid, "kind": kind, "name": fields.pop("name", f"促销{pid}"), **fields}


def run(
    lines: list[tuple[Any, ...]],
    promos: list[dict[str, Any]] = (),  # type: ignore[assignment]
    *,
    who: MemberInfo | None = None,
    usage: dict[str, RuleUsage] | None = None,
    rewards: list[dict[str, Any]] = (),  # type: ignore[assignment]
    reward_coupons: tuple[str, ...] = (),
    redeem: int = 0,
    codes: tuple[str, ...] = (),
    coupons: dict[str, CouponInstance] | None = None,
    now: datetime = WED_NOON,
) -> PricedBasket:
    basket_lines = []
    for i, (product, qty, *extra) in enumerate(lines, start=1):
        opts = extra[0] if extra else {}
        basket_lines.append(
            BasketLine(
                f"l{i}",
                product,
                qty,
                label_amount=opts.get("label"),
                reward_id=opts.get("reward"),
            )
        )
    definitions = {d.id: d for d in load_coupon_definitions([COUPON_DEF])}
    rules = RuleSet(
        load_promotions(list(promos)),
        coupons or {},
        {"G1": NOODLE},
        rewards={r.id: r for r in load_rewards(list(rewards))},
        coupon_definitions=definitions,
        usage=usage or {},
    )
    basket = Basket(tuple(basket_lines), codes, redeem, reward_coupons)
    return price(basket, who, rules, now, PricingConfig())


def nets(r: PricedBasket) -> dict[str, int]:
    return {line.line_id: line.net for line in r.lines}


# --- nth item: 第二件半价, 买三免一 ------------------------------------------------------

HALF = promo("P2", "nth_item", n=2, percent_off_bp=5000, same_product=True, skus=["Y1"])


def test_second_unit_half_price():
    r = run([(YOGURT, 2)], [HALF])  # 2 × 5.00, one at half: -2.50
    assert r.payable == 750 and r.lines[0].item_discount == 250
    assert r.adjustments[0].kind == "nth_item" and r.adjustments[0].rule_id == "P2"


def test_second_unit_half_price_three_units_one_pair():
    assert run([(YOGURT, 3)], [HALF]).payable == 1250  # 15.00 - 2.50


def test_nth_item_across_a_group_discounts_the_cheapest_unit():
    rule = promo("P2G", "nth_item", n=2, percent_off_bp=5000, categories=["C01", "C03"])
    r = run([(APPLE, 1), (MILK, 1)], [rule])  # the milk (5.00) is the cheaper: -2.50
    assert r.payable == 1250 and nets(r) == {"l1": 1000, "l2": 250}


def test_same_product_needs_two_of_the_same():
    rule = promo("P2S", "nth_item", n=2, percent_off_bp=5000, same_product=True)
    assert run([(APPLE, 1), (MILK, 1)], [rule]).payable == 1500


def test_buy_three_one_free_takes_the_cheapest():
    rule = promo("P3", "nth_item", n=3, percent_off_bp=10_000, categories=["C08"])
    r = run([(BEER, 2), (CRAFT, 1)], [rule])  # 3 units: the 3.00 beer free
    assert r.payable == 1100 and nets(r) == {"l1": 300, "l2": 800}
    r = run([(BEER, 4), (CRAFT, 2)], [rule])  # 6 units: 2 beers free, 24.00 - 6.00
    assert r.payable == 2200 and nets(r) == {"l1": 600, "l2": 1600}


def test_nth_item_then_tier_then_threshold():
    gold = member(GOLD)
    r = run([(YOGURT, 2)], [HALF], who=gold)  # 7.50, then 5 % of 7.50 = 0.375 -> 0.38
    assert r.payable == 712
    no_tier = {**HALF, "tier_discount": False}
    assert run([(YOGURT, 2)], [no_tier], who=gold).payable == 750
    manjian = promo("MJ", "threshold", min_spend=5000, amount=500)
    r = run([(YOGURT, 2), (RICE, 1)], [HALF, manjian])  # 57.50 ≥ 50: -5.00 over 7.50 / 50.00
    assert r.payable == 5250 and nets(r) == {"l1": 750 - 65, "l2": 5000 - 435}


def test_nth_item_against_an_exclusive_special_price():
    special = promo("SP", "special_price", price=400, skus=["Y1"], exclusive=True, priority=1)
    r = run([(YOGURT, 2)], [HALF, special])  # p1 beats p0: 2 × 4.00
    assert r.payable == 800


# --- goods sold by weight ----------------------------------------------------------------


def test_weighed_line_amount_is_price_per_kg_times_grams_half_up():
    r = run([(APPLE_KG, 532)])  # 12.80/kg × 0.532 kg = 6.8096 -> 6.81
    assert r.payable == 681 and r.lines[0].qty == 532 and r.lines[0].unit_price == 1280


def test_rules_per_kg_on_weighed_lines():
    pct = promo("PCT", "percent_off", percent_off_bp=1000, categories=["C07"])
    assert run([(APPLE_KG, 532)], [pct]).payable == 613  # 6.81 - 0.681 -> 0.68
    per_kg = promo("AMT", "amount_off", amount=200, skus=["AKG"])
    assert run([(APPLE_KG, 532)], [per_kg]).payable == 575  # 2.00/kg × 0.532 = 1.064 -> 1.06
    special = promo("SPK", "special_price", price=990, skus=["AKG"])
    assert run([(APPLE_KG, 532)], [special]).payable == 527  # 9.90 × 0.532 = 5.2668 -> 5.27


def test_unit_counting_rules_leave_weighed_lines_alone():
    b2g1 = promo("B", "buy_x_get_y", buy=1, get=1, categories=["C07"])
    nth = promo("N", "nth_item", n=2, percent_off_bp=5000, categories=["C07"])
    limited = promo("L", "special_price", price=100, skus=["AKG"], limit_qty=1)
    assert run([(APPLE_KG, 532), (APPLE_KG, 400)], [b2g1, nth, limited]).payable == 681 + 512


def test_a_price_label_is_the_line_amount():
    r = run([(APPLE_KG, 547, {"label": 700})])  # the scale printed 7.00
    assert r.payable == 700 and r.lines[0].gross == 700


# --- limits --------------------------------------------------------------------------------

LIMITED = promo(
    "LIM", "special_price", price=800, skus=["A1"], limits={"per_member_units": 2, "quota": 500}
)


def test_per_member_units_caps_the_promotional_units_and_says_how_many_remain():
    r = run([(APPLE, 3)], [LIMITED], who=member(), usage={"LIM": RuleUsage(member_units=1)})
    assert r.payable == 2800  # one unit left at 8.00: -2.00
    (note,) = r.limits
    assert (note.limit, note.allowed, note.remaining) == ("per_member_units", 2, 1)
    assert "每人限购 2 件" in note.message and "1 件享受优惠" in note.message
    assert [(u.rule_id, u.line_id, u.units) for u in r.rule_uses] == [("LIM", "l1", 1)]
    # the screen says it in the till's language; the sale stores the Chinese
    assert note.text("en") == (
        "促销LIM: 2 items per member; 1 of the 3 items get the offer, the rest full price "
        "(rule LIM)"
    )
    assert note.text("zh_CN") == note.message
    assert note.message in r.explanation and note.text("en") in r.explain("en")


def test_a_used_up_limit_keeps_the_promotion_off_and_says_which():
    used = {"LIM": RuleUsage(member_units=2)}
    r = run([(APPLE, 3)], [LIMITED], who=member(), usage=used)
    assert r.payable == 3000 and r.limits[0].remaining == 0
    assert "已用完" in r.limits[0].message
    sold_out = {"LIM": RuleUsage(quota=500)}
    r = run([(APPLE, 1)], [LIMITED], who=member(), usage=sold_out)
    assert r.payable == 1000 and r.limits[0].limit == "quota" and "已售完" in r.limits[0].message
    assert r.limits[0].text("en") == "促销LIM: 500 in all, sold out: not on this sale (rule LIM)"


def test_a_member_limit_needs_a_member():
    assert run([(APPLE, 3)], [LIMITED]).payable == 3000


def test_times_limits_per_day_and_on_thresholds():
    once = promo("MJ1", "threshold", min_spend=2000, amount=300, limits={"per_member_day": 1})
    r = run([(APPLE, 2)], [once], who=member())
    assert r.payable == 1700 and [u.rule_id for u in r.rule_uses] == ["MJ1"]
    used = {"MJ1": RuleUsage(member_day_times=1, member_times=7)}
    r = run([(APPLE, 2)], [once], who=member(), usage=used)
    assert r.payable == 2000 and r.limits[0].limit == "per_member_day"


def test_nth_item_with_a_unit_limit_counts_complete_pairs():
    rule = {**HALF, "limits": {"per_member_units": 4}}
    r = run([(YOGURT, 5)], [rule], who=member())  # 4 units considered: 2 pairs, 2 × 2.50
    assert r.payable == 2000
    assert [(u.line_id, u.units) for u in r.rule_uses] == [("l1", 4)]


def test_unit_limits_are_for_item_promotions():
    load_promotions([promo("X", "threshold", min_spend=1, amount=1, limits={"quota": 1})])
    with pytest.raises(RuleError, match="points_multiplier rules take no limits"):
        load_promotions([promo("Y", "points_multiplier", multiplier_bp=1, limits={"quota": 1})])
    with pytest.raises(RuleError, match="unit limits"):
        load_promotions(
            [promo("Z", "threshold", min_spend=1, amount=1, limits={"per_member_units": 1})]
        )


# --- coupons issued for a later visit (满额返券) -----------------------------------------

ISSUE = promo("RET", "coupon_issue", min_spend=10_000, coupon_id="CD-NEXT", valid_days=30)


def test_a_sale_reaching_the_threshold_issues_a_coupon_from_tomorrow():
    r = run([(RICE, 2)], [ISSUE])  # 100.00 paid ≥ 100.00
    (issued,) = r.coupons_issued
    assert (issued.definition_id, issued.count, issued.basis) == ("CD-NEXT", 1, 10_000)
    assert issued.valid_from == datetime(2026, 11, 26, 0, 0, tzinfo=CST)
    assert issued.valid_to == datetime(2026, 12, 25, 23, 59, 59, tzinfo=CST)
    assert issued.line_ids == ("l1",)
    assert any("本单获赠 下次满50减10 ×1" in t for t in r.explanation)


def test_issuing_counts_what_is_paid_after_discounts():
    manjian = promo("MJ", "threshold", min_spend=10_000, amount=1000)
    r = run([(RICE, 2)], [ISSUE, manjian])  # 100.00 - 10.00 = 90.00 < 100.00
    assert r.coupons_issued == ()
    assert any("再买 10.00 元可获赠" in t for t in r.explanation)
    r = run([(RICE, 2), (CIG, 5)], [ISSUE, manjian])  # tobacco never counts
    assert r.coupons_issued == ()


def test_issuing_repeats_per_multiple():
    rule = {**ISSUE, "repeat": True, "count": 2, "max_repeats": 2}
    assert run([(RICE, 7)], [rule]).coupons_issued[0].count == 4  # 350.00: 3 → capped 2 × 2


# --- rewards (积分兑换) --------------------------------------------------------------------

FREE_NOODLE = {"id": "RW-N", "kind": "product", "name": "挂面", "sku": "G1", "points": 500}
NOODLE_PLUS = {**FREE_NOODLE, "id": "RW-NM", "money": 100}
COUPON_FOR_POINTS = {
    "id": "RW-C",
    "kind": "coupon",
    "name": "10元券",
    "points": 800,
    "coupon_id": "CD-NEXT",
    "valid_days": 7,
}


def test_a_product_for_points_is_free_and_spends_the_points():
    r = run([(NOODLE, 1, {"reward": "RW-N"}), (APPLE, 1)], rewards=[FREE_NOODLE], who=member())
    assert r.payable == 1000 and r.reward_points == 500
    line = r.lines[0]
    assert (line.gross, line.net, line.reward_points, line.reward_id) == (300, 0, 500, "RW-N")
    assert r.adjustments[0].step == "reward" and "500 积分" in r.adjustments[0].label
    assert r.points_earned == 10  # only the apple earns


def test_points_plus_money():
    r = run([(NOODLE, 2, {"reward": "RW-NM"})], rewards=[NOODLE_PLUS], who=member())
    assert (r.payable, r.reward_points) == (200, 1000)  # 2 × (1.00 + 500 points)


def test_a_reward_refused_leaves_an_ordinary_line():
    r = run([(NOODLE, 1, {"reward": "RW-N"})], rewards=[FREE_NOODLE], who=member(balance=400))
    assert r.payable == 300 and r.reward_points == 0
    assert (r.rewards[0].applied, r.rewards[0].reason) == (False, "points_insufficient")
    r = run([(NOODLE, 1, {"reward": "RW-N"})], rewards=[FREE_NOODLE])
    assert r.rewards[0].reason == "no_member"
    r = run([(APPLE, 1, {"reward": "RW-N"})], rewards=[FREE_NOODLE], who=member())
    assert r.rewards[0].reason == "not_this_product"


def test_reward_lines_stay_out_of_thresholds_and_points_share_the_balance():
    manjian = promo("MJ", "threshold", min_spend=1000, amount=100)
    r = run([(NOODLE, 4, {"reward": "RW-NM"})], [manjian], rewards=[NOODLE_PLUS], who=member())
    assert r.payable == 400  # 4 × 1.00 does not count toward 满10减1
    r = run(
        [(NOODLE, 1, {"reward": "RW-N"}), (RICE, 1)],
        rewards=[FREE_NOODLE],
        who=member(balance=1000),
        redeem=800,
    )
    assert (r.reward_points, r.points_redeemed, r.points_value) == (500, 500, 500)


def test_a_coupon_for_points_is_issued_at_once():
    r = run([(APPLE, 1)], rewards=[COUPON_FOR_POINTS], reward_coupons=("RW-C",), who=member())
    assert r.reward_points == 800 and r.payable == 1000
    (issued,) = r.coupons_issued
    assert (issued.source, issued.rule_id, issued.definition_id) == ("reward", "RW-C", "CD-NEXT")
    assert issued.valid_from == datetime(2026, 11, 25, 0, 0, tzinfo=CST)
    assert issued.valid_to == datetime(2026, 12, 1, 23, 59, 59, tzinfo=CST)


def test_an_issued_coupon_keeps_its_own_window():
    (definition,) = load_coupon_definitions([COUPON_DEF])
    later = CouponInstance(
        "CPX1", definition, valid_from=datetime(2026, 11, 26, tzinfo=CST), member_id="m1"
    )
    r = run([(RICE, 2)], codes=("CPX1",), coupons={"CPX1": later}, who=member())
    assert r.coupons[0].reason == "not_yet_valid"


# --- VAT per rate ----------------------------------------------------------------------------


def test_tax_per_rate_from_what_is_paid():
    r = run([(APPLE, 1), (RICE9, 1), (TOMATO, 1)])
    taxes = {t.vat: (t.amount, t.tax, t.net) for t in r.taxes}
    # 10.00 × 13/113 = 1.1504 -> 1.15; 50.00 × 9/109 = 4.1284 -> 4.13; exempt 0
    assert taxes == {"13": (1000, 115, 885), "9": (5000, 413, 4587), "exempt": (600, 0, 600)}
    assert [line.tax for line in r.lines] == [115, 413, 0]
    service = ProductInfo("p-svc", "S6", "加工费", "C09", 1060, vat="6")
    export = ProductInfo("p-zero", "Z0", "零税率商品", "C09", 500, vat="0")
    r = run([(service, 1), (export, 1)])  # 10.60 × 6/106 = 0.60; zero-rated: no tax
    taxes = {t.vat: (t.amount, t.tax, t.net, t.rate_bp) for t in r.taxes}
    assert taxes == {"6": (1060, 60, 1000, 600), "0": (500, 0, 500, 0)}


def test_tax_is_rounded_once_per_rate_and_allocated_to_lines():
    odd = ProductInfo("p-odd", "O1", "零食", "C02", 333)
    r = run([(APPLE, 1), (odd, 1)])  # 13.33 × 13/113 = 1.5335 -> 1.53 (not 1.15 + 0.38)
    assert r.taxes[0].tax == 153 and [line.tax for line in r.lines] == [115, 38]


def test_tax_follows_discounts_and_points():
    manjian = promo("MJ", "threshold", min_spend=1000, amount=130)
    r = run([(APPLE, 1)], [manjian])  # 8.70 paid × 13/113 = 1.0009 -> 1.00
    assert r.taxes[0].amount == 870 and r.taxes[0].tax == 100
    r = run([(APPLE, 1)], who=member(), redeem=200)  # 2.00 in points: 8.00 × 13/113 = 0.9204
    assert r.points_value == 200 and (r.taxes[0].amount, r.taxes[0].tax) == (800, 92)


# --- top-up bonus (充500送50) ------------------------------------------------------------------


def test_topup_bonus_takes_the_best_rule_the_amount_reaches():
    rules = load_promotions(
        [
            promo("T5", "topup_bonus", min_amount=50_000, bonus=5000),
            promo("T10", "topup_bonus", min_amount=100_000, bonus=12_000),
        ]
    )
    assert topup_bonus(49_999, rules, None, WED_NOON).bonus == 0
    assert topup_bonus(50_000, rules, None, WED_NOON).bonus == 5000
    offer = topup_bonus(150_000, rules, None, WED_NOON)
    assert (offer.bonus, offer.label) == (12_000, "促销T10")
    rep = load_promotions([promo("R", "topup_bonus", min_amount=50_000, bonus=5000, repeat=True)])
    assert topup_bonus(160_000, rep, member(NORMAL), WED_NOON).bonus == 15_000
    assert run([(APPLE, 1)], [promo("T5", "topup_bonus", min_amount=1, bonus=1)]).payable == 1000


# --- interactions with tiers, 满减, coupons and the points cap ---------------------------

COUPON_5_1 = {"id": "CD-51", "kind": "amount_off", "name": "满5减1", "value": 100, "min_spend": 500}


def with_coupon(**kw: Any) -> tuple[tuple[str, ...], dict[str, CouponInstance]]:
    (definition,) = load_coupon_definitions([COUPON_5_1])
    return ("K1",), {"K1": CouponInstance("K1", definition, **kw)}


def test_nth_item_then_a_coupon_then_the_points_cap():
    codes, coupons = with_coupon()
    r = run([(YOGURT, 2)], [HALF], codes=codes, coupons=coupons)
    assert r.payable == 650  # 7.50 - 1.00
    r = run([(YOGURT, 2)], [HALF], who=member(), redeem=1000)
    assert (r.points_value, r.points_redeemed, r.payable) == (375, 375, 375)  # cap 50 % of 7.50


def test_weighed_line_with_tier_threshold_and_coupon():
    gold = member(GOLD)
    manjian = promo("MJ", "threshold", min_spend=600, amount=50)
    codes, coupons = with_coupon()
    r = run([(APPLE_KG, 532)], [manjian], who=gold, codes=codes, coupons=coupons)
    # 6.81 - 5 % (0.3405 -> 0.34) = 6.47 ≥ 6.00: -0.50 = 5.97, coupon -1.00 = 4.97
    assert r.payable == 497 and r.lines[0].tier_discount == 34


def test_a_limited_rule_with_the_tier_discount():
    rule = {**LIMITED, "tier_discount": False}
    r = run([(APPLE, 3)], [rule], who=member(GOLD), usage={"LIM": RuleUsage(member_units=1)})
    assert r.payable == 2800  # the rule touched the line: no 95折 on it


def test_coupons_issued_count_after_points():
    r = run([(RICE, 2)], [ISSUE], who=member(), redeem=100)  # 100.00 - 1.00 paid in points
    assert r.points_value == 100 and r.coupons_issued == ()


def test_reward_lines_never_count_toward_a_coupons_minimum():
    codes, coupons = with_coupon()
    r = run(
        [(NOODLE, 2, {"reward": "RW-NM"})],
        rewards=[NOODLE_PLUS],
        who=member(),
        codes=codes,
        coupons=coupons,
    )
    assert r.coupons[0].reason == "not_for_these_products" and r.payable == 200
