"""The shift at the till: cash in and out with a reason, the X report, closing with a count.

Every figure and every refusal is the core's: :mod:`terminal.shifts` moves the
cash and reports, :mod:`terminal.shift_count` shows what a count adds up to
against what should be in the drawer, :func:`terminal.shift_close.close_shift`
closes the shift and queues its Z slip in the same transaction. A cashier
lacking a permission is asked for an approval by :func:`ui.qt.approval.approved`
only after the core has checked the request itself (a cash out without a
reason is refused before anybody is asked).

Closing the shift ends the cashier's session: the Z slip prints on a device
thread and the till goes back to its login screen; the next cashier opens a
new shift with their float.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Literal

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from terminal import auth, messages, shift_close, shift_count, shifts
from terminal.money import parse_yuan
from ui.qt.approval import approved
from ui.qt.context import AppContext
from ui.qt.manager.parts import Retranslating, form_label, form_layout
from ui.qt.members.parts import button
from ui.qt.ops import Op
from ui.qt.widgets import TOUCH, MessageBar, error_text, yuan

CashKind = Literal["in", "out"]
PIECES = QRegularExpression(r"\d{0,5}")


class CashDialog(Retranslating, QDialog):
    """Cash into or out of the drawer: an amount and a reason; ``moved(kind, fen)`` after."""

    moved = Signal(str, int)

    def __init__(self, ctx: AppContext, kind: CashKind, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.setObjectName(f"cash{kind.capitalize()}Dialog")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        form = form_layout()
        self.amount = QLineEdit(self)
        self.amount.setObjectName("cashAmount")
        self.amount.setAccessibleName("amount in yuan")
        self.amount.setPlaceholderText("100.00")
        self.amount.setMinimumHeight(TOUCH)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("cashReason")
        self.reason.setAccessibleName("reason")
        self.reason.setMaxLength(200)
        self.reason.setMinimumHeight(TOUCH)
        self.amount_label = form_label(self)
        self.reason_label = form_label(self)
        form.addRow(self.amount_label, self.amount)
        form.addRow(self.reason_label, self.reason)
        layout.addLayout(form)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.ok = button("", "cashOk", self)
        self.cancel = button("", "cashCancel", self)
        row.addWidget(self.cancel)
        row.addWidget(self.ok)
        layout.addLayout(row)
        self.ok.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.reject)
        self.amount.returnPressed.connect(self.reason.setFocus)
        self.reason.returnPressed.connect(self.submit)
        self.setTabOrder(self.amount, self.reason)
        self.setTabOrder(self.reason, self.ok)
        self.retranslate()
        self.amount.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        if self.kind == "in":
            self.setWindowTitle(self.tr("Cash in"))
            self.hint.setText(self.tr("Cash put into the drawer, e.g. more change."))
        else:
            self.setWindowTitle(self.tr("Cash out"))
            self.hint.setText(self.tr("Cash taken out of the drawer, e.g. a safe drop."))
        self.amount_label.setText(self.tr("Amount (¥)"))
        self.reason_label.setText(self.tr("Reason"))
        self.ok.setText(self.tr("Record"))
        self.cancel.setText(self.tr("Cancel"))

    def submit(self) -> None:
        try:
            amount = parse_yuan(self.amount.text().strip())
        except ValueError:
            self.message.error(self.tr("Type an amount, e.g. 100 or 100.00"))
            self.amount.setFocus()
            return
        ctx, kind, reason = self.ctx, self.kind, self.reason.text()
        cashier = ctx.cashier
        if cashier is None:
            return
        move = shifts.cash_in if kind == "in" else shifts.cash_out

        def act(approver: auth.Actor | None) -> int:
            with ctx.home.db.transaction() as session:
                move(
                    session,
                    terminal_id=ctx.settings.terminal_id,
                    actor=cashier,
                    amount=amount,
                    reason=reason,
                    now=ctx.clock(),
                    approver=approver,
                    min_role=ctx.settings.cash_movement_role,
                )
            return amount

        self.ok.setEnabled(False)

        def done(fen: int) -> None:
            self.ok.setEnabled(True)
            self.moved.emit(kind, fen)
            self.accept()

        def refused(exc: BaseException) -> None:
            self.ok.setEnabled(True)
            self.message.error(error_text(exc))

        approved(self, ctx, act, done, refused)


class CloseShiftDialog(Retranslating, QDialog):
    """Count the drawer note by note, see expected / counted / variance, then close.

    Enter in a count field checks the count (the core's figures); the close
    button is enabled only for the count on the screen. ``closed(summary)``
    once the core has closed the shift.
    """

    closed = Signal(object)  # shifts.ShiftSummary

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview: shift_count.CountPreview | None = None
        self.setObjectName("closeShiftDialog")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        grid = QGridLayout()
        self.fields: dict[int, QLineEdit] = {}
        per_column = (len(shifts.DENOMINATIONS) + 1) // 2
        for i, denom in enumerate(shifts.DENOMINATIONS):
            label = QLabel(shifts.denomination_label(denom), self)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            field = QLineEdit(self)
            field.setObjectName(f"count_{denom}")
            field.setAccessibleName(f"pieces of {shifts.denomination_label(denom)}")
            # digits only; empty (none) is a whole answer too, so Enter checks from any field
            field.setValidator(QRegularExpressionValidator(PIECES, field))
            field.setPlaceholderText("0")
            field.setMinimumHeight(TOUCH)
            field.setMaximumWidth(120)
            field.textEdited.connect(self._edited)
            field.returnPressed.connect(self.check)
            label.setBuddy(field)
            row, column = i % per_column, (i // per_column) * 2
            grid.addWidget(label, row, column)
            grid.addWidget(field, row, column + 1)
            self.fields[denom] = field
        layout.addLayout(grid)

        figures = form_layout()
        self.expected = QLabel(self)
        self.expected.setObjectName("expectedCash")
        self.counted = QLabel(self)
        self.counted.setObjectName("countedCash")
        self.variance = QLabel(self)
        self.variance.setObjectName("cashVariance")
        self.expected_label, self.counted_label, self.variance_label = (
            QLabel(self),
            QLabel(self),
            QLabel(self),
        )
        figures.addRow(self.expected_label, self.expected)
        figures.addRow(self.counted_label, self.counted)
        figures.addRow(self.variance_label, self.variance)
        layout.addLayout(figures)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        actions = QHBoxLayout()
        self.cancel = button("", "closeCancel", self)
        self.check_button = button("", "countCheck", self)
        self.confirm = button("", "closeConfirm", self)
        self.confirm.setEnabled(False)
        actions.addWidget(self.cancel)
        actions.addStretch(1)
        actions.addWidget(self.check_button)
        actions.addWidget(self.confirm)
        layout.addLayout(actions)
        self.cancel.clicked.connect(self.reject)
        self.check_button.clicked.connect(self.check)
        self.confirm.clicked.connect(self.submit)
        fields = list(self.fields.values())
        for first, second in pairwise(fields):
            self.setTabOrder(first, second)
        self.setTabOrder(fields[-1], self.check_button)
        self.setTabOrder(self.check_button, self.confirm)
        self.retranslate()
        fields[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Close the shift"))
        self.hint.setText(
            self.tr("Type how many of each note and coin are in the drawer. Enter checks.")
        )
        self.expected_label.setText(self.tr("Expected cash"))
        self.counted_label.setText(self.tr("Counted"))
        self.variance_label.setText(self.tr("Variance (over + / short −)"))
        self.cancel.setText(self.tr("Cancel"))
        self.check_button.setText(self.tr("Check count"))
        self.confirm.setText(self.tr("Close shift"))
        self._show_figures()

    def counts(self) -> dict[int, int]:
        return {d: int(f.text()) for d, f in self.fields.items() if f.text().strip()}

    def _edited(self, _text: str) -> None:
        """A count changed after it was checked: check it again before closing."""
        if self.preview is not None:
            self.preview = None
            self.confirm.setEnabled(False)
            self._show_figures()

    def check(self) -> None:
        ctx, counts = self.ctx, self.counts()

        def preview() -> shift_count.CountPreview:
            with ctx.home.db.sessions() as session:
                return shift_count.count_preview(session, ctx.settings.terminal_id, counts)

        Op(self, preview).success(lambda p: self._checked(p, counts)).failure(
            lambda exc: self.message.error(error_text(exc))
        ).run()

    def _checked(self, preview: shift_count.CountPreview, counts: dict[int, int]) -> None:
        if counts != self.counts():
            return  # edited while the store was asked: the new count is checked on Enter
        self.preview = preview
        self._show_figures()
        self.message.info(self.tr("Check the figures, then close the shift."))
        self.confirm.setEnabled(True)
        self.confirm.setDefault(True)
        self.confirm.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_figures(self) -> None:
        p = self.preview
        self.expected.setText(yuan(p.expected) if p else "–")
        self.counted.setText(yuan(p.counted) if p else "–")
        if p is None:
            self.variance.setText("–")
        elif p.variance > 0:
            self.variance.setText(self.tr("+{amount} over").format(amount=yuan(p.variance)))
        elif p.variance < 0:
            self.variance.setText(self.tr("−{amount} short").format(amount=yuan(-p.variance)))
        else:
            self.variance.setText(self.tr("{amount}, exact").format(amount=yuan(0)))
        off = p is not None and p.variance != 0
        self.variance.setStyleSheet("color: #b42318; font-weight: bold;" if off else "")

    def submit(self) -> None:
        preview, ctx, cashier = self.preview, self.ctx, self.ctx.cashier
        if preview is None or cashier is None:
            return
        counts = dict(preview.counts)
        self.confirm.setEnabled(False)

        def close(approver: auth.Actor | None) -> shifts.ShiftSummary:
            return shift_close.close_shift(
                ctx.home.db,
                terminal_id=ctx.settings.terminal_id,
                actor=cashier,
                counts=counts,
                now=ctx.clock(),
                approver=approver,
            )

        def refused(exc: BaseException) -> None:
            self.confirm.setEnabled(self.preview is not None)
            self.message.error(error_text(exc))

        approved(self, ctx, close, self._closed, refused)

    def _closed(self, summary: shifts.ShiftSummary) -> None:
        self.closed.emit(summary)
        self.accept()


class XReportDialog(Retranslating, QDialog):
    """The open shift's figures so far, read only."""

    def __init__(self, summary: shifts.ShiftSummary, parent: QWidget) -> None:
        super().__init__(parent)
        self.summary = summary
        self.setObjectName("xReportDialog")
        self.setMinimumSize(480, 520)
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("xReportText")
        self.text.setAccessibleName("shift figures so far")
        self.text.setReadOnly(True)
        layout.addWidget(self.text)
        self.close_button = button("", "xReportClose", self)
        self.close_button.clicked.connect(self.accept)
        layout.addWidget(self.close_button)
        self.retranslate()

    def retranslate(self) -> None:
        s = self.summary
        self.setWindowTitle(self.tr("X report (shift so far)"))
        self.close_button.setText(self.tr("Close"))
        opened = s.opened_at.astimezone().strftime("%Y-%m-%d %H:%M")
        lines = [
            self.tr("Opened by {name} at {time}").format(name=s.opened_by_name, time=opened),
            "",
            self.tr("Sales: {count}, {amount}").format(
                count=s.sales_count, amount=yuan(s.net_sales)
            ),
            self.tr("  before discounts {gross}, discounts {discounts}").format(
                gross=yuan(s.gross_sales), discounts=yuan(s.discounts_total)
            ),
            self.tr("Returns: {count}, {amount}").format(
                count=s.returns_count, amount=yuan(s.returns_total)
            ),
            "",
            self.tr("Payments (net):"),
            *(
                f"  {messages.render(f'tender_{method}')}: {yuan(amount)}"
                for method, amount in s.tenders.items()
            ),
            "",
            self.tr("Opening float: {amount}").format(amount=yuan(s.opening_float)),
            self.tr("Cash in: {amount}").format(amount=yuan(s.cash_in)),
            self.tr("Cash out: {amount}").format(amount=yuan(s.cash_out)),
            self.tr("Expected cash: {amount}").format(amount=yuan(s.expected_cash)),
        ]
        self.text.setPlainText("\n".join(lines))


def open_x_report(parent: QWidget, ctx: AppContext, bar: MessageBar) -> None:
    """The X report: a report needs REPORTS, so at a cashier's till a manager approves."""
    cashier = ctx.cashier
    if cashier is None:
        return

    def report(approver: auth.Actor | None) -> shifts.ShiftSummary:
        with ctx.home.db.sessions() as session:
            return shifts.x_report(session, ctx.settings.terminal_id, approver or cashier)

    approved(
        parent,
        ctx,
        report,
        lambda summary: XReportDialog(summary, parent).open(),
        lambda exc: bar.error(error_text(exc)),
    )
