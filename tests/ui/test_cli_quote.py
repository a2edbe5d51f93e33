"""`posterm demo` and `posterm quote` as a manager uses them."""

from __future__ import annotations

import json

import pytest

from ui.cli import main


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("data")
    assert main(["demo", "--data-dir", str(d), "--members", "60"]) == 0
    return d


def quote(data_dir, tmp_path, basket, capsys):
    f = tmp_path / "basket.json"
    f.write_text(basket if isinstance(basket, str) else json.dumps(basket), encoding="utf-8")
    code = main(["quote", "--data-dir", str(data_dir), "--basket", str(f)])
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_prints_the_users_and_refuses_to_run_twice(data_dir, capsys):
    assert main(["demo", "--data-dir", str(data_dir)]) == 2
    _, err = capsys.readouterr()
    assert err.count("\n") == 1 and "已有门店数据" in err


def test_quote_explains_every_adjustment(data_dir, tmp_path, capsys):
    code, out, err = quote(
        data_dir,
        tmp_path,
        {
            "member": "M00000001",
            "items": [{"barcode": "6900000000014", "qty": 2}, {"sku": "SKU000300", "qty": 3}],
            "coupons": ["CP100001", "NOPE"],
            "redeem_points": 500,
            "at": "2026-11-25T10:00:00+08:00",
        },
        capsys,
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["member"]["member_no"] == "M00000001"
    rules = {a["rule_id"] for a in result["adjustments"]}
    assert {"P-SPECIAL", "CD-10", "points"} <= rules
    refused = {c["code"]: c["reason"] for c in result["coupons"] if not c["applied"]}
    assert refused == {"NOPE": "unknown"}
    assert result["points_redeemed"] == 500
    assert sum(line["net"] for line in result["lines"]) == result["payable_before_rounding"]
    assert result["points_earned"] > 0
    assert any("会员日" in text for text in result["explanation"])  # a Wednesday


def test_empty_basket_shows_the_member_and_pays_nothing(data_dir, tmp_path, capsys):
    code, out, _ = quote(data_dir, tmp_path, {"member": "M00000002", "items": []}, capsys)
    result = json.loads(out)
    assert code == 0 and result["payable"] == 0 and result["lines"] == []
    assert result["member"]["points_balance"] > 0


@pytest.mark.parametrize(
    ("basket", "words"),
    [
        ({"items": [{"barcode": "6900000099999"}]}, "未知条码 6900000099999"),
        ({"items": [], "member": "M99999999"}, "未找到会员"),
        ('{"items": [', "不是有效的 JSON"),
        ({"items": [{"barcode": "1", "qty": 0}]}, "items.0.qty"),
        ({"items": [], "extra": 1}, "extra"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(data_dir, tmp_path, capsys, basket, words):
    code, out, err = quote(data_dir, tmp_path, basket, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
