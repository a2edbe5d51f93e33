"""Small widgets every screen uses: big touch buttons, the PIN pad, the message bar."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from terminal.errors import PosError
from terminal.money import format_kg, format_yuan

log = logging.getLogger(__name__)

TOUCH = 48
"""Least height of anything a finger presses, in pixels (at least 44 by the guidelines)."""


def yuan(fen: int) -> str:
    """¥12.30 for 1230."""
    return f"¥{format_yuan(fen)}"


def qty_text(qty: int, weighed: bool) -> str:
    """A line's quantity: units, or the grams of goods sold by weight as kg (0.532 kg)."""
    return f"{format_kg(qty)} kg" if weighed else str(qty)


def error_text(exc: BaseException) -> str:
    """One line for the person at the till; an unexpected error is logged, never shown raw."""
    if isinstance(exc, PosError):
        return exc.text()
    log.error("unexpected error in the GUI", exc_info=(type(exc), exc, exc.__traceback__))
    return PosError("unexpected_error").text()


class BigButton(QPushButton):
    """A touch-sized button that names its key (``F12``) under its label."""

    def __init__(self, text: str, key: str = "", parent: QWidget | None = None) -> None:
        super().__init__(f"{text}\n{key}" if key else text, parent)
        self.setMinimumHeight(TOUCH + 16)
        self.setMinimumWidth(TOUCH * 2)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touching a button never steals the scan
        self.setAccessibleName(text)


class FieldDialog(QDialog):
    """A dialog where Enter belongs to the field it is typed in.

    A line edit passes Enter on to its dialog, which would press the default
    button (QDialogButtonBox makes OK the default when shown): the field's own
    Enter and OK both ran, so a form was submitted twice (a supervisor's wrong
    PIN counted two attempts) or an empty one was tried. Fields say what Enter
    does (next field, or submit); OK is for the mouse and the touch screen.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)


class PinPad(QWidget):
    """Digits, back and clear for a touch screen; ``pressed`` carries "0".."9", "back", "clear"."""

    pressed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        keys = ["7", "8", "9", "4", "5", "6", "1", "2", "3", "clear", "0", "back"]
        for i, key in enumerate(keys):
            label = {"clear": "C", "back": "⌫"}.get(key, key)
            button = QPushButton(label, self)
            button.setMinimumSize(TOUCH + 16, TOUCH + 8)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(f"pin pad {key}")
            button.clicked.connect(lambda _=False, k=key: self.pressed.emit(k))
            grid.addWidget(button, i // 3, i % 3)


class MessageBar(QLabel):
    """The one line that tells the cashier what just went wrong (or right)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setWordWrap(True)
        self.setMinimumHeight(32)
        self.setAccessibleName("message")

    def error(self, text: str) -> None:
        self.setProperty("kind", "error")
        self._show(text)

    def info(self, text: str) -> None:
        self.setProperty("kind", "info")
        self._show(text)

    def clear_message(self) -> None:
        self.setProperty("kind", "")  # no coloured band left behind an empty line
        self._show("")

    def _show(self, text: str) -> None:
        self.setText(text)
        self.style().unpolish(self)
        self.style().polish(self)


def keypad_footer(
    dialog: QDialog,
    layout: QBoxLayout,
    *,
    key: Callable[[str], None],
    submit: Callable[[], None],
    focus: QLineEdit,
) -> MessageBar:
    """The bottom of a PIN or amount dialog: touch pad, message bar, OK / Cancel.

    OK submits like Enter in the field does; Cancel rejects. Returns the message bar.
    """
    pad = PinPad(dialog)
    pad.pressed.connect(key)
    layout.addWidget(pad)
    message = MessageBar(dialog)
    layout.addWidget(message)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.accepted.connect(submit)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    focus.setFocus(Qt.FocusReason.OtherFocusReason)
    return message
