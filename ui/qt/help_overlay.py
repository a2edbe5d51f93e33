"""F1: what every key does at the till, over the screen until any key closes it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QWidget


class HelpOverlay(QDialog):
    """The keyboard map; the same keys the README lists."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setWindowTitle(self.tr("Keys"))
        grid = QGridLayout(self)
        rows = [
            (
                self.tr("Code + Enter"),
                self.tr("product, member, coupon or receipt (one reader decides)"),
            ),
            ("N*", self.tr("quantity before a code, e.g. 3*6901234567892")),
            ("F2", self.tr("find a member (number, phone, last 4 digits)")),
            ("F3", self.tr("scan with the camera")),
            ("F4", self.tr("quantity of the selected line")),
            ("F5", self.tr("coupon")),
            ("F6", self.tr("pay with points, or a reward for points")),
            ("F7", self.tr("hold / resume the sale")),
            ("F8", self.tr("returns")),
            ("F9", self.tr("manager menu")),
            ("F10", self.tr("find a receipt, preview and reprint it")),
            ("F11", self.tr("stored value: top up, refund a top-up")),
            ("Del", self.tr("void the selected line")),
            ("F12", self.tr("pay")),
            ("Esc", self.tr("close a dialog")),
            (self.tr("In payment"), self.tr("digits = amount, Enter = cash (empty = exact)")),
            ("", self.tr("C bank card, W WeChat Pay, A Alipay, Backspace takes back")),
            ("", self.tr("S stored value (the member's app code or payment PIN)")),
        ]
        for i, (key, what) in enumerate(rows):
            k = QLabel(f"<b>{key}</b>", self)
            k.setTextFormat(Qt.TextFormat.RichText)
            grid.addWidget(k, i, 0)
            grid.addWidget(QLabel(what, self), i, 1)
        grid.addWidget(QLabel(self.tr("Press any key to close"), self), len(rows), 0, 1, 2)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.accept()
