"""Printing from the GUI: the drawer and the receipt, on a device thread, never blocking.

A printer that is off, out of paper or slow to time out only ever changes the
print job (kept for reprint) and the status bar; the sale is already safe.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from terminal.checkout import SaleResult
from ui.printing import messages as print_messages
from ui.printing import open_drawer_for, print_waiting
from ui.qt.context import AppContext
from ui.qt.ops import DEVICES, Op
from ui.qt.widgets import MessageBar, error_text


def print_after_sale(parent: QWidget, ctx: AppContext, result: SaleResult, bar: MessageBar) -> None:
    """Open the drawer for a cash sale, then print what the sale queued (and whatever
    waited before it), on a device thread."""
    printer = ctx.printer
    if printer is None:
        return

    def work() -> list[str]:
        # as ui.printing.after_sale: the drawer first (cash only), then the receipts
        lines = open_drawer_for(ctx.home.db, printer, result.sale_id)
        attempts = print_waiting(ctx.home.db, printer)
        if any(not a.delivery.ok for a in attempts):
            ctx.status.set("printer", "offline", "printer_job_failed")
        else:
            ctx.status.set("printer", "ok")
        return lines + print_messages(attempts)

    def done(lines: list[str]) -> None:
        if lines:
            bar.error(" ".join(lines))

    Op(parent, work).success(done).failure(lambda exc: bar.error(error_text(exc))).run(DEVICES)
