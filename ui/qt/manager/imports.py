"""Importing products, members, promotions or coupons from a file (managers and admins).

The file is read and every row checked by :mod:`terminal.imports` on a worker
thread while a busy line shows. A check (dry run) comes first: every bad row
is listed with its row number, field and reason, and nothing is written. The
import button is offered only after a check of the same file and kind found
nothing wrong; the import itself checks every row again and writes all or
nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
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
from terminal.imports import KINDS, ImportRefused, ImportResult, read_import_file, run_import
from ui.qt.context import AppContext
from ui.qt.manager.parts import BusyLine, Retranslating, form_label, form_layout
from ui.qt.members.parts import button, while_open
from ui.qt.ops import Op
from ui.qt.widgets import TOUCH, MessageBar, error_text


class ImportDialog(Retranslating, QDialog):
    """Choose what and which file, check it, then import it."""

    def __init__(self, ctx: AppContext, actor: auth.Actor, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.checked: tuple[str, str] | None = None  # (kind, path) of the last clean check
        self.last_result: ImportResult | None = None
        self.refused: ImportRefused | None = None
        self.setObjectName("importDialog")
        self.setMinimumSize(720, 560)
        layout = QVBoxLayout(self)
        form = form_layout()
        self.kind = QComboBox(self)
        self.kind.setObjectName("importKind")
        self.kind.setAccessibleName("what to import")
        self.kind.setMinimumHeight(TOUCH)
        for kind in KINDS:
            self.kind.addItem("", kind)
        self.path = QLineEdit(self)
        self.path.setObjectName("importPath")
        self.path.setAccessibleName("file to import")
        self.path.setMinimumHeight(TOUCH)
        self.browse = button("", "importBrowse", self)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.browse)
        self.kind_label, self.file_label = form_label(self), form_label(self)
        form.addRow(self.kind_label, self.kind)
        form.addRow(self.file_label, file_row)
        layout.addLayout(form)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.problems = QListWidget(self)
        self.problems.setObjectName("importProblems")
        self.problems.setAccessibleName("bad rows")
        layout.addWidget(self.problems, 1)
        self.busy = BusyLine("importBusy", self)
        layout.addWidget(self.busy)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.close_button = button("", "importClose", self)
        self.check_button = button("", "importCheck", self)
        self.import_button = button("", "importRun", self)
        self.import_button.setEnabled(False)
        row.addWidget(self.close_button)
        row.addStretch(1)
        row.addWidget(self.check_button)
        row.addWidget(self.import_button)
        layout.addLayout(row)
        self.browse.clicked.connect(self.choose_file)
        self.close_button.clicked.connect(self.reject)
        self.check_button.clicked.connect(lambda: self.start(dry_run=True))
        self.import_button.clicked.connect(lambda: self.start(dry_run=False))
        self.path.returnPressed.connect(lambda: self.start(dry_run=True))
        self.path.textChanged.connect(self._changed)
        self.kind.currentIndexChanged.connect(self._changed)
        self.setTabOrder(self.kind, self.path)
        self.setTabOrder(self.path, self.browse)
        self.setTabOrder(self.browse, self.check_button)
        self.setTabOrder(self.check_button, self.import_button)
        self.retranslate()
        self.kind.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import data"))
        names = {
            "products": self.tr("Products (CSV or JSON)"),
            "members": self.tr("Members (CSV or JSON)"),
            "promotions": self.tr("Promotions (JSON)"),
            "coupons": self.tr("Coupons (JSON)"),
            "rewards": self.tr("Rewards catalogue (JSON)"),
        }
        for i, kind in enumerate(KINDS):
            self.kind.setItemText(i, names[kind])
        self.kind_label.setText(self.tr("What"))
        self.file_label.setText(self.tr("File"))
        self.browse.setText(self.tr("Choose…"))
        self.hint.setText(
            self.tr(
                "Check the file first: every bad row is listed and nothing is written. "
                "Existing items are updated. Formats: docs/imports.md."
            )
        )
        self.close_button.setText(self.tr("Close"))
        self.check_button.setText(self.tr("Check file"))
        self.import_button.setText(self.tr("Import"))
        if self.refused is not None:
            self._show_refused(self.refused)
        elif self.last_result is not None:
            self._show_result(self.last_result)

    def _changed(self, *_args: object) -> None:
        """Another file or kind: it has to be checked before it can be imported."""
        self.checked = None
        self.import_button.setEnabled(False)

    def choose_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose a file to import"))
        dialog.setObjectName("importFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("CSV or JSON files (*.csv *.json)")])
        start = Path(self.path.text()).expanduser()
        if start.parent.is_dir():
            dialog.setDirectory(str(start.parent))
        dialog.fileSelected.connect(self.path.setText)
        dialog.open()  # window-modal, no nested event loop

    def start(self, *, dry_run: bool) -> None:
        kind = str(self.kind.currentData())
        text = self.path.text().strip()
        if not text:
            self.message.error(self.tr("Choose the file to import first."))
            self.path.setFocus()
            return
        if not dry_run and self.checked != (kind, text):
            self.message.error(self.tr("Check the file first."))
            return
        ctx, actor, path = self.ctx, self.actor, Path(text).expanduser()

        def work() -> ImportResult:
            source = read_import_file(kind, path)
            vault = ctx.vault if kind == "members" else None
            with ctx.home.db.transaction() as session:
                return run_import(
                    session,
                    kind,
                    source,
                    actor=actor,
                    vault=vault,
                    dry_run=dry_run,
                    terminal_id=ctx.settings.terminal_id,
                )

        self.problems.clear()
        self.message.clear_message()
        self.last_result, self.refused = None, None
        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.busy.start(self.tr("Checking every row…") if dry_run else self.tr("Importing…"))
        Op(self, work).success(while_open(self, lambda r: self._done(r, kind, text))).failure(
            while_open(self, self._failed)
        ).finally_(while_open(self, self._idle)).run()

    def _idle(self) -> None:
        self.busy.stop()
        self.check_button.setEnabled(True)

    def _done(self, result: ImportResult, kind: str, path: str) -> None:
        self.last_result = result
        if result.dry_run and (str(self.kind.currentData()), self.path.text().strip()) == (
            kind,
            path,
        ):
            self.checked = (kind, path)
        else:
            self.checked = None
        self.import_button.setEnabled(self.checked is not None)
        self._show_result(result)

    def _show_result(self, r: ImportResult) -> None:
        counts = self.tr("{created} new, {updated} updated, {unchanged} unchanged").format(
            created=r.created, updated=r.updated, unchanged=r.unchanged
        )
        if r.dry_run:
            self.message.info(
                self.tr("{rows} rows are good; importing would give: {counts}.").format(
                    rows=r.rows, counts=counts
                )
            )
        else:
            self.message.info(
                self.tr("Imported {rows} rows: {counts}.").format(rows=r.rows, counts=counts)
            )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRefused):
            self.refused = exc
            self._show_refused(exc)
        else:
            self.message.error(error_text(exc))

    def _show_refused(self, exc: ImportRefused) -> None:
        self.problems.clear()
        self.problems.addItems([p.text() for p in exc.problems])
        self.message.error(exc.text())
