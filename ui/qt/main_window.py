"""The till's main window: login, then checkout; the status bar; the idle lock.

It wires the screens to the core (through :mod:`ui.qt.ops`), re-emits core
events as signals (:mod:`ui.qt.bridge`) and owns the dialogs the checkout
screen asks for. The idle lock hides the basket after the configured minutes
without input; the same cashier's PIN (or a supervisor's) brings it back,
basket intact.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStatusBar,
    QToolBar,
    QWidget,
)

from terminal import messages
from terminal.checkout import SaleResult
from terminal.status import Health
from ui.qt import ops
from ui.qt.bridge import CoreSignals
from ui.qt.camera import open_camera
from ui.qt.checkout_screen import CheckoutScreen
from ui.qt.context import AppContext
from ui.qt.customer_display import CustomerDisplay
from ui.qt.help_overlay import HelpOverlay
from ui.qt.idle_lock import IdleLock
from ui.qt.login import LoginScreen
from ui.qt.manager import open_manager_menu
from ui.qt.members import open_member_lookup
from ui.qt.payment import PaymentDialog
from ui.qt.printing import PrintDesk, PrintTroubleBar
from ui.qt.receipt_preview import ReceiptsDialog
from ui.qt.returns import ReturnsDialog
from ui.qt.value import TopUpDialog, pay_by_balance
from ui.qt.widgets import TOUCH, error_text, yuan

log = logging.getLogger(__name__)

STATE_MARK = {"ok": "●", "warning": "▲", "offline": "✕", "not_configured": "–", "unknown": "?"}


class MainWindow(QMainWindow):
    """The GUI till."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"posterm — {ctx.home.config.store.name}")
        self.setMinimumSize(1024, 768)
        self.signals = CoreSignals()
        self.stack = QStackedWidget(self)
        self.login = LoginScreen(ctx, self)
        self.checkout = CheckoutScreen(ctx, self)
        self.stack.addWidget(self.login)
        self.stack.addWidget(self.checkout)
        self.setCentralWidget(self.stack)
        self.checkout.install_wedge()

        bar = QStatusBar(self)
        self.setStatusBar(bar)
        self.parts: dict[str, QLabel] = {}
        for part in ("printer", "camera", "hq"):
            label = QLabel(self)
            label.setObjectName(f"status_{part}")
            label.setAccessibleName(f"{part} status")
            bar.addPermanentWidget(label)
            self.parts[part] = label
        self.who = QLabel(self)
        self.who.setObjectName("status_cashier")
        bar.addWidget(self.who)
        self._show_status()

        self.login.ready.connect(self._start)
        self.checkout.pay_requested.connect(self.pay)
        self.checkout.help_requested.connect(lambda: HelpOverlay(self).open())
        self.customer: CustomerDisplay | None = None
        if ctx.home.config.ui.customer_display:
            self.customer = CustomerDisplay(ctx.home.config.store.name)
            self.customer.place()
            self.checkout.basket_shown.connect(self.customer.show_basket)
        self.checkout.member_lookup_requested.connect(
            lambda: open_member_lookup(self, ctx, self.checkout)
        )
        self.checkout.topup_requested.connect(self.top_up)
        self.checkout.camera_requested.connect(lambda: open_camera(self, ctx, self.checkout))
        # F9: the manager menu (shift, users, imports, backup and restore, settings)
        self.checkout.manager_requested.connect(lambda: open_manager_menu(self, ctx))
        self.signals.status_changed.connect(lambda _d: self._show_status())
        # a store replaced underneath (a restore that ignored the lock): stop selling, say so
        self.signals.store_replaced.connect(self._store_replaced)

        # printing, returns (F8) and receipts with reprint (F10): a strip under the screens
        self.printing = PrintDesk(ctx, self)
        self.returns = ReturnsDialog(ctx, self.printing, self)  # kept: answers may come late
        self.receipts = ReceiptsDialog(ctx, self.printing, self)
        self.checkout.returns_requested.connect(self.open_returns)
        receipts = QPushButton(self.tr("Receipts F10"), self)
        receipts.setObjectName("button_receipts")
        receipts.setAccessibleName("receipts and reprint")
        receipts.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        receipts.setMinimumHeight(TOUCH)
        receipts.clicked.connect(self.open_receipts)
        shortcut = QShortcut(QKeySequence("F10"), self.checkout)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.open_receipts)
        strip = QToolBar(self.tr("Printing"), self)
        strip.setObjectName("printStrip")
        strip.setMovable(False)
        strip.setFloatable(False)
        room = QWidget(strip)  # a toolbar shows its widgets always: the bar hides inside this
        room.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        QHBoxLayout(room).addWidget(PrintTroubleBar(self.printing, room))
        strip.addWidget(room)
        strip.addWidget(receipts)
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, strip)
        self.stack.currentChanged.connect(  # on the checkout screen only (not login, not locked)
            lambda _i: strip.setVisible(self.stack.currentWidget() is self.checkout)
        )
        strip.setVisible(False)
        ops.set_default_failure(lambda exc: self.checkout.message.error(error_text(exc)))

        minutes = ctx.home.config.security.idle_lock_minutes
        self.idle = IdleLock(ctx, self, minutes)
        self.idle.unlocked.connect(lambda: self.stack.setCurrentWidget(self.checkout))

    # --- screens ----------------------------------------------------------------------

    def _start(self, cashier: Any) -> None:
        self.ctx.start_selling(cashier)
        self.who.setText(f"{cashier.display_name}")
        self.stack.setCurrentWidget(self.checkout)
        self.checkout.refresh()
        self.activateWindow()  # back from the shift dialog: keys (F12 …) come here
        self.checkout.scan.setFocus()
        self.idle.start()

    def _show_status(self) -> None:
        names = {"printer": self.tr("Printer"), "camera": self.tr("Camera"), "hq": self.tr("HQ")}
        for part, label in self.parts.items():
            health: Health = self.ctx.status.get(part)  # type: ignore[arg-type]
            text = f"{STATE_MARK.get(health.state, '?')} {names[part]}"
            if health.code:
                text += f": {messages.render(health.code, dict(health.params))}"
            label.setText(text)
            label.setProperty("state", health.state)
            label.style().unpolish(label)
            label.style().polish(label)

    def _store_replaced(self, _details: dict[str, Any]) -> None:
        self.checkout.message.error(messages.render("store_replaced"))
        self.checkout.setEnabled(False)

    # --- paying -----------------------------------------------------------------------

    def pay(self) -> None:
        co = self.ctx.checkout
        priced = self.checkout.priced
        if co is None or priced is None or not priced.lines:
            self.checkout.message.error(messages.render("empty_basket"))
            return
        dialog = PaymentDialog(priced.payable, self)
        dialog.paid.connect(lambda tenders: self._commit(tenders, priced.payable))
        dialog.balance_requested.connect(lambda amount: pay_by_balance(dialog, self.ctx, amount))
        dialog.open()

    def top_up(self) -> None:
        """F11: stored-value top-up (or a top-up's refund) for the member on the sale."""
        if self.ctx.cashier is None or self.stack.currentWidget() is not self.checkout:
            return
        dialog = TopUpDialog(self.ctx, self)
        dialog.reported.connect(self._topped_up)
        dialog.printed.connect(self.printing.after_sale)
        dialog.open()

    def _topped_up(self, text: str) -> None:
        self.checkout.refresh(text)  # the member panel shows the new balance

    def _commit(self, tenders: list[Any], due: int) -> None:
        co = self.ctx.checkout
        assert co is not None
        by_balance = any(t.method == "stored_value" for t in tenders)
        ops.Op(self, lambda: co.pay(tenders, expected_payable=due)).success(
            lambda result: self._sold(result, by_balance=by_balance)
        ).failure(lambda exc: self.checkout.message.error(error_text(exc))).run()

    def _sold(self, result: SaleResult, *, by_balance: bool = False) -> None:
        text = self.tr("Paid. Receipt {receipt}. Change {change}").format(
            receipt=result.receipt_no, change=yuan(result.change)
        )
        if result.points_balance is not None:
            text += self.tr("  Points +{earned}, balance {balance}").format(
                earned=result.points_earned, balance=result.points_balance
            )
        if by_balance and result.stored_value_balance is not None:
            text += self.tr("  Stored value left {balance}").format(
                balance=yuan(result.stored_value_balance)
            )
        for issued in result.coupons_issued:
            text += self.tr("  Coupon {code} issued, valid {start} to {end}").format(
                code=issued.code,
                start=issued.valid_from.astimezone(self.ctx.settings.tz).strftime("%Y-%m-%d"),
                end=issued.valid_to.astimezone(self.ctx.settings.tz).strftime("%Y-%m-%d"),
            )
        self.checkout.show_basket(None)
        self.checkout.member.show_summary(None)
        self.checkout.summary = None
        self.checkout.nudge.setText("")
        self.checkout.message.info(text)
        self.checkout.show_change(result.change)
        if self.customer is not None:
            self.customer.show_paid(result)
        self.printing.after_sale(result.sale_id)

    # --- returns and receipts ---------------------------------------------------------------

    def open_returns(self, receipt_no: str = "") -> None:
        if self.ctx.cashier is None or self.stack.currentWidget() is not self.checkout:
            return
        self.returns.start(receipt_no)
        self.returns.open()

    def open_receipts(self) -> None:
        if self.ctx.cashier is None or self.stack.currentWidget() is not self.checkout:
            return
        self.receipts.start()
        self.receipts.open()

    # --- leaving ----------------------------------------------------------------------

    def closeEvent(self, event: QEvent) -> None:
        """Closing the window parks an open basket, like quitting the keyboard till."""
        co = self.ctx.checkout
        if co is not None and co.lines:
            try:
                co.suspend(self.tr("parked when the till closed"), why="quit")
            except Exception:
                log.exception("could not park the basket on close")
        self.signals.close()
        if self.customer is not None:
            self.customer.close()
        ops.wait_all(10_000)
        super().closeEvent(event)  # type: ignore[arg-type]
