"""Personal data at rest: AES-GCM fields, key storage, blind indexes, rotation, no leaks."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from sqlalchemy import select

from terminal import members, pii
from terminal.config import DataDir
from terminal.errors import InvalidInput, PosError
from terminal.pii import (
    FORMAT_V1,
    HEADER_LEN,
    DecryptError,
    FileKeyStore,
    KeyringKeyStore,
    MemberKeysError,
    MemberVault,
    normalise_phone,
    rotate_data_key,
    rotate_index_key,
)
from terminal.registration import register_member
from terminal.store.database import Database
from terminal.store.models import AuditEvent, Member, OutboxRow, Tier
from tests.conftest import DEMO_NOW

PEOPLE = [
    ("欧阳娜娜", "13912345678"),
    ("王小明", "13800138000"),
    ("司马相如", "18688886666"),
]


def register(db: Database, vault: MemberVault, phone: str, name: str, **kw: object) -> Member:
    with db.transaction() as session:
        return register_member(
            session,
            vault,
            phone=phone,
            name=name,
            consent_data=True,
            actor=None,
            now=DEMO_NOW,
            **kw,  # type: ignore[arg-type]
        ).member


# --- field encryption ------------------------------------------------------------------


def test_round_trip_format_and_key_id() -> None:
    vault = MemberVault.ephemeral()
    blob = vault.encrypt_field("name", "m1", "王小明")
    assert blob[0] == FORMAT_V1
    assert MemberVault.key_id_of(blob) == vault.active_key_id
    assert len(blob) == HEADER_LEN + len("王小明".encode()) + 16
    assert vault.decrypt_field("name", "m1", blob) == "王小明"
    assert vault.decrypt_field("name", "m1", None) is None
    # a fresh nonce every time
    assert vault.encrypt_field("name", "m1", "王小明") != blob


def test_ciphertext_is_bound_to_member_and_field() -> None:
    vault = MemberVault.ephemeral()
    blob = vault.encrypt_field("phone", "member-a", "13912345678")
    with pytest.raises(DecryptError):
        vault.decrypt_field("phone", "member-b", blob)
    with pytest.raises(DecryptError):
        vault.decrypt_field("name", "member-a", blob)
    tampered = bytearray(blob)
    tampered[-1] ^= 1
    with pytest.raises(DecryptError):
        vault.decrypt_field("phone", "member-a", bytes(tampered))
    # the message names neither the value nor the member
    try:
        vault.decrypt_field("phone", "member-b", blob)
    except DecryptError as exc:
        assert "13912345678" not in str(exc) and "member-b" not in str(exc)


def test_from_raw_keys_and_unknown_key_id() -> None:
    vault = MemberVault.from_keys({b"K001": b"\x01" * 32}, b"K001", b"\x02" * 32)
    blob = vault.encrypt_field("name", "m", "李雷")
    assert blob[1:5] == b"K001"
    other = MemberVault.from_keys({b"K002": b"\x03" * 32}, b"K002", b"\x02" * 32)
    with pytest.raises(MemberKeysError):
        other.decrypt_field("name", "m", blob)
    # same index key -> same blind index, whatever the data keys
    assert vault.phone_index("13912345678") == other.phone_index("139-1234-5678")


# --- phones and blind indexes ---------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["13912345678", "+86 139 1234 5678", "86-139-1234-5678", "139 1234 5678", "0086 13912345678"],
)
def test_phone_forms_normalise_to_the_same_number(raw: str) -> None:
    assert normalise_phone(raw) == "13912345678"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "1391234567",
        "139123456789",
        "12912345678",
        "23912345678",
        "1391234567x",
        "+1 13912345678",
    ],
)
def test_bad_phones_are_refused_without_echo(raw: str) -> None:
    with pytest.raises(InvalidInput) as info:
        normalise_phone(raw)
    assert info.value.code == "bad_phone"
    if raw:
        assert raw not in str(info.value)


def test_blind_index_is_keyed_hex_and_distinct_for_last4() -> None:
    a, b = MemberVault.ephemeral(), MemberVault.ephemeral()
    idx = a.phone_index("13912345678")
    assert len(idx) == 64 and set(idx) <= set("0123456789abcdef")  # HMAC-SHA256, lowercase hex
    assert a.phone_index("+86 139-1234-5678") == idx  # however the phone is typed
    assert idx != b.phone_index("13912345678")  # different key, different index
    assert a.last4_index("5678") != a.phone_index("13912345678")
    assert "13912345678" not in idx


# --- key storage --------------------------------------------------------------------------


def test_key_file_fallback_is_0600_atomic_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)  # headless: no keyring
    data = DataDir(tmp_path / "data")
    vault = MemberVault.from_data_dir(data)
    path = data.keys_dir / pii.KEY_FILE_NAME
    assert isinstance(vault.store, FileKeyStore) and vault.store.path == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in data.keys_dir.iterdir() if p.name.endswith(".tmp")]
    blob = vault.encrypt_field("name", "m", "韩梅梅")
    again = MemberVault.from_data_dir(data)
    assert again.decrypt_field("name", "m", blob) == "韩梅梅"


def test_missing_keys_refused_without_create(tmp_path: Path) -> None:
    with pytest.raises(MemberKeysError):
        MemberVault.from_data_dir(DataDir(tmp_path / "d"), create=False)


def test_damaged_key_file_is_refused(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    MemberVault.from_data_dir(data)
    (data.keys_dir / pii.KEY_FILE_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(MemberKeysError):
        MemberVault.from_data_dir(data)


class MemoryKeyring(KeyringBackend):
    # Defining a backend registers it with keyring; a negative priority keeps it
    # from being picked on its own. The test lends an instance a real priority.
    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def test_os_keyring_is_used_when_available(tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    backend.priority = 10  # type: ignore[misc]
    keyring.set_keyring(backend)
    try:
        data = DataDir(tmp_path / "data")
        vault = MemberVault.from_data_dir(data)
        assert isinstance(vault.store, KeyringKeyStore)
        assert not (data.keys_dir / pii.KEY_FILE_NAME).exists()
        ((service, _user),) = backend.secrets
        assert service == "posterm"
        blob = vault.encrypt_field("name", "m", "李雷")
        assert MemberVault.from_data_dir(data).decrypt_field("name", "m", blob) == "李雷"
    finally:
        keyring.set_keyring(previous)


# --- nothing in clear in the store file --------------------------------------------------------


def test_store_file_and_wal_hold_no_plain_names_or_phones(tmp_path: Path) -> None:
    db = Database(tmp_path / "store.sqlite3")
    with db.transaction() as session:
        session.add(Tier(code="normal", name="普通", rank=0))
    vault = MemberVault.ephemeral()
    for name, phone in PEOPLE:
        register(db, vault, phone, name, birthday_month=2, birthday_day=29)
    with db.sessions() as session:
        assert session.scalar(select(Member).where(Member.phone_index.is_not(None))) is not None
    files = [tmp_path / "store.sqlite3", tmp_path / "store.sqlite3-wal"]
    assert files[1].exists() and files[1].stat().st_size > 0  # still in the WAL: check it too
    raw = b"".join(p.read_bytes() for p in files if p.exists())
    for name, phone in PEOPLE:
        assert name.encode("utf-8") not in raw
        assert name.encode("utf-16-le") not in raw
        assert phone.encode() not in raw
        assert phone[3:].encode() not in raw  # not even without the prefix
    db.close()  # checkpoint into the main file and look again
    raw = (tmp_path / "store.sqlite3").read_bytes()
    for name, phone in PEOPLE:
        assert name.encode() not in raw and phone.encode() not in raw


def test_nothing_personal_in_logs_audit_or_errors(demo_db: Database, tmp_path: Path) -> None:
    log_path = tmp_path / "debug.log"
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    messages: list[str] = []
    try:
        vault = MemberVault.ephemeral()
        name, phone = "欧阳娜娜", "13912345678"
        register(demo_db, vault, phone, name)
        register(demo_db, vault, "+86 139 1234 5678", name)  # duplicate
        with demo_db.sessions() as session:
            members.find_by_phone(session, vault, phone)
            members.find_by_last4(session, vault, "5678")
            for bad in ("139123456780", "2391234567"):
                with pytest.raises(PosError) as info:
                    members.find_by_phone(session, vault, bad)
                messages.append(str(info.value))
        for kw in (
            {"phone": "1391234567", "name": name},
            {"phone": "13912345679", "name": name, "birthday_month": 2, "birthday_day": 30},
            {"phone": "13912345679", "name": name + "x" * 30},
        ):
            with pytest.raises(PosError) as info, demo_db.transaction() as session:
                register_member(session, vault, consent_data=True, actor=None, **kw)  # type: ignore[arg-type]
            messages.append(str(info.value))
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    text = log_path.read_text(encoding="utf-8")
    assert "registered member" in text  # logging did run
    with demo_db.sessions() as session:
        audit_text = " ".join(
            f"{e.target} {e.details}" for e in session.scalars(select(AuditEvent))
        )
    for haystack in [text, audit_text, *messages]:
        assert name not in haystack
        assert "1391234567" not in haystack and "12345678" not in haystack


# --- rotation --------------------------------------------------------------------------------


def _decrypt_all(db: Database, vault: MemberVault) -> dict[str, tuple[str | None, ...]]:
    with db.sessions() as session:
        rows = session.scalars(select(Member).where(Member.name_enc.is_not(None))).all()
        return {
            m.member_no: (
                vault.decrypt_field("name", m.id, m.name_enc),
                vault.decrypt_field("phone", m.id, m.phone_enc),
                vault.decrypt_field("birthday", m.id, m.birthday_enc),
            )
            for m in rows
        }


def test_data_key_rotation(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = MemberVault.from_data_dir(DataDir(tmp_path / "data"))
    for name, phone in PEOPLE:
        register(demo_db, vault, phone, name, birthday_month=7, birthday_day=1)
    before = _decrypt_all(demo_db, vault)
    old_id = vault.active_key_id
    with demo_db.sessions() as session:
        member = session.scalars(select(Member).where(Member.name_enc.is_not(None))).first()
        assert member is not None
        old_blob, member_id = member.name_enc, member.id

    # a rotation that dies inside its transaction: nothing changes, old data still decrypts
    def boom(*_a: object) -> int:
        raise RuntimeError("power cut")

    monkeypatch.setattr(pii, "_reencrypt_outbox", boom)
    with pytest.raises(RuntimeError):
        rotate_data_key(demo_db, vault)
    assert len(vault.keys.data_keys) == 2 and vault.active_key_id != old_id
    reloaded = MemberVault.from_data_dir(DataDir(tmp_path / "data"))
    assert old_id in reloaded.keys.data_keys  # the old key was kept on disk
    assert reloaded.decrypt_field("name", member_id, old_blob) == before[member.member_no][0]
    assert _decrypt_all(demo_db, reloaded) == before
    monkeypatch.undo()

    result = rotate_data_key(demo_db, reloaded)
    assert result.members == len(PEOPLE) and result.outbox_rows == len(PEOPLE)
    assert old_id.hex() in result.retired
    assert list(reloaded.keys.data_keys) == [bytes.fromhex(result.new_key_id)]
    fresh = MemberVault.from_data_dir(DataDir(tmp_path / "data"))
    assert list(fresh.keys.data_keys) == [bytes.fromhex(result.new_key_id)]
    assert _decrypt_all(demo_db, fresh) == before
    with demo_db.sessions() as session:
        for m in session.scalars(select(Member).where(Member.name_enc.is_not(None))):
            assert MemberVault.key_id_of(m.name_enc or b"").hex() == result.new_key_id
        for row in session.scalars(select(OutboxRow).where(OutboxRow.kind == "member")):
            opened = fresh.open_outbox_personal(row.payload["id"], row.payload["personal"])
            assert opened["birthday"] == "07-01"
    with pytest.raises(MemberKeysError):  # the old key alone is gone
        fresh.decrypt_field("name", member_id, old_blob)


def test_index_key_rotation(demo_db: Database, tmp_path: Path) -> None:
    vault = MemberVault.from_data_dir(DataDir(tmp_path / "data"))
    for name, phone in PEOPLE:
        register(demo_db, vault, phone, name)
    register(demo_db, vault, "13700005678", "张三")
    old_index = vault.phone_index("13912345678")
    assert rotate_index_key(demo_db, vault) == len(PEOPLE) + 1
    assert vault.keys.index_next is None and len(vault.keys.index_keys) == 1
    fresh = MemberVault.from_data_dir(DataDir(tmp_path / "data"))
    assert fresh.phone_index("13912345678") != old_index
    with demo_db.sessions() as session:
        assert session.scalar(select(Member).where(Member.phone_index == old_index)) is None
        found = members.find_by_phone(session, fresh, "139 1234 5678")
        assert fresh.decrypt_field("name", found.id, found.name_enc) == "欧阳娜娜"
        assert len(members.find_by_last4(session, fresh, "5678").matches) == 2


def test_index_rotation_resumes_after_a_crash(demo_db: Database, tmp_path: Path) -> None:
    """The next key is saved before the transaction; lookups try both keys meanwhile."""
    vault = MemberVault.from_data_dir(DataDir(tmp_path / "data"))
    register(demo_db, vault, "13912345678", "王小明")
    # simulate a crash right after the next key was saved
    vault.keys.index_next = b"NEXT"
    vault.keys.index_keys[b"NEXT"] = b"\x07" * 32
    vault.save()
    crashed = MemberVault.from_data_dir(DataDir(tmp_path / "data"))
    with demo_db.sessions() as session:
        assert members.find_by_phone(session, crashed, "13912345678").member_no == "M00000201"
    rotate_index_key(demo_db, crashed)
    assert crashed.keys.index_active == b"NEXT"
    with demo_db.sessions() as session:
        assert members.find_by_phone(session, crashed, "13912345678").member_no == "M00000201"
