"""The savings explained line by line and the member's tier benefits, in the till's language.

A 金卡 member's basket with a promotion (零食 买三免一), the tier discount and a coupon
(满50减10): an English till explains it in English, a Chinese till in Chinese, and what
the sale stores is the Chinese either way (the receipt prints from it). Promotion, coupon,
tier and product names are data and read as HQ wrote them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from terminal.home import TerminalHome
from terminal.store.models import Sale
from tests.conftest import DEMO_NOW
from tests.ui.qt.conftest import open_window
from tests.ui.qt.test_gui_sale import log_in, modal, scan
from tests.ui.qt.test_gui_value import attach, back_to_till
from ui.qt.payment import PaymentDialog

GOLD = "M00000007"  # 金卡: 5 % off, points ×1.5

CHINESE = [
    "三只松鼠 牛肉干 100g 零食 买三免一 -37.20 (规则 P-SNACK-3FOR2)",
    "金卡会员 95折 -5.07",
    "券 CP100001 满50减10元券 -10.00 (规则 CD-10)",
    "本单可得积分 129 分",
]


def ring_up(qtbot, win) -> list[str]:
    """Log in, ring up the basket, attach the member, apply the coupon; the savings shown.

    At a set time: the demo's rules depend on the day (周三会员日 doubles the points on
    Wednesdays in Shanghai, which is part of Tuesday evening in UTC)."""
    win.ctx.clock = lambda: DEMO_NOW  # a Monday morning
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    scan(qtbot, win, "3*SKU000058", 2)  # 三只松鼠 牛肉干: the third is free
    attach(qtbot, win, GOLD, 2)
    before = win.checkout.priced.payable
    scan(qtbot, win, "CP100001", 2)
    qtbot.waitUntil(lambda: win.checkout.priced.payable == before - 1000)
    savings = win.checkout.savings
    return [savings.item(i).text() for i in range(savings.count())]


def pay_exact_cash(qtbot, win, home: TerminalHome) -> list[str]:
    """F12, Enter (exact cash); the explanation the paid sale stores."""

    def sales() -> list[Sale]:
        with home.db.sessions() as s:
            return list(s.scalars(select(Sale).order_by(Sale.created_at)))

    before = len(sales())
    back_to_till(qtbot, win)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: modal(PaymentDialog) is not None)
    qtbot.keyClick(modal(PaymentDialog).amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(sales()) == before + 1)
    return list(sales()[-1].explanation)


def test_an_english_till_explains_the_savings_and_the_tier_in_english(qtbot, window, home) -> None:
    win = window
    assert ring_up(qtbot, win) == [
        "三只松鼠 牛肉干 100g 零食 买三免一 -37.20 (rule P-SNACK-3FOR2)",
        "金卡 member 5% off -5.07",
        "coupon CP100001 满50减10元券 -10.00 (rule CD-10)",
        "129 points earned on this sale",
    ]
    assert win.checkout.member.detail.text().splitlines()[0] == "金卡  5% off · points ×1.5"
    assert "HQ: not configured" in win.parts["hq"].text()

    assert pay_exact_cash(qtbot, win, home) == CHINESE  # the sale keeps it as the receipt does


@pytest.fixture
def chinese_home(demo_dir: Path, tmp_path: Path) -> Iterator[TerminalHome]:
    """The demo till as it ships: in Chinese."""
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    config = data / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(str(demo_dir), str(data)), encoding="utf-8"
    )
    opened = TerminalHome.open(data)
    yield opened
    opened.close()


@pytest.fixture
def chinese_window(qtbot, chinese_home: TerminalHome):  # type: ignore[no-untyped-def]
    yield from open_window(qtbot, chinese_home)


def test_a_chinese_till_explains_them_in_chinese_and_names_hq_once(
    qtbot, chinese_window, chinese_home
) -> None:
    win = chinese_window
    assert ring_up(qtbot, win) == CHINESE
    assert win.checkout.member.detail.text().splitlines()[0] == "金卡  95折 · 积分1.5倍"
    hq = win.parts["hq"].text()
    assert hq.endswith("总部: 未配置") and hq.count("总部") == 1  # not 总部: 总部未配置

    assert pay_exact_cash(qtbot, win, chinese_home) == CHINESE
