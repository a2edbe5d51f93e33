"""The manager menu (F9): what the logged-in user may do, each entry through the core.

The menu shows the entries the user's role holds, and those the core lets a
supervisor approve at the till (cash in and out, the X report, closing the
shift). Hiding is only a convenience: every entry calls the core, which
refuses the wrong role itself (:meth:`ManagerMenu.run` with a hidden entry's
key shows the core's refusal, as the tests do).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout

from terminal import auth, backup, users
from terminal.auth import Permission
from terminal.restore_in_place import may_restore
from ui.qt.context import AppContext
from ui.qt.manager.parts import BusyLine, Retranslating, back_to_login, role_name
from ui.qt.members.parts import button, while_open
from ui.qt.ops import DEVICES, Op
from ui.qt.shift import CashDialog, CloseShiftDialog, open_x_report
from ui.qt.widgets import BigButton, MessageBar, error_text, yuan

if TYPE_CHECKING:
    from ui.qt.main_window import MainWindow

P = Permission


@dataclass(frozen=True)
class Entry:
    """One menu entry: the permissions it needs, and whether the core asks a supervisor
    to approve it when the user lacks them (then the entry is always shown)."""

    key: str
    perms: tuple[Permission, ...]
    approvable: bool = False


ENTRIES: tuple[Entry, ...] = (
    Entry("cash_in", (P.CASH_MOVEMENT,), approvable=True),
    Entry("cash_out", (P.CASH_MOVEMENT,), approvable=True),
    Entry("x_report", (P.REPORTS,), approvable=True),
    Entry("close_shift", (P.SHIFT_CLOSE,), approvable=True),
    Entry("reports", (P.REPORTS,)),
    Entry("parked", (P.REPORTS,)),
    Entry("users", (P.MANAGE_USERS,)),
    Entry("imports", (P.IMPORT_DATA,)),
    Entry("backup", (P.BACKUP_RESTORE,)),
    Entry("restore", (P.BACKUP_RESTORE, P.SETTINGS)),
    Entry("settings", (P.SETTINGS,)),
    Entry("logout", ()),
)


def shown(entry: Entry, actor: auth.Actor) -> bool:
    """Whether the menu lists ``entry`` for ``actor`` (a convenience; the core decides)."""
    return entry.approvable or all(actor.can(p) for p in entry.perms)


class ManagerMenu(Retranslating, QDialog):
    """The menu for the logged-in user; sub-screens open over it."""

    def __init__(self, window: MainWindow, ctx: AppContext) -> None:
        super().__init__(window)
        self.window_ = window
        self.ctx = ctx
        actor = ctx.cashier
        assert actor is not None
        self.actor = actor
        self.setObjectName("managerMenu")
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        self.who = QLabel(self)
        self.who.setObjectName("menuWho")
        layout.addWidget(self.who)
        grid = QGridLayout()
        self.buttons: dict[str, BigButton] = {}
        visible = [e for e in ENTRIES if shown(e, actor)]
        for entry in ENTRIES:
            b = BigButton("", "", self)
            b.setObjectName(f"menu_{entry.key}")
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the menu is driven by keys too
            b.clicked.connect(lambda _=False, key=entry.key: self.run(key))
            self.buttons[entry.key] = b
            if entry in visible:
                i = visible.index(entry)
                grid.addWidget(b, i // 3, i % 3)
            else:
                b.hide()
        layout.addLayout(grid)
        self.busy = BusyLine("menuBusy", self)
        layout.addWidget(self.busy)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = button("", "menuClose", self)
        self.close_button.clicked.connect(self.reject)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.retranslate()
        first = next((self.buttons[e.key] for e in visible), self.close_button)
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Manager menu"))
        self.who.setText(
            self.tr("Logged in: {name} ({role})").format(
                name=self.actor.display_name, role=role_name(self.actor.role)
            )
        )
        labels = {
            "cash_in": self.tr("Cash in"),
            "cash_out": self.tr("Cash out"),
            "x_report": self.tr("X report"),
            "close_shift": self.tr("Close shift"),
            "reports": self.tr("Reports"),
            "parked": self.tr("Refused by HQ"),
            "users": self.tr("Users"),
            "imports": self.tr("Import data"),
            "backup": self.tr("Back up now"),
            "restore": self.tr("Restore a backup"),
            "settings": self.tr("Settings"),
            "logout": self.tr("Log out"),
        }
        for key, b in self.buttons.items():
            b.setText(labels[key])
            b.setAccessibleName(labels[key])
        self.close_button.setText(self.tr("Close"))

    # --- the entries --------------------------------------------------------------------

    def run(self, key: str) -> None:
        """Run one entry (also one the menu does not show: the core refuses it)."""
        self.message.clear_message()
        actions: dict[str, Callable[[], None]] = {
            "cash_in": lambda: self._cash("in"),
            "cash_out": lambda: self._cash("out"),
            "x_report": lambda: open_x_report(self, self.ctx, self.message),
            "close_shift": self._close_shift,
            "reports": self._reports,
            "parked": self._parked,
            "users": self._users,
            "imports": self._imports,
            "backup": self._backup,
            "restore": self._restore,
            "settings": self._settings,
            "logout": self._logout,
        }
        actions[key]()

    def _refused(self, exc: BaseException) -> None:
        self.message.error(error_text(exc))

    def _cash(self, kind: str) -> None:
        dialog = CashDialog(self.ctx, "in" if kind == "in" else "out", self)
        dialog.moved.connect(self._moved)
        dialog.open()

    def _moved(self, kind: str, fen: int) -> None:
        if kind == "in":
            self.message.info(self.tr("Cash in {amount} recorded.").format(amount=yuan(fen)))
        else:
            self.message.info(self.tr("Cash out {amount} recorded.").format(amount=yuan(fen)))

    def _close_shift(self) -> None:
        def count() -> None:
            dialog = CloseShiftDialog(self.ctx, self)
            dialog.closed.connect(lambda _summary: self._shift_closed())
            dialog.open()

        self._hold_sale(count)

    def _shift_closed(self) -> None:
        window = self.window_
        text = self.tr("Shift closed; the Z slip is printing. The next cashier opens a new shift.")
        self._leave(lambda: window.login.message.info(text))
        window.printing.print_queue()  # one print run at a time, problems on the strip

    def _reports(self) -> None:
        from terminal.reports.base import require_reports
        from ui.qt.reports.screen import ReportsDialog

        try:
            require_reports(self.actor)  # the core's check; each load checks again
        except auth.PermissionDenied as exc:
            self._refused(exc)
            return
        dialog = ReportsDialog(
            self.ctx, self.actor, self, print_queue=self.window_.printing.print_queue
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _parked(self) -> None:
        from sync.engine import ParkedRecord, parked_records
        from ui.qt.manager.parked import ParkedDialog

        ctx, actor = self.ctx, self.actor

        def listing() -> list[ParkedRecord]:
            with ctx.home.db.sessions() as session:
                return parked_records(session, by=actor)

        def show(found: list[ParkedRecord]) -> None:
            dialog = ParkedDialog(found, ctx.settings.tz, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

        Op(self, listing).success(while_open(self, show)).failure(
            while_open(self, self._refused)
        ).run()

    def _users(self) -> None:
        from ui.qt.manager.users import UsersDialog

        ctx, actor = self.ctx, self.actor

        def listing() -> list[users.UserInfo]:
            with ctx.home.db.sessions() as session:
                return users.list_users(session, by=actor)

        Op(self, listing).success(
            while_open(self, lambda found: UsersDialog(ctx, actor, found, self).open())
        ).failure(while_open(self, self._refused)).run()

    def _imports(self) -> None:
        from ui.qt.manager.imports import ImportDialog

        try:
            auth.authorize(self.actor, Permission.IMPORT_DATA)
        except auth.PermissionDenied as exc:
            self._refused(exc)
            return
        ImportDialog(self.ctx, self.actor, self).open()

    def _backup(self) -> None:
        ctx, actor = self.ctx, self.actor
        dest = backup.default_backup_path(ctx.home.data, datetime.now().astimezone())
        terminal_id = ctx.settings.terminal_id
        db = ctx.home.db

        def take() -> Path:
            # on the device pool, like the daily backup's own thread: the copy reads the
            # store through its own connection, so selling goes on meanwhile
            return backup.backup_to(db, dest, actor=actor, terminal_id=terminal_id)

        self.busy.start(self.tr("Backing up…"))
        Op(self, take).success(while_open(self, self._backed_up)).failure(
            while_open(self, self._refused)
        ).finally_(while_open(self, self.busy.stop)).run(DEVICES)

    def _backed_up(self, path: Path) -> None:
        self.message.info(self.tr("Backup written: {path}").format(path=path))

    def _restore(self) -> None:
        from ui.qt.manager.backup import RestoreDialog

        try:
            may_restore(self.actor)
        except auth.PermissionDenied as exc:
            self._refused(exc)
            return
        co = self.ctx.checkout
        if co is not None and co.lines:
            self.message.error(self.tr("Finish or hold the sale first: a restore replaces it."))
            return
        dialog = RestoreDialog(self.ctx, self.actor, self)
        dialog.restored.connect(self._restored)
        dialog.reopened.connect(self._reopened)
        dialog.lost.connect(self._lost)
        dialog.open()

    def _restored(self, text: str) -> None:
        self._leave(lambda: self.window_.login.message.info(text))

    def _lost(self, text: str) -> None:
        """No store any more: nobody can log in until posterm is started again."""
        window = self.window_
        self._leave(lambda: window.login.message.error(text))
        window.login.button.setEnabled(False)
        window.login.user.setEnabled(False)
        window.login.pin.setEnabled(False)

    def _reopened(self) -> None:
        """A refused restore opened the same store again: sell on it."""
        if self.ctx.cashier is not None:
            self.ctx.start_selling(self.ctx.cashier)

    def _settings(self) -> None:
        from ui.qt.manager.settings import SettingsDialog

        try:
            auth.authorize(self.actor, Permission.SETTINGS)
        except auth.PermissionDenied as exc:
            self._refused(exc)
            return
        SettingsDialog(self.window_, self.ctx, self.actor, self).open()

    def _logout(self) -> None:
        self._hold_sale(lambda: self._leave(lambda: None))

    def _hold_sale(self, then: Callable[[], None]) -> None:
        """Hold a sale that is on the screen (F7 brings it back), then ``then``; a sale that
        cannot be held stays where it is, and nothing else happens."""
        co = self.ctx.checkout
        if co is None or not co.lines:
            then()
            return
        label = self.tr("held when the cashier left")

        def held(_id: str) -> None:
            self.window_.checkout.show_basket(None)
            then()

        Op(self, lambda: co.suspend(label)).success(while_open(self, held)).failure(
            while_open(self, self._refused)
        ).run()

    def _leave(self, then: Callable[[], None]) -> None:
        """Close the menu and go back to the login screen, then ``then`` (a line to show)."""
        self.accept()
        back_to_login(self.window_, self.ctx)
        then()


def open_manager_menu(window: MainWindow, ctx: AppContext) -> ManagerMenu | None:
    """F9 at the checkout: the menu for whoever is logged in."""
    if ctx.cashier is None:
        return None
    menu = ManagerMenu(window, ctx)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.open()
    return menu
