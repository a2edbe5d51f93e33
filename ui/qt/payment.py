"""Payment (F12): cash by keypad or quick-cash buttons, card, WeChat Pay, Alipay, split.

Keys: digits type the amount, Enter confirms (an empty amount = the rest in
cash), C card, W WeChat Pay, A Alipay, S the member's stored value (储值; the
window asks for the member's PIN when no app code was shown, and the core
checks the balance or, offline, its limit), Backspace takes back the last tender,
Esc goes back to the basket. A WeChat Pay or Alipay payment asks for its
reference as it is added. Each tender is checked by the core as it is added
(:func:`terminal.tenders.check_tender`); the sale is paid once the tenders
cover the amount due, and the change is shown large.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal import messages
from terminal.errors import PosError
from terminal.money import parse_yuan
from terminal.tenders import NEEDS_REFERENCE, Tender, check_tender, method_name
from ui.qt.widgets import TOUCH, MessageBar, PinPad, error_text, yuan

KEYS: dict[Qt.Key, str] = {
    Qt.Key.Key_Return: "cash",
    Qt.Key.Key_Enter: "cash",
    Qt.Key.Key_C: "card",
    Qt.Key.Key_W: "wechat",
    Qt.Key.Key_A: "alipay",
    Qt.Key.Key_S: "stored_value",
}
"""Keys that pick a tender method at the amount field: Enter cash, C card, W WeChat, A Alipay,
S stored value."""


def _name(method: str) -> str:
    return messages.render(method_name(method).code)


def quick_cash(due: int) -> list[int]:
    """Notes a customer is likely to hand over: exact, then the next ¥10, ¥50, ¥100."""
    out = [due]
    for step in (1000, 5000, 10000):
        up = -(-due // step) * step
        if up > due and up not in out:
            out.append(up)
    return out


class PaymentDialog(QDialog):
    """Collects tenders for ``due``; ``paid`` carries them once they cover it."""

    paid = Signal(list)  # list[Tender]
    balance_requested = Signal(int)  # amount to pay by stored value: the window checks it

    def __init__(self, due: int, parent: QWidget | None = None, *, balance: bool = True) -> None:
        super().__init__(parent)
        self.due = due
        self.balance = balance  # a top-up is never paid by balance
        self.tenders: list[Tender] = []
        self.setObjectName("paymentDialog")
        self.setWindowTitle(self.tr("Payment"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.due_label = QLabel(self)
        self.due_label.setObjectName("paymentDue")
        layout.addWidget(self.due_label)
        self.amount = QLineEdit(self)
        self.amount.setObjectName("tenderAmount")
        self.amount.setAccessibleName("amount tendered in yuan")
        self.amount.setMinimumHeight(TOUCH)
        self.amount.installEventFilter(self)
        layout.addWidget(self.amount)
        self.reference = QLineEdit(self)
        self.reference.setObjectName("tenderReference")
        self.reference.setAccessibleName("payment reference")
        self.reference.setMinimumHeight(TOUCH)
        self.reference.returnPressed.connect(self._reference_given)
        self.reference.hide()
        layout.addWidget(self.reference)
        self._pending: tuple[str, int] | None = None
        self._quick = QHBoxLayout()  # filled by _refresh: the notes for what is still to pay
        self._quick_for: int | None = None
        layout.addLayout(self._quick)
        row = QHBoxLayout()
        pad = PinPad(self)
        pad.pressed.connect(self._pad)
        row.addWidget(pad)
        methods = QGridLayout()
        offered = [("cash", "Enter"), ("card", "C"), ("wechat", "W"), ("alipay", "A")]
        if balance:
            offered.append(("stored_value", "S"))
        for i, (method, key) in enumerate(offered):
            name = messages.render(method_name(method).code)
            button = QPushButton(f"{name[:1].upper()}{name[1:]}\n{key}", self)
            button.setObjectName(f"tender_{method}")
            button.setMinimumHeight(TOUCH + 16)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(name)
            button.clicked.connect(lambda _=False, m=method: self.add_typed(m))
            methods.addWidget(button, i // 2, i % 2)
        undo = QPushButton(self.tr("Take back last"), self)
        undo.setObjectName("tenderUndo")
        undo.setAccessibleName("take back the last tender")
        undo.setMinimumHeight(TOUCH)
        undo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        undo.clicked.connect(self.undo)
        methods.addWidget(undo, 2, 1 if balance else 0, 1, 1 if balance else 2)
        row.addLayout(methods)
        layout.addLayout(row)
        self.list = QListWidget(self)
        self.list.setObjectName("tenderList")
        self.list.setAccessibleName("tenders so far")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setMaximumHeight(100)
        layout.addWidget(self.list)
        self.change = QLabel(self)
        self.change.setObjectName("changeDue")
        layout.addWidget(self.change)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        self._refresh()
        self.amount.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- state --------------------------------------------------------------------------

    @property
    def tendered(self) -> int:
        return sum(t.amount for t in self.tenders)

    @property
    def left(self) -> int:
        return max(self.due - self.tendered, 0)

    def quick_amounts(self) -> list[int]:
        """The amounts the quick-cash buttons offer now (exact, then the next ¥10, ¥50, ¥100)."""
        items = (self._quick.itemAt(i) for i in range(self._quick.count()))
        buttons = (item.widget() for item in items if item is not None)
        return [int(b.objectName().removeprefix("quickCash_")) for b in buttons if b is not None]

    def _show_quick_cash(self) -> None:
        """Quick-cash buttons for what is left: after a card part, "exact" is the rest."""
        if self._quick_for == self.left:
            return
        self._quick_for = self.left
        while self._quick.count():
            taken = self._quick.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        for fen in quick_cash(self.left):
            button = QPushButton(yuan(fen), self)
            button.setObjectName(f"quickCash_{fen}")
            button.setMinimumHeight(TOUCH)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(f"cash {yuan(fen)}")
            button.clicked.connect(lambda _=False, f=fen: self.add("cash", f))
            self._quick.addWidget(button)

    def _refresh(self) -> None:
        if self.left > 0:
            self._show_quick_cash()
        self.due_label.setText(
            self.tr("Due {due}   still to pay {left}").format(
                due=yuan(self.due), left=yuan(self.left)
            )
        )
        self.list.clear()
        for t in self.tenders:
            ref = f"  #{t.reference}" if t.reference else ""
            self.list.addItem(
                f"{messages.render(method_name(t.method).code)} {yuan(t.amount)}{ref}"
            )
        change = self.tendered - self.due
        self.change.setText(
            self.tr("Change {change}").format(change=yuan(change)) if change > 0 else ""
        )

    # --- input --------------------------------------------------------------------------

    def _pad(self, key: str) -> None:
        if key == "back":
            self.amount.backspace()
        elif key == "clear":
            self.amount.clear()
        else:
            self.amount.insert(key)

    def _typed_amount(self) -> int | None:
        text = self.amount.text().strip()
        if not text:
            return self.left
        try:
            return parse_yuan(text)
        except ValueError:
            self.message.error(
                self.tr("The amount {text} is not valid, e.g. 35.50").format(text=text)
            )
            return None

    def add_typed(self, method: str) -> None:
        amount = self._typed_amount()
        if amount is None:
            return
        if method == "stored_value":
            if self.balance and amount > 0:
                self.message.clear_message()
                self.balance_requested.emit(min(amount, self.left))
            return
        self.add(method, amount)

    def add(self, method: str, amount: int, reference: str = "") -> None:
        """Add one tender; pays as soon as the tenders cover what is due.

        A WeChat Pay or Alipay tender without its reference asks for it first.
        """
        if method in NEEDS_REFERENCE and not reference.strip():
            self._pending = (method, amount)
            name = messages.render(method_name(method).code)
            self.reference.setPlaceholderText(
                self.tr("{method} reference, then Enter").format(method=name)
            )
            self.reference.show()
            self.reference.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        tender = Tender(method, amount, reference.strip())
        try:
            check_tender(tender)
        except PosError as exc:
            self.message.error(error_text(exc))
            return
        if method != "cash" and amount > self.left:
            self.message.error(self.tr("A card or app payment cannot be more than what is left"))
            return
        self.tenders.append(tender)
        self.amount.clear()
        self.message.clear_message()
        self._refresh()
        if self.tendered >= self.due:
            self.paid.emit(list(self.tenders))
            self.accept()

    def _reference_given(self) -> None:
        if self._pending is None:
            return
        method, amount = self._pending
        reference = self.reference.text().strip()
        if not reference:
            return
        self._pending = None
        self.reference.clear()
        self.reference.hide()
        self.amount.setFocus(Qt.FocusReason.OtherFocusReason)
        self.add(method, amount, reference)

    def undo(self) -> None:
        if self.tenders:
            self.tenders.pop()
            self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keys typed in the amount field: digits stay, letters and Enter choose the method."""
        if watched is not self.amount or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        method = KEYS.get(Qt.Key(event.key()))
        if method is not None:
            self.add_typed(method)
            return True
        if event.key() == Qt.Key.Key_Backspace and not self.amount.text():
            self.undo()
            return True
        return False
