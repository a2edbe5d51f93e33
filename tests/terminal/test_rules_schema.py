"""Rules are data: bad JSON gives a RuleError that names the rule and the field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from terminal.pricing.rules import (
    BuyXGetY,
    CouponPercentOff,
    RuleError,
    SpecialPrice,
    Threshold,
    load_coupon_definitions,
    load_promotions,
)

OK_SPECIAL = {"id": "P1", "kind": "special_price", "name": "苹果特价", "skus": ["A1"], "price": 800}


def bad(**changes: Any) -> dict[str, Any]:
    rule = {**OK_SPECIAL, **changes}
    return {k: v for k, v in rule.items() if v is not None}


@pytest.mark.parametrize(
    ("rule", "rule_id", "field", "problem"),
    [
        (
            {"id": "P7", "kind": "percent_off", "name": "9折", "percent_off_bp": 20000},
            "P7",
            "percent_off_bp",
            "must be between 1 and 10000",
        ),
        (
            {"id": "P7", "kind": "percent_off", "name": "9折", "percent_off_bp": 0},
            "P7",
            "percent_off_bp",
            "must be between 1 and 10000",
        ),
        (bad(price=-1), "P1", "price", "must be at least 0"),
        (bad(price=8.5), "P1", "price", "integer"),  # fen are integers, never floats
        (bad(price="800"), "P1", "price", "integer"),
        (bad(price=None), "P1", "price", "is required"),
        (bad(limit_qty=0), "P1", "limit_qty", "must be at least 1"),
        (bad(kind="half_price"), "P1", "kind", "must be one of"),
        (bad(kind=None), "P1", "kind", "must be one of"),
        (bad(name=None), "P1", "name", "is required"),
        (bad(colour="red"), "P1", "colour", "is not a known field"),
        (bad(weekdays=[0]), "P1", "weekdays.0", "must be between 1 and 7"),
        (bad(valid_from="2026-01-01T00:00:00"), "P1", "valid_from", "timezone"),
        (bad(valid_to="yesterday"), "P1", "valid_to", "datetime"),
        (
            bad(valid_from="2026-06-01T00:00:00+08:00", valid_to="2026-01-01T00:00:00+08:00"),
            "P1",
            "valid_to",
            "must not be before valid_from",
        ),
        (bad(time_from="7pm"), "P1", "time_from", "HH:MM"),
        (bad(time_from="25:00"), "P1", "time_from", "time"),
        (bad(time_from="18:00", time_to="18:00"), "P1", "time_to", "must differ"),
        (bad(exclusive="maybe"), "P1", "exclusive", "boolean"),
        (bad(skus="A1"), "P1", "skus", "tuple"),
        (
            {"id": "B", "kind": "buy_x_get_y", "name": "买二送一", "buy": 2, "get": 0},
            "B",
            "get",
            "must be at least 1",
        ),
        (
            {"id": "G", "kind": "gift", "name": "赠品", "gift_sku": "G1"},
            "G",
            "min_qty",
            "min_qty or min_amount",
        ),
        (
            {"id": "T", "kind": "threshold", "name": "满减", "min_spend": 10000},
            "T",
            "amount",
            "exactly one",
        ),
        (
            {"id": "T", "kind": "threshold", "name": "满减", "min_spend": 1000, "amount": 2000},
            "T",
            "amount",
            "not be more than min_spend",
        ),
        (
            {"id": "M", "kind": "points_multiplier", "name": "双倍", "multiplier_bp": 0},
            "M",
            "multiplier_bp",
            "must be at least 1",
        ),
        ({"kind": "special_price", "name": "x", "price": 1}, "#0", "id", "is required"),
    ],
)
def test_bad_promotion_names_rule_and_field(
    rule: dict[str, Any], rule_id: str, field: str, problem: str
) -> None:
    with pytest.raises(RuleError) as err:
        load_promotions([rule])
    assert err.value.rule_id == rule_id
    assert err.value.field == field
    assert problem in err.value.problem
    assert str(err.value).startswith(f'promotion "{rule_id}": field "{field}": ')


def test_message_format_matches_the_documentation() -> None:
    with pytest.raises(RuleError) as err:
        load_promotions(
            [{"id": "P7", "kind": "percent_off", "name": "9折", "percent_off_bp": 10001}]
        )
    assert str(err.value) == 'promotion "P7": field "percent_off_bp": must be between 1 and 10000'


def test_the_failing_rule_is_named_among_good_ones() -> None:
    rules = [OK_SPECIAL, bad(id="P2", price=-5)]
    with pytest.raises(RuleError, match=r'"P2".*"price"'):
        load_promotions(rules)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(RuleError, match='"P1": field "id"'):
        load_promotions([OK_SPECIAL, OK_SPECIAL])


def test_not_json_or_not_a_list() -> None:
    with pytest.raises(RuleError, match="not valid JSON"):
        load_promotions("[{")
    with pytest.raises(RuleError, match="list"):
        load_promotions('{"id": "P1"}')
    with pytest.raises(RuleError, match="object"):
        load_promotions([42])


def test_good_rules_load_from_json_text_dicts_and_rows() -> None:
    text = json.dumps(
        [
            OK_SPECIAL,
            {"id": "B", "kind": "buy_x_get_y", "name": "买二送一", "buy": 2, "get": 1},
            {
                "id": "T",
                "kind": "threshold",
                "name": "满100减20",
                "min_spend": 10000,
                "amount": 2000,
                "repeat": True,
                "valid_from": "2026-01-01T00:00:00+08:00",
                "weekdays": [3],
                "time_from": "18:00",
                "time_to": "20:00",
            },
        ]
    )
    rules = load_promotions(text)
    assert [type(r) for r in rules] == [SpecialPrice, BuyXGetY, Threshold]
    assert rules[2].repeat and rules[2].weekdays == (3,)
    # rows from the local store may hold one JSON text per rule
    assert load_promotions([json.dumps(OK_SPECIAL)]) == rules[:1]
    assert rules[0].priority == 0 and not rules[0].exclusive and rules[0].tier_discount


@pytest.mark.parametrize(
    ("coupon", "rule_id", "field", "problem"),
    [
        ({"id": "C1", "kind": "amount_off", "name": "10元券"}, "C1", "value", "is required"),
        (
            {"id": "C1", "kind": "amount_off", "name": "10元券", "value": 0},
            "C1",
            "value",
            "must be at least 1",
        ),
        (
            {"id": "C2", "kind": "percent_off", "name": "95折券", "percent_off_bp": 10001},
            "C2",
            "percent_off_bp",
            "must be between 1 and 10000",
        ),
        (
            {"id": "C2", "kind": "percent_off", "name": "券", "percent_off_bp": 500, "value": 1},
            "C2",
            "value",
            "is not a known field",
        ),
        (
            {"id": "C3", "kind": "gift_card", "name": "券", "value": 1},
            "C3",
            "kind",
            "must be one of amount_off, percent_off",
        ),
        (
            {"id": "C4", "kind": "amount_off", "name": "券", "value": 100, "min_spend": -1},
            "C4",
            "min_spend",
            "must be at least 0",
        ),
    ],
)
def test_bad_coupon_names_rule_and_field(
    coupon: dict[str, Any], rule_id: str, field: str, problem: str
) -> None:
    with pytest.raises(RuleError) as err:
        load_coupon_definitions([coupon])
    assert (err.value.rule_id, err.value.field) == (rule_id, field)
    assert problem in err.value.problem
    assert str(err.value).startswith(f'coupon "{rule_id}": field "{field}": ')


def test_good_coupon_loads() -> None:
    [c] = load_coupon_definitions(
        [
            {
                "id": "CD-95",
                "kind": "percent_off",
                "name": "满100享95折券",
                "percent_off_bp": 500,
                "min_spend": 10000,
                "max_discount": 2000,
                "stackable": True,
            }
        ]
    )
    assert isinstance(c, CouponPercentOff)
    assert (c.percent_off_bp, c.min_spend, c.max_discount, c.stackable) == (500, 10000, 2000, True)


def test_demo_rules_are_valid() -> None:
    from datetime import date

    from terminal.demo import demo_coupon_definitions, demo_promotions, demo_rewards
    from terminal.pricing.rules import PROMOTION_KINDS, load_rewards

    promotions = load_promotions(demo_promotions(200, date(2026, 11, 23)))
    assert len(promotions) == 15
    assert {p.kind for p in promotions} == set(PROMOTION_KINDS)  # every kind at least once
    assert any(p.limits is not None for p in promotions)
    assert len(load_coupon_definitions(demo_coupon_definitions(date(2026, 11, 23)))) == 5
    rewards = load_rewards(demo_rewards(200, date(2026, 11, 23)))
    assert {r.kind for r in rewards} == {"product", "coupon"}
    assert any(getattr(r, "money", 0) for r in rewards)  # points plus money
