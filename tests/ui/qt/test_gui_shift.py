"""The shift at the GUI till by keystrokes: cash out with a reason, the X report, closing with a
count that is short, the Z slip on the (file) printer and the till back at its login."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from terminal import messages
from terminal.store.models import CashMovement, Shift
from tests.ui.qt.conftest import receipt_bytes
from tests.ui.qt.test_gui_sale import log_in, modal
from ui.qt.approval import ApprovalDialog
from ui.qt.manager.menu import ManagerMenu
from ui.qt.shift import CashDialog, CloseShiftDialog, XReportDialog


def open_menu(qtbot, win) -> ManagerMenu:  # type: ignore[no-untyped-def]
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)  # F9 reaches the active window only
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: modal(ManagerMenu) is not None)
    menu = modal(ManagerMenu)
    assert isinstance(menu, ManagerMenu)
    return menu


def wait_for(qtbot, cls: type[QDialog]) -> QDialog:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: modal(cls) is not None)
    dialog = modal(cls)
    assert dialog is not None
    return dialog


def approve(qtbot, user: str, pin: str) -> None:  # type: ignore[no-untyped-def]
    dialog = wait_for(qtbot, ApprovalDialog)
    qtbot.keyClicks(dialog.user, user)
    qtbot.keyClick(dialog.user, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.pin, pin)
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)


def test_cash_out_is_refused_without_a_reason_then_recorded(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    menu = open_menu(qtbot, win)
    assert menu.buttons["cash_out"].isVisible() and not menu.buttons["settings"].isVisible()
    qtbot.mouseClick(menu.buttons["cash_out"], Qt.MouseButton.LeftButton)
    dialog = wait_for(qtbot, CashDialog)
    assert isinstance(dialog, CashDialog)
    qtbot.keyClicks(dialog.amount, "100")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # on to the reason
    assert dialog.focusWidget() is dialog.reason
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason
    refusal = messages.render("reason_required")
    qtbot.waitUntil(lambda: dialog.message.text() == refusal)
    assert modal(ApprovalDialog) is None and dialog.isVisible()
    with home.db.sessions() as s:
        assert s.scalars(select(CashMovement).where(CashMovement.kind == "out")).all() == []

    qtbot.keyClicks(dialog.reason, "safe drop")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert menu.message.text() == "Cash out ¥100.00 recorded."
    with home.db.sessions() as s:
        out = s.scalars(select(CashMovement).where(CashMovement.kind == "out")).one()
    assert (out.amount, out.reason) == (10_000, "safe drop")


def test_x_report_at_a_cashiers_till_needs_a_manager(qtbot, window) -> None:
    win = window
    log_in(qtbot, win)
    menu = open_menu(qtbot, win)
    qtbot.mouseClick(menu.buttons["x_report"], Qt.MouseButton.LeftButton)
    approval = wait_for(qtbot, ApprovalDialog)
    assert "manager" in approval.findChild(type(menu.who), "approvalReason").text()
    approve(qtbot, "2001", "2222")  # a supervisor may not
    qtbot.waitUntil(lambda: "2001" in approval.message.text())
    approval.user.clear()
    approve(qtbot, "3001", "3333")
    report = wait_for(qtbot, XReportDialog)
    text = report.text.toPlainText()
    assert "Expected cash: ¥500.00" in text and "Opening float: ¥500.00" in text
    assert report.text.isReadOnly()


def test_closing_with_a_short_count_prints_the_z_slip_and_goes_to_login(
    qtbot, window, home
) -> None:
    win = window
    log_in(qtbot, win)
    menu = open_menu(qtbot, win)
    qtbot.mouseClick(menu.buttons["close_shift"], Qt.MouseButton.LeftButton)
    dialog = wait_for(qtbot, CloseShiftDialog)
    assert isinstance(dialog, CloseShiftDialog)
    # ¥485 in the drawer: 4 × ¥100, 1 × ¥50, 3 × ¥10, 1 × ¥5 (the float was ¥500)
    for denom, pieces in ((10000, "4"), (5000, "1"), (2000, ""), (1000, "3"), (500, "1")):
        field = dialog.fields[denom]
        assert dialog.focusWidget() is field
        qtbot.keyClicks(field, pieces)
        qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert not dialog.confirm.isEnabled()
    qtbot.keyClick(dialog.fields[100], Qt.Key.Key_Return)  # check the count
    qtbot.waitUntil(dialog.confirm.isEnabled)
    assert dialog.expected.text() == "¥500.00"
    assert dialog.counted.text() == "¥485.00"
    assert dialog.variance.text() == "−¥15.00 short"
    with home.db.sessions() as s:
        assert s.scalars(select(Shift.status)).one() == "open"  # nothing closed by a check

    qtbot.keyClicks(dialog.fields[5000], "0")  # "10" fifties: the check is stale
    assert not dialog.confirm.isEnabled()
    dialog.fields[5000].clear()
    qtbot.keyClicks(dialog.fields[5000], "1")
    qtbot.keyClick(dialog.fields[5000], Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.confirm.isEnabled)
    assert dialog.focusWidget() is dialog.confirm
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Space)  # close: a cashier needs a supervisor
    approve(qtbot, "2001", "2222")

    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.login)
    assert win.ctx.cashier is None and win.ctx.checkout is None
    assert "Shift closed" in win.login.message.text()
    with home.db.sessions() as s:
        shift = s.scalars(select(Shift)).one()
    assert (shift.status, shift.counted_cash, shift.variance) == ("closed", 48_500, -1_500)
    qtbot.waitUntil(lambda: "交班报表".encode("gb18030") in receipt_bytes(home), timeout=20_000)
    slip = receipt_bytes(home)
    assert b"-15.00" in slip and b"485.00" in slip
    qtbot.waitUntil(lambda: win.parts["printer"].property("state") == "ok")

    # the next cashier opens a new shift
    log_in(qtbot, win, float_yuan="300")
    with home.db.sessions() as s:
        assert [x.status for x in s.scalars(select(Shift).order_by(Shift.opened_at))] == [
            "closed",
            "open",
        ]


def test_logging_out_holds_the_sale_on_the_screen(qtbot, window) -> None:
    from tests.ui.qt.test_gui_sale import scan

    win = window
    log_in(qtbot, win)
    scan(qtbot, win, "SKU000300", 1)
    menu = open_menu(qtbot, win)
    qtbot.mouseClick(menu.buttons["logout"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.login)
    assert win.ctx.cashier is None and win.checkout.table.rowCount() == 0
    assert not win.idle.timer.isActive()
    log_in(qtbot, win, "2001", "2222")  # the shift is still open: no float asked
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F7)  # the held sale comes back
    qtbot.waitUntil(lambda: win.checkout.table.rowCount() == 1)
