"""Returns, the receipt preview and reprints at the GUI till, by keystrokes, offscreen.

The demo store prints to a file (this test's copy, see conftest.py); each job
replaces the file, so a test reads the last job printed. The printer that hangs
is a real TCP socket served by the test (``stallkit.py``).
"""

from __future__ import annotations

import threading
from typing import Any

import zxingcpp
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QToolBar, QWidget
from sqlalchemy import select

from devices.printer import PrinterSettings, ReceiptPrinter
from terminal import auth, messages, print_jobs
from terminal.returns import process_return
from terminal.store.models import AuditEvent, PrintJob, Sale, User
from tests.devices.test_printer_render import Parsed, parse
from tests.ui.qt.conftest import receipt_bytes
from tests.ui.qt.stallkit import SilentPrinter
from tests.ui.qt.test_gui_sale import log_in, modal, scan
from ui.qt.approval import ApprovalDialog
from ui.qt.payment import PaymentDialog
from ui.qt.printing import PrintTroubleBar
from ui.qt.receipt_preview import ReceiptPreview, ReceiptsDialog
from ui.qt.returns import ReturnsDialog

FIRST = "S001T01-00000001"
SECOND = "S001T01-00000002"


def printed(home) -> Parsed | None:  # type: ignore[no-untyped-def]
    """The last job in the file printer, or None while it is being written."""
    try:
        return parse(receipt_bytes(home))
    except (AssertionError, IndexError, ValueError):
        return None


def last_job_is(home, receipt_no: str, *kanji: str) -> bool:  # type: ignore[no-untyped-def]
    job = printed(home)
    return (
        job is not None
        and job.qr_store == [receipt_no.encode()]
        and all(any(k in line for line in job.kanji) for k in kanji)
    )


def sell(qtbot, win, pay: str = "mixed") -> None:  # type: ignore[no-untyped-def]
    """Tissues and two green teas, paid ¥10 by WeChat Pay and the rest in cash (or by card)."""
    scan(qtbot, win, "SKU000300", 1)
    scan(qtbot, win, "2*SKU000002", 2)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: modal(PaymentDialog) is not None)
    dialog = modal(PaymentDialog)
    if pay == "card":
        qtbot.keyClick(dialog.amount, Qt.Key.Key_C)
    else:
        qtbot.keyClicks(dialog.amount, "10")
        qtbot.keyClick(dialog.amount, Qt.Key.Key_W)
        qtbot.waitUntil(dialog.reference.isVisible)
        qtbot.keyClicks(dialog.reference, "4200000001")
        qtbot.keyClick(dialog.reference, Qt.Key.Key_Return)
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # the rest in cash
    qtbot.waitUntil(lambda: FIRST in win.checkout.message.text())
    win.activateWindow()  # back from the payment dialog: keys (F8, F10) go to the window
    qtbot.waitUntil(win.isActiveWindow)


def open_returns(qtbot, win) -> ReturnsDialog:  # type: ignore[no-untyped-def]
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: modal(ReturnsDialog) is not None)
    dialog = modal(ReturnsDialog)
    assert isinstance(dialog, ReturnsDialog)
    return dialog


def type_chinese(widget: QWidget, text: str) -> None:
    """Chinese as a pinyin input method delivers it: one committed string."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def set_units(qtbot, dialog: ReturnsDialog, units: str) -> None:
    """Type into the quantity that has the focus and move on with Tab."""
    spin = dialog.focusWidget()
    assert spin is not None and spin.objectName().startswith("returnQty_"), spin
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, units)
    qtbot.keyClick(spin, Qt.Key.Key_Tab)


def test_a_cashier_returns_a_line_with_a_supervisors_approval(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    sell(qtbot, win)
    qtbot.waitUntil(lambda: last_job_is(home, FIRST, "购物小票"), timeout=20_000)

    dialog = open_returns(qtbot, win)  # F8
    qtbot.keyClicks(dialog.receipt, FIRST)
    qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    assert [dialog.quantity(r).value() for r in range(2)] == [1, 2]  # the whole receipt
    assert dialog.table.item(1, 1).text() == "农夫山泉 绿茶 500ml"
    assert dialog.table.item(1, 4).text() == "2"  # left to return
    set_units(qtbot, dialog, "0")  # keep the tissues
    set_units(qtbot, dialog, "1")  # one of the two teas
    assert dialog.focusWidget() is dialog.reason
    type_chinese(dialog.reason, "不想要了")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: modal(ApprovalDialog) is not None)  # a cashier may not refund
    approval = modal(ApprovalDialog)
    qtbot.keyClicks(approval.user, "2001")
    qtbot.keyClicks(approval.pin, "2222")
    qtbot.keyClick(approval.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.last_return is not None and dialog.slip_button.isVisible())

    result = dialog.last_return
    assert result is not None and result.receipt_no == SECOND
    with home.db.sessions() as s:
        ret = s.scalars(select(Sale).where(Sale.kind == "return")).one()
        supervisor = s.scalars(select(User).where(User.username == "2001")).one()
        assert ret.approved_by == supervisor.id and ret.reason == "不想要了"
        assert [(line.sku, line.qty) for line in ret.lines] == [("SKU000002", -1)]
        paid_back = {p.method: -p.amount for p in ret.payments}
    # the refund per tender, in the till's language, as the store has it
    assert paid_back == result.refunds and set(paid_back) == {"cash", "wechat"}
    split = dialog.refund_text.text()
    for method, amount in paid_back.items():
        assert f"{messages.render(f'tender_{method}')} ¥{amount // 100}.{amount % 100:02d}" in split
    assert dialog.table.item(1, 4).text() == "1"  # what is left now
    assert not dialog.refund_button.isEnabled()  # a second Enter returns nothing more

    slip = ("退货单", "退货原因: 不想要了")  # the refund slip, last in the printer
    qtbot.waitUntil(lambda: last_job_is(home, SECOND, *slip), timeout=20_000)

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # done; the next F8 starts afresh
    qtbot.waitUntil(lambda: not dialog.isVisible())
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    again = open_returns(qtbot, win)
    assert again.table.rowCount() == 0 and again.receipt.text() == ""
    assert again.refund_text.text() == "" and again.message.text() == ""


def test_returning_more_than_is_left_is_refused_without_asking_anyone(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    sell(qtbot, win, pay="card")
    # one of the two teas came back earlier
    ctx = win.ctx
    with home.db.transaction() as s:
        supervisor = auth.login(s, "2001", "2222", now=ctx.clock())
    process_return(
        home.db, ctx.settings, ctx.cashier, receipt_no=FIRST, reason="早先退的",
        quantities={2: 1}, approver=supervisor, clock=ctx.clock,
    )  # fmt: skip

    # the receipt scanned at the scan field opens the returns screen with its lines
    qtbot.keyClicks(win.checkout.scan, FIRST)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: modal(ReturnsDialog) is not None)
    dialog = modal(ReturnsDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    assert dialog.table.item(1, 3).text() == "1" and dialog.table.item(1, 4).text() == "1"
    set_units(qtbot, dialog, "0")
    set_units(qtbot, dialog, "2")  # two, one is left
    type_chinese(dialog.reason, "破损")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    refusal = messages.render(
        "return_too_many", {"line": 2, "name": "农夫山泉 绿茶 500ml", "left": 1}
    )
    qtbot.waitUntil(lambda: dialog.message.text() == refusal)
    assert modal(ApprovalDialog) is None and not dialog.findChildren(ApprovalDialog)
    with home.db.sessions() as s:
        assert len(s.scalars(select(Sale).where(Sale.kind == "return")).all()) == 1
    assert dialog.refund_button.isEnabled()  # the cashier may correct it and try again


def open_preview_by_number(qtbot, win, number: str) -> ReceiptPreview:  # type: ignore[no-untyped-def]
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: modal(ReceiptsDialog) is not None)
    finder = modal(ReceiptsDialog)
    qtbot.waitUntil(lambda: finder.list.count() >= 1)  # the latest printouts
    qtbot.keyClicks(finder.number, number)
    qtbot.keyClick(finder.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: modal(ReceiptPreview) is not None)
    preview = modal(ReceiptPreview)
    qtbot.waitUntil(lambda: preview.drawn, timeout=30_000)
    return preview


def qr_in(preview: ReceiptPreview) -> list[str]:
    image = preview.pixmap().toImage()
    from PIL import Image

    grey = image.convertToFormat(image.Format.Format_Grayscale8)
    data = bytes(grey.constBits())[: grey.bytesPerLine() * grey.height()]
    pil = Image.frombytes("L", (grey.width(), grey.height()), data, "raw", "L", grey.bytesPerLine())
    return [r.text for r in zxingcpp.read_barcodes(pil)]


def test_the_preview_shows_the_receipt_as_printed(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    sell(qtbot, win)
    preview = open_preview_by_number(qtbot, win, FIRST)
    with home.db.sessions() as s:
        sale = s.scalars(select(Sale)).one()
        payable = sale.payable
    lines = preview.lines
    assert any("蓝月亮 抽纸 3层×6包 2号" in line for line in lines)
    assert any("农夫山泉 绿茶 500ml" in line for line in lines)
    total = next(line for line in lines if line.startswith("应付"))
    assert total.endswith(f"{payable // 100}.{payable % 100:02d}")
    assert len(total) + sum(1 for ch in total if not ch.isascii()) == 48  # 80 mm, font A
    # the picture is the paper: one pixel per printer dot, and its QR code scans
    assert preview.views.currentWidget() is preview.paper_area
    assert preview.pixmap().width() == 576 + 2 * 12
    assert FIRST in qr_in(preview)
    assert FIRST in preview.heading.text() and "购物小票" in preview.heading.text()


def test_a_reprint_from_the_preview_is_marked_and_audited(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    sell(qtbot, win)
    qtbot.waitUntil(lambda: last_job_is(home, FIRST, "购物小票"), timeout=20_000)
    # from the returns screen: the original receipt
    dialog = open_returns(qtbot, win)
    qtbot.keyClicks(dialog.receipt, FIRST)
    qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.original_button.isEnabled())
    qtbot.mouseClick(dialog.original_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: modal(ReceiptPreview) is not None)
    preview = modal(ReceiptPreview)
    qtbot.waitUntil(lambda: preview.drawn, timeout=30_000)
    assert not any("重印" in line for line in preview.lines)

    qtbot.mouseClick(preview.reprint_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: last_job_is(home, FIRST, "重印 REPRINT", "购物小票"), timeout=20_000)
    with home.db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "receipt_reprint")).one()
        assert event.target == FIRST and event.approved_by is None  # a cashier may reprint
        kinds = [j.kind for j in s.scalars(select(PrintJob).order_by(PrintJob.created_at))]
    assert kinds == ["receipt", "reprint"]


class RecordingPrinter(ReceiptPrinter):
    """The real network printer; it notes the thread each connection is opened on."""

    def __init__(self, settings: PrinterSettings) -> None:
        super().__init__(settings)
        self.threads: list[int] = []

    def open(self) -> Any:
        self.threads.append(threading.get_ident())
        return super().open()


def test_the_till_keeps_working_while_the_printer_hangs(qtbot, window, home) -> None:
    win = window
    printer = SilentPrinter()
    try:
        win.ctx.printer = RecordingPrinter(
            PrinterSettings(
                connection="network",
                host="127.0.0.1",
                port=printer.port,
                timeout_seconds=30,
                status_timeout_seconds=30,  # longer than the test: the test ends the hang
            )
        )
        log_in(qtbot, win)
        sell(qtbot, win, pay="card")  # no drawer: the receipt is the only print
        assert printer.wait_connections(1)

        ticks = 0

        def tick() -> None:
            nonlocal ticks
            ticks += 1

        heartbeat = QTimer(win)
        heartbeat.setInterval(10)
        heartbeat.timeout.connect(tick)
        heartbeat.start()
        seen = ticks
        qtbot.waitUntil(lambda: ticks > seen + 5)
        scan(qtbot, win, "SKU000002", 1)  # the next customer is served meanwhile
        with home.db.sessions() as s:
            [job] = print_jobs.jobs_for_sale(s, s.scalars(select(Sale.id)).one())
            assert job.status == "sent"  # still waiting for the printer
        assert win.printing.busy
        heartbeat.stop()

        printer.release()  # the printer is switched off: the connection resets
        bar = win.findChild(QToolBar, "printStrip").findChild(PrintTroubleBar)  # under the sale
        qtbot.waitUntil(lambda: bar.isVisible() and bar.retry.isEnabled())
        assert bar.text.full_text == messages.render("printer_not_connected")
        assert bar.retry.isVisible()
        main = threading.main_thread().ident
        assert printer.connections == 1 and win.ctx.printer.threads
        assert all(t != main for t in win.ctx.printer.threads)  # printed off the GUI thread

        # the printer is back: Reprint retries the failed receipt
        qtbot.mouseClick(bar.retry, Qt.MouseButton.LeftButton)
        assert printer.wait_received(FIRST.encode())
        qtbot.waitUntil(lambda: not bar.isVisible())
        with home.db.sessions() as s:
            assert [j.status for j in s.scalars(select(PrintJob))] == ["printed"]
    finally:
        printer.close()
