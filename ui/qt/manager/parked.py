"""The records HQ refused ("parked"), for managers: what, which sale, why, when.

A refused record is kept on the till and never sent again (``sync.engine``);
this list is where a manager sees them, read through
:func:`sync.engine.parked_records`, which checks the role (the CLI's
``posterm sync --parked`` shows the same rows).
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sync.engine import ParkedRecord
from ui.qt.manager.parts import Retranslating
from ui.qt.members.parts import button

COLUMNS = 5
REASON = 3


def _local(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


class ParkedDialog(Retranslating, QDialog):
    """A read-only table of the parked records, oldest first."""

    def __init__(self, found: list[ParkedRecord], tz: tzinfo, parent: QWidget) -> None:
        super().__init__(parent)
        self.found = found
        self.setObjectName("parkedDialog")
        self.setMinimumSize(1000, 480)
        layout = QVBoxLayout(self)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.table = QTableWidget(len(found), COLUMNS, self)
        self.table.setObjectName("parkedTable")
        self.table.setAccessibleName("parked records")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)  # the why, in full
        for r, record in enumerate(found):
            cells = (
                "",  # the kind, in words: retranslate()
                record.receipt_no or "-",
                _local(record.created_at, tz),
                record.reason,
                record.record_id,
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = button("", "parkedClose", self)
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.retranslate()
        self.table.resizeRowsToContents()

    def kind_name(self, kind: str) -> str:
        names = {
            "sale": self.tr("Sale"),
            "stored_value": self.tr("Stored value top-up"),
            "member": self.tr("Member"),
            "member_erasure": self.tr("Member erasure"),
        }
        return names.get(kind, kind)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Records HQ refused"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Kind"),
                self.tr("Receipt"),
                self.tr("Recorded"),
                self.tr("Reason"),
                self.tr("Record id"),
            ]
        )
        for r, record in enumerate(self.found):
            item = self.table.item(r, 0)
            if item is not None:
                item.setText(self.kind_name(record.kind))
        if self.found:
            self.hint.setText(
                self.tr(
                    "HQ refused these records; they stay on this till and are not sent again. "
                    "Tell HQ the record id and the reason."
                )
            )
        else:
            self.hint.setText(self.tr("HQ has refused no record of this till."))
        self.close_button.setText(self.tr("Close"))
