"""Users, roles, permissions and PINs.

Roles are ranked ``cashier < supervisor < manager < admin``; what each may do
is the :data:`PERMISSIONS` matrix (documented in ``docs/roles.md``, and a test
keeps the two equal). Permissions are checked here, in the core, with
:func:`authorize`; hiding a button in the GUI is a convenience, not a control.

PINs are 4–8 ASCII digits, stored only as argon2id hashes. A PIN has at most
10^8 values, so the hash alone would not stop an offline guesser who holds the
store file; the online defence is the lockout in :func:`login` (5 wrong PINs
lock the user for 5 minutes), and the hash keeps PINs out of backups and logs.

Failed logins and transactions
------------------------------
A refused login must still count: the failed-attempt counter, the lock and the
audit row have to survive the exception that tells the caller "no". So
:func:`login` and :func:`supervisor_override` **commit the caller's session
before raising** any refusal that touched the store. Call them in a
transaction of their own (``with db.transaction() as s: auth.login(s, ...)``);
anything else pending in that session is committed with the refusal. On
success they only flush, and the caller's transaction commits as usual.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal import audit
from terminal.errors import InvalidInput, NotFound, PermissionDenied, StateError
from terminal.store.models import Store, User

ROLES: tuple[str, ...] = ("cashier", "supervisor", "manager", "admin")
"""All roles, lowest authority first."""

ROLE_RANK: Mapping[str, int] = {role: rank for rank, role in enumerate(ROLES)}

ROLE_NAMES_ZH: Mapping[str, str] = {
    "cashier": "收银员",
    "supervisor": "主管",
    "manager": "店长",
    "admin": "管理员",
}


class Permission(StrEnum):
    """Something a user may be allowed to do at the till."""

    SELL = "sell"
    VOID_LINE = "void_line"
    PRICE_OVERRIDE = "price_override"
    MANUAL_DISCOUNT = "manual_discount"
    REFUND = "refund"
    REPRINT = "reprint"
    CASH_MOVEMENT = "cash_movement"
    SHIFT_OPEN = "shift_open"
    SHIFT_CLOSE = "shift_close"
    REPORTS = "reports"
    SETTINGS = "settings"
    MANAGE_USERS = "manage_users"
    BACKUP_RESTORE = "backup_restore"
    MEMBER_DATA = "member_data"
    IMPORT_DATA = "import_data"


PERMISSION_NAMES_ZH: Mapping[Permission, str] = {
    Permission.SELL: "销售",
    Permission.VOID_LINE: "删除商品行",
    Permission.PRICE_OVERRIDE: "改价",
    Permission.MANUAL_DISCOUNT: "手工折扣",
    Permission.REFUND: "退货退款",
    Permission.REPRINT: "重打小票",
    Permission.CASH_MOVEMENT: "存取现金",
    Permission.SHIFT_OPEN: "开班",
    Permission.SHIFT_CLOSE: "结班",
    Permission.REPORTS: "报表",
    Permission.SETTINGS: "系统设置",
    Permission.MANAGE_USERS: "用户管理",
    Permission.BACKUP_RESTORE: "备份恢复",
    Permission.MEMBER_DATA: "会员个人数据",
    Permission.IMPORT_DATA: "导入数据",
}

_P = Permission
_CASHIER = frozenset({_P.SELL, _P.REPRINT, _P.CASH_MOVEMENT, _P.SHIFT_OPEN})
_SUPERVISOR = _CASHIER | {
    _P.VOID_LINE,
    _P.PRICE_OVERRIDE,
    _P.MANUAL_DISCOUNT,
    _P.REFUND,
    _P.SHIFT_CLOSE,
}
_MANAGER = _SUPERVISOR | {
    _P.REPORTS,
    _P.BACKUP_RESTORE,
    _P.MEMBER_DATA,
    _P.MANAGE_USERS,
    _P.IMPORT_DATA,
}
_ADMIN = frozenset(Permission)

PERMISSIONS: Mapping[str, frozenset[Permission]] = {
    "cashier": _CASHIER,
    "supervisor": frozenset(_SUPERVISOR),
    "manager": frozenset(_MANAGER),
    "admin": _ADMIN,
}
"""The permission matrix: role -> what it may do. Each role includes the one below.

``BACKUP_RESTORE`` for a manager covers running backups; restoring a store
file is an admin decision enforced by whoever implements restore (it should
ask for SETTINGS as well). ``MANAGE_USERS`` never reaches above the holder's
own role: nobody creates, resets, unlocks or deactivates a user ranked above
themselves (:func:`check_rank`).
"""

# argon2id. t=2, m=64 MiB, p=2 verifies in ~60 ms on two cores of a 2020s
# laptop CPU: slow enough to make bulk guessing costly, fast enough not to be
# felt at the till. Tests swap HASHER for a cheap one (see tests/terminal).
HASHER: PasswordHasher = PasswordHasher(time_cost=2, memory_cost=65536, parallelism=2)

_PIN_RE = re.compile(r"[0-9]{4,8}")
_USERNAME_RE = re.compile(r"[A-Za-z0-9_.\-]{1,32}")

LOGIN_FAILED_MESSAGE = "用户名或密码错误 / wrong username or PIN"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user, as a value the core can pass around.

    ``granted`` is set on an Actor made by :func:`supervisor_override`: it then
    lends its authority for that one permission only.
    """

    user_id: str
    username: str
    display_name: str
    role: str
    granted: Permission | None = None

    def can(self, perm: Permission) -> bool:
        if self.granted is not None and perm != self.granted:
            return False
        return perm in PERMISSIONS.get(self.role, frozenset())


def actor_of(user: User) -> Actor:
    """The Actor for a user row."""
    return Actor(user.id, user.username, user.display_name, user.role)


# --- PINs ------------------------------------------------------------------------------


def validate_pin(pin: str) -> None:
    """Refuse anything but 4–8 ASCII digits (never echoing the PIN back)."""
    if not isinstance(pin, str) or not _PIN_RE.fullmatch(pin):
        raise InvalidInput("密码须为4至8位数字 / a PIN is 4 to 8 digits", code="bad_pin")


def hash_pin(pin: str) -> str:
    """An argon2id hash of a valid PIN (salted; never contains the PIN)."""
    validate_pin(pin)
    return HASHER.hash(pin)


def verify_pin(pin_hash: str, pin: str) -> bool:
    """True when ``pin`` matches ``pin_hash``; False for a mismatch or a damaged hash."""
    try:
        return HASHER.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_dummy_hash: tuple[PasswordHasher, str] | None = None


def _burn_verify(pin: str) -> None:
    """Spend the time of one verify, so an unknown user answers as slowly as a known one."""
    global _dummy_hash
    if _dummy_hash is None or _dummy_hash[0] is not HASHER:
        _dummy_hash = (HASHER, HASHER.hash("00000000"))
    verify_pin(_dummy_hash[1], pin)


# --- authorisation ------------------------------------------------------------------------


def authorize(actor: Actor, perm: Permission, approver: Actor | None = None) -> Actor:
    """Return whose authority allows ``perm``: ``actor``'s own, else ``approver``'s.

    Raises :class:`PermissionDenied` when neither holds it. Callers record the
    returned Actor as ``approved_by`` when it is not ``actor``.
    """
    if actor.can(perm):
        return actor
    if approver is not None and approver.can(perm):
        return approver
    raise PermissionDenied(
        f"需要主管授权（{PERMISSION_NAMES_ZH[perm]}）/ needs a supervisor ({perm.value})",
        code="needs_approval",
    )


def check_rank(by: Actor, role: str) -> None:
    """Refuse acting on a user whose ``role`` ranks above ``by``'s own (a manager on an admin)."""
    if ROLE_RANK.get(role, len(ROLES)) > ROLE_RANK.get(by.role, -1):
        raise PermissionDenied("user_above_you", role=role)


# --- users ---------------------------------------------------------------------------------


def _user_by_name(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def _require_user(session: Session, username: str) -> User:
    user = _user_by_name(session, username)
    if user is None:
        raise NotFound(f"没有用户 {username} / no user {username}")
    return user


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: str,
    pin: str,
    by: Actor | None,
    terminal_id: str | None = None,
) -> User:
    """Add a user. ``by`` needs MANAGE_USERS and may not create a role above its own.

    ``by=None`` is the bootstrap: allowed only while the store has no user at
    all, and the first user must be an admin (else nobody could add the rest).
    """
    if by is None:
        if session.scalar(select(func.count()).select_from(User)):
            raise PermissionDenied(
                "需要管理员创建用户 / only an admin may add users", code="needs_approval"
            )
        if role != "admin":
            raise InvalidInput(
                "第一个用户必须是管理员 / the first user must be an admin", code="bad_role"
            )
    else:
        authorize(by, Permission.MANAGE_USERS)
    if role not in ROLE_RANK:
        raise InvalidInput(f"未知角色 {role} / unknown role {role}", code="bad_role")
    if by is not None and ROLE_RANK[role] > ROLE_RANK.get(by.role, -1):
        raise PermissionDenied(
            "不能创建高于自己权限的用户 / cannot create a user above your own role",
            code="needs_approval",
        )
    if not isinstance(username, str) or not _USERNAME_RE.fullmatch(username):
        raise InvalidInput(
            "用户名须为1至32位字母、数字或 _.- / a username is 1-32 letters, digits or _.-",
            code="bad_username",
        )
    display_name = (display_name or "").strip()
    if not display_name or len(display_name) > 64:
        raise InvalidInput(
            "请填写显示名称（最多64字）/ a display name (up to 64 characters) is required",
            code="bad_display_name",
        )
    validate_pin(pin)
    if _user_by_name(session, username) is not None:
        raise StateError(
            f"用户名 {username} 已存在 / username {username} is taken", code="duplicate"
        )
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        pin_hash=hash_pin(pin),
        failed_attempts=0,
        locked_until=None,
        active=True,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        "user_created",
        user_id=by.user_id if by else user.id,
        terminal_id=terminal_id,
        target=user.id,
        username=username,
        role=role,
    )
    return user


def change_pin(
    session: Session,
    *,
    username: str,
    new_pin: str,
    by: Actor,
    old_pin: str | None = None,
    terminal_id: str | None = None,
) -> None:
    """Set a new PIN.

    A user changing their own PIN must give the old one; changing someone
    else's (a reset) needs MANAGE_USERS and clears their lock.
    """
    user = _require_user(session, username)
    validate_pin(new_pin)
    if by.user_id == user.id:
        if old_pin is None or not verify_pin(user.pin_hash, old_pin):
            raise PermissionDenied("原密码错误 / the current PIN is wrong", code="login_failed")
        reset = False
    else:
        authorize(by, Permission.MANAGE_USERS)
        check_rank(by, user.role)
        reset = True
    user.pin_hash = hash_pin(new_pin)
    if reset:
        user.failed_attempts = 0
        user.locked_until = None
    session.flush()
    audit.record(
        session,
        "pin_reset" if reset else "pin_changed",
        user_id=by.user_id,
        terminal_id=terminal_id,
        target=user.id,
    )


def deactivate_user(
    session: Session, *, username: str, by: Actor, terminal_id: str | None = None
) -> User:
    """Stop a user from logging in (the row stays: sales and audit point at it).

    Needs MANAGE_USERS; nobody may deactivate themselves, and the last active
    admin stays, so the store can never lock out its own administration.
    """
    authorize(by, Permission.MANAGE_USERS)
    user = _require_user(session, username)
    check_rank(by, user.role)
    if user.id == by.user_id:
        raise StateError("不能停用自己 / you cannot deactivate yourself", code="self")
    if not user.active:
        raise StateError(f"用户 {username} 已停用 / user {username} is already inactive")
    if user.role == "admin":
        admins = session.scalar(
            select(func.count()).select_from(User).where(User.role == "admin", User.active)
        )
        if (admins or 0) <= 1:
            raise StateError(
                "不能停用最后一个管理员 / cannot deactivate the last admin", code="last_admin"
            )
    user.active = False
    session.flush()
    audit.record(
        session, "user_deactivated", user_id=by.user_id, terminal_id=terminal_id, target=user.id
    )
    return user


# --- login ---------------------------------------------------------------------------------


def _local_tz(session: Session, now: datetime) -> tzinfo | None:
    """The store's time zone, so a lock message names the wall-clock time at the till."""
    name = session.scalar(select(Store.timezone).limit(1))
    try:
        return ZoneInfo(name) if name else now.tzinfo
    except (ZoneInfoNotFoundError, ValueError):
        return now.tzinfo


def _locked_error(session: Session, locked_until: datetime, now: datetime) -> PermissionDenied:
    minutes = max(1, math.ceil((locked_until - now).total_seconds() / 60))
    local = locked_until.astimezone(_local_tz(session, now)).strftime("%H:%M")
    return PermissionDenied(
        f"已锁定，请{minutes}分钟后再试（{local} 解锁）/ "
        f"locked: try again in {minutes} min (at {local})",
        code="user_locked",
    )


def _check_pin(
    session: Session,
    username: str,
    pin: str,
    *,
    now: datetime,
    terminal_id: str | None,
    max_attempts: int,
    lock_minutes: int,
    purpose: str,
) -> User | PermissionDenied:
    """Verify a PIN with lockout bookkeeping: the user, or the refusal to raise.

    A refusal is returned, not raised, so the caller can add its own audit row
    and then commit before raising (after a commit inside ``db.transaction()``
    the session accepts no more work). ``purpose`` goes into the audit details.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    user = _user_by_name(session, username)
    if user is None or not user.active:
        _burn_verify(pin)
        audit.record(
            session,
            "login_failed",
            user_id=user.id if user else None,
            terminal_id=terminal_id,
            target=username[:64] if isinstance(username, str) else "",
            reason="inactive" if user else "unknown_user",
            purpose=purpose,
        )
        return PermissionDenied(LOGIN_FAILED_MESSAGE, code="login_failed")

    if user.locked_until is not None:
        if now < user.locked_until:
            _burn_verify(pin)
            audit.record(
                session,
                "login_failed",
                user_id=user.id,
                terminal_id=terminal_id,
                target=user.id,
                reason="locked",
                purpose=purpose,
            )
            return _locked_error(session, user.locked_until, now)
        # the lock has run out: start afresh
        user.locked_until = None
        user.failed_attempts = 0

    if not verify_pin(user.pin_hash, pin):
        user.failed_attempts = (user.failed_attempts or 0) + 1
        audit.record(
            session,
            "login_failed",
            user_id=user.id,
            terminal_id=terminal_id,
            target=user.id,
            reason="wrong_pin",
            attempts=user.failed_attempts,
            purpose=purpose,
        )
        if user.failed_attempts >= max_attempts:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            audit.record(
                session,
                "user_locked",
                user_id=user.id,
                terminal_id=terminal_id,
                target=user.id,
                attempts=user.failed_attempts,
                locked_until=user.locked_until.isoformat(),
            )
            return _locked_error(session, user.locked_until, now)
        return PermissionDenied(LOGIN_FAILED_MESSAGE, code="login_failed")

    user.failed_attempts = 0
    user.locked_until = None
    if HASHER.check_needs_rehash(user.pin_hash):
        user.pin_hash = HASHER.hash(pin)
    session.flush()
    return user


def login(
    session: Session,
    username: str,
    pin: str,
    *,
    now: datetime,
    terminal_id: str | None = None,
    max_attempts: int = 5,
    lock_minutes: int = 5,
) -> Actor:
    """Check a username and PIN and return the Actor.

    Unknown users, inactive users and wrong PINs get the same message. After
    ``max_attempts`` wrong PINs in a row the user is locked until
    ``now + lock_minutes``; while locked even the right PIN is refused. A
    right PIN resets the counter and upgrades an outdated hash.

    On refusal the session is **committed** before raising (see the module
    docstring), so use a transaction of its own.
    """
    user = _check_pin(
        session,
        username,
        pin,
        now=now,
        terminal_id=terminal_id,
        max_attempts=max_attempts,
        lock_minutes=lock_minutes,
        purpose="login",
    )
    if isinstance(user, PermissionDenied):
        session.commit()
        raise user
    audit.record(session, "login_ok", user_id=user.id, terminal_id=terminal_id, target=user.id)
    return actor_of(user)


def supervisor_override(
    session: Session,
    *,
    username: str,
    pin: str,
    perm: Permission,
    now: datetime,
    terminal_id: str | None = None,
    max_attempts: int = 5,
    lock_minutes: int = 5,
) -> Actor:
    """A supervisor approves one action at someone else's till.

    The PIN is checked like a login (wrong PINs count toward the supervisor's
    lockout). The returned Actor carries ``granted=perm``: passed as
    ``approver`` to :func:`authorize` it lends authority for that permission
    only; the caller uses it for one action and drops it. Refusals are audited
    as ``override_refused`` and committed before raising, like :func:`login`.
    """
    user = _check_pin(
        session,
        username,
        pin,
        now=now,
        terminal_id=terminal_id,
        max_attempts=max_attempts,
        lock_minutes=lock_minutes,
        purpose="override",
    )
    if isinstance(user, PermissionDenied):
        audit.record(
            session,
            "override_refused",
            user_id=None,
            terminal_id=terminal_id,
            target=username[:64] if isinstance(username, str) else "",
            permission=perm.value,
            reason=user.code,
        )
        session.commit()
        raise user
    if not actor_of(user).can(perm):
        audit.record(
            session,
            "override_refused",
            user_id=user.id,
            terminal_id=terminal_id,
            target=user.id,
            permission=perm.value,
            reason="lacks_permission",
        )
        session.commit()
        raise PermissionDenied(
            f"{user.display_name} 无权授权{PERMISSION_NAMES_ZH[perm]} / "
            f"{user.username} may not approve {perm.value}",
            code="needs_approval",
        )
    audit.record(
        session,
        "override_granted",
        user_id=user.id,
        terminal_id=terminal_id,
        target=user.id,
        permission=perm.value,
    )
    return Actor(user.id, user.username, user.display_name, user.role, granted=perm)
