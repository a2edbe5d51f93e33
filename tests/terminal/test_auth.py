"""Users, roles, PINs, lockout and overrides, on a real SQLite store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from terminal import auth
from terminal.auth import PERMISSIONS, ROLES, Actor, Permission, authorize
from terminal.errors import InvalidInput, NotFound, PermissionDenied, StateError
from terminal.store.database import Database
from terminal.store.models import AuditEvent, StoreMeta, User

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
PRODUCTION_HASHER = auth.HASHER  # taken before the fixture swaps it out
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

USERS = [
    ("9001", "管理员", "admin", "9999"),
    ("3001", "店长", "manager", "3333"),
    ("2001", "主管", "supervisor", "2222"),
    ("1001", "收银员", "cashier", "1111"),
]


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production parameters cost ~60 ms a hash; tests do not need that."""
    monkeypatch.setattr(auth, "HASHER", CHEAP)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "store.sqlite3")
    yield database
    database.close()


@pytest.fixture
def users(db: Database) -> dict[str, Actor]:
    """The four roles, keyed by role, created by a bootstrapped admin."""
    out: dict[str, Actor] = {}
    with db.transaction() as s:
        admin: Actor | None = None
        for username, name, role, pin in USERS:
            user = auth.create_user(
                s, username=username, display_name=name, role=role, pin=pin, by=admin
            )
            out[role] = auth.actor_of(user)
            admin = admin or out[role]
    return out


def user_row(db: Database, username: str) -> User:
    with db.sessions() as s:
        return s.scalars(select(User).where(User.username == username)).one()


def actions(db: Database) -> list[str]:
    with db.sessions() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.at, AuditEvent.id)))


def try_login(db: Database, username: str, pin: str, now: datetime = NOW) -> Actor:
    with db.transaction() as s:
        return auth.login(s, username, pin, now=now, terminal_id="T01")


# --- the matrix ---------------------------------------------------------------------------


def test_roles_are_cumulative_and_as_specified() -> None:
    assert set(PERMISSIONS) == set(ROLES)
    for lower, higher in pairwise(ROLES):
        assert PERMISSIONS[lower] < PERMISSIONS[higher]
    cashier = PERMISSIONS["cashier"]
    assert cashier == {
        Permission.SELL,
        Permission.SHIFT_OPEN,
        Permission.REPRINT,
        Permission.CASH_MOVEMENT,
    }
    for perm in (
        Permission.VOID_LINE,
        Permission.PRICE_OVERRIDE,
        Permission.MANUAL_DISCOUNT,
        Permission.REFUND,
        Permission.SHIFT_CLOSE,
    ):
        assert perm not in cashier
        assert perm in PERMISSIONS["supervisor"]
    assert Permission.REPORTS not in PERMISSIONS["supervisor"]
    assert Permission.REPORTS in PERMISSIONS["manager"]
    assert Permission.BACKUP_RESTORE in PERMISSIONS["manager"]
    # managers run their own staff (issue 8), never above their own role
    assert Permission.MANAGE_USERS in PERMISSIONS["manager"]
    assert Permission.SETTINGS not in PERMISSIONS["manager"]
    assert PERMISSIONS["admin"] == frozenset(Permission)


def test_doc_table_equals_code_matrix() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(
        r"<!-- permission-matrix:start -->(.*?)<!-- permission-matrix:end -->", text, re.S
    )
    assert block, "docs/roles.md lost its permission matrix markers"
    rows = [line for line in block.group(1).strip().splitlines() if line.startswith("|")]
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    assert header == ["permission", *ROLES]
    doc: dict[str, set[str]] = {role: set() for role in ROLES}
    seen: list[str] = []
    for row in rows[2:]:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        perm, marks = cells[0], cells[1:]
        seen.append(perm)
        assert len(marks) == len(ROLES), row
        for role, mark in zip(ROLES, marks, strict=True):
            assert mark in ("", "✓"), row
            if mark:
                doc[role].add(perm)
    assert sorted(seen) == sorted(p.value for p in Permission)
    assert doc == {role: {p.value for p in perms} for role, perms in PERMISSIONS.items()}


def test_actor_can_and_authorize() -> None:
    cashier = Actor("u1", "1001", "收银员", "cashier")
    sup = Actor("u2", "2001", "主管", "supervisor")
    assert cashier.can(Permission.SELL)
    assert not cashier.can(Permission.REFUND)
    assert authorize(cashier, Permission.SELL) is cashier
    assert authorize(sup, Permission.REFUND, cashier) is sup
    assert authorize(cashier, Permission.REFUND, sup) is sup
    with pytest.raises(PermissionDenied, match="需要主管授权"):
        authorize(cashier, Permission.REFUND)
    with pytest.raises(PermissionDenied, match="needs manager approval"):
        authorize(cashier, Permission.REPORTS, sup)
    assert not Actor("u9", "x", "x", "unknown").can(Permission.SELL)


def test_who_may_unlock_an_idle_till_is_decided_in_the_core() -> None:
    """Both tills ask :func:`auth.may_unlock`: the shift's cashier, or a supervisor and up."""
    cashier = Actor("u1", "1001", "收银员", "cashier")
    assert auth.may_unlock(cashier, cashier)
    assert not auth.may_unlock(Actor("u3", "1002", "收银员", "cashier"), cashier)
    for role in ("supervisor", "manager", "admin"):
        assert auth.may_unlock(Actor("u2", "2001", role, role), cashier)


# --- PINs ---------------------------------------------------------------------------------


def test_pin_hash_is_argon2id_and_verifies(users: dict[str, Actor], db: Database) -> None:
    row = user_row(db, "1001")
    assert row.pin_hash.startswith("$argon2id$")
    assert "1111" not in row.pin_hash
    assert auth.verify_pin(row.pin_hash, "1111")
    assert not auth.verify_pin(row.pin_hash, "1112")
    assert not auth.verify_pin("not a hash", "1111")
    # salted: the same PIN hashes differently each time
    assert auth.hash_pin("1111") != auth.hash_pin("1111")


def test_production_hasher_is_argon2id_with_real_cost() -> None:
    assert PRODUCTION_HASHER.type.name == "ID"
    assert PRODUCTION_HASHER.memory_cost >= 19456  # OWASP's floor for argon2id
    assert PRODUCTION_HASHER.time_cost >= 2


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", " 1234", "١٢٣٤", "12.4"])
def test_bad_pins_refused(pin: str) -> None:
    with pytest.raises(InvalidInput, match="4至8位数字"):
        auth.hash_pin(pin)


def test_pin_never_in_the_store(users: dict[str, Actor], db: Database) -> None:
    try_login(db, "1001", "1111")
    with pytest.raises(PermissionDenied):
        try_login(db, "1001", "5678")
    raw = (db.path).read_bytes()
    wal = db.path.with_name(db.path.name + "-wal")
    blob = raw + (wal.read_bytes() if wal.exists() else b"")
    assert b"5678" not in blob
    with db.sessions() as s:
        for event in s.scalars(select(AuditEvent)):
            assert "5678" not in str(event.details)
            assert "1111" not in str(event.details)


def test_rehash_on_login_when_parameters_change(
    users: dict[str, Actor], db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = user_row(db, "1001").pin_hash
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    try_login(db, "1001", "1111")
    new = user_row(db, "1001").pin_hash
    assert new != old and "t=2" in new
    try_login(db, "1001", "1111")
    assert user_row(db, "1001").pin_hash == new  # no needless rehash


# --- users --------------------------------------------------------------------------------


def test_bootstrap_only_on_empty_store(db: Database) -> None:
    with db.transaction() as s, pytest.raises(InvalidInput, match="管理员"):
        auth.create_user(s, username="1001", display_name="x", role="cashier", pin="1111", by=None)
    with db.transaction() as s:
        auth.create_user(
            s, username="9001", display_name="管理员", role="admin", pin="9999", by=None
        )
    with db.transaction() as s, pytest.raises(PermissionDenied):
        auth.create_user(s, username="9002", display_name="x", role="admin", pin="9999", by=None)
    assert actions(db) == ["user_created"]


def test_create_user_needs_manage_users(users: dict[str, Actor], db: Database) -> None:
    with db.transaction() as s, pytest.raises(PermissionDenied, match="needs manager approval"):
        auth.create_user(
            s, username="1002", display_name="x", role="cashier", pin="1111", by=users["supervisor"]
        )
    # a manager runs the staff, but never above their own role
    with db.transaction() as s, pytest.raises(PermissionDenied, match="above your own role"):
        auth.create_user(
            s, username="9002", display_name="x", role="admin", pin="9999", by=users["manager"]
        )
    with db.transaction() as s:
        auth.create_user(
            s, username="1002", display_name="x", role="cashier", pin="1111", by=users["manager"]
        )
    with db.transaction() as s, pytest.raises(StateError, match="已存在"):
        auth.create_user(
            s, username="1001", display_name="x", role="cashier", pin="1111", by=users["admin"]
        )
    with db.transaction() as s, pytest.raises(InvalidInput, match="未知角色"):
        auth.create_user(
            s, username="1003", display_name="x", role="boss", pin="1111", by=users["admin"]
        )
    with db.transaction() as s, pytest.raises(InvalidInput):
        auth.create_user(
            s,
            username="has space",
            display_name="x",
            role="cashier",
            pin="1111",
            by=users["admin"],
        )


def test_change_pin_self_and_reset(users: dict[str, Actor], db: Database) -> None:
    cashier, admin = users["cashier"], users["admin"]
    with db.transaction() as s, pytest.raises(PermissionDenied):
        auth.change_pin(s, username="1001", new_pin="4321", by=cashier, old_pin="0000")
    with db.transaction() as s:
        auth.change_pin(s, username="1001", new_pin="4321", by=cashier, old_pin="1111")
    assert try_login(db, "1001", "4321").user_id == cashier.user_id
    with db.transaction() as s, pytest.raises(PermissionDenied):
        auth.change_pin(s, username="2001", new_pin="4321", by=cashier)
    # admin reset clears a lock
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            try_login(db, "2001", "0000")
    with db.transaction() as s:
        auth.change_pin(s, username="2001", new_pin="24680", by=admin)
    assert try_login(db, "2001", "24680").role == "supervisor"
    assert {"pin_changed", "pin_reset"} <= set(actions(db))


def test_deactivate_user(users: dict[str, Actor], db: Database) -> None:
    admin = users["admin"]
    with db.transaction() as s, pytest.raises(PermissionDenied):
        auth.deactivate_user(s, username="1001", by=users["supervisor"])
    with db.transaction() as s, pytest.raises(PermissionDenied, match="above your own role"):
        auth.deactivate_user(s, username="9001", by=users["manager"])
    with db.transaction() as s, pytest.raises(StateError):
        auth.deactivate_user(s, username="9001", by=admin)
    with db.transaction() as s, pytest.raises(NotFound):
        auth.deactivate_user(s, username="nobody", by=admin)
    with db.transaction() as s:
        auth.deactivate_user(s, username="1001", by=admin)
    with pytest.raises(PermissionDenied, match="用户名或密码错误"):
        try_login(db, "1001", "1111")
    assert "user_deactivated" in actions(db)


# --- login and lockout --------------------------------------------------------------------


def test_login_ok(users: dict[str, Actor], db: Database) -> None:
    actor = try_login(db, "1001", "1111")
    assert actor == users["cashier"]
    assert actions(db)[-1] == "login_ok"


def test_failed_counter_is_persisted(users: dict[str, Actor], db: Database) -> None:
    with pytest.raises(PermissionDenied):
        try_login(db, "1001", "0000")
    assert user_row(db, "1001").failed_attempts == 1
    with pytest.raises(PermissionDenied):
        try_login(db, "1001", "0000")
    assert user_row(db, "1001").failed_attempts == 2
    try_login(db, "1001", "1111")
    assert user_row(db, "1001").failed_attempts == 0
    assert actions(db)[-3:] == ["login_failed", "login_failed", "login_ok"]


def test_lockout_then_unlock(users: dict[str, Actor], db: Database) -> None:
    for i in range(4):
        with pytest.raises(PermissionDenied, match="用户名或密码错误") as info:
            try_login(db, "1001", "0000", NOW + timedelta(seconds=i))
        assert info.value.code == "login_failed"
    with pytest.raises(PermissionDenied, match="已锁定，请5分钟后再试") as info:
        try_login(db, "1001", "0000", NOW + timedelta(seconds=4))
    assert info.value.code == "user_locked"
    row = user_row(db, "1001")
    assert row.locked_until == NOW + timedelta(seconds=4, minutes=5)
    # the right PIN does not help while locked
    with pytest.raises(PermissionDenied, match="已锁定") as info:
        try_login(db, "1001", "1111", NOW + timedelta(minutes=2))
    assert "4分钟" in str(info.value)  # 3 min 4 s left, rounded up
    assert "user_locked" in actions(db)
    # after the lock has run out, the right PIN works and clears everything
    actor = try_login(db, "1001", "1111", NOW + timedelta(minutes=5, seconds=5))
    assert actor.username == "1001"
    row = user_row(db, "1001")
    assert row.failed_attempts == 0 and row.locked_until is None


def test_lock_expiry_gives_a_fresh_count(users: dict[str, Actor], db: Database) -> None:
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            try_login(db, "1001", "0000")
    later = NOW + timedelta(minutes=6)
    with pytest.raises(PermissionDenied, match="用户名或密码错误"):
        try_login(db, "1001", "0000", later)
    assert user_row(db, "1001").failed_attempts == 1


def test_lock_parameters(users: dict[str, Actor], db: Database) -> None:
    for _ in range(2):
        with db.transaction() as s, pytest.raises(PermissionDenied):
            auth.login(s, "1001", "0000", now=NOW, max_attempts=3, lock_minutes=10)
    with db.transaction() as s, pytest.raises(PermissionDenied, match="10分钟"):
        auth.login(s, "1001", "0000", now=NOW, max_attempts=3, lock_minutes=10)


def test_no_user_enumeration(users: dict[str, Actor], db: Database) -> None:
    with pytest.raises(PermissionDenied) as unknown:
        try_login(db, "nobody", "1111")
    with pytest.raises(PermissionDenied) as wrong:
        try_login(db, "1001", "0000")
    assert str(unknown.value) == str(wrong.value)
    assert unknown.value.code == wrong.value.code
    with db.sessions() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed")).all()
    assert {e.details["reason"] for e in events} == {"unknown_user", "wrong_pin"}


# --- supervisor override --------------------------------------------------------------------


def test_override_grants_one_permission(users: dict[str, Actor], db: Database) -> None:
    cashier = users["cashier"]
    with db.transaction() as s:
        approver = auth.supervisor_override(
            s, username="2001", pin="2222", perm=Permission.REFUND, now=NOW, terminal_id="T01"
        )
    assert approver.user_id == users["supervisor"].user_id
    assert authorize(cashier, Permission.REFUND, approver) is approver
    # lent for that permission only
    with pytest.raises(PermissionDenied):
        authorize(cashier, Permission.VOID_LINE, approver)
    with db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "override_granted")).one()
    assert event.user_id == users["supervisor"].user_id
    assert event.details["permission"] == "refund"


def test_override_refused_for_wrong_pin_and_counts(users: dict[str, Actor], db: Database) -> None:
    for _ in range(5):
        with db.transaction() as s, pytest.raises(PermissionDenied):
            auth.supervisor_override(
                s, username="2001", pin="0000", perm=Permission.REFUND, now=NOW
            )
    assert user_row(db, "2001").locked_until is not None
    with db.transaction() as s, pytest.raises(PermissionDenied, match="已锁定"):
        auth.supervisor_override(s, username="2001", pin="2222", perm=Permission.REFUND, now=NOW)
    assert actions(db).count("override_refused") == 6


def test_override_refused_without_permission(users: dict[str, Actor], db: Database) -> None:
    with db.transaction() as s, pytest.raises(PermissionDenied, match="无权授权"):
        auth.supervisor_override(s, username="2001", pin="2222", perm=Permission.REPORTS, now=NOW)
    with db.transaction() as s, pytest.raises(PermissionDenied):
        auth.supervisor_override(s, username="1001", pin="1111", perm=Permission.REFUND, now=NOW)
    with db.sessions() as s:
        reasons = [
            e.details["reason"]
            for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "override_refused"))
        ]
    assert reasons == ["lacks_permission", "lacks_permission"]
    # a right PIN with the wrong role does not lock, and resets nothing harmful
    assert user_row(db, "2001").failed_attempts == 0


# --- issue 8: answers that reveal nothing, approvals that cover one action ----------------


def test_one_approval_covers_one_action(users: dict[str, Actor], db: Database) -> None:
    cashier = users["cashier"]
    with db.transaction() as s:
        approver = auth.supervisor_override(
            s, username="2001", pin="2222", perm=Permission.VOID_LINE, now=NOW
        )
    assert authorize(cashier, Permission.VOID_LINE, approver) is approver
    with pytest.raises(PermissionDenied) as again:
        authorize(cashier, Permission.VOID_LINE, approver)
    assert again.value.code == "approval_used"
    # the supervisor's own authority is not an approval and is never used up
    sup = users["supervisor"]
    assert authorize(sup, Permission.VOID_LINE) is sup
    assert authorize(sup, Permission.VOID_LINE) is sup


def test_unknown_user_locks_like_a_real_one(users: dict[str, Actor], db: Database) -> None:
    def answers(username: str) -> list[tuple[str, str]]:
        out = []
        for i in range(7):
            with pytest.raises(PermissionDenied) as info:
                try_login(db, username, "0000", NOW + timedelta(seconds=i))
            out.append((info.value.code, str(info.value)))
        return out

    assert answers("1001") == answers("no-such-user")
    assert [code for code, _ in answers("8888")][-3:] == ["user_locked"] * 3


def test_failed_login_audit_never_holds_typed_text(users: dict[str, Actor], db: Database) -> None:
    # a cashier types their PIN into the user field, and something else as the PIN
    with pytest.raises(PermissionDenied):
        try_login(db, "1111", "9999")
    with db.transaction() as s, pytest.raises(PermissionDenied):
        auth.supervisor_override(s, username="2222", pin="0000", perm=Permission.REFUND, now=NOW)
    with db.sessions() as s:
        rows = s.scalars(select(AuditEvent)).all()
        # nor does the count that locks an unknown name like a user (an argon2 hash of it)
        meta = [f"{m.key} {m.value}" for m in s.scalars(select(StoreMeta))]
    dumped = " ".join(f"{r.target} {r.details} {r.user_id}" for r in rows)
    assert "1111" not in dumped and "2222" not in dumped
    assert any(m.startswith(auth.PHANTOM_PREFIX) for m in meta)
    assert "1111" not in " ".join(meta) and "2222" not in " ".join(meta)


def test_refusals_name_the_role_needed() -> None:
    cashier = Actor("u1", "1001", "收银员", "cashier")
    cases = {
        Permission.VOID_LINE: ("需要主管授权", "needs supervisor approval"),
        Permission.REPORTS: ("需要店长授权", "needs manager approval"),
        Permission.SETTINGS: ("需要管理员授权", "needs admin approval"),
    }
    for perm, (zh, en) in cases.items():
        with pytest.raises(auth.NeedsApproval) as info:
            authorize(cashier, perm)
        assert info.value.text("zh_CN").startswith(zh)
        assert info.value.text("en").startswith(en)
        assert info.value.perm is perm


def test_store_may_require_six_digit_pins(users: dict[str, Actor], db: Database) -> None:
    with db.transaction() as s, pytest.raises(InvalidInput, match="6至8位数字"):
        auth.create_user(
            s,
            username="1005",
            display_name="x",
            role="cashier",
            pin="1234",
            by=users["admin"],
            min_pin_length=6,
        )
    with db.transaction() as s:
        auth.create_user(
            s,
            username="1005",
            display_name="x",
            role="cashier",
            pin="123456",
            by=users["admin"],
            min_pin_length=6,
        )
    assert try_login(db, "1005", "123456").username == "1005"
    # an older 4-digit PIN still logs in; it is only new PINs that must be longer
    assert try_login(db, "1001", "1111").username == "1001"
