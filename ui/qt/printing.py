"""Printing from the GUI: the drawer and the receipt, on a device thread, never blocking.

A printer that is off, out of paper or slow to time out only ever changes the
print job (kept for reprint) and the status bar; the sale is already safe.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from terminal.checkout import SaleResult
from ui.printing import messages as print_messages
from ui.printing import print_waiting
from ui.qt.context import AppContext
from ui.qt.ops import DEVICES, Op
from ui.qt.widgets import MessageBar, error_text


def print_after_sale(parent: QWidget, ctx: AppContext, result: SaleResult, bar: MessageBar) -> None:
    """Print what the sale queued (and whatever waited before it) on a device thread."""
    printer = ctx.printer
    if printer is None:
        return

    def work() -> list[str]:
        outcome = print_waiting(ctx.home.db, printer)
        lines = print_messages(outcome)
        if any(not r.outcome.ok for r in outcome):
            ctx.status.set("printer", "offline", "printer_job_failed")
        else:
            ctx.status.set("printer", "ok")
        return lines

    def done(lines: list[str]) -> None:
        if lines:
            bar.error(" ".join(lines))

    Op(parent, work).success(done).failure(lambda exc: bar.error(error_text(exc))).run(DEVICES)
