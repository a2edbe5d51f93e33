"""Whole flows at the GUI till, by keystrokes, offscreen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from terminal.store.models import Sale
from tests.ui.qt.conftest import receipt_bytes


def modal(cls: type[QDialog]) -> QDialog | None:
    widget = QApplication.activeModalWidget()
    for top in QApplication.topLevelWidgets():
        if isinstance(top, cls) and top.isVisible():
            return top
    return widget if isinstance(widget, cls) else None


def log_in(qtbot, win, user: str = "1001", pin: str = "1111", float_yuan: str = "500") -> None:
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)  # shortcuts (F12 …) go to the active window only
    qtbot.keyClicks(win.login.user, user)
    qtbot.keyClick(win.login.user, Qt.Key.Key_Return)
    qtbot.keyClicks(win.login.pin, pin)
    qtbot.keyClick(win.login.pin, Qt.Key.Key_Return)
    from ui.qt.login import OpenShiftDialog

    qtbot.waitUntil(
        lambda: modal(OpenShiftDialog) is not None or win.stack.currentWidget() is win.checkout
    )
    dialog = modal(OpenShiftDialog)
    if dialog is not None:
        qtbot.keyClicks(dialog.amount, float_yuan)
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.checkout)


def scan(qtbot, win, code: str, rows: int) -> None:
    qtbot.keyClicks(win.checkout.scan, code)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.checkout.table.rowCount() == rows)


def test_log_in_scan_and_pay_cash(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    scan(qtbot, win, "2*SKU000002", 2)
    assert win.checkout.payable.text().startswith("¥")
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F12)
    from ui.qt.payment import PaymentDialog

    qtbot.waitUntil(lambda: modal(PaymentDialog) is not None)
    pay = modal(PaymentDialog)
    qtbot.keyClicks(pay.amount, "100")
    qtbot.keyClick(pay.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "S001T01-00000001" in win.checkout.message.text())
    assert win.checkout.table.rowCount() == 0
    with home.db.sessions() as s:
        sale = s.scalars(select(Sale)).one()
        assert [line.sku for line in sale.lines] == ["SKU000300", "SKU000002"]
    qtbot.waitUntil(lambda: b"S001T01-00000001" in receipt_bytes(home), timeout=20_000)


def test_a_cashier_cannot_void_without_a_supervisor(qtbot, window, home) -> None:
    from ui.qt.approval import ApprovalDialog

    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    scan(qtbot, win, "SKU000002", 2)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_Delete)  # Del: void the selected line
    qtbot.waitUntil(lambda: modal(ApprovalDialog) is not None)
    dialog = modal(ApprovalDialog)
    assert "主管" in dialog.need.text("zh_CN")
    # the cashier tries her own PIN: the core refuses, the line stays
    qtbot.keyClicks(dialog.user, "1001")
    qtbot.keyClicks(dialog.pin, "1111")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.text() != "")
    dialog.reject()
    qtbot.waitUntil(lambda: win.checkout.message.text() != "")
    assert win.checkout.table.rowCount() == 2
    win.activateWindow()  # offscreen Qt does not give focus back after a dialog
    qtbot.waitUntil(win.isActiveWindow)
    win.checkout.scan.setFocus()
    # a supervisor approves: one line goes
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: modal(ApprovalDialog) is not None)
    dialog = modal(ApprovalDialog)
    qtbot.keyClicks(dialog.user, "2001")
    qtbot.keyClicks(dialog.pin, "2222")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.checkout.table.rowCount() == 1)


def test_the_idle_lock_keeps_the_basket_for_the_same_cashier(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    win.idle.lock()  # what the timer does after the idle minutes
    assert win.stack.currentWidget() is win.idle.screen
    qtbot.keyClicks(win.idle.screen.pin, "0000")
    qtbot.keyClick(win.idle.screen.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.idle.screen.message.text() != "")
    assert win.stack.currentWidget() is win.idle.screen
    qtbot.keyClicks(win.idle.screen.pin, "1111")
    qtbot.keyClick(win.idle.screen.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.checkout)
    assert win.checkout.table.rowCount() == 1


def test_closing_the_till_with_a_basket_open_parks_it(qtbot, window, home) -> None:
    """Issue 8: quitting with a basket open never loses it (as at the keyboard till)."""
    from terminal.store.models import AuditEvent, SuspendedBasket

    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "2*SKU000002", 1)
    win.close()
    with home.db.sessions() as s:
        [held] = s.scalars(select(SuspendedBasket)).all()
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "suspend")).one()
    assert held.payload["lines"][0]["sku"] == "SKU000002"
    assert event.details["why"] == "quit" and event.details["lines"] == [
        {"sku": "SKU000002", "qty": 2}
    ]


def test_a_till_whose_store_was_replaced_stops_selling_and_says_so(qtbot, window, home) -> None:
    """Issue 8: a store swapped underneath (a restore that ignored the lock, a copy by hand)
    is never written again: the sale screen says so and takes no more input."""
    import os
    import shutil

    from ui.qt.payment import PaymentDialog

    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    path = home.data.store_path
    shutil.copyfile(path, path.with_name("other.sqlite3"))
    os.replace(path.with_name("other.sqlite3"), path)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: modal(PaymentDialog) is not None)
    pay = modal(PaymentDialog)
    qtbot.keyClicks(pay.amount, "100")
    qtbot.keyClick(pay.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not win.checkout.isEnabled(), timeout=20_000)
    assert "restart posterm" in win.checkout.message.text()
    assert win.checkout.table.rowCount() == 1  # the basket is still on the screen, unpaid


def test_enter_in_a_field_submits_once_and_moves_on_in_the_approval(qtbot, window, home) -> None:
    """Enter in a dialog's field also pressed the dialog's OK: a float was opened twice,
    and Enter after the supervisor's number tried an empty PIN (a failed attempt)."""
    from sqlalchemy import select

    from terminal.store.models import User
    from ui.qt.approval import ApprovalDialog

    win = window
    log_in(qtbot, win)  # opens the shift through the float dialog, by Enter
    assert "shift" not in win.checkout.message.text().lower()
    scan(qtbot, win, "SKU000300", 1)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: modal(ApprovalDialog) is not None)
    dialog = modal(ApprovalDialog)
    qtbot.keyClicks(dialog.user, "2001")
    qtbot.keyClick(dialog.user, Qt.Key.Key_Return)  # on to the PIN, nothing tried
    assert dialog.focusWidget() is dialog.pin and dialog.message.text() == ""
    qtbot.keyClicks(dialog.pin, "9999")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)  # a wrong PIN: one attempt
    qtbot.waitUntil(lambda: dialog.message.text() != "")
    with home.db.sessions() as s:
        supervisor = s.scalars(select(User).where(User.username == "2001")).one()
        assert supervisor.failed_attempts == 1
    dialog.reject()
