"""A member's personal data, for managers: the data report (read-only) and erasure.

Finding the member shows masked matches like everywhere else; only the data
report itself (a member's access request) shows the decrypted values. Both
the report and the erasure need MEMBER_DATA: at a cashier's till the core
asks for a manager, who approves that one request (:func:`ui.qt.approval.approved`
with :mod:`terminal.member_data`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from terminal import member_data, members
from ui.qt.approval import approved
from ui.qt.checkout_screen import CheckoutScreen
from ui.qt.context import AppContext
from ui.qt.members.parts import ConfirmBar, back_to_scan, button, while_open
from ui.qt.ops import Op
from ui.qt.widgets import TOUCH, MessageBar, error_text

MEMBER_NO_ROLE = Qt.ItemDataRole.UserRole


class MemberDataDialog(QDialog):
    """Find a member (masked), then show their data report or erase them, with approval."""

    def __init__(
        self, ctx: AppContext, screen: CheckoutScreen, parent: QWidget, query: str = ""
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.checkout_screen = screen
        self.setObjectName("memberDataDialog")
        self.setWindowTitle(self.tr("Member data"))
        self.setMinimumSize(760, 720)
        layout = QVBoxLayout(self)

        row = QHBoxLayout()
        self.query = QLineEdit(self)
        self.query.setObjectName("dataQuery")
        self.query.setAccessibleName("member number, phone or last 4 digits")
        self.query.setPlaceholderText(self.tr("Member number, phone or last 4 digits"))
        self.query.setMinimumHeight(TOUCH)
        on_sale = ctx.checkout.member_no if ctx.checkout is not None else None
        self.query.setText(query.strip() or on_sale or "")
        self.query.returnPressed.connect(self.look_up)
        row.addWidget(self.query, 1)
        find = button(self.tr("Find"), "dataFind", self)
        find.clicked.connect(self.look_up)
        row.addWidget(find)
        self.show_button = button(self.tr("Show data report"), "dataShow", self)
        self.show_button.clicked.connect(self.show_report)
        row.addWidget(self.show_button)
        layout.addLayout(row)

        self.matches = QListWidget(self)
        self.matches.setObjectName("dataMatches")
        self.matches.setAccessibleName("members found")
        self.matches.setMaximumHeight(90)
        layout.addWidget(self.matches)

        self.report = QTableWidget(0, 2, self)
        self.report.setObjectName("dataReport")
        self.report.setAccessibleName("member data report")
        self.report.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Stored")])
        self.report.verticalHeader().setVisible(False)
        self.report.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.report.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.report.setWordWrap(True)
        self.report.setMinimumHeight(240)
        layout.addWidget(self.report, 1)

        erase_row = QHBoxLayout()
        erase_row.addWidget(QLabel(self.tr("Reason"), self))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("eraseReason")
        self.reason.setAccessibleName("reason for erasing the member")
        self.reason.setPlaceholderText(self.tr("e.g. the member asked to be erased"))
        self.reason.setMinimumHeight(TOUCH)
        erase_row.addWidget(self.reason, 1)
        self.erase_button = button(self.tr("Erase member…"), "dataErase", self)
        self.erase_button.clicked.connect(self.ask_erase)
        erase_row.addWidget(self.erase_button)
        layout.addLayout(erase_row)
        self.confirm = ConfirmBar("erase", self.tr("Erase"), self.tr("Keep"), self)
        layout.addWidget(self.confirm)

        self.message = MessageBar(self)
        layout.addWidget(self.message)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        close = button(self.tr("Close"), "dataClose", self)
        close.clicked.connect(self.reject)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.query.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- finding (masked) -------------------------------------------------------------

    def look_up(self) -> None:
        text = self.query.text()
        if not text.strip():
            return
        ctx = self.ctx

        def search() -> members.MemberSearch:
            with ctx.home.db.sessions() as session:
                return members.search(session, ctx.vault, text)

        self.message.clear_message()
        Op(self, search).success(while_open(self, self._found)).failure(
            while_open(self, self._refused)
        ).run()

    def _found(self, found: members.MemberSearch) -> None:
        self.matches.clear()
        for m in found.matches:
            item = QListWidgetItem(f"{m.member_no}   {m.masked_name}   {m.masked_phone}")
            item.setData(MEMBER_NO_ROLE, m.member_no)
            self.matches.addItem(item)
        self.matches.setCurrentRow(0 if len(found.matches) == 1 else -1)

    def member_no(self) -> str:
        """The member chosen in the list, else the number typed (the core checks it)."""
        item = self.matches.currentItem()
        if item is not None:
            return str(item.data(MEMBER_NO_ROLE))
        return self.query.text().strip().upper()

    def _refused(self, exc: BaseException) -> None:
        self.message.error(error_text(exc))

    # --- the report (decrypted) -------------------------------------------------------

    def show_report(self) -> None:
        ctx, member_no, cashier = self.ctx, self.member_no(), self.ctx.cashier
        if not member_no or cashier is None:
            self.message.error(self.tr("Find the member first."))
            return
        self.message.clear_message()
        approved(
            self,
            ctx,
            lambda approver: member_data.data_report(
                ctx.home.db,
                ctx.vault,
                member_no,
                actor=cashier,
                approver=approver,
                terminal_id=ctx.settings.terminal_id,
                today=ctx.settings.business_day(ctx.clock()),
            ),
            while_open(self, self._show_report),
            while_open(self, self._refused),
        )

    def _show_report(self, report: dict[str, Any]) -> None:
        rows = self.report_rows(report)
        self.report.setRowCount(len(rows))
        for i, (label, value) in enumerate(rows):
            self.report.setItem(i, 0, QTableWidgetItem(label))
            self.report.setItem(i, 1, QTableWidgetItem(value))
        self.report.resizeRowsToContents()

    def report_rows(self, report: dict[str, Any]) -> list[tuple[str, str]]:
        """The report as the manager reads it: one labelled row per stored fact."""
        consent_names = {
            "data_processing": self.tr("Data processing"),
            "marketing": self.tr("Marketing"),
        }
        consents = [
            "{kind}: {answer} ({version}, {at})".format(
                kind=consent_names.get(c["kind"], c["kind"]),
                answer=self.tr("yes") if c["granted"] else self.tr("no"),
                version=c["text_version"],
                at=_local(c["at"]),
            )
            for c in report["consents"]
        ]
        points = report["points"]
        by_kind = ", ".join(f"{kind} {total}" for kind, total in points["by_kind"].items())
        return [
            (self.tr("Member number"), report["member_no"]),
            (self.tr("Name"), report["name"] or ""),
            (self.tr("Mobile phone"), report["phone"] or ""),
            (self.tr("Birthday"), report["birthday"] or ""),
            (self.tr("Referred by"), report["referrer_no"] or ""),
            (self.tr("Tier"), report["tier"]["name"]),
            (self.tr("Status"), report["status"]),
            (self.tr("Registered"), _local(report["created_at"])),
            (self.tr("Last changed"), _local(report["updated_at"])),
            (self.tr("Consents"), "\n".join(consents)),
            (
                self.tr("Points"),
                self.tr("balance {balance}, {entries} entries").format(
                    balance=points["balance"], entries=points["entries"]
                )
                + (f" ({by_kind})" if by_kind else ""),
            ),
            (self.tr("Coupons"), ", ".join(report["coupons"])),
            (self.tr("Sales"), str(report["sales_count"])),
            (self.tr("Internal id"), report["member_id"]),
        ]

    # --- erasure --------------------------------------------------------------------------

    def ask_erase(self) -> None:
        member_no = self.member_no()
        if not member_no:
            self.message.error(self.tr("Find the member first."))
            return
        self.confirm.ask(
            self.tr(
                "Erase member {member_no}? Name, phone and birthday are removed for good; "
                "points and sales stay."
            ).format(member_no=member_no),
            lambda: self._erase(member_no),
        )

    def _erase(self, member_no: str) -> None:
        ctx, cashier, reason = self.ctx, self.ctx.cashier, self.reason.text()
        if cashier is None:
            return
        approved(
            self,
            ctx,
            lambda approver: member_data.erase(
                ctx.home.db,
                ctx.vault,
                member_no,
                actor=cashier,
                reason=reason,
                approver=approver,
                terminal_id=ctx.settings.terminal_id,
                now=ctx.clock(),
            ),
            self._erased,
            while_open(self, self._refused),
        )

    def _erased(self, member_no: str) -> None:
        co = self.ctx.checkout
        if co is not None and co.member_no == member_no:  # off the sale too
            Op(self.checkout_screen, co.detach_member).success(
                lambda _p: self.checkout_screen.refresh()
            ).run()
        if not shiboken6.isValid(self):
            return
        self.report.setRowCount(0)
        self.matches.clear()
        self.reason.clear()
        self.message.info(self.tr("Member {member_no} erased.").format(member_no=member_no))


def _local(iso: str) -> str:
    """An ISO time from the report in the till's local time, to the minute."""
    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")


def open_member_data(parent: QWidget, ctx: AppContext, screen: CheckoutScreen) -> None:
    """The member-data dialog on its own (for a manager's menu)."""
    dialog = MemberDataDialog(ctx, screen, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    back_to_scan(dialog, screen, screen.scan)
    dialog.open()
