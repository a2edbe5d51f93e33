"""The customer-facing window for a second screen: what they buy, what they save, thanks.

It follows the checkout live (the main window hands it every priced basket)
and, after payment, shows the change, the points earned and a thank-you line.
Opened when ``[ui] customer_display = true``; placed on the second screen if
there is one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from terminal.checkout import SaleResult
from terminal.pricing.model import PricedBasket
from ui.qt.widgets import qty_text, yuan


class CustomerDisplay(QWidget):
    """A window the customer reads; it has no buttons."""

    def __init__(self, store_name: str) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("customerDisplay")
        self.setWindowTitle(self.tr("Welcome"))
        self.setAccessibleName("customer display")
        layout = QVBoxLayout(self)
        title = QLabel(store_name, self)
        title.setObjectName("storeTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        self.lines = QListWidget(self)
        self.lines.setObjectName("customerLines")
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.lines, 3)
        self.savings = QLabel(self)
        self.savings.setObjectName("customerSavings")
        self.savings.setWordWrap(True)
        layout.addWidget(self.savings)
        self.total = QLabel(self)
        self.total.setObjectName("customerTotal")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.total)
        self.thanks = QLabel(self)
        self.thanks.setObjectName("customerThanks")
        self.thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thanks.setWordWrap(True)
        layout.addWidget(self.thanks)
        self.show_basket(None)

    def place(self) -> None:
        """On the second screen, full screen, when there is one; else a window beside."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.setGeometry(screens[1].geometry())
            self.showFullScreen()
        else:
            self.resize(640, 480)
            self.show()

    def show_basket(self, priced: PricedBasket | None) -> None:
        self.thanks.setText("")
        self.lines.clear()
        if priced is None or not priced.lines:
            self.savings.setText("")
            self.total.setText("")
            self.thanks.setText(self.tr("Welcome!"))
            return
        for line in priced.lines:
            qty = qty_text(line.qty, line.product.weighed)
            self.lines.addItem(f"{line.product.name}  ×{qty}    {yuan(line.net)}")
        if priced.discount_total:
            self.savings.setText(
                self.tr("You save {amount}").format(amount=yuan(priced.discount_total))
            )
        else:
            self.savings.setText("")
        self.total.setText(self.tr("To pay {amount}").format(amount=yuan(priced.payable)))

    def show_paid(self, result: SaleResult) -> None:
        self.lines.clear()
        self.savings.setText(self.tr("Change {amount}").format(amount=yuan(result.change)))
        self.total.setText("")
        text = self.tr("Thank you!")
        if result.points_earned:
            text += " " + self.tr("You earned {points} points.").format(points=result.points_earned)
        self.thanks.setText(text)
