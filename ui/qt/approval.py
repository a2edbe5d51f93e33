"""A supervisor's approval for one action, asked only when the core asks for one.

:func:`approved` runs an action as the cashier; when the core refuses it with
:class:`~terminal.auth.NeedsApproval` it shows :class:`ApprovalDialog` (the
role needed, a user number and PIN), gets the one-action approval from the
core and runs the action again with it. The core checks the approval, spends
it, and validated the request before asking, so nobody approves a request
that is then refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from terminal import auth
from terminal.errors import PermissionDenied
from ui.qt.context import AppContext
from ui.qt.ops import Op
from ui.qt.widgets import FieldDialog, error_text, keypad_footer

T = TypeVar("T")


class ApprovalDialog(FieldDialog):
    """User number and PIN of whoever approves; the core decides whether they may."""

    def __init__(self, ctx: AppContext, need: auth.NeedsApproval, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.need = need
        self.approver: auth.Actor | None = None
        self.setWindowTitle(self.tr("Approval needed"))
        layout = QVBoxLayout(self)
        reason = QLabel(need.text(), self)
        reason.setObjectName("approvalReason")
        reason.setWordWrap(True)
        layout.addWidget(reason)
        form = QFormLayout()
        self.user = QLineEdit(self)
        self.user.setAccessibleName("approver number")
        self.pin = QLineEdit(self)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName("approver PIN")
        form.addRow(self.tr("User number"), self.user)
        form.addRow(self.tr("PIN"), self.pin)
        layout.addLayout(form)
        self.setTabOrder(self.user, self.pin)
        self.user.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self._submit)
        self.message = keypad_footer(
            self, layout, key=self._pad, submit=self._submit, focus=self.user
        )

    def _pad(self, key: str) -> None:
        target = self.pin if self.user.text() else self.user
        if key == "back":
            target.backspace()
        elif key == "clear":
            target.clear()
        else:
            target.insert(key)

    def _submit(self) -> None:
        username, pin = self.user.text().strip(), self.pin.text()
        self.pin.clear()
        ctx, need = self.ctx, self.need
        max_attempts, lock_minutes = ctx.lockout

        def check() -> auth.Actor:
            with ctx.home.db.transaction() as session:
                return auth.supervisor_override(
                    session,
                    username=username,
                    pin=pin,
                    perm=need.perm,
                    now=ctx.clock(),
                    terminal_id=ctx.settings.terminal_id,
                    max_attempts=max_attempts,
                    lock_minutes=lock_minutes,
                    min_role=need.role,
                )

        Op(self, check).success(self._granted).failure(
            lambda exc: self.message.error(error_text(exc))
        ).run()

    def _granted(self, approver: auth.Actor) -> None:
        self.approver = approver
        self.accept()


def approved(
    parent: QWidget,
    ctx: AppContext,
    action: Callable[[auth.Actor | None], T],
    on_success: Callable[[T], None],
    on_failure: Callable[[BaseException], None],
) -> None:
    """Run ``action`` off the GUI thread; ask for an approval if the core needs one."""

    def failed(exc: BaseException) -> None:
        if not isinstance(exc, auth.NeedsApproval):
            on_failure(exc)
            return
        dialog = ApprovalDialog(ctx, exc, parent)

        def granted() -> None:
            approver = dialog.approver
            if approver is not None:
                Op(parent, lambda: action(approver)).success(on_success).failure(on_failure).run()

        dialog.accepted.connect(granted)
        # cancelled: the action did not happen; say so rather than nothing
        dialog.rejected.connect(lambda: on_failure(PermissionDenied("approval_cancelled")))
        dialog.open()  # window-modal, without a nested event loop

    Op(parent, lambda: action(None)).success(on_success).failure(failed).run()
