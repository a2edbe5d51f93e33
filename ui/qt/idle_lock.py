"""The idle lock: after N minutes without input the till hides the sale until a PIN is given.

Any key, click or touch anywhere in the application restarts the count.
Locked, the screen asks for the PIN of the cashier who is logged in (or of a
supervisor, who may unlock for them); the basket is kept untouched in the
meantime, because the lock only covers the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from terminal import auth
from ui.qt.context import AppContext
from ui.qt.ops import Op
from ui.qt.widgets import TOUCH, MessageBar, PinPad, error_text

_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.Wheel,
}


class LockScreen(QWidget):
    """Shown instead of the sale while the till is locked."""

    unlocked = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("lockScreen")
        outer = QHBoxLayout(self)  # a card of a PIN pad's width, centred on any screen
        card = QWidget(self)
        card.setMaximumWidth(520)
        outer.addStretch(1)
        outer.addWidget(card, 1)
        outer.addStretch(1)
        layout = QVBoxLayout(card)
        layout.addStretch(1)
        self.title = QLabel(self)
        self.title.setObjectName("lockTitle")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        form = QFormLayout()
        self.user = QLineEdit(self)
        self.user.setObjectName("unlockUser")
        self.user.setAccessibleName("user number")
        self.user.setMinimumHeight(TOUCH)
        self.pin = QLineEdit(self)
        self.pin.setObjectName("unlockPin")
        self.pin.setAccessibleName("PIN")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMinimumHeight(TOUCH)
        form.addRow(self.tr("User number"), self.user)
        form.addRow(self.tr("PIN"), self.pin)
        layout.addLayout(form)
        pad = PinPad(self)
        pad.pressed.connect(self._pad)
        layout.addWidget(pad)
        button = QPushButton(self.tr("Unlock"), self)
        button.setObjectName("unlockButton")
        button.setMinimumHeight(TOUCH)
        button.clicked.connect(self.submit)
        layout.addWidget(button)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.pin.returnPressed.connect(self.submit)
        self.user.returnPressed.connect(self.pin.setFocus)

    def prepare(self) -> None:
        cashier = self.ctx.cashier
        name = cashier.display_name if cashier else ""
        self.title.setText(self.tr("Locked. {name}, type your PIN to go on.").format(name=name))
        self.user.setText(cashier.username if cashier else "")
        self.pin.clear()
        self.message.clear_message()
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def _pad(self, key: str) -> None:
        if key == "back":
            self.pin.backspace()
        elif key == "clear":
            self.pin.clear()
        else:
            self.pin.insert(key)

    def submit(self) -> None:
        ctx = self.ctx
        username, pin = self.user.text().strip(), self.pin.text()
        self.pin.clear()
        max_attempts, lock_minutes = ctx.lockout

        def check() -> auth.Actor:
            with ctx.home.db.transaction() as session:
                return auth.login(
                    session,
                    username,
                    pin,
                    now=ctx.clock(),
                    terminal_id=ctx.settings.terminal_id,
                    max_attempts=max_attempts,
                    lock_minutes=lock_minutes,
                )

        Op(self, check).success(self._checked).failure(
            lambda exc: self.message.error(error_text(exc))
        ).run()

    def _checked(self, who: auth.Actor) -> None:
        cashier = self.ctx.cashier
        if cashier is not None and auth.may_unlock(who, cashier):
            self.unlocked.emit()
            return
        self.message.error(self.tr("Only this shift's cashier or a supervisor can unlock"))


class IdleLock(QObject):
    """Counts minutes without input; locks the window's screen when they run out."""

    unlocked = Signal()

    def __init__(self, ctx: AppContext, window: QMainWindow, minutes: int) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(minutes, 0) * 60_000)
        self.timer.timeout.connect(self.lock)
        self.screen = LockScreen(ctx, window)
        self.screen.unlocked.connect(self._unlocked)
        stack = window.centralWidget()
        assert isinstance(stack, QStackedWidget)
        stack.addWidget(self.screen)
        self.enabled = minutes > 0
        self.locked = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def start(self) -> None:
        if self.enabled:
            self.timer.start()

    def lock(self) -> None:
        stack = self.window.centralWidget()
        assert isinstance(stack, QStackedWidget)
        # nothing half-done may stay on top of the lock: open dialogs close (a payment
        # not yet taken is simply not taken; the basket itself is kept)
        for dialog in self.window.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        self.locked = True
        self.screen.prepare()
        stack.setCurrentWidget(self.screen)

    def _unlocked(self) -> None:
        self.locked = False
        self.unlocked.emit()
        self.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT and self.enabled and not self.locked and self.timer.isActive():
            self.timer.start()  # any input restarts the count
        return False
