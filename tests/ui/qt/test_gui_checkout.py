"""A member's sale at the GUI till from login to change, by keystrokes, offscreen; and what
the checkout screen does besides: the customer display, F1, the login lockout, a failure
nobody expected, and the size of what a finger presses."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from sqlalchemy import select

from terminal.home import TerminalHome
from terminal.store.models import CouponRedemption, Sale
from tests.ui.qt.conftest import receipt_bytes
from tests.ui.qt.test_gui_sale import log_in, modal, scan
from tests.ui.qt.test_gui_value import RICH, attach, back_to_till
from ui.qt.payment import PaymentDialog
from ui.qt.value import PointsDialog


@pytest.fixture
def home(demo_dir: Path, tmp_path: Path) -> Iterator[TerminalHome]:
    """The demo till in English, printing to this test's file, with the customer display on."""
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    config = data / "config.toml"
    text = config.read_text(encoding="utf-8").replace(str(demo_dir), str(data))
    text = text.replace('language = "zh_CN"', 'language = "en"')
    text = text.replace("customer_display = false", "customer_display = true")
    config.write_text(text, encoding="utf-8")
    opened = TerminalHome.open(data)
    yield opened
    opened.close()


def yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"


def test_a_members_sale_with_a_coupon_points_and_card_plus_cash_shows_the_change(
    qtbot, window, home
) -> None:
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    scan(qtbot, win, "3*SKU000133", 2)
    attach(qtbot, win, RICH, 2)
    # the coupon typed into the scan field like any code: the classifier knows it
    before = win.checkout.priced.payable
    scan(qtbot, win, "CP100001", 2)  # 满50减10
    qtbot.waitUntil(lambda: win.checkout.priced.payable == before - 1000)
    assert any("CP100001" in line for line in win.checkout.priced.explanation)
    # the customer's screen follows the basket
    customer = win.customer
    assert customer is not None
    assert customer.lines.count() == 2
    assert customer.total.text() == f"To pay {yuan(win.checkout.priced.payable)}"

    # F6: 500 points as ¥5.00
    back_to_till(qtbot, win)
    before = win.checkout.priced.payable
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: modal(PointsDialog) is not None)
    dialog = modal(PointsDialog)
    qtbot.keyClicks(dialog.points, "500")
    qtbot.keyClick(dialog.points, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.checkout.priced.payable == before - 500)
    due = win.checkout.priced.payable
    assert customer.total.text() == f"To pay {yuan(due)}"

    # F12: ¥50 by card, then the quick-cash notes are for what is left, then ¥200 in cash
    back_to_till(qtbot, win)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: modal(PaymentDialog) is not None)
    pay = modal(PaymentDialog)
    assert pay.quick_amounts()[0] == due
    qtbot.keyClicks(pay.amount, "50")
    qtbot.keyClick(pay.amount, Qt.Key.Key_C)
    left = due - 5000
    assert pay.quick_amounts()[0] == left  # "exact" is now what is left, not the whole
    qtbot.keyClicks(pay.amount, "200")
    qtbot.keyClick(pay.amount, Qt.Key.Key_Return)
    change = 20000 - left

    # the change is shown large on the till, and on the customer's screen
    qtbot.waitUntil(lambda: win.checkout.change.text() == f"Change {yuan(change)}")
    assert win.checkout.change.isVisible()
    assert win.checkout.change.fontInfo().pixelSize() >= 32  # as big as the amount due
    assert customer.savings.text() == f"Change {yuan(change)}"
    assert "Thank you" in customer.thanks.text() and "points" in customer.thanks.text()

    with home.db.sessions() as s:
        sale = s.scalars(select(Sale)).one()
        assert sale.payable == due and sale.change_given == change
        assert sale.points_redeemed == 500
        assert sorted((p.method, p.amount) for p in sale.payments) == [
            ("card", 5000),
            ("cash", left),
        ]
        [used] = s.scalars(select(CouponRedemption).where(CouponRedemption.sale_id == sale.id))
        assert (used.coupon_code, used.kind) == ("CP100001", "redeem")
        receipt = sale.receipt_no
    qtbot.waitUntil(lambda: receipt.encode() in receipt_bytes(home), timeout=20_000)

    # the next scan starts a new sale: the change goes
    back_to_till(qtbot, win)
    scan(qtbot, win, "SKU000002", 1)
    assert win.checkout.change.text() == "" and not win.checkout.change.isVisible()


def test_login_by_tab_and_the_pin_pad_and_the_lockout_after_wrong_pins(qtbot, window) -> None:
    from terminal import messages

    win = window
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    login = win.login
    attempts, _minutes = win.ctx.lockout
    qtbot.waitUntil(login.user.hasFocus)
    qtbot.keyClicks(login.user, "1001")
    qtbot.keyClick(login.user, Qt.Key.Key_Tab)  # Tab from the number to the PIN
    assert login.pin.hasFocus()
    for _ in range(attempts):  # a wrong PIN leaves the number and puts the cursor in the PIN
        qtbot.keyClicks(login.pin, "0000")
        qtbot.keyClick(login.pin, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: login.message.text() != "" and login.button.isEnabled())
        assert win.stack.currentWidget() is login and login.pin.hasFocus()
        login.message.clear_message()
    login.user.clear()
    # locked now: even the right PIN, typed on the touch pad, gets the lockout in words
    qtbot.keyClicks(login.user, "1001")
    login.pin.setFocus()
    for digit in "1111":
        button = next(b for b in login.findChildren(QPushButton) if b.text() == digit)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert login.pin.text() == "1111"
    qtbot.mouseClick(login.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: login.message.text() != "")
    locked = messages.render("user_locked", {"minutes": 0, "at": ""}).split("0")[0]
    assert login.message.text().startswith(locked), login.message.text()
    assert win.stack.currentWidget() is login


def test_f1_shows_the_keys_over_the_screen_and_esc_closes_it(qtbot, window) -> None:
    from ui.qt.help_overlay import HelpOverlay

    win = window
    log_in(qtbot, win)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: modal(HelpOverlay) is not None)
    overlay = modal(HelpOverlay)
    text = " ".join(label.text() for label in overlay.findChildren(QLabel))
    for key in ("F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F12", "Del", "Esc", "N*"):
        assert f"<b>{key}</b>" in text
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not overlay.isVisible())


def test_a_supervisor_unlocks_the_idle_lock_with_the_basket_kept(qtbot, window) -> None:
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    win.idle.lock()
    screen = win.idle.screen
    assert win.stack.currentWidget() is screen
    screen.user.setText("2001")
    qtbot.keyClicks(screen.pin, "2222")
    qtbot.keyClick(screen.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.checkout)
    assert win.checkout.table.rowCount() == 1


def test_an_unexpected_failure_is_one_line_and_logged_and_the_basket_stays(
    qtbot, window, caplog, monkeypatch
) -> None:
    from terminal import messages

    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    co = win.ctx.checkout

    def broken(code: str) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(co, "scan", broken)
    with caplog.at_level("ERROR"):
        qtbot.keyClicks(win.checkout.scan, "SKU000002")
        qtbot.keyClick(win.checkout.scan, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: win.checkout.message.text() != "")
    assert win.checkout.message.text() == messages.render("unexpected_error")
    assert "disk on fire" not in win.checkout.message.text()
    assert any(r.exc_info and "disk on fire" in str(r.exc_info[1]) for r in caplog.records)
    assert win.checkout.table.rowCount() == 1
    monkeypatch.undo()
    scan(qtbot, win, "SKU000002", 2)  # the till goes on with the same basket


def test_a_slot_that_raises_on_the_gui_thread_is_one_line_and_the_basket_stays(
    qtbot, window, caplog
) -> None:
    """Not only the core's work: a fault in the screen's own code (a slot) must not print a
    traceback nowhere and leave the cashier guessing."""
    import sys

    from PySide6.QtCore import QTimer

    from terminal import messages
    from ui.qt.app import install_excepthook

    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    saved = sys.excepthook
    install_excepthook(win)
    try:

        def faulty() -> None:
            raise ValueError("bad slot")

        with caplog.at_level("ERROR"):
            QTimer.singleShot(0, faulty)
            qtbot.waitUntil(lambda: win.checkout.message.text() != "")
    finally:
        sys.excepthook = saved
    assert win.checkout.message.text() == messages.render("unexpected_error")
    assert any(r.exc_info and "bad slot" in str(r.exc_info[1]) for r in caplog.records)
    assert win.checkout.table.rowCount() == 1


def _interactive(root):  # type: ignore[no-untyped-def]
    """What a person types into, presses or picks from (a table's header is part of it)."""
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QHeaderView, QLineEdit

    return [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QLineEdit | QAbstractItemView)
        and not isinstance(w, QHeaderView)
        and w.isVisible()
        and w.window() is root.window()
    ]


def test_at_1024_by_768_every_control_is_named_and_big_enough_to_touch(qtbot, window) -> None:
    from PySide6.QtWidgets import QAbstractButton

    win = window
    win.resize(1024, 768)
    qtbot.waitUntil(lambda: win.width() <= 1024 and win.height() <= 768)
    login_controls = _interactive(win)  # the login screen
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    attach(qtbot, win, RICH, 1)
    assert win.minimumSizeHint().width() <= 1024 and win.minimumSizeHint().height() <= 768
    back_to_till(qtbot, win)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: modal(PaymentDialog) is not None)
    pay = modal(PaymentDialog)
    for controls in (login_controls, _interactive(win), _interactive(pay)):
        assert controls
        unnamed = [w.objectName() or type(w).__name__ for w in controls if not w.accessibleName()]
        assert unnamed == [], unnamed
        small = [
            (w.accessibleName(), w.height())
            for w in controls
            if isinstance(w, QAbstractButton) and w.height() < 44
        ]
        assert small == [], small
    pay.reject()


def test_the_nudge_under_the_basket_is_in_the_tills_language(qtbot, window) -> None:
    """The core finds the nearest unmet 满减 and what it gains (tests/terminal/test_nudge.py);
    the screen says it in the cashier's language, like every other message."""
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    scan(qtbot, win, "3*SKU000133", 2)  # ¥179.10 of goods: ¥20.90 short of the next ¥10 off
    qtbot.waitUntil(lambda: win.checkout.nudge.text() != "")
    assert win.checkout.nudge.text() == "Spend ¥20.90 more to save ¥10.00 (满100减10)"


def test_the_member_panel_offers_the_members_usual_items_and_says_points_as_of_store_time(
    qtbot, window
) -> None:
    from tests.ui.qt.test_gui_value import POOR, pay_cash

    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    scan(qtbot, win, "SKU000002", 2)
    attach(qtbot, win, POOR, 2)
    pay_cash(qtbot, win)
    back_to_till(qtbot, win)
    # the next visit: green tea again; the tissues are what the member usually buys besides
    scan(qtbot, win, "SKU000002", 1)
    attach(qtbot, win, POOR, 1)
    panel = win.checkout.member
    usual = [
        b for b in panel.findChildren(QPushButton) if b.accessibleName().startswith("add usual")
    ]
    assert [b.accessibleName() for b in usual] == ["add usual item SKU000300"]
    qtbot.mouseClick(usual[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.checkout.table.rowCount() == 2)
    assert win.checkout.priced.lines[-1].product.sku == "SKU000300"
    # the points are "as of" a time on the store's clock, whatever the machine's zone
    summary = win.checkout.summary
    assert summary is not None
    at = summary.points_as_of.astimezone(win.ctx.settings.tz).strftime("%H:%M")
    assert f"(as of {at})" in panel.detail.text()


def test_a_scanner_typing_while_the_basket_has_the_focus_still_adds_the_product(
    qtbot, window
) -> None:
    """A keyboard-wedge scanner types the code and Enter wherever the focus is."""
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    table = win.checkout.table
    table.setFocus(Qt.FocusReason.MouseFocusReason)  # the cashier touched the basket
    qtbot.waitUntil(table.hasFocus)
    for key in "2*SKU000002":  # as the system delivers keys: each to the focus of the moment
        qtbot.keyClick(QApplication.focusWidget(), key)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.rowCount() == 2)
    assert win.checkout.priced.lines[-1].qty == 2
    assert win.checkout.scan.text() == ""


def _answer_input_dialog(qtbot, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type ``text`` and Enter into the next QInputDialog (they run a loop of their own)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QInputDialog, QLineEdit, QSpinBox

    asked: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        asked.append(dialog.labelText())
        field = dialog.findChild(QSpinBox) or dialog.findChild(QLineEdit)
        assert field is not None
        field.selectAll()
        qtbot.keyClicks(field, text)
        qtbot.keyClick(field, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    return asked


def test_f4_sets_the_quantity_of_the_selected_line_and_f5_takes_a_coupon(qtbot, window) -> None:
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    scan(qtbot, win, "SKU000002", 2)
    win.checkout.table.selectRow(0)
    asked = _answer_input_dialog(qtbot, "3")
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: win.checkout.priced.lines[0].qty == 3)
    assert asked == ["New quantity:"]
    assert win.checkout.priced.lines[1].qty == 1

    back_to_till(qtbot, win)
    before = win.checkout.priced.payable  # ¥93.00 of goods: 满50减10 applies
    asked = _answer_input_dialog(qtbot, "CP100001")
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: win.checkout.priced.payable < before)
    assert asked == ["Coupon code:"]
    assert any("CP100001" in line for line in win.checkout.priced.explanation)


def test_alipay_by_the_a_key_asks_its_reference(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    back_to_till(qtbot, win)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: modal(PaymentDialog) is not None)
    pay = modal(PaymentDialog)
    qtbot.keyClick(pay.amount, Qt.Key.Key_A)  # empty amount: all of it
    qtbot.waitUntil(pay.reference.isVisible)
    qtbot.keyClicks(pay.reference, "2088000001")
    qtbot.keyClick(pay.reference, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Paid." in win.checkout.message.text())
    with home.db.sessions() as s:
        [payment] = s.scalars(select(Sale)).one().payments
        assert (payment.method, payment.reference) == ("alipay", "2088000001")
    assert win.checkout.change.text() == ""  # nothing to give back


def test_the_idle_lock_runs_on_the_configured_minutes_and_locks_when_they_run_out(
    qtbot, window, home
) -> None:
    win = window
    minutes = home.config.security.idle_lock_minutes
    assert minutes > 0
    log_in(qtbot, win)
    timer = win.idle.timer
    assert timer.isActive() and timer.interval() == minutes * 60_000
    scan(qtbot, win, "SKU000300", 1)
    assert timer.isActive()  # input keeps it counting from the start (idle_lock.py)
    timer.timeout.emit()  # the minutes ran out
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.idle.screen)
