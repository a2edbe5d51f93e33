"""A member's data report and erasure at a cashier's till, with a manager's approval."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from terminal import auth, member_data
from terminal.auth import NeedsApproval, Permission
from terminal.errors import InvalidInput, NotFound, PermissionDenied
from terminal.pii import MemberVault
from terminal.registration import register_member
from terminal.store.database import Database
from terminal.store.models import AuditEvent, Member
from tests.conftest import DEMO_NOW
from tests.terminal.tillkit import login

PHONE = "13912345678"


@pytest.fixture
def vault() -> MemberVault:
    return MemberVault.ephemeral()


@pytest.fixture
def member(demo_db: Database, vault: MemberVault) -> str:
    with demo_db.transaction() as session:
        result = register_member(
            session,
            vault,
            phone=PHONE,
            name="王小明",
            birthday_month=5,
            birthday_day=12,
            consent_data=True,
            actor=None,
            now=DEMO_NOW,
        )
        return result.member.member_no


def manager_approval(db: Database, username: str = "3001", pin: str = "3333") -> auth.Actor:
    with db.transaction() as session:
        return auth.supervisor_override(
            session,
            username=username,
            pin=pin,
            perm=Permission.MEMBER_DATA,
            now=DEMO_NOW,
            min_role="manager",
        )


def test_a_cashier_needs_a_manager_and_the_approval_covers_one_report(demo_db, vault, member):
    cashier = login(demo_db, "cashier")
    with pytest.raises(NeedsApproval) as refused:
        member_data.data_report(demo_db, vault, member, actor=cashier, today=DEMO_NOW.date())
    assert refused.value.role == "manager"

    approver = manager_approval(demo_db)
    report = member_data.data_report(
        demo_db, vault, member, actor=cashier, approver=approver, today=DEMO_NOW.date()
    )
    assert (report["member_no"], report["phone"], report["name"]) == (member, PHONE, "王小明")
    assert report["birthday"] == "05-12"
    with demo_db.sessions() as session:
        viewed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "member_data_viewed")
        ).all()
    assert [e.user_id for e in viewed] == [approver.user_id]

    with pytest.raises(PermissionDenied) as again:
        member_data.data_report(demo_db, vault, member, actor=cashier, approver=approver)
    assert again.value.code == "approval_used"


def test_a_manager_at_the_till_needs_no_approval(demo_db, vault, member):
    manager = login(demo_db, "manager")
    report = member_data.data_report(demo_db, vault, member, actor=manager)
    assert report["phone"] == PHONE


def test_an_unknown_member_is_refused_before_the_approval_is_spent(demo_db, vault, member):
    cashier = login(demo_db, "cashier")
    approver = manager_approval(demo_db)
    with pytest.raises(NotFound):
        member_data.data_report(demo_db, vault, "M99999999", actor=cashier, approver=approver)
    assert member_data.data_report(demo_db, vault, member, actor=cashier, approver=approver)


def test_erasure_needs_a_reason_and_a_manager(demo_db, vault, member):
    cashier = login(demo_db, "cashier")
    approver = manager_approval(demo_db)
    with pytest.raises(InvalidInput) as no_reason:
        member_data.erase(demo_db, vault, member, actor=cashier, reason="  ", approver=approver)
    assert no_reason.value.code == "reason_required"
    with pytest.raises(NeedsApproval):
        member_data.erase(demo_db, vault, member, actor=cashier, reason="member asked")

    erased = member_data.erase(
        demo_db, vault, member, actor=cashier, reason="member asked", approver=approver
    )
    assert erased == member
    with demo_db.sessions() as session:
        row = session.scalar(select(Member).where(Member.member_no == member))
        assert row is not None
        assert (row.status, row.phone_enc, row.name_enc) == ("erased", None, None)
    with pytest.raises(NotFound):
        member_data.data_report(demo_db, vault, member, actor=login(demo_db, "manager"))


def test_erasure_deletes_the_members_payment_pin(demo_db, vault, member):
    """The PIN that authorises paying by stored value is the member's own secret: it goes
    with the personal data (the stored-value ledger stays for the books)."""
    from terminal import stored_value
    from terminal.store.models import MemberPayPin

    with demo_db.transaction() as session:
        member_id = session.scalar(select(Member.id).where(Member.member_no == member))
        stored_value.set_pay_pin(session, member_id, "246810", DEMO_NOW)
    with demo_db.sessions() as session:
        assert stored_value.has_pay_pin(session, member_id)
    member_data.erase(demo_db, vault, member, actor=login(demo_db, "manager"), reason="asked")
    with demo_db.sessions() as session:
        assert session.get(MemberPayPin, member_id) is None
        assert not stored_value.has_pay_pin(session, member_id)
