"""Small parts the member screens share: a question with two buttons, touch buttons, guards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.qt.widgets import TOUCH


def button(text: str, name: str, parent: QWidget) -> QPushButton:
    """A touch-sized button that Enter in a text field never presses by accident."""
    made = QPushButton(text, parent)
    made.setObjectName(name)
    made.setAccessibleName(text)
    made.setMinimumHeight(TOUCH)
    made.setAutoDefault(False)
    return made


def while_open(widget: QWidget, handler: Callable[..., None]) -> Callable[..., None]:
    """``handler`` for a result that may arrive after ``widget`` was closed and deleted."""

    def call(*args: Any) -> None:
        if shiboken6.isValid(widget):
            handler(*args)

    return call


def back_to_scan(dialog: QDialog, screen: QWidget, scan: QWidget) -> None:
    """When ``dialog`` closes, the till window gets the keys again and the scan field the focus."""

    def back() -> None:
        if shiboken6.isValid(screen):
            screen.window().activateWindow()
            scan.setFocus(Qt.FocusReason.OtherFocusReason)

    dialog.finished.connect(lambda _result: back())


class ConfirmBar(QFrame):
    """ "Replace the member?" / "Erase the member?": the question, a yes and a no button.

    :meth:`ask` shows it and remembers what yes does; either button hides it again.
    """

    def __init__(self, name: str, yes: str, no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Bar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._on_yes: Callable[[], None] | None = None
        layout = QVBoxLayout(self)
        self.question = QLabel(self)
        self.question.setObjectName(f"{name}Question")
        self.question.setWordWrap(True)
        layout.addWidget(self.question)
        row = QHBoxLayout()
        self.yes = button(yes, f"{name}Yes", self)
        self.no = button(no, f"{name}No", self)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        layout.addLayout(row)
        self.yes.clicked.connect(self._yes)
        self.no.clicked.connect(self.hide)
        self.hide()

    def ask(self, question: str, on_yes: Callable[[], None]) -> None:
        self.question.setText(question)
        self._on_yes = on_yes
        self.show()
        self.no.setFocus(
            Qt.FocusReason.OtherFocusReason
        )  # Enter alone never does the drastic thing

    def _yes(self) -> None:
        self.hide()
        action, self._on_yes = self._on_yes, None
        if action is not None:
            action()
