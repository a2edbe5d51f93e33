"""Member value at the keyboard till: weighed goods, nth item, rewards, stored value."""

from __future__ import annotations

from terminal.demo import DEMO_PAY_PIN, scale_label
from tests.conftest import DEMO_NOW
from tests.terminal.tillkit import till_settings
from ui.keyboard_till import KeyboardTill


def run_shell(db, lines: list[str]) -> list[str]:
    feed = iter(lines)
    out: list[str] = []

    def ask(prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    shell = KeyboardTill(db, till_settings(db), ask=ask, say=out.append, clock=lambda: DEMO_NOW)
    assert shell.run() == 0
    return out


def test_a_cashier_sells_by_weight_redeems_points_and_pays_by_stored_value(demo_db):
    out = run_shell(
        demo_db,
        [
            "1001",
            "1111",
            "500",  # open the shift
            scale_label("SKU900101", 532),
            "w 1500 SKU900102",
            "2*SKU000084",
            "m M00000001",
            "r",
            "r RW-NOODLE",
            "pay",
            "sv 10",
            DEMO_PAY_PIN,
            "",  # the rest in cash
            "m M00000001",
            "topup 500",
            "",  # cash
            "x",  # the X report: top-ups apart from sales
            "3001",
            "3333",
        ],
    )
    text = "\n".join(out)
    assert "散装 红富士苹果  0.532kg × 12.80/kg = 6.81" in text
    assert "散装 香蕉  1.500kg × 6.98/kg = 10.47" in text
    assert "酸奶 第二件半价" in text
    assert "储值余额 ¥550.00（本金 500.00，赠送 50.00）" in text
    assert "RW-NOODLE  500积分换挂面  500 积分" in text
    assert "（积分兑换 500 积分）" in text
    assert "其中税额" in text and "9%" in text
    assert "储值余额 ¥540.00" in text  # 10.00 paid by balance
    assert "充500送50：赠送 ¥50.00" in text
    assert "已充值 ¥500.00，赠送 ¥50.00" in text
    assert "储值余额 ¥1090.00" in text
    assert "本班销售 1 笔" in text and "储值充值 1 笔 ¥500.00（不计销售）" in text


def test_paying_by_balance_with_a_wrong_pin_is_refused_and_the_sale_stays(demo_db):
    out = run_shell(
        demo_db,
        [
            "1001",
            "1111",
            "500",
            "SKU000002",
            "m M00000002",
            "pay",
            "sv",
            "999999",  # wrong PIN
            "cancel",
            "topup 1",  # 1.00: below the smallest top-up? no, 1 yuan is allowed
            "cancel",
        ],
    )
    text = "\n".join(out)
    assert "支付密码错误，还可尝试 4 次" in text
    assert "已返回购物车，本单未结账" in text
    assert "已返回，未收款" in text


def test_limits_coupons_issued_and_their_returns_and_a_top_up_refund_on_screen(
    demo_db, monkeypatch
):
    from terminal import issued_coupons

    numbers = iter(range(1, 100))
    monkeypatch.setattr(issued_coupons, "new_code", lambda: f"CPV{next(numbers):016d}")
    out = run_shell(
        demo_db,
        [
            "1001",
            "1111",
            "500",
            "m M00000001",
            "3*SKU000154",  # 鸡蛋特价 每人限购2件: the third at the normal price
            "4*SKU000505",  # 个护 over 100.00: 满100返10元券
            "r RW-COUPON10",  # a coupon for 800 points
            "pay",
            "",
            "return S001T01-00000001 CPV0000000000000001",  # the reward coupon, unused
            "不要了",
            "2001",
            "2222",
            "return S001T01-00000001 2=3",  # below 100.00: the 返券 is taken back
            "买多了",
            "2001",
            "2222",
            "m M00000001",
            "topup 500",
            "",
            "svrefund S001T01-00000004 100",  # part of the unspent principal, a manager's
            "顾客退卡",
            "3001",
            "3333",
        ],
    )
    text = "\n".join(out)
    assert "每人限购 2 件，本单 3 件中 2 件享受优惠，其余按原价" in text
    assert "个护满100返10元券：本单获赠 返券 满50减10元 ×1，2026-11-24 起 30 天内有效" in text
    assert "积分兑换 800积分换10元券：800 积分" in text
    assert "赠券 CPV0000000000000001（2026-11-23 至 2026-12-22 有效，已打印）" in text
    assert "赠券 CPV0000000000000002（2026-11-24 至 2026-12-23 有效，已打印）" in text
    # the reward coupon comes back with its points; nothing was paid, so no money back
    assert "退货单 S001T01-00000002，退款 ¥0.00\n    收回券：CPV0000000000000001" in text
    assert "    退回积分 800" in text
    # 3 of the 4 个护 back: below 100.00, so the 返券 goes, and the points they earned
    assert "收回券：CPV0000000000000002" in text
    assert "    扣回积分 132" in text  # 132.18 of the 229.40 that earned 229
    assert "已充值 ¥500.00，赠送 ¥50.00，小票号 S001T01-00000004" in text
    assert "储值退款单 S001T01-00000005，退本金 ¥100.00（现金 ¥100.00），扣回赠送 ¥10.00" in text
