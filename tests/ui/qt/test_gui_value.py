"""Member value at the GUI till by keystrokes: rewards for points, stored value (top-up,
refund, paying by balance with the member's PIN, the offline limit), weighed goods,
a coupon issued for the next visit and a purchase limit."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from sqlalchemy import select

from terminal import ledger, stored_value, topups
from terminal.demo import DEMO_PAY_PIN, scale_label
from terminal.members import find_member
from terminal.store.models import Sale
from terminal.tenders import Tender
from tests.ui.qt.conftest import receipt_bytes
from tests.ui.qt.test_gui_sale import log_in, modal, scan
from ui.qt.approval import ApprovalDialog
from ui.qt.payment import PaymentDialog
from ui.qt.value import MemberPinDialog, PointsDialog, TopUpDialog, WeightDialog

RICH = "M00000001"  # 6,690 points, 500.00 + 50.00 stored value, payment PIN 123456
POOR = "M00000007"  # 1,500 points


def attach(qtbot, win, member_no: str, rows: int) -> None:
    scan(qtbot, win, member_no, rows)
    qtbot.waitUntil(lambda: member_no in win.checkout.member.title.text(), timeout=5000)


def points(home, member_no: str) -> int:
    with home.db.sessions() as s:
        today = home.settings().business_day(datetime.now(UTC))
        return ledger.balance(s, find_member(s, member_no).id, today)


def balance(home, member_no: str = RICH) -> stored_value.Balance:
    with home.db.sessions() as s:
        return stored_value.balance(s, find_member(s, member_no).id)


def back_to_till(qtbot, win) -> None:
    """Offscreen Qt does not give the focus back to the window after a dialog."""
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.checkout.scan.setFocus()


def pay_cash(qtbot, win) -> None:
    back_to_till(qtbot, win)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: modal(PaymentDialog) is not None)
    pay = modal(PaymentDialog)
    qtbot.keyClick(pay.amount, Qt.Key.Key_Return)  # empty: exact cash
    qtbot.waitUntil(lambda: "Paid." in win.checkout.message.text())


def redeem(qtbot, win, reward_id: str) -> None:
    back_to_till(qtbot, win)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: modal(PointsDialog) is not None)
    dialog = modal(PointsDialog)
    qtbot.waitUntil(lambda: dialog.rewards.count() == 3)
    qtbot.keyClick(dialog.points, Qt.Key.Key_Down)  # to the catalogue
    while dialog.rewards.currentItem().data(Qt.ItemDataRole.UserRole) != reward_id:
        qtbot.keyClick(dialog.rewards, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.rewards, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_reward_for_points_is_free_and_spends_them(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    attach(qtbot, win, RICH, 1)
    before = points(home, RICH)
    redeem(qtbot, win, "RW-NOODLE")
    qtbot.waitUntil(lambda: win.checkout.table.rowCount() == 2)
    assert "(reward, 500 points)" in win.checkout.table.item(1, 1).text()
    assert win.checkout.table.item(1, 5).text() == "¥0.00"
    pay_cash(qtbot, win)
    with home.db.sessions() as s:
        sale = s.scalars(select(Sale)).one()
        assert [line.reward_id for line in sale.lines] == [None, "RW-NOODLE"]
        earned = sale.points_earned
    assert points(home, RICH) == before - 500 + earned


def test_a_reward_the_member_cannot_afford_is_refused_in_words(qtbot, window) -> None:
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    attach(qtbot, win, POOR, 1)
    redeem(qtbot, win, "RW-OIL")  # 2,000 points
    qtbot.waitUntil(lambda: "not enough points" in win.checkout.message.text())
    assert win.checkout.table.rowCount() == 1


def test_points_as_money_from_the_same_dialog(qtbot, window) -> None:
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    attach(qtbot, win, RICH, 1)
    before = win.checkout.priced.payable
    back_to_till(qtbot, win)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: modal(PointsDialog) is not None)
    dialog = modal(PointsDialog)
    qtbot.keyClicks(dialog.points, "100")
    qtbot.keyClick(dialog.points, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.checkout.priced.payable == before - 100)


def test_a_top_up_shows_its_bonus_takes_cash_and_a_manager_refunds_it(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    attach(qtbot, win, RICH, 0)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: modal(TopUpDialog) is not None)
    dialog = modal(TopUpDialog)
    qtbot.waitUntil(lambda: "¥550.00" in dialog.balance.text())
    qtbot.keyClicks(dialog.amount, "500")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "充500送50" in dialog.bonus.text())
    assert "bonus ¥50.00" in dialog.bonus.text()
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # take the money
    qtbot.waitUntil(lambda: modal(PaymentDialog) is not None)
    pay = modal(PaymentDialog)
    assert pay.findChild(type(pay.amount), "tenderAmount") is not None
    assert all(b.objectName() != "tender_stored_value" for b in pay.findChildren(type(dialog.take)))
    qtbot.keyClicks(pay.amount, "600")
    qtbot.keyClick(pay.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Topped up ¥500.00, bonus ¥50.00" in win.checkout.message.text())
    assert "Change ¥100.00" in win.checkout.message.text()
    assert balance(home) == stored_value.Balance(100_000, 10_000)
    with home.db.sessions() as s:
        topup = s.scalars(select(Sale).where(Sale.kind == "topup")).one()
    qtbot.waitUntil(lambda: topup.receipt_no.encode() in receipt_bytes(home), timeout=20_000)

    back_to_till(qtbot, win)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: modal(TopUpDialog) is not None)
    dialog = modal(TopUpDialog)
    qtbot.keyClicks(dialog.receipt, topup.receipt_no)
    qtbot.keyClicks(dialog.refund_amount, "200")
    qtbot.keyClicks(dialog.reason, "customer moves away")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: modal(ApprovalDialog) is not None)
    approval = modal(ApprovalDialog)
    qtbot.keyClicks(approval.user, "3001")
    qtbot.keyClicks(approval.pin, "3333")
    qtbot.keyClick(approval.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Top-up refund" in win.checkout.message.text())
    assert "¥200.00 back, bonus ¥20.00 taken back" in win.checkout.message.text()
    assert balance(home) == stored_value.Balance(80_000, 8_000)


def test_paying_by_balance_asks_the_members_pin(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    attach(qtbot, win, RICH, 1)
    qtbot.waitUntil(lambda: "Stored value ¥550.00" in win.checkout.member.detail.text())
    due = win.checkout.priced.payable
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: modal(PaymentDialog) is not None)
    pay = modal(PaymentDialog)
    qtbot.keyClick(pay.amount, Qt.Key.Key_S)  # the rest by balance
    qtbot.waitUntil(lambda: modal(MemberPinDialog) is not None)
    pin = modal(MemberPinDialog)
    qtbot.keyClicks(pin.pin, "000000")
    qtbot.keyClick(pin.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "wrong payment PIN" in pin.message.text())
    qtbot.keyClicks(pin.pin, DEMO_PAY_PIN)
    qtbot.keyClick(pin.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Paid." in win.checkout.message.text())
    assert f"Stored value left ¥{(55_000 - due) // 100}." in win.checkout.message.text()
    with home.db.sessions() as s:
        sale = s.scalars(select(Sale).where(Sale.kind == "sale")).one()
        assert [(p.method, p.amount) for p in sale.payments] == [("stored_value", due)]
    assert balance(home).total == 55_000 - due


def test_offline_the_balance_limit_is_refused_in_words(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    topups.top_up(  # paid in at this till, not yet confirmed by HQ
        home.db,
        home.settings(),
        win.ctx.cashier,
        member_no=RICH,
        amount=10_000,
        tenders=[Tender("cash", 10_000)],
    )
    scan(qtbot, win, "20*SKU000133", 1)
    attach(qtbot, win, RICH, 1)
    qtbot.waitUntil(lambda: "offline ¥550.00 usable" in win.checkout.member.detail.text())
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: modal(PaymentDialog) is not None)
    pay = modal(PaymentDialog)
    qtbot.keyClicks(pay.amount, "600")
    qtbot.keyClick(pay.amount, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: modal(MemberPinDialog) is not None)
    pin = modal(MemberPinDialog)
    qtbot.keyClicks(pin.pin, DEMO_PAY_PIN)
    qtbot.keyClick(pin.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "offline, at most 550.00" in pay.message.text())
    assert pay.tenders == []
    pay.amount.selectAll()
    qtbot.keyClicks(pay.amount, "500")  # within the limit: taken, no PIN asked again
    qtbot.keyClick(pay.amount, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: len(pay.tenders) == 1)
    assert pay.tenders[0].method == "stored_value" and pay.tenders[0].amount == 50_000


def test_a_weighed_product_asks_its_grams_and_a_scale_label_carries_them(
    qtbot, window, home
) -> None:
    win = window
    log_in(qtbot, win)
    qtbot.keyClicks(win.checkout.scan, "SKU900101")
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: modal(WeightDialog) is not None)
    dialog = modal(WeightDialog)
    qtbot.keyClicks(dialog.grams, "532")
    qtbot.keyClick(dialog.grams, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.checkout.table.rowCount() == 1)
    table = win.checkout.table
    assert (table.item(0, 2).text(), table.item(0, 3).text()) == ("0.532 kg", "¥12.80/kg")
    assert table.item(0, 5).text() == "¥6.81"
    back_to_till(qtbot, win)
    scan(qtbot, win, scale_label("SKU900102", 1250), 2)
    assert table.item(1, 2).text() == "1.250 kg"
    pay_cash(qtbot, win)
    with home.db.sessions() as s:
        sale = s.scalars(select(Sale)).one()
        assert [(line.sku, line.qty) for line in sale.lines] == [
            ("SKU900101", 532),
            ("SKU900102", 1250),
        ]


def test_a_coupon_for_the_next_visit_is_shown_after_payment(qtbot, window) -> None:
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "3*SKU000133", 1)  # 个护 over ¥100: a ¥10 coupon for next time
    pay_cash(qtbot, win)
    assert "Coupon CPV" in win.checkout.message.text()
    assert " issued, valid " in win.checkout.message.text()


def test_a_purchase_limit_says_how_many_remain_in_one_line(qtbot, window) -> None:
    win = window
    log_in(qtbot, win)
    attach(qtbot, win, RICH, 0)
    scan(qtbot, win, "3*SKU000154", 1)  # 鸡蛋特价 每人限购2件
    qtbot.waitUntil(lambda: "2 items per member" in win.checkout.message.text())  # English till
    assert "2 of the 3 items get the offer" in win.checkout.message.text()
    assert "\n" not in win.checkout.message.text()


def test_a_return_gives_back_a_reward_coupon_and_takes_back_the_coupon_it_issued(
    qtbot, window, home
) -> None:
    from terminal.store.models import Coupon
    from ui.qt.returns import ReturnsDialog

    win = window
    log_in(qtbot, win)
    attach(qtbot, win, RICH, 0)
    scan(qtbot, win, "3*SKU000133", 1)  # 个护 over ¥100 issues a ¥10 coupon for next time
    before = points(home, RICH)
    redeem(qtbot, win, "RW-COUPON10")  # a ¥10 coupon for 800 points
    qtbot.waitUntil(
        lambda: any(r.reward_id == "RW-COUPON10" and r.applied for r in win.checkout.priced.rewards)
    )
    assert any("800积分换10元券" in t for t in win.checkout.priced.explanation)
    pay_cash(qtbot, win)
    with home.db.sessions() as s:
        sale = s.scalars(select(Sale)).one()
        issued = {
            c.definition_id: c.code
            for c in s.scalars(select(Coupon).where(Coupon.issued_sale_id == sale.id))
        }
        receipt = sale.receipt_no
    assert set(issued) == {"CD-R10", "CD-RET10"}

    back_to_till(qtbot, win)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: modal(ReturnsDialog) is not None)
    dialog = modal(ReturnsDialog)
    qtbot.keyClicks(dialog.receipt, receipt)
    qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    spin = dialog.quantity(0)
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, "2")  # two of three: the sale falls below ¥100
    qtbot.keyClick(spin, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.reason, "too many")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.reward_codes
    qtbot.keyClicks(dialog.reward_codes, issued["CD-R10"])
    qtbot.keyClick(dialog.reward_codes, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: modal(ApprovalDialog) is not None)
    approval = modal(ApprovalDialog)
    qtbot.keyClicks(approval.user, "2001")
    qtbot.keyClicks(approval.pin, "2222")
    qtbot.keyClick(approval.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.last_return is not None)
    text = dialog.refund_text.text()
    assert "Coupons taken back: " in text and "Points given back: 800" in text
    assert all(code in text.split("Coupons taken back: ")[1] for code in issued.values())
    with home.db.sessions() as s:
        rows = s.scalars(select(Coupon).where(Coupon.issued_sale_id == sale.id))
        assert {c.code: c.status for c in rows} == dict.fromkeys(issued.values(), "void")
    result = dialog.last_return
    assert result.points_restored == 800
    expected = before - 800 + sale.points_earned - result.points_reversed + 800
    assert points(home, RICH) == expected


def test_a_member_sets_a_payment_pin_after_showing_the_app_code(qtbot, window, home) -> None:
    from tests.ui.qt.test_gui_camera import app_code
    from ui.qt.value import SetPinDialog

    def set_pin(pin: str) -> SetPinDialog:
        back_to_till(qtbot, win)
        qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F11)
        qtbot.waitUntil(lambda: modal(TopUpDialog) is not None)
        top = modal(TopUpDialog)
        qtbot.mouseClick(top.set_pin, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: modal(SetPinDialog) is not None)
        dialog = modal(SetPinDialog)
        qtbot.keyClicks(dialog.first, pin)
        qtbot.keyClick(dialog.first, Qt.Key.Key_Return)
        qtbot.keyClicks(dialog.again, pin)
        qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
        return dialog

    win = window
    log_in(qtbot, win)
    attach(qtbot, win, "M00000003", 0)  # by card: anybody may hold it
    refused = set_pin("654321")
    qtbot.waitUntil(lambda: "app code" in refused.message.text())
    refused.reject()
    modal(TopUpDialog).reject()
    scan(qtbot, win, app_code(home.data.root, "M00000003"), 0)  # the member's phone
    dialog = set_pin("654321")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: "Payment PIN set" in modal(TopUpDialog).message.text())
    with home.db.sessions() as s:
        member_id = find_member(s, "M00000003").id
    stored_value.check_pay_pin(home.db, member_id, "654321", datetime.now(UTC))


def test_f7_holds_a_sale_with_a_weight_and_a_reward_and_brings_it_back(qtbot, window) -> None:
    win = window
    log_in(qtbot, win)
    attach(qtbot, win, RICH, 0)
    scan(qtbot, win, scale_label("SKU900101", 532), 1)
    redeem(qtbot, win, "RW-NOODLE")
    qtbot.waitUntil(lambda: win.checkout.table.rowCount() == 2)
    back_to_till(qtbot, win)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F7)  # hold
    qtbot.waitUntil(lambda: "Sale held" in win.checkout.message.text())
    assert win.checkout.table.rowCount() == 0
    scan(qtbot, win, "SKU000300", 1)  # the next customer
    pay_cash(qtbot, win)
    back_to_till(qtbot, win)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F7)  # resume
    qtbot.waitUntil(lambda: win.checkout.table.rowCount() == 2)
    assert win.checkout.table.item(0, 2).text() == "0.532 kg"
    assert "(reward, 500 points)" in win.checkout.table.item(1, 1).text()
    qtbot.waitUntil(lambda: RICH in win.checkout.member.title.text())


def test_a_weight_shows_as_kilograms_whatever_its_sign() -> None:
    from ui.qt.widgets import qty_text

    assert qty_text(532, True) == "0.532 kg"
    assert qty_text(1_250, True) == "1.250 kg"
    assert qty_text(-532, True) == "-0.532 kg"  # a weighed line returned
    assert qty_text(3, False) == "3"
