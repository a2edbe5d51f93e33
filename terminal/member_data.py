"""A member's personal-data requests at a till, with a manager's one-action approval.

:func:`terminal.members.member_data_report` and :func:`terminal.members.erase_member`
take the user who acts. At a cashier's till a manager approves one request
(:func:`terminal.auth.supervisor_override`); these calls check the request
first (a known member, a reason), then spend the approval through
:func:`terminal.auth.authorize`, then run the request as whoever's authority
allowed it (the manager is the user the audit event names). So a manager is
never asked to approve a request that is then refused, and an approval covers
exactly one report or one erasure.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from terminal import members
from terminal.auth import Actor, Permission, authorize
from terminal.errors import InvalidInput
from terminal.members import _member_for_request
from terminal.pii import MemberVault
from terminal.store.database import Database


def data_report(
    db: Database,
    vault: MemberVault,
    member_no: str,
    *,
    actor: Actor,
    approver: Actor | None = None,
    terminal_id: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Everything stored about the member, decrypted (see :func:`members.member_data_report`).

    Needs MEMBER_DATA, the ``actor``'s own or the ``approver``'s; refuses an
    unknown or erased member before asking for (or spending) an approval.
    """
    with db.transaction() as session:
        _member_for_request(session, member_no)
        who = authorize(actor, Permission.MEMBER_DATA, approver)
        return members.member_data_report(
            session, vault, member_no, actor=who, terminal_id=terminal_id, today=today
        )


def erase(
    db: Database,
    vault: MemberVault,
    member_no: str,
    *,
    actor: Actor,
    reason: str,
    approver: Actor | None = None,
    terminal_id: str | None = None,
    now: datetime | None = None,
) -> str:
    """Erase (anonymise) the member (see :func:`members.erase_member`); returns its number.

    Needs MEMBER_DATA, the ``actor``'s own or the ``approver``'s; refuses a
    missing reason and an unknown or erased member before the approval.
    """
    if not (reason or "").strip():
        raise InvalidInput("reason_required")
    with db.transaction() as session:
        _member_for_request(session, member_no)
        who = authorize(actor, Permission.MEMBER_DATA, approver)
        member = members.erase_member(
            session, vault, member_no, actor=who, reason=reason, terminal_id=terminal_id, now=now
        )
        return member.member_no
