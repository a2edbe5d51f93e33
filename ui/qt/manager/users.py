"""The store's users: list, add, reset a PIN, unlock, deactivate (managers and admins).

Who may do what to whom is the core's (:mod:`terminal.auth`,
:mod:`terminal.users`): nobody manages a user ranked above them, a manager
cannot add an admin, nobody deactivates themselves or the last admin. The
role chooser lists every role; the core refuses the ones the user may not
give. A new PIN is typed twice, as at the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from terminal import auth, messages, users
from ui.qt.context import AppContext
from ui.qt.manager.parts import Retranslating, form_label, form_layout, role_name
from ui.qt.members.parts import ConfirmBar, button, while_open
from ui.qt.ops import Op
from ui.qt.widgets import TOUCH, MessageBar, error_text


def _pin_field(name: str, parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setAccessibleName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(8)
    field.setMinimumHeight(TOUCH)
    return field


def _text_field(name: str, parent: QWidget, max_length: int) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setAccessibleName(name)
    field.setMaxLength(max_length)
    field.setMinimumHeight(TOUCH)
    return field


class UsersDialog(Retranslating, QDialog):
    """The user list with what can be done to the selected user."""

    def __init__(
        self, ctx: AppContext, actor: auth.Actor, found: list[users.UserInfo], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.found = found
        self.setObjectName("usersDialog")
        self.setMinimumSize(900, 600)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("usersTable")
        self.table.setAccessibleName("users")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        # the add and PIN forms open beside the list, which stays in sight
        self.side = QWidget(self)
        self.side.setMinimumWidth(360)
        side = QVBoxLayout(self.side)
        side.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.side, 2)
        layout.addLayout(body, 1)

        row = QHBoxLayout()
        self.add_button = button("", "usersAdd", self)
        self.pin_button = button("", "usersResetPin", self)
        self.unlock_button = button("", "usersUnlock", self)
        self.deactivate_button = button("", "usersDeactivate", self)
        for b in (self.add_button, self.pin_button, self.unlock_button, self.deactivate_button):
            row.addWidget(b)
        layout.addLayout(row)
        self.add_button.clicked.connect(self.show_add)
        self.pin_button.clicked.connect(self.show_pin)
        self.unlock_button.clicked.connect(self.unlock)
        self.deactivate_button.clicked.connect(self.ask_deactivate)

        # adding a user
        self.add_form = QFrame(self.side)
        self.add_form.setObjectName("addUserForm")
        self.add_form.setFrameShape(QFrame.Shape.StyledPanel)
        form = form_layout(self.add_form)
        self.new_number = _text_field("addUserNumber", self.add_form, 32)
        self.new_name = _text_field("addUserName", self.add_form, 64)
        self.new_role = QComboBox(self.add_form)
        self.new_role.setObjectName("addUserRole")
        self.new_role.setAccessibleName("role")
        self.new_role.setMinimumHeight(TOUCH)
        for role in auth.ROLES:
            self.new_role.addItem("", role)
        self.new_pin = _pin_field("addUserPin", self.add_form)
        self.new_pin2 = _pin_field("addUserPin2", self.add_form)
        self.add_labels = [form_label(self.add_form) for _ in range(5)]
        for label, field in zip(
            self.add_labels,
            (self.new_number, self.new_name, self.new_role, self.new_pin, self.new_pin2),
            strict=True,
        ):
            form.addRow(label, field)
        add_row = QHBoxLayout()
        self.add_save = button("", "addUserSave", self.add_form)
        self.add_cancel = button("", "addUserCancel", self.add_form)
        add_row.addStretch(1)
        add_row.addWidget(self.add_cancel)
        add_row.addWidget(self.add_save)
        form.addRow(add_row)
        self.add_save.clicked.connect(self.add)
        self.add_cancel.clicked.connect(self.hide_forms)
        self.new_pin2.returnPressed.connect(self.add)
        side.addWidget(self.add_form)

        # a new PIN for the selected user
        self.pin_form = QFrame(self.side)
        self.pin_form.setObjectName("pinForm")
        self.pin_form.setFrameShape(QFrame.Shape.StyledPanel)
        pin_layout = form_layout(self.pin_form)
        self.pin_title = QLabel(self.pin_form)
        pin_layout.addRow(self.pin_title)
        self.current_pin = _pin_field("pinCurrent", self.pin_form)
        self.reset_pin = _pin_field("pinNew", self.pin_form)
        self.reset_pin2 = _pin_field("pinNew2", self.pin_form)
        self.current_label, self.reset_label, self.reset_label2 = (
            form_label(self.pin_form),
            form_label(self.pin_form),
            form_label(self.pin_form),
        )
        pin_layout.addRow(self.current_label, self.current_pin)
        pin_layout.addRow(self.reset_label, self.reset_pin)
        pin_layout.addRow(self.reset_label2, self.reset_pin2)
        pin_row = QHBoxLayout()
        self.pin_save = button("", "pinSave", self.pin_form)
        self.pin_cancel = button("", "pinCancel", self.pin_form)
        pin_row.addStretch(1)
        pin_row.addWidget(self.pin_cancel)
        pin_row.addWidget(self.pin_save)
        pin_layout.addRow(pin_row)
        self.pin_save.clicked.connect(self.set_pin)
        self.pin_cancel.clicked.connect(self.hide_forms)
        self.reset_pin2.returnPressed.connect(self.set_pin)
        side.addWidget(self.pin_form)
        side.addStretch(1)
        self.hide_forms()
        self.pin_target = ""

        self.confirm = ConfirmBar("deactivate", "", "", self)
        layout.addWidget(self.confirm)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.close_button = button("", "usersClose", self)
        self.close_button.clicked.connect(self.accept)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)
        self.retranslate()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Users"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Number"),
                self.tr("Name"),
                self.tr("Role"),
                self.tr("Active"),
                self.tr("Locked until"),
            ]
        )
        self.add_button.setText(self.tr("Add a user…"))
        self.pin_button.setText(self.tr("New PIN…"))
        self.unlock_button.setText(self.tr("Unlock"))
        self.deactivate_button.setText(self.tr("Deactivate"))
        for i, role in enumerate(auth.ROLES):
            self.new_role.setItemText(i, role_name(role))
        texts = [
            self.tr("Number"),
            self.tr("Name"),
            self.tr("Role"),
            self.tr("PIN"),
            self.tr("PIN again"),
        ]
        for label, text in zip(self.add_labels, texts, strict=True):
            label.setText(text)
        self.add_save.setText(self.tr("Add"))
        self.add_cancel.setText(self.tr("Cancel"))
        self.current_label.setText(self.tr("Your current PIN"))
        self.reset_label.setText(self.tr("New PIN"))
        self.reset_label2.setText(self.tr("New PIN again"))
        self.pin_save.setText(self.tr("Set PIN"))
        self.pin_cancel.setText(self.tr("Cancel"))
        self.confirm.yes.setText(self.tr("Deactivate"))
        self.confirm.no.setText(self.tr("Keep"))
        self.close_button.setText(self.tr("Close"))
        self.show_users(self.found)

    # --- the list -----------------------------------------------------------------------

    def show_users(self, found: list[users.UserInfo]) -> None:
        keep = self.selected()
        self.found = found
        now = self.ctx.clock()
        tz = self.ctx.settings.tz
        self.table.setRowCount(len(found))
        for row, u in enumerate(found):
            locked = (
                u.locked_until.astimezone(tz).strftime("%Y-%m-%d %H:%M")
                if u.locked_until is not None and u.locked(now)
                else ""
            )
            cells = [
                u.username,
                u.display_name,
                role_name(u.role),
                self.tr("yes") if u.active else self.tr("no"),
                locked,
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        names = [u.username for u in found]
        if keep in names:
            self.table.selectRow(names.index(keep))

    def select(self, username: str) -> None:
        names = [u.username for u in self.found]
        self.table.selectRow(names.index(username))

    def selected(self) -> str | None:
        row = self.table.currentRow()
        return self.found[row].username if 0 <= row < len(self.found) else None

    def _run(
        self, work: Callable[[], Any], done: str, after: Callable[[], None] | None = None
    ) -> None:
        """Run ``work`` on the store thread, then list the users again, say ``done`` and run
        ``after``; a refusal is one line and changes nothing on the screen."""
        ctx, actor = self.ctx, self.actor

        def then() -> list[users.UserInfo]:
            work()
            with ctx.home.db.sessions() as session:
                return users.list_users(session, by=actor)

        def shown(found: list[users.UserInfo]) -> None:
            self.show_users(found)
            self.message.info(done)
            if after is not None:
                after()

        Op(self, then).success(while_open(self, shown)).failure(
            while_open(self, lambda exc: self.message.error(error_text(exc)))
        ).run()

    def _need_selection(self) -> str | None:
        username = self.selected()
        if username is None:
            self.message.error(self.tr("Select a user in the list first."))
        return username

    def hide_forms(self) -> None:
        self.add_form.hide()
        self.pin_form.hide()
        self.side.hide()

    # --- adding -------------------------------------------------------------------------

    def show_add(self) -> None:
        self.hide_forms()
        for field in (self.new_number, self.new_name, self.new_pin, self.new_pin2):
            field.clear()
        self.new_role.setCurrentIndex(0)
        self.side.show()
        self.add_form.show()
        self.new_number.setFocus(Qt.FocusReason.OtherFocusReason)

    def add(self) -> None:
        pin, again = self.new_pin.text(), self.new_pin2.text()
        self.new_pin.clear()
        self.new_pin2.clear()
        if pin != again:
            self.message.error(messages.render("pins_differ"))
            self.new_pin.setFocus()
            return
        ctx, actor = self.ctx, self.actor
        username, name = self.new_number.text().strip(), self.new_name.text()
        role = str(self.new_role.currentData())

        def create() -> None:
            with ctx.home.db.transaction() as session:
                auth.create_user(
                    session,
                    username=username,
                    display_name=name,
                    role=role,
                    pin=pin,
                    by=actor,
                    terminal_id=ctx.settings.terminal_id,
                    min_pin_length=ctx.settings.min_pin_length,
                )

        def added() -> None:
            self.hide_forms()
            self.select(username)

        self._run(
            create,
            self.tr("Added {number} ({role}).").format(number=username, role=role_name(role)),
            added,
        )

    # --- PINs, unlocking, deactivating ---------------------------------------------------

    def show_pin(self) -> None:
        username = self._need_selection()
        if username is None:
            return
        self.hide_forms()
        self.pin_target = username
        own = username == self.actor.username
        self.pin_title.setText(self.tr("New PIN for {number}").format(number=username))
        self.current_label.setVisible(own)
        self.current_pin.setVisible(own)
        for field in (self.current_pin, self.reset_pin, self.reset_pin2):
            field.clear()
        self.side.show()
        self.pin_form.show()
        (self.current_pin if own else self.reset_pin).setFocus(Qt.FocusReason.OtherFocusReason)

    def set_pin(self) -> None:
        pin, again, current = self.reset_pin.text(), self.reset_pin2.text(), self.current_pin.text()
        for field in (self.current_pin, self.reset_pin, self.reset_pin2):
            field.clear()
        if pin != again:
            self.message.error(messages.render("pins_differ"))
            self.reset_pin.setFocus()
            return
        ctx, actor, username = self.ctx, self.actor, self.pin_target

        def change() -> None:
            with ctx.home.db.transaction() as session:
                auth.change_pin(
                    session,
                    username=username,
                    new_pin=pin,
                    by=actor,
                    old_pin=current if username == actor.username else None,
                    terminal_id=ctx.settings.terminal_id,
                    min_pin_length=ctx.settings.min_pin_length,
                )

        self.hide_forms()
        self._run(change, self.tr("New PIN set for {number}.").format(number=username))

    def unlock(self) -> None:
        username = self._need_selection()
        if username is None:
            return
        ctx, actor = self.ctx, self.actor

        def unlock() -> None:
            with ctx.home.db.transaction() as session:
                users.unlock_user(
                    session,
                    username=username,
                    by=actor,
                    now=ctx.clock(),
                    terminal_id=ctx.settings.terminal_id,
                )

        self._run(unlock, self.tr("{number} can log in again.").format(number=username))

    def ask_deactivate(self) -> None:
        username = self._need_selection()
        if username is None:
            return
        self.confirm.ask(
            self.tr("Deactivate {number}? They can no longer log in.").format(number=username),
            lambda: self.deactivate(username),
        )

    def deactivate(self, username: str) -> None:
        ctx, actor = self.ctx, self.actor

        def deactivate() -> None:
            with ctx.home.db.transaction() as session:
                auth.deactivate_user(
                    session, username=username, by=actor, terminal_id=ctx.settings.terminal_id
                )

        self._run(deactivate, self.tr("{number} is deactivated.").format(number=username))
