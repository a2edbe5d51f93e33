"""The member screens at the GUI till (F2): lookup, pick list, replace, registration, data."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from sqlalchemy import select

from terminal import messages
from terminal.registration import register_member
from terminal.store.models import Member, MemberConsent
from tests.ui.qt.test_gui_sale import log_in, modal
from ui.qt.approval import ApprovalDialog
from ui.qt.members import MemberDataDialog, MemberLookupDialog, RegisterMemberDialog


def member_numbers(home, n: int = 2) -> list[str]:
    with home.db.sessions() as s:
        return list(
            s.scalars(
                select(Member.member_no)
                .where(Member.status == "active")
                .order_by(Member.member_no)
                .limit(n)
            )
        )


def register(home, phone: str, name: str) -> str:
    with home.db.transaction() as s:
        result = register_member(
            s, home.vault(), phone=phone, name=name, consent_data=True, actor=None
        )
        return result.member.member_no


def open_dialog(qtbot, win, cls: type[QDialog]) -> QDialog:
    qtbot.waitUntil(lambda: modal(cls) is not None)
    dialog = modal(cls)
    assert dialog is not None
    return dialog


def press_f2(qtbot, win) -> MemberLookupDialog:
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F2)
    dialog = open_dialog(qtbot, win, MemberLookupDialog)
    assert isinstance(dialog, MemberLookupDialog)
    return dialog


def type_into(qtbot, field, text: str) -> None:
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def closed(dialog: QDialog) -> bool:
    """Closed (and deleted, for the dialogs that delete themselves on close)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def wait_attached(qtbot, win, member_no: str) -> None:
    qtbot.waitUntil(lambda: win.checkout.member.title.text().startswith(member_no))


def test_a_phone_in_any_written_form_attaches_the_member(qtbot, window, home) -> None:
    win = window
    member_no = register(home, "13900001234", "王小明")
    log_in(qtbot, win)
    dialog = press_f2(qtbot, win)
    type_into(qtbot, dialog.query, "+86 139-0000-1234")
    wait_attached(qtbot, win, member_no)
    qtbot.waitUntil(lambda: closed(dialog))
    title = win.checkout.member.title.text()
    assert "139****1234" in title and "13900001234" not in title  # masked on the screen
    assert "王**" in title
    assert win.ctx.checkout.member_no == member_no


def test_the_last_4_digits_give_a_pick_list_that_takes_only_its_own_entries(
    qtbot, window, home
) -> None:
    win = window
    first = register(home, "13900005678", "王小明")
    second = register(home, "13800005678", "李四")
    log_in(qtbot, win)
    dialog = press_f2(qtbot, win)
    type_into(qtbot, dialog.query, "5678")
    qtbot.waitUntil(lambda: dialog.choices.count() >= 2)
    shown = [dialog.choices.item(i).text() for i in range(dialog.choices.count())]
    assert {first, second} <= {m.member_no for m in dialog.matches}
    assert any("139****5678" in line for line in shown)
    assert not any("13900005678" in line or "王小明" in line for line in shown)  # masked

    count = dialog.choices.count()
    type_into(qtbot, dialog.pick_field, str(count + 1))  # not a line of the list
    assert dialog.message.property("kind") == "error"
    assert str(count) in dialog.message.text()
    not_listed = member_numbers(home, 1)[0]
    assert not_listed not in [m.member_no for m in dialog.matches]
    type_into(qtbot, dialog.pick_field, not_listed)  # a real member, but not in the list
    assert dialog.message.property("kind") == "error"
    assert win.ctx.checkout.member_no is None and dialog.isVisible()

    wanted = next(i for i, m in enumerate(dialog.matches, start=1) if m.member_no == second)
    type_into(qtbot, dialog.pick_field, str(wanted))
    wait_attached(qtbot, win, second)
    assert "138****5678" in win.checkout.member.title.text()


def test_a_second_member_replaces_the_first_only_when_confirmed(qtbot, window, home) -> None:
    win = window
    one, two = member_numbers(home)
    log_in(qtbot, win)
    dialog = press_f2(qtbot, win)
    type_into(qtbot, dialog.query, one.lower())  # a member number, any case
    wait_attached(qtbot, win, one)

    dialog = press_f2(qtbot, win)
    type_into(qtbot, dialog.query, two)
    qtbot.waitUntil(dialog.replace.isVisible)
    assert one in dialog.replace.question.text()
    qtbot.mouseClick(dialog.replace.no, Qt.MouseButton.LeftButton)  # keep the first
    assert not dialog.replace.isVisible() and win.ctx.checkout.member_no == one

    type_into(qtbot, dialog.query, two)
    qtbot.waitUntil(dialog.replace.isVisible)
    qtbot.mouseClick(dialog.replace.yes, Qt.MouseButton.LeftButton)
    wait_attached(qtbot, win, two)
    assert win.ctx.checkout.member_no == two


def test_registration_needs_the_data_consent_and_keeps_what_was_typed(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win)
    lookup = press_f2(qtbot, win)
    type_into(qtbot, lookup.query, "137 0000 7777")
    qtbot.waitUntil(lambda: lookup.message.text() == messages.render("no_member_with_phone"))
    qtbot.mouseClick(lookup.register_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, win, RegisterMemberDialog)
    assert isinstance(dialog, RegisterMemberDialog)
    assert dialog.phone.text() == "13700007777"  # carried over from the lookup
    for kind in ("data_processing", "marketing"):  # the consent texts, in full
        text = dialog.findChild(QLabel, f"consentText_{kind}").text()
        assert "I agree" in text and "2026.1" in text

    dialog.name.insert("赵六")  # typed through the input method (keyClicks is ASCII only)
    qtbot.keyClicks(dialog.birthday, "5-12")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.text() == messages.render("consent_required"))
    assert (dialog.phone.text(), dialog.name.text(), dialog.birthday.text()) == (
        "13700007777",
        "赵六",
        "5-12",
    )

    dialog.phone.setText("12345")
    dialog.consent_data.setChecked(True)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.text() == messages.render("bad_phone"))
    assert dialog.name.text() == "赵六"
    with home.db.sessions() as s:
        before = s.scalar(select(Member.member_no).order_by(Member.member_no.desc()).limit(1))

    dialog.phone.setText("13700007777")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.ctx.checkout.member_no not in (None, before))
    new = win.ctx.checkout.member_no
    wait_attached(qtbot, win, new)
    assert closed(dialog)
    with home.db.sessions() as s:
        member = s.scalar(select(Member).where(Member.member_no == new))
        consents = {
            c.kind: c.granted
            for c in s.scalars(select(MemberConsent).where(MemberConsent.member_id == member.id))
        }
    assert consents == {"data_processing": True, "marketing": False}
    assert home.vault().decrypt_field("birthday", member.id, member.birthday_enc) == "05-12"


def approve(qtbot, user: str, pin: str) -> ApprovalDialog:
    qtbot.waitUntil(lambda: modal(ApprovalDialog) is not None)
    approval = modal(ApprovalDialog)
    assert isinstance(approval, ApprovalDialog)
    approval.user.setText(user)
    approval.pin.setText(pin)
    qtbot.keyClick(approval.pin, Qt.Key.Key_Return)
    return approval


def test_a_cashier_sees_a_members_data_only_after_a_manager_approves(qtbot, window, home) -> None:
    win = window
    member_no = register(home, "13600004321", "钱七")
    log_in(qtbot, win)  # cashier 1001
    lookup = press_f2(qtbot, win)
    type_into(qtbot, lookup.query, "13600004321")
    wait_attached(qtbot, win, member_no)

    lookup = press_f2(qtbot, win)
    qtbot.mouseClick(lookup.data_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, win, MemberDataDialog)
    assert isinstance(dialog, MemberDataDialog)
    assert dialog.query.text() == member_no  # the member on the sale
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.matches.count() == 1)
    assert "136****4321" in dialog.matches.item(0).text()  # masked outside the report

    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    approval = approve(qtbot, "2001", "2222")  # a supervisor may not
    qtbot.waitUntil(lambda: bool(approval.message.text()))
    assert dialog.report.rowCount() == 0
    approval.reject()
    qtbot.waitUntil(lambda: not approval.isVisible())
    assert dialog.report.rowCount() == 0

    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    approve(qtbot, "3001", "3333")
    qtbot.waitUntil(lambda: dialog.report.rowCount() > 0)
    rows = {
        dialog.report.item(i, 0).text(): dialog.report.item(i, 1).text()
        for i in range(dialog.report.rowCount())
    }
    assert rows["Mobile phone"] == "13600004321" and rows["Name"] == "钱七"
    assert dialog.report.editTriggers() == dialog.report.EditTrigger.NoEditTriggers

    # erasure: a reason, a confirmation, a manager
    qtbot.keyClicks(dialog.reason, "member asked")
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm.isVisible() and member_no in dialog.confirm.question.text()
    qtbot.mouseClick(dialog.confirm.yes, Qt.MouseButton.LeftButton)
    approve(qtbot, "3001", "3333")
    qtbot.waitUntil(lambda: dialog.report.rowCount() == 0 and member_no in dialog.message.text())
    with home.db.sessions() as s:
        erased = s.scalar(select(Member).where(Member.member_no == member_no))
        assert (erased.status, erased.phone_enc) == ("erased", None)
    qtbot.waitUntil(lambda: win.ctx.checkout.member_no is None)  # off the sale as well
    qtbot.waitUntil(lambda: not win.checkout.member.title.text().startswith(member_no))
