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


# --- issue 8: inputs that tracebacked or hung; issue 10: quote agrees with the till -------


@pytest.mark.parametrize(
    ("basket", "words"),
    [
        ('{"items": []' + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "嵌套层数过多"),
        ({"items": [], "at": "0001-01-01T00:00:00+08:00"}, "at: must be between 2000 and 2099"),
        ({"items": [], "at": "9999-12-31T23:59:59+08:00"}, "at: must be between 2000 and 2099"),
        ({"items": [{"sku": "SKU000300", "qty": "2"}]}, "items.0.qty"),
        ({"items": [{"sku": "SKU000300", "qty": True}]}, "items.0.qty"),
        ({"items": [{"sku": "SKU000300", "qty": 1.5}]}, "items.0.qty"),
        ({"items": [], "redeem_points": "500"}, "redeem_points"),
        ({"items": [], "member": "19987654321"}, "没有该手机号的会员"),
        ({"items": [], "member": "5678"}, "不能只用尾号"),
    ],
)
def test_more_bad_baskets_are_one_line(data_dir, tmp_path, capsys, basket, words):
    code, out, err = quote(data_dir, tmp_path, basket, capsys)
    assert code == 2 and out == "", err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert "19987654321" not in err  # a typed phone number is never repeated


@pytest.mark.parametrize("target", ["directory", "/dev/zero"])
def test_a_basket_that_is_no_file_is_refused_without_reading_it(data_dir, tmp_path, capsys, target):
    path = str(tmp_path) if target == "directory" else target
    assert main(["quote", "--data-dir", str(data_dir), "--basket", path]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "不是文件" in err


def test_quote_takes_every_member_form_the_till_takes(data_dir, tmp_path, capsys):
    from terminal import membercodes
    from terminal.config import DataDir
    from terminal.home import TerminalHome
    from terminal.pii import MemberVault
    from terminal.store.models import Member

    home = TerminalHome.open(data_dir)
    try:
        vault = MemberVault.from_data_dir(DataDir(data_dir))
        with home.db.sessions() as s:
            m = s.query(Member).filter_by(member_no="M00000003").one()
            phone = vault.decrypt_field("phone", m.id, m.phone_enc)
        seed = membercodes.read_seed(DataDir(data_dir).keys_dir)
    finally:
        home.close()
    assert phone and seed
    from datetime import UTC, datetime, timedelta

    at = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    key = membercodes.demo_app_key(seed, "M00000003")
    key_id = membercodes.demo_key_id(seed, "M00000003")
    fresh = membercodes.encode_dynamic("M00000003", key_id, key, at)
    stale = membercodes.encode_dynamic("M00000003", key_id, key, at - timedelta(minutes=10))
    when = at.isoformat()
    for member in ("M00000003", "m00000003", phone, f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", fresh):
        code, out, err = quote(
            data_dir, tmp_path, {"member": member, "items": [], "at": when}, capsys
        )
        assert code == 0, (member, err)
        assert json.loads(out)["member"]["member_no"] == "M00000003"
    code, _, err = quote(data_dir, tmp_path, {"member": stale, "items": [], "at": when}, capsys)
    assert code == 2 and "已过期" in err
    # a quote verifies but never records: the same code still works at the till
    code, _, err = quote(data_dir, tmp_path, {"member": fresh, "items": [], "at": when}, capsys)
    assert code == 0, err
    # once the till has taken it, the same code is a replay, not an unknown member
    home = TerminalHome.open(data_dir)
    try:
        membercodes.accept(home.db, fresh, at)
    finally:
        home.close()
    code, _, err = quote(data_dir, tmp_path, {"member": fresh, "items": [], "at": when}, capsys)
    assert code == 2 and "已使用过" in err and "未知" not in err, err
