"""Restoring a backup from the till (admins): choose the file, say how, confirm.

A restore replaces the store, and :func:`terminal.backup.restore` refuses while
any program has it open — this one included. So the restore runs through
:func:`terminal.restore_in_place.restore_open_store` on the store thread: it
closes this till's store, restores, and opens the store again, restored or
(when refused) as it was. The till then works on the store it got back: the
context takes the new home, settings, member vault and printer. After a
restore everyone logs in again (the users, the shift and the suspended sales
are the backup's); after a refusal the same person goes on. Refusals (another
program has the store open, sales would be lost, a damaged file) are one
line saying what to do. If the store cannot be opened again the till says
to restart it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from terminal import auth
from terminal.checkout_settings import CheckoutSettings
from terminal.errors import PosError
from terminal.home import TerminalHome
from terminal.pii import MemberVault
from terminal.restore_in_place import Reopened, restore_open_store
from ui.qt.context import AppContext
from ui.qt.manager.parts import BusyLine, Retranslating
from ui.qt.members.parts import ConfirmBar, button
from ui.qt.ops import DEVICES, Op
from ui.qt.widgets import TOUCH, MessageBar, error_text

if TYPE_CHECKING:
    from devices.printer import ReceiptPrinter


@dataclass(frozen=True)
class _Opened:
    """What the till works with, made on the store thread for the store it got back."""

    reopened: Reopened
    settings: CheckoutSettings
    vault: MemberVault
    printer: ReceiptPrinter


def backups_in(home: TerminalHome) -> list[Path]:
    """The backups in the data folder, newest first (daily, manual and safety copies)."""
    folder = home.data.backups_dir
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("*.sqlite3") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


class RestoreDialog(Retranslating, QDialog):
    """``restored(text)``: done, everyone logs in again; ``reopened()``: refused, the store is
    open as before; ``lost(text)``: the store could not be opened again."""

    restored = Signal(str)
    reopened = Signal()
    lost = Signal(str)

    def __init__(self, ctx: AppContext, actor: auth.Actor, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.setObjectName("restoreDialog")
        self.setMinimumSize(720, 560)
        layout = QVBoxLayout(self)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.backups = QListWidget(self)
        self.backups.setObjectName("restoreBackups")
        self.backups.setAccessibleName("backups in the data folder")
        self.found = backups_in(ctx.home)
        self.backups.addItems([p.name for p in self.found])
        self.backups.currentRowChanged.connect(self._picked)
        layout.addWidget(self.backups, 1)
        file_row = QHBoxLayout()
        self.path = QLineEdit(self)
        self.path.setObjectName("restorePath")
        self.path.setAccessibleName("backup file")
        self.path.setMinimumHeight(TOUCH)
        self.browse = button("", "restoreBrowse", self)
        self.browse.clicked.connect(self.choose_file)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        layout.addLayout(file_row)
        self.carry_over = QCheckBox(self)
        self.carry_over.setObjectName("restoreCarryOver")
        self.carry_over.setMinimumHeight(TOUCH)
        self.force = QCheckBox(self)
        self.force.setObjectName("restoreForce")
        self.force.setMinimumHeight(TOUCH)
        layout.addWidget(self.carry_over)
        layout.addWidget(self.force)
        self.confirm = ConfirmBar("restore", "", "", self)
        layout.addWidget(self.confirm)
        self.busy = BusyLine("restoreBusy", self)
        layout.addWidget(self.busy)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.close_button = button("", "restoreClose", self)
        self.restore_button = button("", "restoreRun", self)
        row.addWidget(self.close_button)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        layout.addLayout(row)
        self.close_button.clicked.connect(self.reject)
        self.restore_button.clicked.connect(self.ask)
        self.retranslate()
        self.backups.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Restore a backup"))
        self.hint.setText(
            self.tr(
                "A restore replaces the store with a backup. Close every other posterm program "
                "first. This till opens the restored store and everyone logs in again."
            )
        )
        self.browse.setText(self.tr("Choose…"))
        self.carry_over.setText(self.tr("Keep what is newer in the current store (carry over)"))
        self.force.setText(
            self.tr("The current store is damaged: replace it without comparing (force)")
        )
        self.confirm.yes.setText(self.tr("Restore"))
        self.confirm.no.setText(self.tr("Cancel"))
        self.close_button.setText(self.tr("Close"))
        self.restore_button.setText(self.tr("Restore…"))

    def _picked(self, row: int) -> None:
        if 0 <= row < len(self.found):
            self.path.setText(str(self.found[row]))

    def choose_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose a backup"))
        dialog.setObjectName("restoreFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("Store backups (*.sqlite3)")])
        dialog.setDirectory(str(self.ctx.home.data.backups_dir))
        dialog.fileSelected.connect(self.path.setText)
        dialog.open()

    def ask(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.message.error(self.tr("Choose the backup to restore first."))
            return
        self.confirm.ask(
            self.tr("Replace the store with {file}?").format(file=Path(text).name),
            lambda: self.run(Path(text).expanduser()),
        )

    def run(self, backup_file: Path) -> None:
        """Restore ``backup_file`` now (after the question)."""
        from ui.printing import printer_for

        ctx, actor = self.ctx, self.actor
        carry_over, force = self.carry_over.isChecked(), self.force.isChecked()
        home, terminal_id = ctx.home, ctx.settings.terminal_id

        def work() -> _Opened:
            # a receipt printing or a report running on the device pool still uses the store
            # being replaced: let it finish first (the store then refuses newcomers)
            DEVICES.waitForDone()
            reopened = restore_open_store(
                home,
                backup_file,
                actor=actor,
                carry_over=carry_over,
                force=force,
                terminal_id=terminal_id,
            )
            new = reopened.home
            try:
                return _Opened(reopened, new.settings(), new.vault(), printer_for(new))
            except BaseException:
                new.close()
                raise

        self.restore_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.message.clear_message()
        self.busy.start(self.tr("Restoring…"))
        Op(self, work).success(self._done).failure(self._failed).run()

    def _idle(self) -> None:
        self.busy.stop()
        self.restore_button.setEnabled(True)
        self.close_button.setEnabled(True)

    def _done(self, opened: _Opened) -> None:
        ctx = self.ctx
        ctx.home = opened.reopened.home
        ctx.settings = opened.settings
        ctx.vault = opened.vault
        ctx.printer = opened.printer
        self._idle()
        if opened.reopened.error is not None:
            self.message.error(error_text(opened.reopened.error))
            self.reopened.emit()
            return
        report = opened.reopened.report
        assert report is not None
        text = self.tr("Restored {file}. Everyone logs in again.").format(
            file=report.backup_file.name
        )
        if report.carried:
            kept = ", ".join(f"{n} {table}" for table, n in report.carried.items())
            text += " " + self.tr("Carried over: {kept}.").format(kept=kept)
        self.restored.emit(text)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        if isinstance(exc, auth.PermissionDenied):  # refused before anything was closed
            self.message.error(error_text(exc))
            return
        line = error_text(exc) if isinstance(exc, PosError) else ""
        self.lost.emit(
            self.tr("The store could not be opened again: close posterm and start it again.")
            + (f" {line}" if line else "")
        )
        self.accept()
