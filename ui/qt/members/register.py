"""Registering a member at the till: phone, name, birthday, referrer and the consents.

The consent texts are shown in full, with the version the member agrees to
(:data:`terminal.registration.CONSENT_TEXTS`); data processing is required,
marketing optional. The core validates and records everything
(:func:`terminal.registration.register_member`); a refusal is one line and
the form keeps what was typed. The new member is put on the sale (asking
first if another member is on it).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from terminal import messages
from terminal.errors import PosError
from terminal.pricing.model import PricedBasket
from terminal.registration import (
    CONSENT_TEXTS,
    DATA_CONSENT,
    MARKETING_CONSENT,
    parse_birthday_text,
    register_member,
)
from ui.qt.checkout_screen import CheckoutScreen
from ui.qt.context import AppContext
from ui.qt.members.parts import ConfirmBar, button, while_open
from ui.qt.ops import Op
from ui.qt.widgets import TOUCH, MessageBar, error_text


class RegisterMemberDialog(QDialog):
    """The registration form; the member registered is attached to the sale."""

    def __init__(
        self, ctx: AppContext, screen: CheckoutScreen, parent: QWidget, phone: str = ""
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.checkout_screen = screen
        self.member_no: str | None = None
        self.setObjectName("registerMemberDialog")
        self.setWindowTitle(self.tr("New member"))
        self.setMinimumWidth(720)
        layout = QVBoxLayout(self)

        form = QFormLayout()
        self.phone = self._field("regPhone", "mobile phone number", "138 0013 8000")
        self.phone.setText(phone)
        self.name = self._field("regName", "name", "")
        self.birthday = self._field("regBirthday", "birthday, month and day", self.tr("MM-DD"))
        self.referrer = self._field("regReferrer", "referred by member number", "M00000001")
        form.addRow(self.tr("Mobile phone"), self.phone)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Birthday (optional)"), self.birthday)
        form.addRow(self.tr("Referred by (optional)"), self.referrer)
        layout.addLayout(form)

        self.consent_data = self._consent(
            layout,
            DATA_CONSENT,
            self.tr("The member agrees to the text above (required)"),
        )
        self.consent_marketing = self._consent(
            layout,
            MARKETING_CONSENT,
            self.tr("The member agrees to the text above (optional)"),
        )

        self.replace = ConfirmBar("replace", self.tr("Replace"), self.tr("Keep"), self)
        self.replace.no.clicked.connect(self._kept_other)
        layout.addWidget(self.replace)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.submit_button = button(self.tr("Register"), "regSubmit", self)
        self.submit_button.clicked.connect(self.submit)
        cancel = button(self.tr("Cancel"), "regCancel", self)
        cancel.clicked.connect(self.reject)
        row.addWidget(self.submit_button)
        row.addWidget(cancel)
        layout.addLayout(row)

        for before, after in (
            (self.phone, self.name),
            (self.name, self.birthday),
            (self.birthday, self.referrer),
            (self.referrer, self.consent_data),
            (self.consent_data, self.consent_marketing),
            (self.consent_marketing, self.submit_button),
        ):
            self.setTabOrder(before, after)
        (self.name if phone else self.phone).setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:
        """Tall enough for the wrapped consent texts at this width (labels that wrap
        report their height only for a given width)."""
        super().showEvent(event)
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            self.resize(self.width(), max(self.height(), layout.totalHeightForWidth(self.width())))

    def _field(self, name: str, accessible: str, placeholder: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setAccessibleName(accessible)
        field.setPlaceholderText(placeholder)
        field.setMinimumHeight(TOUCH)
        return field

    def _consent(self, layout: QVBoxLayout, kind: str, agree: str) -> QCheckBox:
        version, text = CONSENT_TEXTS[kind]
        shown = QLabel(f"{text}\n[{version}]", self)
        shown.setObjectName(f"consentText_{kind}")
        shown.setWordWrap(True)
        shown.setFrameShape(QFrame.Shape.StyledPanel)
        shown.setMargin(6)
        shown.setStyleSheet("font-size: 14px")  # the form fits a 768-pixel-high screen
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(shown)
        box = QCheckBox(agree, self)
        box.setObjectName(f"consent_{kind}")
        box.setAccessibleName(f"consent {kind}")
        box.setMinimumHeight(TOUCH)
        box.setStyleSheet("QCheckBox::indicator { width: 28px; height: 28px; }")  # a finger's size
        layout.addWidget(box)
        return box

    # --- registering ----------------------------------------------------------------------

    def submit(self) -> None:
        ctx = self.ctx
        phone, name = self.phone.text(), self.name.text()
        birthday, referrer = self.birthday.text().strip(), self.referrer.text()
        consent_data = self.consent_data.isChecked()
        consent_marketing = self.consent_marketing.isChecked()

        def register() -> tuple[str, bool]:
            month, day = parse_birthday_text(birthday) if birthday else (None, None)
            with ctx.home.db.transaction() as session:
                result = register_member(
                    session,
                    ctx.vault,
                    phone=phone,
                    name=name,
                    birthday_month=month,
                    birthday_day=day,
                    referrer_no=referrer,
                    consent_data=consent_data,
                    consent_marketing=consent_marketing,
                    actor=ctx.cashier,
                    now=ctx.clock(),
                    terminal_id=ctx.settings.terminal_id,
                )
                return result.member.member_no, result.created

        self.message.clear_message()
        self.submit_button.setEnabled(False)
        Op(self, register).success(while_open(self, self._registered)).failure(
            while_open(self, lambda exc: self.message.error(error_text(exc)))
        ).finally_(while_open(self, lambda: self.submit_button.setEnabled(True))).run()

    def _registered(self, result: tuple[str, bool]) -> None:
        member_no, created = result
        self.member_no = member_no
        code = "member_registered" if created else "phone_already_registered"
        self.message.info(messages.render(code, {"member_no": member_no}))
        self._attach(False)

    def _attach(self, replace: bool) -> None:
        co, member_no = self.ctx.checkout, self.member_no
        if co is None or member_no is None:
            return
        Op(self, lambda: co.attach_member(member_no, replace=replace)).success(
            self._attached
        ).failure(while_open(self, self._not_attached)).run()

    def _attached(self, _priced: PricedBasket) -> None:
        self.checkout_screen.refresh()
        if shiboken6.isValid(self):
            self.accept()

    def _not_attached(self, exc: BaseException) -> None:
        if isinstance(exc, PosError) and exc.code == "member_already_attached":
            self.replace.ask(
                self.tr("Registered as {member_no}. {why}").format(
                    member_no=self.member_no, why=error_text(exc)
                ),
                lambda: self._attach(True),
            )
            return
        self.message.error(error_text(exc))

    def _kept_other(self) -> None:
        self.message.info(
            self.tr("Registered as {member_no}; the member already on the sale stays.").format(
                member_no=self.member_no
            )
        )
