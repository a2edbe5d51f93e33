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
