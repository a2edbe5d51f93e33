"""User administration beyond :mod:`terminal.auth`: listing users and unlocking them.

Adding users, resetting PINs and deactivating are :func:`terminal.auth.create_user`,
:func:`~terminal.auth.change_pin` and :func:`~terminal.auth.deactivate_user`;
this module adds what they lack. Everything needs MANAGE_USERS (managers and
admins), and nobody acts on a user ranked above themselves (:func:`check_rank`,
the rule auth applies too). What a listing returns never holds a PIN hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal import audit
from terminal.auth import ROLE_RANK, Actor, Permission, authorize, role_name
from terminal.errors import NotFound, PermissionDenied
from terminal.store.models import User


def check_rank(by: Actor, role: str) -> None:
    """Refuse acting on a user whose ``role`` ranks above ``by``'s own (a manager on an admin)."""
    if ROLE_RANK.get(role, len(ROLE_RANK)) > ROLE_RANK.get(by.role, -1):
        raise PermissionDenied("role_above_own", role=role_name(role))


@dataclass(frozen=True)
class UserInfo:
    """A user as an administrator sees them (no PIN hash)."""

    username: str
    display_name: str
    role: str
    active: bool
    failed_attempts: int
    locked_until: datetime | None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def list_users(session: Session, *, by: Actor) -> list[UserInfo]:
    """Every user, highest role first, then by username. Needs MANAGE_USERS."""
    authorize(by, Permission.MANAGE_USERS)
    users = session.scalars(select(User)).all()
    ordered = sorted(users, key=lambda u: (-ROLE_RANK.get(u.role, -1), u.username))
    return [
        UserInfo(
            username=u.username,
            display_name=u.display_name,
            role=u.role,
            active=bool(u.active),
            failed_attempts=u.failed_attempts or 0,
            locked_until=u.locked_until,
        )
        for u in ordered
    ]


def unlock_user(
    session: Session, *, username: str, by: Actor, now: datetime, terminal_id: str | None = None
) -> bool:
    """Clear a user's lockout and failed-PIN count; True when they were locked.

    Needs MANAGE_USERS and a role not below the user's. Audited as
    ``user_unlocked`` even when there was nothing to clear (someone asked).
    """
    authorize(by, Permission.MANAGE_USERS)
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise NotFound("unknown_user", username=username)
    check_rank(by, user.role)
    was_locked = user.locked_until is not None and now < user.locked_until
    user.locked_until = None
    user.failed_attempts = 0
    session.flush()
    audit.record(
        session,
        "user_unlocked",
        user_id=by.user_id,
        terminal_id=terminal_id,
        target=user.id,
        was_locked=was_locked,
    )
    return was_locked
