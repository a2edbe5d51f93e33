"""`posterm quote` with each member-value kind: the baskets and figures docs/promotions.md shows.

Every expected figure here is the one printed in the docs (worked out there by
hand from the demo store's prices); if the demo or the engine drifts, this
fails before the docs lie.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from terminal.store.database import Database
from tests.terminal.tillkit import make_till, ring
from ui.cli import main

AT = "2026-11-23T10:00:00+08:00"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("data")
    assert main(["demo", "--data-dir", str(d), "--members", "60"]) == 0
    return d


def quote(data_dir, tmp_path, capsys, basket: dict[str, Any]) -> dict[str, Any]:
    f = tmp_path / "basket.json"
    f.write_text(json.dumps({**basket, "at": AT}), encoding="utf-8")
    code = main(["quote", "--data-dir", str(data_dir), "--basket", str(f)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def taxes(result: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {t["vat"]: (t["amount"], t["tax"]) for t in result["taxes"]}


def test_second_yogurt_half_price(data_dir, tmp_path, capsys):
    r = quote(data_dir, tmp_path, capsys, {"items": [{"sku": "SKU000084", "qty": 2}]})
    amounts = {a["rule_id"]: a["amount"] for a in r["adjustments"]}
    assert amounts == {"P-DAIRY-PCT": 134, "P-YOGURT-2ND": 302}
    assert r["payable"] == 904 and taxes(r) == {"9": (904, 75)}


def test_buy_three_one_free(data_dir, tmp_path, capsys):
    items = [{"sku": "SKU000043"}, {"sku": "SKU000044"}, {"sku": "SKU000046"}]
    r = quote(data_dir, tmp_path, capsys, {"items": items})
    assert [line["net"] for line in r["lines"]] == [830, 0, 2790]
    assert r["payable"] == 3620 and taxes(r) == {"13": (3620, 416)}


def test_goods_sold_by_weight(data_dir, tmp_path, capsys):
    items = [{"barcode": "2001010005328"}, {"sku": "SKU900103", "grams": 750}]
    r = quote(data_dir, tmp_path, capsys, {"items": items})
    assert [(line["qty"], line["net"]) for line in r["lines"]] == [(532, 681), (750, 449)]
    assert r["payable"] == 1130 and taxes(r) == {"9": (681, 56), "exempt": (449, 0)}


def test_limits_say_which_and_how_many_remain(data_dir, tmp_path, capsys):
    basket = {"member": "M00000001", "items": [{"sku": "SKU000154", "qty": 3}]}
    r = quote(data_dir, tmp_path, capsys, basket)
    assert r["payable"] == 5780
    (note,) = r["limits"]
    assert (note["limit"], note["allowed"], note["remaining"]) == ("per_member_units", 2, 2)
    assert any("本单 3 件中 2 件享受优惠" in t for t in r["explanation"])
    db = Database(data_dir / "store.sqlite3")
    try:
        till = make_till(db)
        ring(till, [("SKU000154", 3)], member="M00000001")
    finally:
        db.close()
    r = quote(data_dir, tmp_path, capsys, basket)
    assert r["payable"] == 7800 and r["limits"][0]["remaining"] == 0
    assert any("已用完" in t for t in r["explanation"])


def test_coupon_issued_for_a_later_visit(data_dir, tmp_path, capsys):
    r = quote(data_dir, tmp_path, capsys, {"items": [{"sku": "SKU000505", "qty": 3}]})
    assert r["payable"] == 13370
    (issued,) = r["coupons_issued"]
    assert (issued["definition_id"], issued["count"]) == ("CD-RET10", 1)
    assert issued["valid_from"] == "2026-11-24T00:00:00+08:00"
    assert issued["valid_to"] == "2026-12-23T23:59:59+08:00"


def test_rewards_for_points(data_dir, tmp_path, capsys):
    basket = {
        "member": "M00000001",
        "items": [{"sku": "SKU000097", "reward": "RW-NOODLE"}, {"sku": "SKU000002"}],
        "rewards": ["RW-COUPON10"],
    }
    r = quote(data_dir, tmp_path, capsys, basket)
    noodle = r["lines"][0]
    assert (noodle["gross"], noodle["net"], noodle["reward_points"]) == (1200, 0, 500)
    assert r["reward_points"] == 1300 and r["payable"] == 400
    assert [c["definition_id"] for c in r["coupons_issued"]] == ["CD-R10"]


def test_stored_value_and_a_top_up_bonus(data_dir, tmp_path, capsys):
    r = quote(data_dir, tmp_path, capsys, {"member": "M00000001", "items": [], "topup": 100000})
    assert r["member"]["stored_value"] == {"principal": 50000, "bonus": 5000}
    assert (r["topup"]["bonus"], r["topup"]["rule_id"]) == (12000, "P-TOPUP-1000")


def test_a_reward_for_the_wrong_product_or_grams_for_units_are_explained(
    data_dir, tmp_path, capsys
):
    r = quote(
        data_dir,
        tmp_path,
        capsys,
        {"member": "M00000001", "items": [{"sku": "SKU000002", "reward": "RW-NOODLE"}]},
    )
    assert r["rewards"][0]["reason"] == "not_this_product" and r["payable"] == 400
    f = tmp_path / "bad.json"
    f.write_text(json.dumps({"items": [{"sku": "SKU000002", "grams": 5}]}), encoding="utf-8")
    assert main(["quote", "--data-dir", str(data_dir), "--basket", str(f)]) == 2
    assert "不是称重商品" in capsys.readouterr().err


def test_a_quote_and_the_till_agree_on_a_basket_of_every_kind(data_dir, tmp_path, capsys):
    """The same basket quoted and rung up: the same figures, to the fen and the point."""
    from terminal.checkout import Checkout
    from terminal.config import DataDir
    from terminal.demo import scale_label
    from terminal.pii import MemberVault

    basket = {
        "member": "M00000001",
        "items": [
            {"barcode": scale_label("SKU900101", 532)},
            {"sku": "SKU900103", "grams": 750},
            {"sku": "SKU000084", "qty": 2},
            {"sku": "SKU000043"},
            {"sku": "SKU000044"},
            {"sku": "SKU000046"},
            {"sku": "SKU000154", "qty": 3},
            {"sku": "SKU000505", "qty": 4},
            {"sku": "SKU000097", "reward": "RW-NOODLE"},
        ],
        "rewards": ["RW-COUPON10"],
    }
    r = quote(data_dir, tmp_path, capsys, basket)
    db = Database(data_dir / "store.sqlite3")
    try:
        shop = make_till(db, open_shift=False)  # prices only: nothing is sold
        vault = MemberVault.from_data_dir(DataDir(data_dir))  # the birthday month, as quote
        co = Checkout(db, shop.settings, shop.cashier, clock=lambda: shop.now, vault=vault)
        co.attach_member("M00000001")
        co.add(scale_label("SKU900101", 532))
        co.add_weighed("SKU900103", 750)
        for item in basket["items"][2:-1]:
            co.add(item["sku"], item.get("qty", 1))
        co.add_reward("RW-NOODLE")
        till = co.add_reward("RW-COUPON10")
    finally:
        db.close()
    assert {a["rule_id"] for a in r["adjustments"]} >= {"P-YOGURT-2ND", "P-SNACK-3FOR2"}
    assert [line["net"] for line in r["lines"]] == [line.net for line in till.lines]
    assert (r["payable"], r["reward_points"], r["points_earned"]) == (
        till.payable,
        till.reward_points,
        till.points_earned,
    )
    assert taxes(r) == {t.vat: (t.amount, t.tax) for t in till.taxes}
    assert [c["definition_id"] for c in r["coupons_issued"]] == [
        c.definition_id for c in till.coupons_issued
    ]
    assert [(n["limit"], n["remaining"]) for n in r["limits"]] == [
        (n.limit, n.remaining) for n in till.limits
    ]
