"""Users, roles, permissions and PINs.

Roles are ranked ``cashier < supervisor < manager < admin``; what each may do
is the :data:`PERMISSIONS` matrix (documented in ``docs/roles.md``, and a test
keeps the two equal). Permissions are checked here, in the core, with
:func:`authorize`; hiding a button in the GUI is a convenience, not a control.

PINs are 4–8 ASCII digits (a store may require at least 6), stored only as
argon2id hashes. A PIN has at most 10^8 values, so the hash alone would not
stop an offline guesser who holds the store file: the store file is readable
by its owner only (0600), the online defence is the lockout in :func:`login`
(5 wrong PINs lock the user for 5 minutes), and the hash keeps PINs out of
backups and logs.

Login answers an unknown user exactly as it answers a known one, lockout
included: failures for names that are no user are counted in this process
(never written anywhere, so a PIN typed into the user field leaves no trace)
and "lock" the same way.

A supervisor's approval covers one action: :func:`authorize` consumes the
approval it uses, and the same approval offered again is refused.

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
import secrets
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import hash_secret_raw
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal import audit
from terminal.errors import InvalidInput, NotFound, PermissionDenied, StateError
from terminal.messages import Ref
from terminal.store.models import Store, StoreMeta, User

ROLES: tuple[str, ...] = ("cashier", "supervisor", "manager", "admin")
"""All roles, lowest authority first."""

ROLE_RANK: Mapping[str, int] = {role: rank for rank, role in enumerate(ROLES)}


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
    CANCEL_BASKET = "cancel_basket"
    IMPORT_DATA = "import_data"


_P = Permission
_CASHIER = frozenset({_P.SELL, _P.REPRINT, _P.CASH_MOVEMENT, _P.SHIFT_OPEN})
_SUPERVISOR = _CASHIER | {
    _P.VOID_LINE,
    _P.PRICE_OVERRIDE,
    _P.MANUAL_DISCOUNT,
    _P.REFUND,
    _P.SHIFT_CLOSE,
    _P.CANCEL_BASKET,
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
file also needs ``SETTINGS`` (admin). ``MANAGE_USERS`` lets a manager add and
manage users up to their own role, never above it.
"""


def lowest_role(perm: Permission) -> str:
    """The least senior role holding ``perm``: who a refusal says is needed."""
    return next(role for role in ROLES if perm in PERMISSIONS[role])


def role_name(role: str) -> Ref:
    """A role's name as a message parameter (收银员 / cashier ...)."""
    return Ref(f"role_{role}")


def permission_name(perm: Permission) -> Ref:
    """A permission's name as a message parameter (退货退款 / refund ...)."""
    return Ref(f"perm_{perm.value}")


# argon2id. t=2, m=64 MiB, p=2 verifies in ~60 ms on two cores of a 2020s
# laptop CPU: slow enough to make bulk guessing costly, fast enough not to be
# felt at the till. Tests swap HASHER for a cheap one (see tests/terminal).
HASHER: PasswordHasher = PasswordHasher(time_cost=2, memory_cost=65536, parallelism=2)

PIN_MIN, PIN_MAX = 4, 8
_PIN_RE = re.compile(r"[0-9]+")
_USERNAME_RE = re.compile(r"[A-Za-z0-9_.\-]{1,32}")


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user, as a value the core can pass around.

    ``granted`` is set on an Actor made by :func:`supervisor_override`: it then
    lends its authority for that one permission, for one action (``grant_id``
    identifies the approval :func:`authorize` consumes).
    """

    user_id: str
    username: str
    display_name: str
    role: str
    granted: Permission | None = None
    grant_id: str | None = None

    def can(self, perm: Permission) -> bool:
        if self.granted is not None and perm != self.granted:
            return False
        return perm in PERMISSIONS.get(self.role, frozenset())


def actor_of(user: User) -> Actor:
    """The Actor for a user row."""
    return Actor(user.id, user.username, user.display_name, user.role)


def may_unlock(who: Actor, cashier: Actor) -> bool:
    """Whether ``who`` (just logged in) may unlock a till locked while ``cashier`` sold:
    that cashier, or anyone who may void a line (a supervisor or above)."""
    return who.user_id == cashier.user_id or who.can(Permission.VOID_LINE)


# --- PINs ------------------------------------------------------------------------------


def validate_pin(pin: str, min_length: int = PIN_MIN) -> None:
    """Refuse anything but ``min_length``–8 ASCII digits (never echoing the PIN back).

    ``min_length`` is the store's ``[security] min_pin_length`` (4 or 6 ...);
    it applies to new PINs, never to logging in with an older, shorter one.
    """
    low = max(PIN_MIN, min(min_length, PIN_MAX))
    if (
        not isinstance(pin, str)
        or not pin.isascii()
        or not _PIN_RE.fullmatch(pin)
        or not low <= len(pin) <= PIN_MAX
    ):
        raise InvalidInput("bad_pin", min=low, max=PIN_MAX)


def hash_pin(pin: str, min_length: int = PIN_MIN) -> str:
    """An argon2id hash of a valid PIN (salted; never contains the PIN)."""
    validate_pin(pin, min_length)
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


class _UsedApprovals:
    """The approvals already spent in this process (each covers one action)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._used: set[str] = set()

    def spend(self, grant_id: str) -> bool:
        """Mark ``grant_id`` used; False when it had been used before."""
        with self._lock:
            if grant_id in self._used:
                return False
            self._used.add(grant_id)
            return True


_approvals = _UsedApprovals()


class NeedsApproval(PermissionDenied):
    """The actor lacks ``perm``: a front end may ask for an approval and try again."""

    code = "needs_approval"

    def __init__(self, perm: Permission, role: str | None = None) -> None:
        role = role or lowest_role(perm)
        super().__init__("needs_approval", role=role_name(role), permission=permission_name(perm))
        self.perm = perm
        self.role = role


def authorize(actor: Actor, perm: Permission, approver: Actor | None = None) -> Actor:
    """Return whose authority allows ``perm``: ``actor``'s own, else ``approver``'s.

    Raises :class:`NeedsApproval` when neither holds it; the message names the
    role needed. An approval from :func:`supervisor_override` is spent by the
    first action it allows; offered again it is refused (``approval_used``).
    Callers validate the request *before* authorizing, so an approval is never
    spent on a request that is then refused. Callers record the returned Actor
    as ``approved_by`` when it is not ``actor``.
    """
    if actor.can(perm):
        return actor
    if approver is not None and approver.can(perm):
        if approver.grant_id is not None and not _approvals.spend(approver.grant_id):
            raise PermissionDenied("approval_used")
        return approver
    raise NeedsApproval(perm)


def authorize_role(
    actor: Actor, perm: Permission, min_role: str, approver: Actor | None = None
) -> Actor:
    """:func:`authorize` with the store's own least role for ``perm``.

    For the few actions a store sets itself (``[security] cancel_basket_role``):
    whoever holds ``min_role`` or above may, the matrix notwithstanding.
    """

    def holds(who: Actor) -> bool:
        lent_elsewhere = who.granted is not None and who.granted != perm
        return not lent_elsewhere and ROLE_RANK.get(who.role, -1) >= ROLE_RANK[min_role]

    if actor.granted is None and holds(actor):
        return actor
    if approver is not None and holds(approver):
        if approver.grant_id is not None and not _approvals.spend(approver.grant_id):
            raise PermissionDenied("approval_used")
        return approver
    raise NeedsApproval(perm, min_role)


# --- users ---------------------------------------------------------------------------------


def _user_by_name(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def _require_user(session: Session, username: str) -> User:
    user = _user_by_name(session, username)
    if user is None:
        raise NotFound("unknown_user", username=username)
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
    min_pin_length: int = PIN_MIN,
) -> User:
    """Add a user. ``by`` needs MANAGE_USERS and may not create a role above its own.

    ``by=None`` is the bootstrap: allowed only while the store has no user at
    all, and the first user must be an admin (else nobody could add the rest).
    """
    if role not in ROLE_RANK:
        raise InvalidInput("bad_role", role=str(role)[:16])
    if not isinstance(username, str) or not _USERNAME_RE.fullmatch(username):
        raise InvalidInput("bad_username")
    display_name = (display_name or "").strip()
    if not display_name or len(display_name) > 64:
        raise InvalidInput("bad_display_name")
    validate_pin(pin, min_pin_length)
    if by is None:
        if session.scalar(select(func.count()).select_from(User)):
            raise NeedsApproval(Permission.MANAGE_USERS)
        if role != "admin":
            raise InvalidInput("first_user_admin")
    else:
        authorize(by, Permission.MANAGE_USERS)
        if ROLE_RANK[role] > ROLE_RANK.get(by.role, -1):
            raise PermissionDenied("role_above_own", role=role_name(role))
    if _user_by_name(session, username) is not None:
        raise StateError("username_taken", username=username)
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        pin_hash=HASHER.hash(pin),
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
    min_pin_length: int = PIN_MIN,
) -> None:
    """Set a new PIN.

    A user changing their own PIN must give the old one; changing someone
    else's (a reset) needs MANAGE_USERS, may not touch a role above the
    resetter's own, and clears their lock.
    """
    validate_pin(new_pin, min_pin_length)
    user = _require_user(session, username)
    if by.user_id == user.id:
        if old_pin is None or not verify_pin(user.pin_hash, old_pin):
            raise PermissionDenied("wrong_current_pin")
        reset = False
    else:
        authorize(by, Permission.MANAGE_USERS)
        if ROLE_RANK.get(user.role, 99) > ROLE_RANK.get(by.role, -1):
            raise PermissionDenied("role_above_own", role=role_name(user.role))
        reset = True
    user.pin_hash = HASHER.hash(new_pin)
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
    if user.id == by.user_id:
        raise StateError("deactivate_self")
    if ROLE_RANK.get(user.role, 99) > ROLE_RANK.get(by.role, -1):
        raise PermissionDenied("role_above_own", role=role_name(user.role))
    if not user.active:
        raise StateError("user_inactive", username=username)
    if user.role == "admin":
        admins = session.scalar(
            select(func.count()).select_from(User).where(User.role == "admin", User.active)
        )
        if (admins or 0) <= 1:
            raise StateError("last_admin")
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
    return PermissionDenied("user_locked", minutes=minutes, at=local)


PHANTOM_PREFIX = "login:"  # store_meta keys of failed logins under names that are no user
PHANTOM_LIMIT = 10_000  # typing random names cannot grow the store without limit


def _phantom_key(session: Session, name: str) -> str:
    """The ``store_meta`` key counting failed logins under ``name``, which is no (active) user.

    Kept in the store, because every ``posterm`` command is its own process and
    a count in memory let a real user lock while an unknown one never did. The
    name itself is never stored (a PIN typed into the user field must leave no
    trace): the key is an argon2id hash of it with the store's own salt, at the
    cost of verifying a PIN, so the answer takes as long as a known user's and
    the key is as hard to reverse as a PIN hash.
    """
    salt = session.get(StoreMeta, "login_salt")
    if salt is None:
        salt = StoreMeta(key="login_salt", value=secrets.token_hex(16))
        session.add(salt)
    digest = hash_secret_raw(
        name.encode("utf-8", "replace"),
        bytes.fromhex(salt.value),
        time_cost=HASHER.time_cost,
        memory_cost=HASHER.memory_cost,
        parallelism=HASHER.parallelism,
        hash_len=12,
        type=Type.ID,
    )
    return PHANTOM_PREFIX + digest.hex()


def _phantom_fail(
    session: Session, name: str, now: datetime, max_attempts: int, lock_minutes: int
) -> datetime | None:
    """Count a failed login under ``name`` (no user) as a user's would be counted; the time
    it is locked until, or None."""
    key = _phantom_key(session, name)
    row = session.get(StoreMeta, key)
    failures, locked_until = 0, None
    if row is not None:
        count, _, until = row.value.partition("|")
        failures = int(count) if count.isdigit() else 0
        locked_until = datetime.fromisoformat(until) if until else None
    if locked_until is not None and now >= locked_until:
        failures, locked_until = 0, None
    if locked_until is None:
        failures += 1
        if failures >= max_attempts:
            locked_until = now + timedelta(minutes=lock_minutes)
    value = f"{failures}|{locked_until.isoformat() if locked_until else ''}"
    if row is not None:
        row.value = value
        return locked_until
    prefix = f"{PHANTOM_PREFIX}%"
    held = session.scalar(
        select(func.count()).select_from(StoreMeta).where(StoreMeta.key.like(prefix))
    )
    if (held or 0) >= PHANTOM_LIMIT:
        oldest = session.scalar(select(StoreMeta).where(StoreMeta.key.like(prefix)).limit(1))
        if oldest is not None:
            session.delete(oldest)
    session.add(StoreMeta(key=key, value=value))
    return locked_until


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
    user = _user_by_name(session, username) if isinstance(username, str) else None
    if user is None or not user.active:
        # answered exactly like a known user, lockout included; the typed name
        # is never stored (a PIN typed into the user field must leave no trace)
        audit.record(
            session,
            "login_failed",
            user_id=user.id if user else None,
            terminal_id=terminal_id,
            target=user.id if user else "",
            reason="inactive" if user else "unknown_user",
            purpose=purpose,
        )
        # costs one argon2 hash, as verifying a known user's PIN does
        locked_until = _phantom_fail(session, str(username), now, max_attempts, lock_minutes)
        if locked_until is not None:
            return _locked_error(session, locked_until, now)
        return PermissionDenied("login_failed")

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
        return PermissionDenied("login_failed")

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
    min_role: str | None = None,
) -> Actor:
    """A supervisor approves one action at someone else's till.

    ``min_role`` is the store's own least role for ``perm`` where the store
    sets one (see :func:`authorize_role`); otherwise the matrix decides.

    The PIN is checked like a login (wrong PINs count toward the supervisor's
    lockout). The returned Actor carries ``granted=perm``: passed as
    ``approver`` to :func:`authorize` it lends authority for that permission
    and one action (:func:`authorize` spends it). Refusals are audited
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
            target="",  # never the typed text: the login_failed row names a known user
            permission=perm.value,
            reason=user.code,
        )
        session.commit()
        raise user
    allowed = (
        actor_of(user).can(perm)
        if min_role is None
        else ROLE_RANK.get(user.role, -1) >= ROLE_RANK[min_role]
    )
    if not allowed:
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
            "cannot_approve",
            username=user.username,
            role=role_name(min_role or lowest_role(perm)),
            permission=permission_name(perm),
        )
    audit.record(
        session,
        "override_granted",
        user_id=user.id,
        terminal_id=terminal_id,
        target=user.id,
        permission=perm.value,
    )
    return Actor(
        user.id,
        user.username,
        user.display_name,
        user.role,
        granted=perm,
        grant_id=uuid.uuid4().hex,
    )
