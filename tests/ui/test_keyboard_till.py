"""The keyboard till, driven line by line as a cashier with a scanner would."""

from __future__ import annotations

from sqlalchemy import select

from terminal.store.models import Sale, Shift
from tests.conftest import DEMO_NOW
from tests.terminal.tillkit import barcode_of, till_settings
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


def test_a_cashier_sells_returns_and_closes_at_the_keyboard(demo_db):
    code = barcode_of(demo_db, "SKU000300")
    out = run_shell(
        demo_db,
        [
            "1001",
            "1111",
            "500",  # log in, open the shift with ¥500
            f"2*{code}",
            "SKU000002",
            "bogus",
            "void 2",
            "2001",
            "2222",  # supervisor approves the void
            "pay",
            "cash 100",
            "return S001T01-00000001 1=1",
            "坏了",
            "2001",
            "2222",
            "x",  # a manager's report: the manager approves it
            "3001",
            "3333",
            "close",
            "5",
            *[""] * 10,  # ¥50 … 1分: none
            "2001",
            "2222",
        ],
    )
    text = "\n".join(out)
    assert "已开班" in text
    assert "未知条码 bogus" in text
    assert "小票号 S001T01-00000001" in text
    assert "退货单 S001T01-00000002" in text
    assert "本班销售 1 笔" in text and "退货 1 笔" in text
    assert "交班完成" in text
    with demo_db.sessions() as s:
        sale = s.scalars(select(Sale).where(Sale.kind == "sale")).one()
        assert [line.sku for line in sale.lines] == ["SKU000300"]
        assert s.scalars(select(Shift.status)).one() == "closed"


def test_wrong_pin_asks_again_and_never_gets_past_login(demo_db):
    out = run_shell(demo_db, ["1001", "0000", "1001", "0001"])
    assert out == ["！ 用户名或密码错误 / wrong username or PIN"] * 2


def test_a_bad_opening_float_is_asked_again_not_a_crash(demo_db):
    out = run_shell(demo_db, ["1001", "1111", "abc", "-5", "99999999999999999999", "200", "quit"])
    assert out[1].startswith("！ 请输入金额")
    assert "不能为负" in out[2]
    assert "不能超过 999999.99 元" in out[3]  # was an OverflowError traceback from SQLite
    assert "已开班" in out


def test_a_return_with_every_quantity_zero_is_refused_with_the_reason(demo_db):
    code = barcode_of(demo_db, "SKU000300")
    out = run_shell(
        demo_db,
        ["1001", "1111", "500", code, "pay", "cash 100", "return S001T01-00000001 1=0", "坏了"],
    )
    text = "\n".join(out)
    assert "退货数量都是 0" in text and "已全部退货" not in text
    assert "退货单" not in text
    with demo_db.sessions() as s:
        assert s.scalars(select(Sale.kind)).all() == ["sale"]


def test_the_after_commit_hook_follows_the_core_s_events(demo_db, monkeypatch):
    """The hook (print the receipt, open the drawer) subscribes to the core's commit events
    while the till runs: it runs once after each line that committed a sale, a return or a
    shift close, whatever committed it, never after a line that committed nothing, and no
    longer once the till has stopped."""
    from terminal import events

    calls: list[str] = []
    out: list[str] = []

    def hook() -> list[str]:
        calls.append(out[-1] if out else "")
        return [f"HOOK {len(calls)}"]

    def x_report_that_sells(self: KeyboardTill) -> None:  # another path to the core
        events.emit("sale_committed", sale_id="elsewhere", receipt_no="S001T01-99999999")

    monkeypatch.setattr(KeyboardTill, "_x_report", x_report_that_sells)
    feed = iter(
        [
            *("1001", "1111", "500"),
            "SKU000002",
            "hold",  # commits a parked basket, not a sale: no hook
            "resume",
            "pay",
            "",
            "return S001T01-00000001",
            "坏了",
            "2001",
            "2222",
            "x",
            "help",
            "close",
            *[""] * 11,  # ¥100 … 1分: none
            "2001",
            "2222",
        ]
    )
    shell = KeyboardTill(
        demo_db,
        till_settings(demo_db),
        ask=lambda _prompt: next(feed),
        say=out.append,
        clock=lambda: DEMO_NOW,
        after_commit=hook,
    )
    assert shell.run() == 0
    assert len(calls) == 4
    assert "小票号 S001T01-00000001" in calls[0]
    assert "退货单 S001T01-00000002" in calls[1]
    assert "交班完成" in calls[3]
    assert [line for line in out if line.startswith("HOOK")] == [f"HOOK {n}" for n in (1, 2, 3, 4)]
    events.emit("sale_committed", sale_id="later", receipt_no="S001T01-99999998")
    assert len(calls) == 4  # the till stopped listening when it stopped


def test_hold_gives_a_number_the_cashier_can_type_to_resume(demo_db) -> None:
    """hold said a 36-character id; resume N takes the number it gives instead."""
    typed = ["1001", "1111", "500", "SKU000002", "hold 等顾客", "SKU000007", "hold", "resume 1"]
    out = run_shell(demo_db, [*typed, "close"])
    first, second = (k for k, line in enumerate(out) if "已挂单" in line)
    assert "第 1 单" in out[first] and "第 2 单" in out[second]
    assert all(len(word) < 30 for word in out[first].split())  # no 36-character id
    basket_one = [line for line in out[:first] if line.startswith(" 1. ")][-1]
    assert out[second + 1] == basket_one  # resume 1: the first basket is back
    parked_on_close = next(line for line in out if "已挂起" in line)
    assert parked_on_close.endswith("resume 2 取回")  # after the one still held
