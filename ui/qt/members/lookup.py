"""Finding the member for the sale (F2): one field for a member number, a phone or 4 digits.

The core decides what the text is (:meth:`terminal.checkout.Checkout.find_member`):
a card number, app code or phone attaches the member at once; the last 4
digits of a phone give masked matches, shown in a pick list that accepts only
one of its own entries. When another member is already on the sale the core
refuses (``member_already_attached``) and the dialog asks before replacing.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from terminal import members
from terminal.checkout import MemberFound
from terminal.errors import InvalidInput, PosError
from terminal.pricing.model import PricedBasket
from ui.qt.checkout_screen import CheckoutScreen
from ui.qt.context import AppContext
from ui.qt.members.data import MemberDataDialog
from ui.qt.members.parts import ConfirmBar, back_to_scan, button, while_open
from ui.qt.members.register import RegisterMemberDialog
from ui.qt.ops import Op
from ui.qt.widgets import TOUCH, MessageBar, error_text


class MemberLookupDialog(QDialog):
    """Find the member and put them on the sale; from here also register one or see their data."""

    def __init__(self, ctx: AppContext, screen: CheckoutScreen, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.checkout_screen = screen
        self.window_parent = parent
        self.matches: list[members.MemberMatch] = []
        self._again: Callable[[bool], None] | None = None  # the last request, with replace=
        self.setObjectName("memberLookupDialog")
        self.setWindowTitle(self.tr("Find a member"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)

        hint = QLabel(self.tr("Member number, phone number or the last 4 digits of the phone"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        self.query = QLineEdit(self)
        self.query.setObjectName("memberQuery")
        self.query.setAccessibleName("member number, phone or last 4 digits")
        self.query.setMinimumHeight(TOUCH)
        self.query.returnPressed.connect(self.look_up)
        row.addWidget(self.query, 1)
        self.find_button = button(self.tr("Find"), "memberFind", self)
        self.find_button.clicked.connect(self.look_up)
        row.addWidget(self.find_button)
        layout.addLayout(row)

        self.choices = QListWidget(self)
        self.choices.setObjectName("memberChoices")
        self.choices.setAccessibleName("members found")
        self.choices.itemActivated.connect(lambda item: self.pick(str(self.choices.row(item) + 1)))
        layout.addWidget(self.choices)
        self.more = QLabel(self.tr("More members match: type the whole phone number."), self)
        self.more.setObjectName("memberMore")
        self.more.setWordWrap(True)
        layout.addWidget(self.more)
        pick_row = QHBoxLayout()
        self.pick_label = QLabel(self.tr("Line no."), self)
        pick_row.addWidget(self.pick_label)
        self.pick_field = QLineEdit(self)
        self.pick_field.setObjectName("memberPick")
        self.pick_field.setAccessibleName("line number of the member to choose")
        self.pick_field.setMinimumHeight(TOUCH)
        self.pick_field.setMaximumWidth(120)
        self.pick_field.returnPressed.connect(lambda: self.pick(self.pick_field.text()))
        pick_row.addWidget(self.pick_field)
        self.choose = button(self.tr("Choose"), "memberChoose", self)
        self.choose.clicked.connect(lambda: self.pick(self.pick_field.text()))
        pick_row.addWidget(self.choose)
        pick_row.addStretch(1)
        layout.addLayout(pick_row)
        self._pick_widgets: tuple[QWidget, ...] = (
            self.choices,
            self.pick_label,
            self.pick_field,
            self.choose,
        )

        self.replace = ConfirmBar("replace", self.tr("Replace"), self.tr("Keep"), self)
        layout.addWidget(self.replace)
        self.message = MessageBar(self)
        layout.addWidget(self.message)

        bottom = QHBoxLayout()
        self.register_button = button(self.tr("New member…"), "memberRegister", self)
        self.register_button.clicked.connect(self.register)
        self.data_button = button(self.tr("Member data…"), "memberData", self)
        self.data_button.clicked.connect(self.member_data)
        close = button(self.tr("Close"), "memberClose", self)
        close.clicked.connect(self.reject)
        bottom.addWidget(self.register_button)
        bottom.addWidget(self.data_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout.addLayout(bottom)

        self._show_choices(None)
        self.setTabOrder(self.query, self.find_button)
        self.setTabOrder(self.find_button, self.choices)
        self.setTabOrder(self.choices, self.pick_field)
        self.setTabOrder(self.pick_field, self.choose)
        self.query.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- finding ----------------------------------------------------------------------

    def look_up(self) -> None:
        text = self.query.text()
        if not text.strip():
            self.query.setFocus()
            return
        self._show_choices(None)
        self.message.clear_message()
        self._find(text, False)

    def _find(self, text: str, replace: bool) -> None:
        co = self.ctx.checkout
        if co is None:
            return
        self._again = lambda again: self._find(text, again)
        self._busy(True)
        Op(self, lambda: co.find_member(text, replace=replace)).success(self._found).failure(
            while_open(self, self._refused)
        ).finally_(while_open(self, lambda: self._busy(False))).run()

    def _found(self, found: MemberFound) -> None:
        if found.choices is None:
            self._attached(found.priced)
        elif shiboken6.isValid(self):  # not closed while the store was asked
            self._show_choices(found.choices)

    def _show_choices(self, search: members.MemberSearch | None) -> None:
        self.matches = list(search.matches) if search is not None else []
        self.choices.clear()
        for number, m in enumerate(self.matches, start=1):
            self.choices.addItem(
                f"{number}.  {m.member_no}   {m.masked_name}   {m.masked_phone}   {m.tier_name}"
            )
        self.pick_field.clear()
        for widget in self._pick_widgets:
            widget.setVisible(bool(self.matches))
        self.more.setVisible(bool(search and search.more))
        if self.matches:
            self.message.info(self.tr("Ask the customer which one is theirs."))
            self.pick_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def pick(self, typed: str) -> None:
        """Take the listed member a line number (or a listed member number) names; nothing else."""
        typed = typed.strip().upper()
        if not typed and self.choices.currentRow() >= 0:
            typed = str(self.choices.currentRow() + 1)
        listed = [m.member_no for m in self.matches]
        if typed.isdigit() and 1 <= int(typed) <= len(listed):
            chosen = listed[int(typed) - 1]
        elif typed in listed:
            chosen = typed
        else:
            self.message.error(
                self.tr("Choose a line from 1 to {count} in the list.").format(count=len(listed))
            )
            self.pick_field.selectAll()
            self.pick_field.setFocus()
            return
        self.choices.setCurrentRow(listed.index(chosen))
        self._attach(chosen, False)

    def _attach(self, member_no: str, replace: bool) -> None:
        co = self.ctx.checkout
        if co is None:
            return
        self._again = lambda again: self._attach(member_no, again)
        self._busy(True)
        Op(self, lambda: co.attach_member(member_no, replace=replace)).success(
            self._attached
        ).failure(while_open(self, self._refused)).finally_(
            while_open(self, lambda: self._busy(False))
        ).run()

    def _attached(self, _priced: PricedBasket | None) -> None:
        # the member is on the sale even when the dialog was closed meanwhile
        self.checkout_screen.refresh()
        if shiboken6.isValid(self):
            self.accept()

    def _refused(self, exc: BaseException) -> None:
        again = self._again
        if isinstance(exc, PosError) and exc.code == "member_already_attached" and again:
            self.message.clear_message()
            self.replace.ask(error_text(exc), lambda: again(True))
            return
        self.message.error(error_text(exc))
        if not self.matches:
            self.query.selectAll()
            self.query.setFocus()

    def _busy(self, busy: bool) -> None:
        for widget in (self.find_button, self.choose, self.query, self.pick_field):
            widget.setEnabled(not busy)

    # --- from here to the other member screens ---------------------------------------------

    def _typed_phone(self) -> str:
        """The phone the cashier typed, for the registration form (the core says what it is)."""
        try:
            query = members.member_query(self.query.text())
        except InvalidInput:
            return ""
        return query.value if query.kind == "phone" else ""

    def _hand_over(self, dialog: QDialog) -> None:
        """Close this dialog for ``dialog``, which returns to the scan field when it closes."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        back_to_scan(dialog, self.checkout_screen, self.checkout_screen.scan)
        self.accept()

    def register(self) -> None:

        dialog = RegisterMemberDialog(
            self.ctx, self.checkout_screen, self.window_parent, self._typed_phone()
        )
        self.accept()
        dialog.open()

    def member_data(self) -> None:
        dialog = MemberDataDialog(
            self.ctx, self.checkout_screen, self.window_parent, self.query.text()
        )
        self.accept()
        dialog.open()


def open_member_lookup(parent: QWidget, ctx: AppContext, screen: CheckoutScreen) -> None:
    """F2 at the checkout: the member lookup, window-modal over the till."""
    if ctx.checkout is None:
        return
    dialog = MemberLookupDialog(ctx, screen, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    back_to_scan(dialog, screen, screen.scan)
    dialog.open()
