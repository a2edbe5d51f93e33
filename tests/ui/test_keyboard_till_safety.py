"""The keyboard till never shows a traceback, never loses a basket, asks before it assumes.

Each test feeds the till the lines a cashier (or a careless finger) would type
and reads back what the cashier sees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from terminal import ledger, registration, shifts
from terminal.checkout_settings import CheckoutSettings
from terminal.pii import MemberVault
from terminal.receipts import z_report_document
from terminal.store.database import Database
from terminal.store.models import (
    AuditEvent,
    Coupon,
    Member,
    Sale,
    Shift,
    SuspendedBasket,
)
from tests.conftest import DEMO_NOW
from tests.terminal.tillkit import barcode_of, till_settings
from ui.keyboard_till import KeyboardTill

LOGIN = ["1001", "1111", "500"]  # cashier logs in and opens the shift with ¥500


def till(
    db: Database,
    lines: list[str],
    *,
    vault: MemberVault | None = None,
    clock: Callable[[], datetime] | None = None,
    idle_lock_minutes: int = 0,
    interrupt_after: int | None = None,
    settings: CheckoutSettings | None = None,
) -> tuple[int, list[str]]:
    """Run the till on ``lines``; optionally Ctrl-C after that many lines."""
    feed: Iterator[str] = iter(lines)
    out: list[str] = []
    asked = 0

    def ask(prompt: str) -> str:
        nonlocal asked
        asked += 1
        if interrupt_after is not None and asked > interrupt_after:
            raise KeyboardInterrupt
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    shell = KeyboardTill(
        db,
        settings or till_settings(db),
        ask=ask,
        say=out.append,
        clock=clock or (lambda: DEMO_NOW),
        vault=vault,
        idle_lock_minutes=idle_lock_minutes,
    )
    return shell.run(), out


def sales(db: Database) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(Sale)) or 0


def parked(db: Database) -> list[SuspendedBasket]:
    with db.sessions() as s:
        return list(s.scalars(select(SuspendedBasket)))


BAD_LINES = [
    "void",
    "void x",
    "void 99",
    "qty 1",
    "qty 1 abc",
    "qty 1 0",
    "qty 1 100000",
    "price 1",
    "price 1 abc 原因",
    "disc 1 -3 原因",
    "p",
    "p lots",
    "p -5",
    "c",
    "m",
    "m 123",
    "return",
    "return NOPE-00000001",
    "return S001T01-00000001 x=y",
    "in",
    "in 1e9 找零",
    "out 10",
    "abc*SKU000002",
    "0*SKU000002",
    "'unbalanced quote",
    "resume nothing-here",
    "hold",
    "\x00\x01\x02",
    "９９９",
    "x" * 5000,
    "SKU999999",
    "in 99999999999999999999 找零",  # amounts no drawer holds: refused, not an overflow
    "out 99999999999999999999 存款",
    "price 1 99999999999999999999 改价",
]


def test_no_line_a_cashier_types_shows_a_traceback_or_crashes(demo_db: Database) -> None:
    code, out = till(demo_db, [*LOGIN, *BAD_LINES, "SKU000002", "pay", "", "quit"])
    assert code == 0
    text = "\n".join(out)
    assert "Traceback" not in text and "Error" not in text
    assert "意外错误" not in text  # every bad line is a refusal, none an unhandled failure
    refusals = [line for line in out if line.startswith("！")]
    assert len(refusals) >= len(BAD_LINES) - 2  # "hold"/"c" on an empty basket may just say so
    assert "小票号 S001T01-00000001" in text  # and the till still sells
    assert sales(demo_db) == 1


def test_only_parse_errors_read_input_not_understood(demo_db: Database) -> None:
    _, out = till(demo_db, [*LOGIN, "SKU000002", "qty 1 abc", "qty 1 0", "quit"])
    assert (
        "！ 输入有误，输入 help 查看命令 / input not understood: type help for the commands" in out
    )
    assert any("数量必须是 1 到 9999" in line for line in out)  # a rule, not a parse error


def test_a_quantity_before_a_code_is_read_as_the_gui_reads_it(demo_db: Database) -> None:
    """One syntax for ``3*code`` (terminal.scan_input.split_quantity) in both tills."""
    _, out = till(demo_db, [*LOGIN, "abc*SKU000002", "10000*SKU000002", "3*SKU000002", "quit"])
    refusals = [line for line in out if line.startswith("！")]
    bad_qty = "！ 数量必须是 1 到 9999 之间的整数 / the quantity must be a whole number 1 to 9999"
    assert refusals == [bad_qty] * 2
    assert any("3 × " in line for line in out)


def test_a_failure_underneath_is_one_line_and_the_basket_survives(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from terminal.checkout import Checkout

    def broken(self: Checkout, *args: object, **kwargs: object) -> None:
        raise RuntimeError("printer driver exploded")

    monkeypatch.setattr(Checkout, "pay", broken)
    _, out = till(demo_db, [*LOGIN, "SKU000002", "pay", "", "quit"])
    assert "！ 出现意外错误，已记录日志；本单未丢失 / an unexpected error was logged" in "\n".join(
        out
    )
    assert "printer driver exploded" not in "\n".join(out)
    assert len(parked(demo_db)) == 1  # quitting parked the basket it could not sell


@pytest.mark.parametrize("bug", [ValueError("bad price table"), IndexError("list index")])
def test_a_value_or_index_error_underneath_is_logged_not_input_not_understood(
    demo_db: Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    bug: Exception,
) -> None:
    """Only what the cashier typed can be 'not understood': a ValueError or IndexError from
    the code underneath is a bug, logged with its traceback and shown as one line."""
    from terminal.checkout import Checkout

    def broken(self: Checkout, *args: object, **kwargs: object) -> None:
        raise bug

    monkeypatch.setattr(Checkout, "quote", broken)
    with caplog.at_level("ERROR"):
        _, out = till(demo_db, [*LOGIN, "pay", "quit"])
    text = "\n".join(out)
    assert "输入有误" not in text and "input not understood" not in text
    assert "！ 出现意外错误，已记录日志；本单未丢失 / an unexpected error was logged" in text
    assert str(bug) not in text
    [record] = [r for r in caplog.records if r.exc_info is not None]
    assert record.exc_info is not None and record.exc_info[1] is bug


def test_devices_that_fail_after_a_sale_do_not_stop_the_till(demo_db: Database) -> None:
    out: list[str] = []

    def printer_off() -> list[str]:
        raise OSError("no such device")

    feed = iter([*LOGIN, "SKU000002", "pay", "", "SKU000300", "pay", "", "quit"])
    shell = KeyboardTill(
        demo_db,
        till_settings(demo_db),
        ask=lambda _prompt: next(feed),
        say=out.append,
        clock=lambda: DEMO_NOW,
        after_commit=printer_off,
        after_cash_sale=printer_off,
    )
    assert shell.run() == 0
    assert sales(demo_db) == 2  # both sales committed although the devices failed
    assert sum("意外错误" in line for line in out) == 2


def test_quitting_with_a_basket_open_parks_it(demo_db: Database) -> None:
    till(demo_db, [*LOGIN, "SKU000002", "quit"])
    rows = parked(demo_db)
    assert len(rows) == 1 and rows[0].payload["lines"][0]["sku"] == "SKU000002"
    with demo_db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "suspend")).one()
    assert event.details["why"] == "quit" and event.details["amount"] > 0
    assert event.details["lines"] == [{"sku": "SKU000002", "qty": 1}]


def test_ctrl_c_with_a_basket_open_parks_it(demo_db: Database) -> None:
    code, out = till(demo_db, [*LOGIN, "SKU000002", "SKU000300"], interrupt_after=5)
    assert code == 130
    assert len(parked(demo_db)) == 1
    assert any("已挂起" in line for line in out)


def test_cancelling_a_basket_needs_a_supervisor(demo_db: Database) -> None:
    _, out = till(demo_db, [*LOGIN, "SKU000002", "cancel", "1001", "1111", "quit"])
    assert any("需要主管授权（取消整单）" in line for line in out)
    assert len(parked(demo_db)) == 1  # the cashier could not approve herself: kept and parked
    _, out = till(demo_db, ["1001", "1111", "SKU000002", "cancel", "2001", "2222", "quit"])
    assert "本单已取消" in out
    with demo_db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "basket_cancelled")).one()
    assert event.approved_by is not None and event.details["lines"][0]["sku"] == "SKU000002"


def test_one_approval_voids_one_line(demo_db: Database) -> None:
    _, out = till(
        demo_db,
        [*LOGIN, "SKU000002", "SKU000300", "SKU000301", "void 1", "2001", "2222", "void 1", "quit"],
    )
    asks = [line for line in out if "需要主管授权（删除商品行）" in line]
    assert len(asks) == 2  # the second void asked again


def test_refused_before_anyone_is_asked_to_approve(demo_db: Database) -> None:
    # lowering to 0, a discount without a reason: refused without calling a supervisor
    _, out = till(demo_db, [*LOGIN, "SKU000002", "qty 1 0", "disc 1 1.00", "quit"])
    assert not any("需要主管授权" in line for line in out)
    assert any("请填写原因" in line for line in out)


def test_x_report_is_a_managers_report(demo_db: Database) -> None:
    _, out = till(demo_db, [*LOGIN, "x", "2001", "2222", "quit"])
    assert any("需要店长授权（报表）" in line for line in out)
    assert any("无权授权" in line for line in out)  # a supervisor cannot approve it
    assert not any(line.startswith("本班销售") for line in out)
    _, out = till(demo_db, ["1001", "1111", "x", "3001", "3333", "quit"])
    assert any(line.startswith("本班销售 0 笔") for line in out)


def test_payment_keeps_good_tenders_and_says_which_is_wrong(demo_db: Database) -> None:
    code = barcode_of(demo_db, "SKU000300")
    _, out = till(
        demo_db,
        [
            *LOGIN,
            f"3*{code}",
            "pay",
            "card 1.00",  # kept
            "card abc",  # wrong amount: says so, keeps the card
            "bitcoin 5",  # unknown method
            "cash 99999999999999999999",  # a sum no customer hands over: refused, not kept
            "wechat 1.00",  # asks for the reference
            "4200000001",
            "undo",  # takes the WeChat payment back
            "",  # the rest in cash
            "quit",
        ],
    )
    text = "\n".join(out)
    assert "金额「abc」无效" in text
    assert "不认识的支付方式「bitcoin」" in text
    assert "金额不能超过 999999.99 元" in text
    assert "已撤回 微信支付 ¥1.00" in text
    assert "已收款" in text
    with demo_db.sessions() as s:
        sale = s.scalars(select(Sale)).one()
        assert sorted((p.method, p.amount) for p in sale.payments)[0] == ("card", 100)
        assert {p.method for p in sale.payments} == {"card", "cash"}


def test_a_pick_list_accepts_only_a_listed_number(demo_db: Database) -> None:
    vault = MemberVault.ephemeral()
    with demo_db.transaction() as s:
        for phone, name in (("13800005678", "王小明"), ("13900005678", "李雷")):
            registration.register_member(
                s, vault, phone=phone, name=name, consent_data=True, actor=None, now=DEMO_NOW
            )
    _, out = till(
        demo_db,
        [*LOGIN, "SKU000002", "m 5678", "0", "m 5678", "3", "m 5678", "2", "quit"],
        vault=vault,
    )
    assert sum("请输入 1 到 2 之间的序号" in line for line in out) == 2
    assert any(line.startswith("会员 ") and "李*" in line for line in out)
    assert not any("13900005678" in line for line in out)


def test_the_attached_member_is_shown_with_tier_points_redeemable_and_coupons(
    demo_db: Database,
) -> None:
    vault = MemberVault.ephemeral()
    with demo_db.transaction() as s:
        member = registration.register_member(
            s,
            vault,
            phone="13800005678",
            name="王小明",
            consent_data=True,
            actor=None,
            now=DEMO_NOW,
        ).member
        ledger.earn(s, member.id, 800, expires_on=date(2027, 12, 31))
        coupon = s.get(Coupon, "CP100001")
        assert coupon is not None
        coupon.member_id, coupon.status = member.id, "issued"
    _, out = till(demo_db, [*LOGIN, "SKU000300", "m 13800005678", "quit"], vault=vault)
    text = "\n".join(out)
    assert f"会员 {member.member_no}  王**  138****5678  普通" in text, text
    assert "积分 800，本单最多可用 " in text  # the points balance, and what this basket takes
    assert "可用券：CP100001 满50减10元券" in text
    assert "13800005678" not in text and "王小明" not in text


def test_m_reads_the_whole_line_and_a_second_member_is_confirmed(demo_db: Database) -> None:
    vault = MemberVault.ephemeral()
    with demo_db.transaction() as s:
        for phone, name in (("13800005678", "王小明"), ("13900001111", "李雷")):
            registration.register_member(
                s, vault, phone=phone, name=name, consent_data=True, actor=None, now=DEMO_NOW
            )
    with demo_db.sessions() as s:
        first, second = s.scalars(
            select(Member.member_no).order_by(Member.created_at.desc(), Member.member_no.desc())
        ).all()[:2][::-1]
    _, out = till(
        demo_db,
        [
            *LOGIN,
            "SKU000002",
            "m 138 0000 5678",  # spaces in the phone: the whole rest of the line
            "m 139-0000-1111",
            "n",  # keep the first member
            "m 139-0000-1111",
            "y",
            "quit",
        ],
        vault=vault,
    )
    members_shown = [line.split()[1] for line in out if line.startswith("会员 ")]
    assert members_shown == [first, second]


def test_after_the_idle_time_the_same_cashier_unlocks_with_the_basket_kept(
    demo_db: Database,
) -> None:
    times = iter([DEMO_NOW + timedelta(minutes=m) for m in (0, 0, 0, 0, 1, 30, 30, 30, 31, 31)])
    last = [DEMO_NOW]

    def clock() -> datetime:
        last[0] = next(times, last[0])
        return last[0]

    _, out = till(
        demo_db,
        [*LOGIN, "SKU000002", "SKU000300", "1002", "1111", "1001", "1111", "pay", "", "quit"],
        clock=clock,
        idle_lock_minutes=10,
    )
    assert any("屏幕已锁定" in line for line in out)
    assert any("已解锁" in line for line in out)
    with demo_db.sessions() as s:
        sale = s.scalars(select(Sale)).one()
        assert [line.sku for line in sale.lines] == ["SKU000002", "SKU000300"]


def test_a_phone_number_or_name_typed_at_the_wrong_prompt_is_never_repeated(
    demo_db: Database,
) -> None:
    """Issue 8: messages never repeat a phone number or name that was typed."""
    typed = ["19987654321", "王小明"]
    lines = [*LOGIN, "SKU000002"]
    for text in typed:
        lines += [f"c {text}", f"return {text}"]
    _, out = till(demo_db, [*lines, "c CP999999", "return S001T01-99999999", "x", "quit"])
    shown = "\n".join(out)
    for text in typed:
        assert text not in shown
    assert shown.count("这不是券码") == 2 and shown.count("这不是小票号") == 2
    # a code of the right shape is named, so the cashier can check it against the paper
    assert "券码 CP999999 不存在" in shown and "未找到小票 S001T01-99999999" in shown


def test_a_till_whose_store_was_replaced_stops_selling_and_says_so(demo_db: Database) -> None:
    """Issue 8: a store swapped under the till (a restore that ignored the lock, a copy by
    hand) is never written again; the till says so and stops, the basket unpaid."""
    import os
    import shutil

    path = demo_db.path

    def swap() -> str:
        shutil.copyfile(path, path.with_name("other.sqlite3"))
        os.replace(path.with_name("other.sqlite3"), path)
        return "pay"

    lines = iter([*LOGIN, "SKU000002", "swap", "", "SKU000002", "quit"])
    out: list[str] = []

    def ask(prompt: str) -> str:
        line = next(lines)
        return swap() if line == "swap" else line

    shell = KeyboardTill(
        demo_db, till_settings(demo_db), ask=ask, say=out.append, clock=lambda: DEMO_NOW
    )
    assert shell.run() == 2
    assert "Traceback" not in "\n".join(out)
    assert any("restart posterm" in line for line in out)
    assert out[-1].startswith("本机已停止销售")
    assert next(lines) == "SKU000002"  # nothing more was read, nothing more sold
    assert sales(demo_db) == 0


def test_no_message_shows_an_unfilled_placeholder(demo_db: Database) -> None:
    """A till without member keys loaded said '找不到会员数据密钥（{where}）'."""
    _, out = till(demo_db, [*LOGIN, "m 13800000000", "m 5678", "quit"])
    shown = "\n".join(out)
    assert "{" not in shown and "会员数据密钥" in shown


@pytest.mark.parametrize("role", ["cashier", "supervisor"])
def test_cash_in_and_out_with_a_reason_approved_where_the_store_says_and_on_the_z_slip(
    demo_db: Database, role: str
) -> None:
    """``[security] cash_movement_role``: a cashier moves cash alone, or a supervisor
    approves; either way the reason is asked for and both moves are on the Z slip."""
    approve = ["2001", "2222"] if role == "supervisor" else []
    _, out = till(
        demo_db,
        [
            *LOGIN,
            "in 100",  # no reason: refused, nothing moves
            "in 100 补零钱",
            *approve,
            "out 50 交款",
            *approve,
            "close",
            "5",  # ¥500 float + 100 − 50 = ¥550: five ¥100 notes and one ¥50
            "1",
            *[""] * 9,
            "2001",
            "2222",
        ],
        settings=replace(till_settings(demo_db), cash_movement_role=role),
    )
    text = "\n".join(out)
    assert "请填写原因" in text
    assert "已存入现金 ¥100.00" in text and "已取出现金 ¥50.00" in text
    assert ("需要主管授权（存取现金）" in text) == (role == "supervisor"), text
    with demo_db.sessions() as s:
        shift = s.scalars(select(Shift)).one()
        z = z_report_document(s, shifts.shift_summary(s, shift), tz="Asia/Shanghai")
        approvals = s.scalars(
            select(AuditEvent.approved_by).where(AuditEvent.action.in_(("cash_in", "cash_out")))
        ).all()
    cash = {r["label"]: r.get("amount") for sec in z["sections"] for r in sec["rows"]}
    assert (cash["存入"], cash["取出"], cash["差额(长+/短-)"]) == (10_000, -5_000, 0)
    assert all(approvals) == (role == "supervisor") and len(approvals) == 2
