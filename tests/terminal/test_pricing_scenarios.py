"""Pricing scenarios with hand-computed expectations.

Every expected number in the table below was worked out by hand (the comment
next to it shows the arithmetic); none is produced by the engine. Amounts are
fen. Unless a scenario says otherwise: now = Wednesday 2026-11-25 12:00 +08:00,
no member, no rounding, 100 points = 1 yuan, points cap 50 %.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
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
    TierInfo,
)
from terminal.pricing.rules import load_coupon_definitions, load_promotions

CST = timezone(timedelta(hours=8))
WED_NOON = datetime(2026, 11, 25, 12, 0, tzinfo=CST)  # a Wednesday (ISO weekday 3)
WED_EVENING = datetime(2026, 11, 25, 19, 0, tzinfo=CST)
THU_NOON = datetime(2026, 11, 26, 12, 0, tzinfo=CST)
THU_1AM = datetime(2026, 11, 26, 1, 0, tzinfo=CST)
# 11:00 UTC is 19:00 in Beijing, but the rule's time of day is read in now's own offset
WED_11_UTC = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)

APPLE = ProductInfo("p-apple", "A1", "苹果", "C01", 1000)
MILK = ProductInfo("p-milk", "M1", "牛奶", "C03", 500)
BEER = ProductInfo("p-beer", "B1", "啤酒", "C08", 300)
CRAFT = ProductInfo("p-craft", "B2", "精酿啤酒", "C08", 800)
RICE = ProductInfo("p-rice", "R1", "大米", "C04", 5000)
CIG = ProductInfo("p-cig", "T1", "香烟", "C10", 2000, discountable=False, earns_points=False)
NUTS = ProductInfo("p-nuts", "N1", "每日坚果", "C05", 3990)
WATER = ProductInfo("p-water", "W1", "饮用水", "C06", 200)
NOODLE = ProductInfo("p-noodle", "G1", "挂面", "C04", 300)
GIFTS = {"G1": NOODLE}

NORMAL = TierInfo("N", "普通", 0, 10_000)
SILVER = TierInfo("S", "银卡", 200, 12_500)  # 2 % off (98折), points x1.25
SILVER25 = TierInfo("S25", "银卡", 250, 10_000)  # 2.5 % off
GOLD = TierInfo("G", "金卡", 500, 15_000)  # 5 % off (95折), points x1.5
VIP = TierInfo("V", "钻石", 0, 15_000)  # no discount, points x1.5

IN_2026 = {"valid_from": "2026-01-01T00:00:00+08:00", "valid_to": "2026-12-31T23:59:59+08:00"}
EXPIRED = {"valid_from": "2026-01-01T00:00:00+08:00", "valid_to": "2026-11-01T00:00:00+08:00"}
FUTURE = {"valid_from": "2026-12-01T00:00:00+08:00"}


def member(tier: TierInfo = NORMAL, balance: int = 10_000, birthday: int | None = None):
    return MemberInfo("m1", tier, birthday, balance)


def promo(pid: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {"id": pid, "kind": kind, "name": fields.pop("name", f"促销{pid}"), **fields}


def special(pid: str, price: int, **kw: Any) -> dict[str, Any]:
    return promo(pid, "special_price", price=price, **kw)


def pct(pid: str, bp: int, **kw: Any) -> dict[str, Any]:
    return promo(pid, "percent_off", percent_off_bp=bp, **kw)


def amt(pid: str, fen: int, **kw: Any) -> dict[str, Any]:
    return promo(pid, "amount_off", amount=fen, **kw)


def mj(pid: str, min_spend: int, off: int, **kw: Any) -> dict[str, Any]:
    return promo(pid, "threshold", min_spend=min_spend, amount=off, **kw)


def cp(code: str, kind: str = "amount_off", *, used: bool = False, owner: str | None = None, **kw):
    """A coupon: (code, definition JSON, used, bound member id)."""
    definition = {"id": f"D-{code}", "kind": kind, "name": f"券{code}", **kw}
    return (code, definition, used, owner)


@dataclass
class S:
    lines: list[tuple[Any, ...]]
    promos: list[dict[str, Any]] = field(default_factory=list)
    member: MemberInfo | None = None
    now: datetime = WED_NOON
    coupons: list[tuple[str, dict[str, Any], bool, str | None]] = field(default_factory=list)
    codes: tuple[str, ...] = ()
    redeem: int = 0
    config: PricingConfig = field(default_factory=PricingConfig)


def run(s: S) -> PricedBasket:
    lines = []
    for i, spec in enumerate(s.lines, start=1):
        product, qty, *extra = spec
        opts = extra[0] if extra else {}
        lines.append(
            BasketLine(
                f"l{i}",
                product,
                qty,
                override_price=opts.get("override"),
                manual_discount=opts.get("manual", 0),
                manual_reason=opts.get("reason", ""),
            )
        )
    definitions = {
        d.id: d for d in load_coupon_definitions([c[1] for c in s.coupons])
    }  # validated like real data
    lookup = {
        code: CouponInstance(code, definitions[d["id"]], used, owner)
        for code, d, used, owner in s.coupons
    }
    rules = RuleSet(load_promotions(s.promos), lookup, GIFTS)
    basket = Basket(tuple(lines), s.codes, s.redeem)
    return price(basket, s.member, rules, s.now, s.config)


def case(name: str, scenario: S, **expect: Any):
    return pytest.param(scenario, expect, id=name)


SCENARIOS = [
    # ---- no rules -----------------------------------------------------------------------
    case("plain", S([(APPLE, 2)]), payable=2000, earned=0),  # 2 × 10.00
    case("plain_member_earns", S([(APPLE, 2)], member=member()), payable=2000, earned=20),
    # ---- special price, windows -----------------------------------------------------------
    case(  # 3 × (10.00 - 8.00) = 6.00 off
        "special_price",
        S([(APPLE, 3)], [special("P1", 800, skus=["A1"], **IN_2026)]),
        item=600,
        payable=2400,
    ),
    case(
        "special_expired",
        S([(APPLE, 3)], [special("P1", 800, skus=["A1"], **EXPIRED)]),
        item=0,
        payable=3000,
    ),
    case(
        "special_not_yet",
        S([(APPLE, 3)], [special("P1", 800, skus=["A1"], **FUTURE)]),
        item=0,
        payable=3000,
    ),
    case(  # only 2 units at 8.00: 2 × 2.00 off; third unit 10.00
        "special_limit_qty",
        S([(APPLE, 3)], [special("P1", 800, skus=["A1"], limit_qty=2)]),
        item=400,
        payable=2600,
    ),
    case(  # limit 2 across lines in basket order: l1 1 unit (-2.00), l2 1 of 2 units (-2.00)
        "special_limit_across_lines",
        S([(APPLE, 1), (APPLE, 2)], [special("P1", 800, skus=["A1"], limit_qty=2)]),
        item=400,
        payable=2600,
        nets={"l1": 800, "l2": 1800},
    ),
    case(  # flash 18:00-20:00, now 19:00: 2 × (39.90 - 29.90)
        "flash_inside",
        S(
            [(NUTS, 2)],
            [special("F1", 2990, skus=["N1"], time_from="18:00", time_to="20:00")],
            now=WED_EVENING,
        ),
        item=2000,
        payable=5980,
    ),
    case(  # now 12:00: outside the flash window
        "flash_outside",
        S([(NUTS, 2)], [special("F1", 2990, skus=["N1"], time_from="18:00", time_to="20:00")]),
        item=0,
        payable=7980,
    ),
    case(  # 22:00-02:00 runs over midnight; 01:00 is inside: 39.90 - 29.90
        "flash_over_midnight",
        S(
            [(NUTS, 1)],
            [special("F1", 2990, skus=["N1"], time_from="22:00", time_to="02:00")],
            now=THU_1AM,
        ),
        item=1000,
        payable=2990,
    ),
    case(  # now given in UTC (11:00): the rule reads 11:00, outside 18:00-20:00
        "flash_time_in_nows_offset",
        S(
            [(NUTS, 1)],
            [special("F1", 2990, skus=["N1"], time_from="18:00", time_to="20:00")],
            now=WED_11_UTC,
        ),
        item=0,
        payable=3990,
    ),
    # ---- percent / amount off -------------------------------------------------------------
    case(  # 15.00 × 10 % = 1.50
        "percent_off_category",
        S([(MILK, 3), (APPLE, 1)], [pct("P2", 1000, categories=["C03"])]),
        item=150,
        payable=2350,
    ),
    case(  # 5.00 × 12.5 % = 0.625 -> 0.63 half-up
        "percent_off_half_up",
        S([(MILK, 1)], [pct("P2", 1250, skus=["M1"])]),
        item=63,
        payable=437,
    ),
    case(  # 4 × 0.50 off
        "amount_off_per_unit",
        S([(BEER, 4)], [amt("P3", 50, skus=["B1"])]),
        item=200,
        payable=1000,
    ),
    case(  # 3.00 off a 2.00 item: capped at the line, 2 × 2.00
        "amount_off_capped_at_zero",
        S([(WATER, 2)], [amt("P3", 300, skus=["W1"])]),
        item=400,
        payable=0,
    ),
    case(  # an all-products 10 % skips non-discountable cigarettes: 1.00 off apples only
        "all_products_promo_skips_non_discountable",
        S([(APPLE, 1), (CIG, 1)], [pct("P2", 1000)]),
        item=100,
        payable=2900,
    ),
    case(  # a rule naming the cigarette category applies to it: 20.00 × 10 %
        "named_promo_applies_to_non_discountable",
        S([(APPLE, 1), (CIG, 1)], [pct("P2", 1000, categories=["C10"])]),
        item=200,
        payable=2800,
    ),
    case(  # member-only promotion without a member: not active
        "member_only_promo_no_member",
        S([(APPLE, 1)], [pct("P4", 1000, member_only=True)]),
        payable=1000,
    ),
    case(  # with a member: 10.00 × 10 %
        "member_only_promo_member",
        S([(APPLE, 1)], [pct("P4", 1000, member_only=True)], member=member()),
        item=100,
        payable=900,
        earned=9,
    ),
    case(  # the rule is for gold only; a silver member gets only her tier 2 %: 10.00 - 0.20
        "promo_for_other_tier",
        S([(APPLE, 1)], [pct("P4", 1000, tiers=["G"])], member=member(SILVER)),
        item=0,
        tier=20,
        payable=980,
    ),
    # ---- buy X get Y ------------------------------------------------------------------------
    case(  # buy 2 get 1: 3 beers, one free
        "b2g1",
        S([(BEER, 3)], [promo("B", "buy_x_get_y", categories=["C08"], buy=2, get=1)]),
        item=300,
        payable=600,
    ),
    case(  # 6 units -> 2 free, the cheapest: 2 × 3.00; 4×3.00 + 2×8.00 - 6.00
        "b2g1_repeat_cheapest",
        S(
            [(CRAFT, 2), (BEER, 4)],
            [promo("B", "buy_x_get_y", categories=["C08"], buy=2, get=1)],
        ),
        item=600,
        payable=2200,
        nets={"l1": 1600, "l2": 600},
    ),
    case(  # beers take the exclusive flash price 2.00 (p10 beats b2g1 at p5): -2 × 1.00;
        # they then do not count toward b2g1, whose 3 craft units give 1 free: -8.00
        "b2g1_counts_only_lines_that_chose_it",
        S(
            [(BEER, 2), (CRAFT, 3)],
            [
                special("X", 200, skus=["B1"], priority=10, exclusive=True),
                promo("B", "buy_x_get_y", categories=["C08"], buy=2, get=1, priority=5),
            ],
        ),
        item=1000,
        payable=2000,
        nets={"l1": 400, "l2": 1600},
    ),
    case(  # 2 units: not enough for a free one
        "b2g1_not_enough",
        S([(BEER, 2)], [promo("B", "buy_x_get_y", categories=["C08"], buy=2, get=1)]),
        item=0,
        payable=600,
    ),
    # ---- gifts ----------------------------------------------------------------------------
    case(  # 3 milk >= 3: one 挂面 for free, at 0.00
        "gift_by_qty",
        S([(MILK, 3)], [promo("PG", "gift", categories=["C03"], min_qty=3, gift_sku="G1")]),
        payable=1500,
        gifts=[("gift:PG", "G1", 1)],
    ),
    case(  # 50.00 < 100.00: no gift
        "gift_by_amount_not_met",
        S([(RICE, 1)], [promo("PG", "gift", skus=["R1"], min_amount=10000, gift_sku="G1")]),
        payable=5000,
        gifts=[],
    ),
    case(  # 100.00 >= 100.00: two 挂面; gift lines earn nothing: 100 points from 100.00
        "gift_by_amount_met_member",
        S(
            [(RICE, 2)],
            [promo("PG", "gift", skus=["R1"], min_amount=10000, gift_sku="G1", gift_qty=2)],
            member=member(),
        ),
        payable=10000,
        gifts=[("gift:PG", "G1", 2)],
        earned=100,
    ),
    # ---- overrides and manual discounts ---------------------------------------------------
    case(  # override 9.00 replaces the price and skips the 20 % promotion: 2 × 9.00
        "override_skips_item_promo",
        S([(APPLE, 2, {"override": 900})], [pct("P5", 2000, skus=["A1"])]),
        item=0,
        subtotal=1800,
        payable=1800,
    ),
    case(  # tier still applies: 18.00 × 5 % = 0.90; points 17.10 × 1.5 = 25.65 -> 25
        "override_gets_tier",
        S([(APPLE, 2, {"override": 900})], member=member(GOLD)),
        tier=90,
        payable=1710,
        earned=25,
    ),
    case(
        "manual_discount",
        S([(APPLE, 1, {"manual": 150, "reason": "破损"})]),
        manual=150,
        payable=850,
    ),
    case(  # 5.00 off a 2.00 line: capped at 2.00
        "manual_capped",
        S([(WATER, 1, {"manual": 500})]),
        manual=200,
        payable=0,
    ),
    case(  # special 8.00 first (-2.00), then manual -1.00
        "manual_after_item",
        S([(APPLE, 1, {"manual": 100})], [special("P1", 800, skus=["A1"])]),
        item=200,
        manual=100,
        payable=700,
    ),
    # ---- tier discount --------------------------------------------------------------------
    case(  # 5 % of 20.00 apples; cigarettes not discountable, not earning;
        # points: 19.00 × 1.5 = 28.5 -> 28
        "tier_skips_non_discountable",
        S([(APPLE, 2), (CIG, 1)], member=member(GOLD)),
        tier=100,
        payable=3900,
        earned=28,
    ),
    case(  # 2.5 % per line half-up: 5.00 -> 0.125 -> 0.13; 2.00 -> 0.05
        "tier_half_up_per_line",
        S([(MILK, 1), (WATER, 1)], member=member(SILVER25)),
        tier=18,
        payable=682,
    ),
    case(  # milk: 10 % item promo with tier_discount false -> no tier on milk;
        # apples 10.00 × 5 % = 0.50; 15.00 - 1.50 + 10.00 - 0.50
        "tier_discount_false",
        S(
            [(MILK, 3), (APPLE, 1)],
            [pct("P6", 1000, skus=["M1"], tier_discount=False)],
            member=member(GOLD),
        ),
        item=150,
        tier=50,
        payable=2300,
    ),
    # ---- thresholds -----------------------------------------------------------------------
    case(  # 60.00 >= 50.00: 5.00 off once (no repeat)
        "threshold_once",
        S([(RICE, 1), (APPLE, 1)], [mj("T1", 5000, 500)]),
        threshold=500,
        payable=5500,
    ),
    case(  # 150.00 = 3 × 50.00: 3 × 5.00
        "threshold_repeat",
        S([(RICE, 3)], [mj("T1", 5000, 500, repeat=True)]),
        threshold=1500,
        payable=13500,
    ),
    case(  # repeats capped at 2: 2 × 5.00
        "threshold_max_repeats",
        S([(RICE, 3)], [mj("T1", 5000, 500, repeat=True, max_repeats=2)]),
        threshold=1000,
        payable=14000,
    ),
    case(  # 40.00 < 50.00
        "threshold_not_met",
        S([(APPLE, 4)], [mj("T1", 5000, 500)]),
        threshold=0,
        payable=4000,
    ),
    case(  # after tier: rice 50.00 - 2.50 = 47.50 < 50.00; cigarettes do not count
        "threshold_after_tier_excludes_non_discountable",
        S([(RICE, 1), (CIG, 1)], [mj("T1", 5000, 500)], member=member(GOLD)),
        tier=250,
        threshold=0,
        payable=6750,
    ),
    case(  # eligible apples 20.00 + milk 10.00 = 30.00: 3.00 split 2:1
        "threshold_targeted_allocation",
        S(
            [(APPLE, 2), (MILK, 2), (RICE, 1)],
            [mj("T2", 3000, 300, categories=["C01", "C03"])],
        ),
        threshold=300,
        payable=7700,
        nets={"l1": 1800, "l2": 900, "l3": 5000},
    ),
    case(  # 100.00 × 10 %
        "threshold_percent",
        S([(RICE, 2)], [promo("T3", "threshold", min_spend=10000, percent_off_bp=1000)]),
        threshold=1000,
        payable=9000,
    ),
    case(  # 1.00 over 10.00/5.00/2.00: 58.82->58, 29.41->29, 11.76->11 (=98),
        # largest remainders .82 and .76 get the 2 fen left: 59, 29, 12
        "threshold_largest_remainder",
        S([(APPLE, 1), (MILK, 1), (WATER, 1)], [mj("T4", 1000, 100)]),
        threshold=100,
        payable=1600,
        nets={"l1": 941, "l2": 471, "l3": 188},
    ),
    # ---- stacking, exclusive, priority -------------------------------------------------------
    case(  # both stack, priority first: 10.00 - 10 % = 9.00, then 2 × 0.50 -> 8.00
        # (the other order would give 8.10)
        "stack_in_priority_order",
        S(
            [(MILK, 2)],
            [pct("A", 1000, skus=["M1"], priority=10), amt("B", 50, skus=["M1"], priority=5)],
        ),
        item=200,
        payable=800,
    ),
    case(  # exclusive at priority 20 beats the stack at 10 even though 30 % is better
        "exclusive_higher_priority_wins",
        S(
            [(APPLE, 1)],
            [
                special("X", 900, skus=["A1"], priority=20, exclusive=True),
                pct("A", 3000, skus=["A1"], priority=10),
            ],
        ),
        item=100,
        payable=900,
    ),
    case(  # tie at 10: exclusive gives 1.00, stack gives 10 % (1.00) + 1.00 = 2.00 -> stack
        "priority_tie_stack_better",
        S(
            [(APPLE, 1)],
            [
                special("X", 900, skus=["A1"], priority=10, exclusive=True),
                pct("A", 1000, skus=["A1"], priority=10),
                amt("B", 100, skus=["A1"], priority=5),
            ],
        ),
        item=200,
        payable=800,
    ),
    case(  # tie at 10: exclusive 5.00 off beats the stack's 2.00
        "priority_tie_exclusive_better",
        S(
            [(APPLE, 1)],
            [
                special("X", 500, skus=["A1"], priority=10, exclusive=True),
                pct("A", 1000, skus=["A1"], priority=10),
                amt("B", 100, skus=["A1"], priority=5),
            ],
        ),
        item=500,
        payable=500,
    ),
    case(  # non-exclusive at 20 outranks the exclusive at 10: only 10 % off
        "stack_higher_priority_beats_exclusive",
        S(
            [(APPLE, 1)],
            [
                special("X", 500, skus=["A1"], priority=10, exclusive=True),
                pct("A", 1000, skus=["A1"], priority=20),
            ],
        ),
        item=100,
        payable=900,
    ),
    case(  # exclusive only on the line it targets: apples exclusive 8.00, milk stack 10 %
        "exclusive_is_per_line",
        S(
            [(APPLE, 1), (MILK, 2)],
            [
                special("X", 800, skus=["A1"], priority=10, exclusive=True),
                pct("A", 1000, priority=10),
            ],
        ),
        item=300,  # apple 2.00 (exclusive 2.00 > stack 1.00) + milk 1.00
        payable=1700,
    ),
    case(  # same priority: exclusive 满100减15 (15.00) vs stack 10.00 + 3.00 = 13.00
        "threshold_exclusive_vs_stack",
        S(
            [(RICE, 2)],
            [
                mj("TX", 10000, 1500, exclusive=True, priority=5),
                mj("T2", 10000, 1000, priority=5),
                mj("T3", 5000, 300, priority=5),
            ],
        ),
        threshold=1500,
        payable=8500,
    ),
    case(  # both stack on the 100.00 subtotal of the step: 10.00 + 3.00
        "threshold_stack",
        S([(RICE, 2)], [mj("T2", 10000, 1000), mj("T3", 5000, 300)]),
        threshold=1300,
        payable=8700,
    ),
    # ---- coupons --------------------------------------------------------------------------
    case(  # 60.00 >= 50.00: 10.00 off
        "coupon_amount_off",
        S([(APPLE, 6)], coupons=[cp("C1", value=1000, min_spend=5000)], codes=("C1",)),
        coupon=1000,
        payable=5000,
        coupons=[("C1", True, 1000)],
    ),
    case(
        "coupon_unknown",
        S([(APPLE, 1)], codes=("NOPE",)),
        payable=1000,
        coupons=[("NOPE", False, "unknown")],
    ),
    case(
        "coupon_expired",
        S(
            [(APPLE, 6)],
            coupons=[cp("C1", value=1000, **EXPIRED)],
            codes=("C1",),
        ),
        payable=6000,
        coupons=[("C1", False, "expired")],
    ),
    case(
        "coupon_not_yet_valid",
        S([(APPLE, 6)], coupons=[cp("C1", value=1000, **FUTURE)], codes=("C1",)),
        payable=6000,
        coupons=[("C1", False, "not_yet_valid")],
    ),
    case(  # 10.00 < 50.00
        "coupon_min_spend_not_met",
        S([(APPLE, 1)], coupons=[cp("C1", value=1000, min_spend=5000)], codes=("C1",)),
        payable=1000,
        coupons=[("C1", False, "min_spend_not_met")],
    ),
    case(  # a dairy coupon on a basket of apples
        "coupon_not_for_these_products",
        S([(APPLE, 3)], coupons=[cp("C1", value=500, categories=["C03"])], codes=("C1",)),
        payable=3000,
        coupons=[("C1", False, "not_for_these_products")],
    ),
    case(  # dairy min spend counts milk only: 10.00 < 20.00 although the basket is 60.00
        "coupon_min_spend_on_targets_only",
        S(
            [(MILK, 2), (APPLE, 5)],
            coupons=[cp("C1", value=500, min_spend=2000, categories=["C03"])],
            codes=("C1",),
        ),
        payable=6000,
        coupons=[("C1", False, "min_spend_not_met")],
    ),
    case(  # dairy 25.00 >= 20.00: 5.00 off, all of it on the milk line
        "coupon_targeted_applies_to_targets",
        S(
            [(MILK, 5), (APPLE, 1)],
            coupons=[cp("C1", value=500, min_spend=2000, categories=["C03"])],
            codes=("C1",),
        ),
        coupon=500,
        payable=3000,
        nets={"l1": 2000, "l2": 1000},
    ),
    case(
        "coupon_already_used",
        S([(APPLE, 6)], coupons=[cp("C1", value=1000, used=True)], codes=("C1",)),
        payable=6000,
        coupons=[("C1", False, "already_used")],
    ),
    case(  # entered twice: the second one is refused
        "coupon_entered_twice",
        S([(APPLE, 6)], coupons=[cp("C1", value=1000)], codes=("C1", "C1")),
        payable=5000,
        coupons=[("C1", True, 1000), ("C1", False, "already_used")],
    ),
    case(  # one coupon per sale: the second non-stackable one is refused
        "coupon_not_stackable",
        S(
            [(APPLE, 10)],
            coupons=[cp("C1", value=1000), cp("C2", value=1000)],
            codes=("C1", "C2"),
        ),
        coupon=1000,
        payable=9000,
        coupons=[("C1", True, 1000), ("C2", False, "not_stackable")],
    ),
    case(  # both stackable: 5.00 + 3.00
        "coupons_both_stackable",
        S(
            [(APPLE, 10)],
            coupons=[cp("S1", value=500, stackable=True), cp("S2", value=300, stackable=True)],
            codes=("S1", "S2"),
        ),
        coupon=800,
        payable=9200,
        coupons=[("S1", True, 500), ("S2", True, 300)],
    ),
    case(  # a stackable coupon after a non-stackable one is still refused
        "coupon_stackable_after_exclusive_one",
        S(
            [(APPLE, 10)],
            coupons=[cp("C1", value=1000), cp("S1", value=500, stackable=True)],
            codes=("C1", "S1"),
        ),
        payable=9000,
        coupons=[("C1", True, 1000), ("S1", False, "not_stackable")],
    ),
    case(  # bound to a member, no member identified
        "coupon_member_only",
        S([(APPLE, 6)], coupons=[cp("C1", value=1000, owner="m1")], codes=("C1",)),
        payable=6000,
        coupons=[("C1", False, "member_only")],
    ),
    case(  # bound to m2, m1 is at the till
        "coupon_wrong_member",
        S(
            [(APPLE, 6)],
            member=member(),
            coupons=[cp("C1", value=1000, owner="m2")],
            codes=("C1",),
        ),
        payable=6000,
        coupons=[("C1", False, "wrong_member")],
    ),
    case(  # bound to m1, m1 at the till: 60.00 - 10.00; points 50
        "coupon_right_member",
        S(
            [(APPLE, 6)],
            member=member(),
            coupons=[cp("C1", value=1000, owner="m1")],
            codes=("C1",),
        ),
        payable=5000,
        earned=50,
        coupons=[("C1", True, 1000)],
    ),
    case(  # 150.00 × 5 % = 7.50, capped at 5.00
        "coupon_percent_max_discount",
        S(
            [(RICE, 3)],
            coupons=[cp("P", "percent_off", percent_off_bp=500, max_discount=500)],
            codes=("P",),
        ),
        coupon=500,
        payable=14500,
    ),
    case(  # 10 % of the discountable 100.00 only; cigarettes pay full
        "coupon_percent_skips_non_discountable",
        S(
            [(RICE, 2), (CIG, 1)],
            coupons=[cp("P", "percent_off", percent_off_bp=1000)],
            codes=("P",),
        ),
        coupon=1000,
        payable=11000,
    ),
    case(  # 5.00 coupon on a 2.00 basket: never below zero
        "coupon_capped_at_zero",
        S([(WATER, 1)], coupons=[cp("C1", value=500)], codes=("C1",)),
        coupon=200,
        payable=0,
        coupons=[("C1", True, 200)],
    ),
    case(  # coupon comes after the threshold: 100.00 - 10.00 = 90.00 >= 80.00, then -10.00
        "coupon_after_threshold",
        S(
            [(RICE, 2)],
            [mj("T2", 10000, 1000)],
            coupons=[cp("C1", value=1000, min_spend=9000)],
            codes=("C1",),
        ),
        threshold=1000,
        coupon=1000,
        payable=8000,
    ),
    # ---- points redemption ----------------------------------------------------------------
    case(  # 2000 points = 20.00; earned on the 80.00 paid in money
        "points_basic",
        S([(APPLE, 10)], member=member(), redeem=2000),
        points_redeemed=2000,
        points_value=2000,
        payable=8000,
        earned=80,
    ),
    case(  # cap 50 % of 10.00 = 5.00 -> 500 points used of 900
        "points_cap",
        S([(APPLE, 1)], member=member(), redeem=900),
        points_redeemed=500,
        points_value=500,
        payable=500,
    ),
    case(  # balance 300 < 1000 requested: 300 points
        "points_over_balance",
        S([(APPLE, 10)], member=member(balance=300), redeem=1000),
        points_redeemed=300,
        points_value=300,
        payable=9700,
    ),
    case(  # negative balance: nothing to redeem
        "points_negative_balance",
        S([(APPLE, 10)], member=member(balance=-50), redeem=1000),
        points_redeemed=0,
        payable=10000,
    ),
    case(  # no member: no redemption
        "points_no_member",
        S([(APPLE, 10)], redeem=1000),
        points_redeemed=0,
        payable=10000,
    ),
    case(  # 150 points per yuan: 100 pts -> 10000 // 150 = 66 fen; 66 fen cost 66 × 1.5 = 99 pts
        "points_rate_150",
        S(
            [(APPLE, 10)],
            member=member(),
            redeem=100,
            config=PricingConfig(points_per_yuan=150),
        ),
        points_redeemed=99,
        points_value=66,
        payable=9934,
    ),
    case(  # 50 pts per yuan (1 pt = 2 fen); cap 50 % of 9.99 = 4.99 (floored);
        # 4.99 needs 249.5 pts -> 249 pts buy 4.98; 9.99 - 4.98
        "points_rate_50_odd_cap",
        S(
            [(APPLE, 1, {"override": 999})],
            member=member(),
            redeem=1000,
            config=PricingConfig(points_per_yuan=50),
        ),
        points_redeemed=249,
        points_value=498,
        payable=501,
    ),
    case(  # cap 100 %: the whole 10.00 in points, nothing earned
        "points_full_cap",
        S(
            [(APPLE, 1)],
            member=member(),
            redeem=1000,
            config=PricingConfig(redeem_cap_bp=10000),
        ),
        points_redeemed=1000,
        payable=0,
        earned=0,
    ),
    # ---- points earning -------------------------------------------------------------------
    case(  # gold: 10.00 - 5 % = 9.50; Wednesday member day x2: 9.5 × 1.5 × 2 = 28.5 -> 28
        "earn_member_day",
        S(
            [(APPLE, 1)],
            [promo("PM", "points_multiplier", multiplier_bp=20000, weekdays=[3])],
            member=member(GOLD),
        ),
        payable=950,
        earned=28,
    ),
    case(  # Thursday: 9.5 × 1.5 = 14.25 -> 14
        "earn_not_member_day",
        S(
            [(APPLE, 1)],
            [promo("PM", "points_multiplier", multiplier_bp=20000, weekdays=[3])],
            member=member(GOLD),
            now=THU_NOON,
        ),
        payable=950,
        earned=14,
    ),
    case(  # birthday in November and member day: 9.5 × 1.5 × 2 × 1.5 = 42.75 -> 42
        "earn_birthday_and_member_day",
        S(
            [(APPLE, 1)],
            [
                promo("PM", "points_multiplier", multiplier_bp=20000, weekdays=[3]),
                promo("PB", "points_multiplier", multiplier_bp=15000, birthday_month_only=True),
            ],
            member=member(GOLD, birthday=11),
        ),
        payable=950,
        earned=42,
    ),
    case(  # birthday in May: member day only, 28
        "earn_birthday_other_month",
        S(
            [(APPLE, 1)],
            [
                promo("PM", "points_multiplier", multiplier_bp=20000, weekdays=[3]),
                promo("PB", "points_multiplier", multiplier_bp=15000, birthday_month_only=True),
            ],
            member=member(GOLD, birthday=5),
        ),
        earned=28,
    ),
    case(  # floored once: 9.90 × 1.5 × 1.5 = 22.275 -> 22 (flooring each step would give 21)
        "earn_floored_once",
        S(
            [(APPLE, 1, {"override": 990})],
            [promo("PB", "points_multiplier", multiplier_bp=15000, birthday_month_only=True)],
            member=member(VIP, birthday=11),
        ),
        payable=990,
        earned=22,
    ),
    case(  # 40.00 - 10.00 points, allocated 5.00/5.00; apples paid 15.00 -> 15, cigs earn 0
        "earn_money_only_earning_lines",
        S([(APPLE, 2), (CIG, 1)], member=member(), redeem=1000),
        points_value=1000,
        payable=3000,
        earned=15,
        nets={"l1": 1500, "l2": 1500},
    ),
    # ---- rounding -------------------------------------------------------------------------
    case(
        "round_none",
        S([(APPLE, 1, {"override": 1234})]),
        rounding=0,
        payable=1234,
    ),
    case(  # 12.34 -> 12.30
        "round_drop_fen",
        S([(APPLE, 1, {"override": 1234})], config=PricingConfig(rounding="drop_fen")),
        rounding=4,
        payable=1230,
    ),
    case(  # 12.34 -> 12.30
        "round_jiao_down",
        S([(APPLE, 1, {"override": 1234})], config=PricingConfig(rounding="round_jiao")),
        rounding=4,
        payable=1230,
    ),
    case(  # 12.35 -> 12.40 (half up): the customer pays 0.05 more
        "round_jiao_half_up",
        S([(APPLE, 1, {"override": 1235})], config=PricingConfig(rounding="round_jiao")),
        rounding=-5,
        payable=1240,
    ),
    case(  # 12.99 -> 12.00
        "round_drop_jiao",
        S([(APPLE, 1, {"override": 1299})], config=PricingConfig(rounding="drop_jiao")),
        rounding=99,
        payable=1200,
    ),
    case(  # 30.03 -> 30.00; 0.03 split 1:2 over 10.01 and 20.02
        "round_allocated_to_lines",
        S(
            [(APPLE, 1, {"override": 1001}), (APPLE, 1, {"override": 2002})],
            config=PricingConfig(rounding="drop_jiao"),
        ),
        rounding=3,
        payable=3000,
        paid={"l1": 1000, "l2": 2000},
    ),
    # ---- everything together --------------------------------------------------------------
    case(
        # apples 3 × 10.00, special 8.00 for 2 units: -4.00 -> 26.00
        # milk 3 × 5.00, buy 2 get 1: -5.00 -> 10.00; 3 milk -> gift 挂面
        # cigarettes 20.00, manual -1.00 -> 19.00
        # gold 5 %: 26.00 -> 1.30, 10.00 -> 0.50 (cigs not discountable) = 1.80
        # 满50减5 on discountable 24.70 + 9.50 = 34.20: not met
        # coupon 满30减3 on 34.20: 3.00 -> 2.17 / 0.83 (24.70 : 9.50)
        # payable 22.53 + 8.67 + 19.00 = 50.20; 3000 points = 30.00 capped at 25.10
        # drop_fen: 25.10 stays; earned: cigs paid 9.50 (half of the points on 19.00 / 50.20),
        # apples + milk paid 15.60 × 1.5 × 2 (member day) = 46.8 -> 46
        "everything",
        S(
            [(APPLE, 3), (MILK, 3), (CIG, 1, {"manual": 100})],
            [
                special("P1", 800, skus=["A1"], limit_qty=2),
                promo("P2", "buy_x_get_y", categories=["C03"], buy=2, get=1),
                mj("P3", 5000, 500, repeat=True),
                promo("P4", "gift", categories=["C03"], min_qty=3, gift_sku="G1"),
                promo("P5", "points_multiplier", multiplier_bp=20000, weekdays=[3]),
            ],
            member=member(GOLD, birthday=11),
            coupons=[cp("X1", value=300, min_spend=3000)],
            codes=("X1", "NOPE"),
            redeem=3000,
            config=PricingConfig(rounding="drop_fen"),
        ),
        item=900,
        manual=100,
        tier=180,
        threshold=0,
        coupon=300,
        points_redeemed=2510,
        points_value=2510,
        rounding=0,
        payable=2510,
        earned=46,
        gifts=[("gift:P4", "G1", 1)],
        coupons=[("X1", True, 300), ("NOPE", False, "unknown")],
    ),
]

STEP_FIELDS = {
    "item": "item_discount",
    "manual": "manual_discount",
    "tier": "tier_discount",
    "threshold": "threshold_discount",
    "coupon": "coupon_discount",
}


@pytest.mark.parametrize(("scenario", "expect"), SCENARIOS)
def test_scenario(scenario: S, expect: dict[str, Any]) -> None:
    r = run(scenario)
    if "payable" in expect:
        assert r.payable == expect["payable"]
    for step, attr in STEP_FIELDS.items():
        if step in expect:
            assert sum(getattr(line, attr) for line in r.lines) == expect[step], step
            assert sum(a.amount for a in r.adjustments if a.step == step) == expect[step], step
    for key, attr in (
        ("earned", "points_earned"),
        ("points_redeemed", "points_redeemed"),
        ("points_value", "points_value"),
        ("rounding", "rounding"),
        ("subtotal", "subtotal"),
    ):
        if key in expect:
            assert getattr(r, attr) == expect[key], key
    if "coupons" in expect:
        got = [(c.code, c.applied, c.amount if c.applied else c.reason) for c in r.coupons]
        assert got == expect["coupons"]
        for c in r.coupons:
            assert c.message  # a sentence the cashier can read
    if "gifts" in expect:
        gifts = [(line.line_id, line.product.sku, line.qty) for line in r.lines if line.is_gift]
        assert gifts == expect["gifts"]
    if "nets" in expect:
        assert {k: v for k, v in _by_id(r, "net").items() if k in expect["nets"]} == expect["nets"]
    if "paid" in expect:
        assert {k: v for k, v in _by_id(r, "paid").items() if k in expect["paid"]} == expect["paid"]
    _check_invariants(r)


def _by_id(r: PricedBasket, attr: str) -> dict[str, int]:
    return {line.line_id: getattr(line, attr) for line in r.lines}


def _check_invariants(r: PricedBasket) -> None:
    assert sum(line.net for line in r.lines) == r.payable_before_rounding
    assert sum(line.paid for line in r.lines) == r.payable
    assert r.subtotal - r.discount_total - r.points_value == r.payable_before_rounding
    assert r.payable_before_rounding - r.rounding == r.payable
    assert r.payable >= 0
    for line in r.lines:
        assert line.net >= 0 and line.paid >= 0
        discounts = (
            line.item_discount
            + line.manual_discount
            + line.tier_discount
            + line.threshold_discount
            + line.coupon_discount
        )
        assert line.net == line.gross - discounts - line.points_value
        assert line.paid == line.net - line.rounding


def test_table_is_big_enough() -> None:
    assert len(SCENARIOS) >= 45


def test_explanation_names_rules_and_refusals() -> None:
    r = run(
        S(
            [(APPLE, 1)],
            [special("P1", 800, skus=["A1"], name="苹果特价")],
            coupons=[cp("C1", value=1000, min_spend=5000)],
            codes=("C1",),
        )
    )
    assert "苹果 苹果特价 -2.00 (规则 P1)" in r.explanation
    assert any(line.startswith("券 C1 未使用") for line in r.explanation)
    # the same lines on an English screen; names stay as HQ wrote them
    assert r.explain("en") == [
        "苹果 苹果特价 -2.00 (rule P1)",
        "coupon C1 not used: usable from ¥50.00 of eligible items: ¥8.00 now, ¥42.00 short",
    ]
    assert r.explain("zh_CN") == list(r.explanation)


def test_explanation_says_points_were_cut_to_balance() -> None:
    r = run(S([(APPLE, 10)], member=member(balance=300), redeem=1000))
    assert any("可用积分 300" in line for line in r.explanation)
    assert "积分抵扣 300 分 -3.00" in r.explanation
    assert r.explain("en")[:2] == [
        "1000 points asked, 300 available: 300 used",
        "300 points -3.00",
    ]


def test_adjustment_labels_count_threshold_repeats() -> None:
    r = run(S([(RICE, 3)], [mj("T1", 5000, 500, repeat=True, name="满50减5")]))
    [adj] = [a for a in r.adjustments if a.step == "threshold"]
    assert (adj.rule_id, adj.label, adj.amount) == ("T1", "满50减5 ×3", 1500)
    assert adj.line_ids == ("l1",)


def test_to_json_dict_is_plain_json() -> None:
    import json

    r = run(S([(MILK, 3)], [promo("PG", "gift", categories=["C03"], min_qty=3, gift_sku="G1")]))
    data = json.loads(json.dumps(r.to_json_dict()))
    assert data["payable"] == 1500
    assert data["lines"][1]["line_id"] == "gift:PG" and data["lines"][1]["is_gift"] is True
    assert data["adjustments"][0]["line_ids"] == ["gift:PG"]


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        price(Basket(()), None, RuleSet((), {}, {}), datetime(2026, 1, 1), PricingConfig())
