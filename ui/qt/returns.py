"""Returns (F8): find the receipt, choose lines and units, give a reason, refund.

The receipt comes from the scan field (a scanned receipt QR or barcode opens
this screen with its number) or is typed here. The lines show what the core
says can still be returned (:func:`terminal.returns.returnable_lines`); the
whole receipt is chosen by default. "Refund" runs
:func:`terminal.returns.process_return` through :func:`ui.qt.approval.approved`:
the core checks the request first (receipt, lines, units left, reason) and
only then asks for a supervisor, so a request it would refuse never reaches
an approval dialog. The refund is shown per tender, the refund slip printed
on the device pool (the drawer opens only when cash goes back: the core
decides), and the original receipt can be looked at as printed.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from terminal import messages, printouts
from terminal.printouts import Printout
from terminal.returns import ReturnableLine, ReturnResult, process_return, returnable_lines
from ui.qt.approval import approved
from ui.qt.context import AppContext
from ui.qt.ops import Op
from ui.qt.printing import PrintDesk, PrintTroubleBar
from ui.qt.receipt_preview import ReceiptPreview
from ui.qt.widgets import TOUCH, MessageBar, error_text, yuan

QTY_COLUMN = 6
MAX_UNITS = 99_999  # what the field takes; how many may go back is the core's answer
SPIN_STYLE = (  # arrows a finger can hit
    "QSpinBox { font-size: 18px; padding: 0 40px 0 6px; border: 1px solid #98a2b3;"
    " border-radius: 4px; background: white; }"
    "QSpinBox::up-button, QSpinBox::down-button { width: 40px; }"
)


def tender_name(method: str) -> str:
    """现金, 微信支付 … in the till's language."""
    return messages.render(f"tender_{method}")


class ReturnsDialog(QDialog):
    """The returns screen; ``returned`` carries the :class:`ReturnResult` of each return."""

    returned = Signal(object)

    def __init__(self, ctx: AppContext, desk: PrintDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.desk = desk
        self.lines: list[ReturnableLine] = []
        self.receipt_no = ""  # the receipt whose lines are shown
        self.last_return: ReturnResult | None = None
        self.busy = False
        self.visit = 0  # each start(); answers for an earlier visit change nothing on screen
        self.setObjectName("returnsDialog")
        self.setWindowTitle(self.tr("Returns"))
        self.setMinimumSize(900, 620)
        layout = QVBoxLayout(self)

        find = QHBoxLayout()
        self.receipt = QLineEdit(self)
        self.receipt.setObjectName("returnReceipt")
        self.receipt.setAccessibleName("receipt number")
        self.receipt.setPlaceholderText(self.tr("Scan the receipt or type its number, Enter"))
        self.receipt.setMinimumHeight(TOUCH)
        self.receipt.returnPressed.connect(self.look_up)
        find.addWidget(self.receipt, 1)
        self.find_button = self._button("returnFind", self.tr("Find"), "find the receipt")
        self.find_button.clicked.connect(self.look_up)
        find.addWidget(self.find_button)
        self.original_button = self._button(
            "returnShowReceipt", self.tr("Show receipt"), "show the original receipt"
        )
        self.original_button.clicked.connect(lambda: self.show_receipt(self.receipt_no))
        find.addWidget(self.original_button)
        layout.addLayout(find)

        self.summary = QLabel(self)
        self.summary.setObjectName("returnSummary")
        self.summary.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.summary)

        headers = [
            "#",
            self.tr("Item"),
            self.tr("Bought"),
            self.tr("Returned"),
            self.tr("Left"),
            self.tr("Paid"),
            self.tr("Return now"),
        ]
        self.table = QTableWidget(0, len(headers), self)
        self.table.setObjectName("returnLines")
        self.table.setAccessibleName("receipt lines to return")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from quantity to quantity
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3, 4, 5, QTY_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)

        choose = QHBoxLayout()
        self.all_button = self._button("returnAll", self.tr("Everything left"), "return all")
        self.all_button.clicked.connect(lambda: self._choose(all_left=True))
        self.none_button = self._button("returnNone", self.tr("Nothing"), "return nothing")
        self.none_button.clicked.connect(lambda: self._choose(all_left=False))
        choose.addWidget(self.all_button)
        choose.addWidget(self.none_button)
        self.reward_codes = QLineEdit(self)  # 积分兑换券: give back coupons bought with points
        self.reward_codes.setObjectName("returnRewardCoupons")
        self.reward_codes.setAccessibleName("coupons bought with points to give back")
        self.reward_codes.setPlaceholderText(self.tr("Coupons bought with points to give back"))
        self.reward_codes.setMinimumHeight(TOUCH)
        self.reward_codes.textEdited.connect(self._changed)
        self.reward_codes.returnPressed.connect(self.submit)
        choose.addStretch(1)
        layout.addLayout(choose)

        self.reason = QLineEdit(self)
        self.reason.setObjectName("returnReason")
        self.reason.setAccessibleName("reason for the return")
        self.reason.setPlaceholderText(self.tr("Reason (required), then Enter to refund"))
        self.reason.setMinimumHeight(TOUCH)
        self.reason.setMaxLength(200)
        self.reason.returnPressed.connect(self.submit)
        self.reason.textEdited.connect(self._changed)
        why = QHBoxLayout()
        why.addWidget(self.reason, 3)
        why.addWidget(self.reward_codes, 2)
        layout.addLayout(why)

        self.refund_text = QLabel(self)
        self.refund_text.setObjectName("refundSplit")
        self.refund_text.setAccessibleName("refund per tender")
        self.refund_text.setWordWrap(True)
        self.refund_text.setStyleSheet("font-size: 22px; font-weight: bold; color: #067647;")
        layout.addWidget(self.refund_text)
        self.trouble = PrintTroubleBar(desk, self)
        layout.addWidget(self.trouble)
        self.message = MessageBar(self)
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        self.slip_button = self._button(
            "returnShowSlip", self.tr("Show refund slip"), "show the refund slip"
        )
        self.slip_button.clicked.connect(
            lambda: self.show_receipt(self.last_return.receipt_no if self.last_return else "")
        )
        self.slip_button.hide()
        self.refund_button = self._button("returnConfirm", self.tr("Refund"), "refund")
        self.refund_button.setStyleSheet("font-weight: bold;")
        self.refund_button.clicked.connect(self.submit)
        self.close_button = self._button("returnClose", self.tr("Close"), "close returns")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.slip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refund_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.preview = ReceiptPreview(ctx, desk, self)
        self._enable(False)

    def start(self, receipt_no: str = "") -> None:
        """A fresh screen (the dialog is kept and reused), with this receipt if one was scanned."""
        self.visit += 1
        self.lines, self.receipt_no, self.last_return, self.busy = [], "", None, False
        self.table.setRowCount(0)
        for field in (self.receipt, self.reason, self.reward_codes):
            field.clear()
        self.summary.clear()
        self.refund_text.clear()
        self.message.clear_message()
        self.slip_button.hide()
        self._enable(False)
        self.receipt.setFocus(Qt.FocusReason.OtherFocusReason)
        if receipt_no.strip():
            self.receipt.setText(receipt_no.strip())
            self.look_up()

    def _button(self, name: str, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setMinimumHeight(TOUCH)
        button.setAutoDefault(False)
        return button

    def _enable(self, lines_shown: bool) -> None:
        choosing = (self.table, self.all_button, self.none_button, self.reward_codes, self.reason)
        for widget in choosing:
            widget.setEnabled(lines_shown)
        self.refund_button.setEnabled(lines_shown and not self.busy)
        self.original_button.setEnabled(bool(self.receipt_no))

    def _changed(self) -> None:
        """A quantity or the reason changed: Refund is possible again (after a return too)."""
        self.refund_button.setEnabled(bool(self.lines) and not self.busy)

    # --- the receipt's lines ----------------------------------------------------------------

    def look_up(self) -> None:
        number = self.receipt.text().strip()
        if not number:
            return
        db, visit = self.ctx.home.db, self.visit
        Op(self, lambda: (number, returnable_lines(db, number))).success(
            lambda found: self._show_lines(found) if visit == self.visit else None
        ).failure(lambda exc: self._refused(exc) if visit == self.visit else None).run()

    def _show_lines(
        self, found: tuple[str, list[ReturnableLine]], *, focus_lines: bool = True
    ) -> None:
        self.receipt_no, self.lines = found
        self.last_return = None
        self.slip_button.hide()
        self.refund_text.clear()
        self.message.clear_message()
        self.table.setRowCount(len(self.lines))
        spins: list[QSpinBox] = []
        for row, line in enumerate(self.lines):
            cells = [
                str(line.line_no),
                line.name,
                str(line.qty),
                str(line.returned) if line.returned else "",
                str(line.remaining),
                yuan(line.paid),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column != 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
            spin = QSpinBox(self.table)
            spin.setObjectName(f"returnQty_{line.line_no}")
            spin.setAccessibleName(f"units of line {line.line_no} to return")
            spin.setRange(0, MAX_UNITS)
            spin.setValue(line.remaining)  # the whole receipt unless the cashier says less
            spin.setMinimumHeight(TOUCH - 4)
            spin.setMinimumWidth(120)
            spin.setStyleSheet(SPIN_STYLE)
            spin.installEventFilter(self)
            spin.valueChanged.connect(self._changed)
            self.table.setCellWidget(row, QTY_COLUMN, spin)
            self.table.setRowHeight(row, TOUCH)
            spins.append(spin)
        paid = sum(line.paid for line in self.lines)
        self.summary.setText(
            self.tr("Receipt {receipt}: {count} lines, paid {paid}").format(
                receipt=self.receipt_no, count=len(self.lines), paid=yuan(paid)
            )
        )
        self.busy = False
        self._enable(True)
        chain = [
            self.receipt,
            *spins,
            self.reason,
            self.reward_codes,
            self.refund_button,
            self.close_button,
        ]
        for before, after in itertools.pairwise(chain):
            self.setTabOrder(before, after)
        first = next((s for s, line in zip(spins, self.lines, strict=True) if line.remaining), None)
        if not focus_lines:
            return
        if first is not None:
            first.setFocus(Qt.FocusReason.TabFocusReason)
            first.selectAll()
        else:
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def quantity(self, row: int) -> QSpinBox:
        widget = self.table.cellWidget(row, QTY_COLUMN)
        assert isinstance(widget, QSpinBox)
        return widget

    def _choose(self, *, all_left: bool) -> None:
        for row, line in enumerate(self.lines):
            self.quantity(row).setValue(line.remaining if all_left else 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in a quantity moves on, like Tab (there is no default button to press)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QSpinBox):
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.focusNextChild()
                return True
        return False

    # --- refunding --------------------------------------------------------------------------

    def submit(self) -> None:
        cashier = self.ctx.cashier
        if self.busy or not self.lines or cashier is None:
            return
        quantities = {
            line.line_no: self.quantity(row).value() for row, line in enumerate(self.lines)
        }
        coupons = [code.upper() for code in self.reward_codes.text().split()]
        if not any(quantities.values()) and not coupons:
            self.message.error(self.tr("Choose the units to return first"))
            return
        ctx, number, reason = self.ctx, self.receipt_no, self.reason.text()

        def refund(approver: Any) -> ReturnResult:
            return process_return(
                ctx.home.db,
                ctx.settings,
                cashier,
                receipt_no=number,
                reason=reason,
                quantities=quantities,
                approver=approver,
                clock=ctx.clock,
                vault=ctx.vault,
                reward_coupons=coupons,
            )

        self.busy = True
        self.refund_button.setEnabled(False)
        self.message.clear_message()
        visit = self.visit

        def returned(result: ReturnResult) -> None:
            self.desk.after_sale(result.return_id)  # the slip prints whatever the screen does
            self.returned.emit(result)
            if visit == self.visit:
                self._returned(result)

        approved(
            self,
            ctx,
            refund,
            returned,
            lambda exc: self._refused(exc) if visit == self.visit else None,
        )

    def _refused(self, exc: BaseException) -> None:
        self.busy = False
        self._enable(bool(self.lines))
        self.message.error(error_text(exc))

    def _returned(self, result: ReturnResult) -> None:
        self.last_return = result
        self.refund_text.setText(self.refund_summary(result))
        self.message.info(
            self.tr("Returned. Refund slip {receipt}").format(receipt=result.receipt_no)
        )
        self.reason.clear()
        self.reward_codes.clear()
        db, number, visit = self.ctx.home.db, self.receipt_no, self.visit
        Op(self, lambda: (number, returnable_lines(db, number))).success(
            lambda found: self._show_done(found) if visit == self.visit else None
        ).failure(lambda exc: self._refused(exc) if visit == self.visit else None).run()

    def _show_done(self, found: tuple[str, list[ReturnableLine]]) -> None:
        """After a return: what is left on the receipt now, nothing chosen, the result kept."""
        result = self.last_return
        self._show_lines(found, focus_lines=False)
        self.last_return = result
        self._choose(all_left=False)
        self.refund_button.setEnabled(False)  # until the cashier chooses more
        self.slip_button.setVisible(result is not None)
        if result is not None:
            self.refund_text.setText(self.refund_summary(result))
            self.message.info(
                self.tr("Returned. Refund slip {receipt}").format(receipt=result.receipt_no)
            )
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def refund_summary(self, result: ReturnResult) -> str:
        """The refund per tender, and what happened to points and coupons."""
        split = " · ".join(
            f"{tender_name(method)} {yuan(amount)}" for method, amount in result.refunds.items()
        )
        lines = [self.tr("Refund {total}: {split}").format(total=yuan(result.refund), split=split)]
        if result.points_reversed:
            lines.append(
                self.tr("Points taken back: {points}").format(points=result.points_reversed)
            )
        if result.points_restored:
            lines.append(
                self.tr("Points given back: {points}").format(points=result.points_restored)
            )
        if result.points_shortfall:
            lines.append(
                self.tr("{points} points were already spent: {amount} kept from the refund").format(
                    points=result.points_shortfall, amount=yuan(result.shortfall_charged)
                )
            )
        if result.coupons_restored:
            lines.append(
                self.tr("Coupons back: {codes}").format(codes=", ".join(result.coupons_restored))
            )
        if result.coupons_cancelled:
            lines.append(
                self.tr("Coupons taken back: {codes}").format(
                    codes=", ".join(result.coupons_cancelled)
                )
            )
        if result.coupon_deduction:
            kept = self.tr("A coupon it issued was already used: {amount} kept from the refund")
            lines.append(kept.format(amount=yuan(result.coupon_deduction)))
        return "\n".join(lines)

    def show_receipt(self, number: str) -> None:
        """The receipt (or refund slip) as printed, in the preview."""
        if not number:
            return
        db = self.ctx.home.db

        def lookup() -> Printout:
            with db.sessions() as session:
                return printouts.for_receipt(session, number)

        Op(self, lookup).success(self.preview.show_printout).failure(
            lambda exc: self.message.error(error_text(exc))
        ).run()

    def changeEvent(self, event: QEvent) -> None:
        # a cancelled approval reports nothing: the screen is usable again when it is active
        if (
            event.type() == QEvent.Type.ActivationChange
            and self.isActiveWindow()
            and self.busy
            and self.last_return is None
        ):
            self.busy = False
            self._enable(bool(self.lines))
        super().changeEvent(event)
