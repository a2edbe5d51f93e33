"""Printing from the GUI: the drawer and the receipts, on a device thread, never blocking.

:class:`PrintDesk` is the till's one way to the printer. Every print — after a
sale or a return, a reprint, a retry of what failed — runs on the
:data:`~ui.qt.ops.DEVICES` pool, one run at a time (the core's print runs must
not overlap). A printer that is off, out of paper or slow to time out only
ever changes the print jobs (kept for reprint), the status bar and
:class:`PrintTroubleBar`, the one line that says so with a "Reprint" button;
the sale is already safe and the screen keeps working.

The work is :func:`ui.printing.after_sale`'s: the drawer first when the core
says cash changed hands, then the queue through ``terminal.print_jobs.run``;
here the outcome stays as codes, so the cashier reads it in the till's
language.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from terminal import messages, print_jobs
from terminal.store.database import Database
from ui.printing import print_waiting
from ui.qt.context import AppContext
from ui.qt.ops import DEVICES, Op
from ui.qt.widgets import TOUCH, error_text

if TYPE_CHECKING:
    from devices.printer import ReceiptPrinter

log = logging.getLogger(__name__)


def _drawer(db: Database, printer: ReceiptPrinter, sale_id: str) -> str:
    """Pulse the drawer when the core says this sale opens it; the failure code, or ""."""
    with db.sessions() as session:
        if not print_jobs.opens_drawer(session, sale_id):
            return ""
    outcome = printer.open_drawer()
    if not outcome.ok:
        log.warning("cash drawer: %s (%s)", outcome.code, outcome.detail)
    return "" if outcome.ok else str(outcome.code)


class PrintDesk(QObject):
    """Runs the till's printing on a device thread and says how it went.

    ``problem(text, retry)``: something did not print (``retry``: failed jobs
    wait for :meth:`retry`), or the drawer did not open. ``cleared``: nothing
    waits any more. ``busy_changed(bool)``: a run started or the last one ended.
    """

    problem = Signal(str, bool)
    cleared = Signal()
    busy_changed = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runs = 0  # runs started and not yet reported back
        self.current: tuple[str, bool] | None = None  # the problem shown now
        self._one_run = threading.Lock()

    @property
    def busy(self) -> bool:
        return self.runs > 0

    def after_sale(self, sale_id: str) -> None:
        """After a committed sale or return: the drawer if cash changed hands, then print."""
        self._run(sale_id, retry_failed=False)

    def print_queue(self) -> None:
        """Print what waits in the queue (a reprint just queued)."""
        self._run(None, retry_failed=False)

    def retry(self) -> None:
        """Print the jobs that failed (and those never confirmed), oldest first."""
        self._run(None, retry_failed=True)

    def _run(self, sale_id: str | None, *, retry_failed: bool) -> None:
        printer = self.ctx.printer
        if printer is None:
            return
        db, status, one_run = self.ctx.home.db, self.ctx.status, self._one_run

        def work() -> tuple[list[str], int]:
            with one_run:
                drawer = _drawer(db, printer, sale_id) if sale_id is not None else ""
                attempts = print_waiting(db, printer, retry_failed=retry_failed)
                with db.sessions() as session:
                    waiting = len(print_jobs.failed(session))
            codes = [drawer] if drawer else []
            for a in attempts:
                if not a.delivery.ok:
                    codes.append(a.delivery.code or "print_failed")
                elif a.delivery.warning:
                    codes.append(a.delivery.warning)
            if waiting and not any(not a.delivery.ok for a in attempts):
                codes.append("printer_job_failed")  # older receipts still wait
            if waiting:
                status.set("printer", "offline", "printer_job_failed", waiting=waiting)
            else:
                status.set("printer", "ok", waiting=0)
            return codes, waiting

        self.runs += 1
        if self.runs == 1:
            self.busy_changed.emit(True)
        Op(self, work).success(self._report).failure(self._failed).finally_(self._ended).run(
            DEVICES
        )

    def _report(self, outcome: tuple[list[str], int]) -> None:
        codes, waiting = outcome
        if codes:  # one line: the first thing to act on (the drawer comes first)
            self._show(messages.render(codes[0]), waiting > 0)
        elif self.current is not None:
            self.current = None
            self.cleared.emit()

    def _failed(self, exc: BaseException) -> None:
        self._show(error_text(exc), True)

    def _show(self, text: str, retry: bool) -> None:
        self.current = (text, retry)
        self.problem.emit(text, retry)

    def _ended(self) -> None:
        self.runs -= 1
        if self.runs == 0:
            self.busy_changed.emit(False)


class _OneLine(QLabel):
    """A label that keeps to one line: elided to its width, the whole text in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self.full_text, Qt.TextElideMode.ElideRight, self.width()))


class PrintTroubleBar(QFrame):
    """One line saying what did not print, with a "Reprint" button; hidden when all printed."""

    def __init__(self, desk: PrintDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("printTroubleBar")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.text = _OneLine(self)
        self.text.setObjectName("printTrouble")
        self.text.setAccessibleName("printer problem")
        self.text.setStyleSheet("color: #b42318; font-weight: bold;")
        layout.addWidget(self.text, 1)
        self.retry = QPushButton(self.tr("Reprint"), self)
        self.retry.setObjectName("printRetry")
        self.retry.setAccessibleName("reprint what did not print")
        self.retry.setMinimumHeight(TOUCH)
        self.retry.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never steals the scan field
        self.retry.clicked.connect(desk.retry)
        layout.addWidget(self.retry)
        desk.problem.connect(self.show_problem)
        desk.cleared.connect(self.hide)
        desk.busy_changed.connect(self._busy)
        self.hide()
        if desk.current is not None:
            self.show_problem(*desk.current)
        self._busy(desk.busy)

    def show_problem(self, text: str, retry: bool) -> None:
        self.text.set_full_text(text)
        self.retry.setVisible(retry)
        self.show()

    def _busy(self, busy: bool) -> None:
        self.retry.setEnabled(not busy)
        self.retry.setText(self.tr("Printing…") if busy else self.tr("Reprint"))
