"""The login screen: operator number, Tab, PIN, Enter (or the touch PIN pad).

After a login the shift is opened here when none is open: the cashier counts
the float into the drawer and types it. The core does the checking (lockout,
one answer for unknown users and wrong PINs) and says what to show.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal import auth, shift_close, shifts
from terminal.money import parse_yuan
from ui.qt.approval import approved
from ui.qt.context import AppContext
from ui.qt.ops import Op
from ui.qt.widgets import TOUCH, FieldDialog, MessageBar, PinPad, error_text


class LoginScreen(QWidget):
    """Who is at the till. ``ready`` is emitted once they are logged in and a shift is open."""

    ready = Signal(object)  # auth.Actor

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("loginScreen")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame(self)
        card.setObjectName("loginCard")
        card.setMaximumWidth(460)
        layout = QVBoxLayout(card)
        title = QLabel(ctx.home.config.store.name, card)
        title.setObjectName("storeTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        form = QFormLayout()
        self.user = QLineEdit(card)
        self.user.setObjectName("loginUser")
        self.user.setAccessibleName("operator number")
        self.user.setMinimumHeight(TOUCH)
        self.pin = QLineEdit(card)
        self.pin.setObjectName("loginPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName("PIN")
        self.pin.setMinimumHeight(TOUCH)
        form.addRow(self.tr("Operator no."), self.user)
        form.addRow(self.tr("PIN"), self.pin)
        layout.addLayout(form)
        pad = PinPad(card)
        pad.pressed.connect(self._pad)
        layout.addWidget(pad)
        self.button = QPushButton(self.tr("Log in"), card)
        self.button.setObjectName("loginButton")
        self.button.setMinimumHeight(TOUCH)
        self.button.setAccessibleName("log in")
        self.button.clicked.connect(self.submit)
        layout.addWidget(self.button)
        self.message = MessageBar(card)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.user.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self.submit)
        self.setTabOrder(self.user, self.pin)
        self.setTabOrder(self.pin, self.button)

    def showEvent(self, event: object) -> None:
        self.user.setFocus(Qt.FocusReason.OtherFocusReason)

    def reset(self) -> None:
        self.user.clear()
        self.pin.clear()
        self.message.clear_message()
        self.button.setEnabled(True)
        self.user.setFocus(Qt.FocusReason.OtherFocusReason)

    def _pad(self, key: str) -> None:
        """The pad types where the cursor is; with none, the PIN once a number is there."""
        if self.pin.hasFocus() or (self.user.text() and not self.user.hasFocus()):
            target = self.pin
        else:
            target = self.user
        if key == "back":
            target.backspace()
        elif key == "clear":
            target.clear()
        else:
            target.insert(key)

    def submit(self) -> None:
        username, pin = self.user.text().strip(), self.pin.text()
        if not username:
            self.user.setFocus()
            return
        self.pin.clear()
        self.button.setEnabled(False)
        ctx = self.ctx
        max_attempts, lock_minutes = ctx.lockout

        def login() -> tuple[auth.Actor, bool]:
            with ctx.home.db.transaction() as session:
                actor = auth.login(
                    session,
                    username,
                    pin,
                    now=ctx.clock(),
                    terminal_id=ctx.settings.terminal_id,
                    max_attempts=max_attempts,
                    lock_minutes=lock_minutes,
                )
            with ctx.home.db.sessions() as session:
                open_now = shifts.current_shift(session, ctx.settings.terminal_id) is not None
            return actor, open_now

        Op(self, login).success(self._logged_in).failure(self._refused).finally_(
            lambda: self.button.setEnabled(True)
        ).run()

    def _refused(self, exc: BaseException) -> None:
        self.message.error(error_text(exc))
        self.pin.setFocus()

    def _logged_in(self, result: tuple[auth.Actor, bool]) -> None:
        actor, shift_open = result
        self.message.clear_message()
        if shift_open:
            self.ready.emit(actor)
            return
        dialog = OpenShiftDialog(self.ctx, actor, self)
        dialog.accepted.connect(lambda: self.ready.emit(actor))
        dialog.open()


class OpenShiftDialog(FieldDialog):
    """Open the shift with the float counted into the drawer."""

    def __init__(self, ctx: AppContext, actor: auth.Actor, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.setObjectName("openShiftDialog")
        self.setWindowTitle(self.tr("Open the shift"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Count the float into the drawer and type it:"), self))
        form = QFormLayout()
        self.amount = QLineEdit(self)
        self.amount.setObjectName("floatAmount")
        self.amount.setAccessibleName("opening float in yuan")
        self.amount.setPlaceholderText("500.00")
        self.amount.setMinimumHeight(TOUCH)
        form.addRow(self.tr("Float (¥)"), self.amount)
        layout.addLayout(form)
        pad = PinPad(self)
        pad.pressed.connect(self._pad)
        layout.addWidget(pad)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.submit)
        layout.addWidget(buttons)
        self.amount.returnPressed.connect(self.submit)

    def _pad(self, key: str) -> None:
        if key == "back":
            self.amount.backspace()
        elif key == "clear":
            self.amount.clear()
        else:
            self.amount.insert(key)

    def submit(self) -> None:
        try:
            opening = parse_yuan(self.amount.text().strip() or "0")
        except ValueError:
            self.message.error(self.tr("Type an amount, e.g. 500 or 500.00"))
            return
        ctx, actor = self.ctx, self.actor
        approved(
            self,
            ctx,
            lambda approver: shift_close.open_shift(
                ctx.home.db,
                terminal_id=ctx.settings.terminal_id,
                actor=actor,
                opening_float=opening,
                now=ctx.clock(),
                approver=approver,
            ),
            lambda _shift: self.accept(),
            lambda exc: self.message.error(error_text(exc)),
        )
