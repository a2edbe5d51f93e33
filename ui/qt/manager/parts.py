"""Small parts the shift and manager screens share: retranslation, a busy line, the way back.

Every screen here builds its texts in ``retranslate()``, called once when it
is built and again on each ``LanguageChange`` (the language is switched in
the settings while these screens are open), so a switch shows at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QProgressBar, QWidget

from terminal import messages
from ui.qt import i18n
from ui.qt.context import AppContext
from ui.qt.widgets import TOUCH

if TYPE_CHECKING:
    from ui.qt.main_window import MainWindow


class Retranslating:
    """Mixin for a QWidget subclass with a ``retranslate()`` method."""

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]


def switch_language(lang: str) -> str:
    """Switch screens and core messages to ``lang`` now; every open screen retranslates.

    Qt sends ``LanguageChange`` only when a translator with translations comes
    or goes; one is posted here as well, so texts from the core's catalogue
    (role names, refusals) follow the switch whatever the translation file holds.
    """
    used = i18n.install(lang)
    app = QCoreApplication.instance()
    if app is not None:
        QCoreApplication.postEvent(app, QEvent(QEvent.Type.LanguageChange))
    return used


def form_layout(parent: QWidget | None = None) -> QFormLayout:
    """A form for touch-sized fields (labels made by :func:`form_label` sit level with them)."""
    form = QFormLayout(parent) if parent is not None else QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return form


def form_label(parent: QWidget) -> QLabel:
    """A form label as high as a touch-sized field, its text centred on the field's."""
    label = QLabel(parent)
    label.setMinimumHeight(TOUCH)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return label


def role_name(role: str) -> str:
    """店长 / manager, in the current language."""
    return messages.render(f"role_{role}")


class BusyLine(QWidget):
    """An endless progress bar with a word: something runs on a worker thread."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar(self)
        self.bar.setObjectName(name)
        self.bar.setAccessibleName("working")
        self.bar.setRange(0, 0)
        self.bar.setMaximumWidth(160)
        self.text = QLabel(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.text, 1)
        self.hide()

    def start(self, text: str) -> None:
        self.text.setText(text)
        self.show()

    def stop(self) -> None:
        self.hide()


def back_to_login(window: MainWindow, ctx: AppContext) -> None:
    """The person at the till is done (shift closed, logged out, store restored): the login
    screen, with nobody logged in, no basket on the screen and the idle lock off."""
    ctx.stop_selling()
    window.idle.timer.stop()
    window.checkout.show_basket(None)
    window.checkout.member.show_summary(None)
    window.checkout.nudge.setText("")
    window.checkout.message.clear_message()
    window.who.setText("")
    window.login.reset()
    window.stack.setCurrentWidget(window.login)
    window.activateWindow()
    window.login.user.setFocus(Qt.FocusReason.OtherFocusReason)
