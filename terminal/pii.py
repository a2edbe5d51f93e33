"""Members' personal data at rest: keys, AES-GCM field encryption, blind indexes, rotation.

What is protected
-----------------
A member's name, phone number and birthday are stored only as AES-GCM
ciphertext (``member.name_enc`` / ``phone_enc`` / ``birthday_enc`` and the
``personal`` part of ``member`` outbox rows). Lookups by phone go through a
*blind index*: ``HMAC-SHA256(index key, normalised phone)`` in
``member.phone_index`` and ``HMAC-SHA256(index key, "last4:" + last 4 digits)``
in ``member.phone_last4_index``. No phone number or name is ever written to the
database, the audit trail, logs or exception messages in clear.

Ciphertext format (``FORMAT_V1``)::

    b"\\x01" | key_id (4 bytes) | nonce (12 bytes) | AES-256-GCM ciphertext + 16-byte tag

The associated data is ``b"posterm/member/" + field + b"/" + member_id``, so a
ciphertext copied to another member or another field fails to decrypt.

Where the keys live
-------------------
Never in the database. One JSON document holds every data key (by key id), the
active data key id and the blind-index key(s). It is kept in the OS keyring
(service ``posterm``, user ``member-keys:<absolute data dir>``) when a real
keyring backend is available, else in ``<data>/keys/member-keys.json``,
created atomically with mode 0600. An existing key file always wins, so a
machine that gains a keyring later keeps using its file. Backups of the store
are useless without this document: back it up separately (see
``docs/personal-data.md``).

Rotation
--------
:func:`rotate_data_key` adds a new data key (saved first, old keys kept),
re-encrypts every member's fields and every ``member`` outbox payload under it
in one transaction, and only then drops the old keys. A crash at any point
leaves every ciphertext decryptable (the key id in each ciphertext names its
key); running the rotation again finishes the job.

:func:`rotate_index_key` saves the new index key as ``next`` (lookups try both
keys meanwhile), recomputes both indexes of every member in one transaction,
then promotes ``next`` to active and drops the old key. Re-running after a
crash resumes with the saved ``next`` key.

Run rotations with the till closed: another process holding the old key set in
memory would keep writing under it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from terminal.config import DataDir
from terminal.errors import InvalidInput, PosError
from terminal.files import atomic_write_text
from terminal.store.database import Database
from terminal.store.models import Member, OutboxRow

# the Core table, for bulk updates by primary key (executemany)
_MEMBER_TABLE = Member.metadata.tables["member"]

log = logging.getLogger(__name__)

FORMAT_V1 = 0x01
KEY_ID_LEN = 4
NONCE_LEN = 12
HEADER_LEN = 1 + KEY_ID_LEN + NONCE_LEN
KEYRING_SERVICE = "posterm"
KEY_FILE_NAME = "member-keys.json"
FIELDS = ("name", "phone", "birthday")

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_SEPARATORS = re.compile(r"[\s\-]")


class MemberKeysError(PosError):
    """The member keys are missing, unreadable or do not match the data."""

    code = "member_keys"


class DecryptError(PosError):
    """A ciphertext failed authentication (wrong key, wrong member/field, or tampered)."""

    code = "decrypt_failed"


# --- phone numbers ----------------------------------------------------------------------


def normalise_phone(raw: str) -> str:
    """A mainland mobile number as 11 digits, or InvalidInput (never echoing the input).

    Accepts spaces and dashes anywhere and a ``+86`` / ``86`` / ``0086`` prefix.
    """
    text = _SEPARATORS.sub("", raw or "")
    for prefix in ("+86", "0086", "86"):
        if text.startswith(prefix) and len(text) == len(prefix) + 11:
            text = text[len(prefix) :]
            break
    if not _MOBILE.fullmatch(text):
        raise InvalidInput("bad_phone")
    return text


def normalise_last4(raw: str) -> str:
    text = _SEPARATORS.sub("", raw or "")
    if not re.fullmatch(r"[0-9]{4}", text):
        raise InvalidInput("bad_last4")
    return text


# --- key storage ------------------------------------------------------------------------


class KeyStore(Protocol):
    """Where the key document lives (keyring or file)."""

    def load(self) -> str | None: ...

    def save(self, document: str) -> None: ...

    def describe(self) -> str: ...


class FileKeyStore:
    """A JSON key document in a file readable by the owner only (0600), replaced atomically."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def load(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def save(self, document: str) -> None:
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # a directory we do not own: the file mode holds
            os.chmod(directory, 0o700)
        atomic_write_text(self.path, document, mode=0o600)

    def describe(self) -> str:
        return f"file {self.path}"


class KeyringKeyStore:
    """The key document as one secret in the OS keyring (service ``posterm``)."""

    def __init__(self, username: str, service: str = KEYRING_SERVICE) -> None:
        self.service = service
        self.username = username

    def load(self) -> str | None:
        import keyring

        return keyring.get_password(self.service, self.username)

    def save(self, document: str) -> None:
        import keyring

        keyring.set_password(self.service, self.username, document)

    def describe(self) -> str:
        return f"keyring {self.service}/{self.username}"


def _keyring_usable() -> bool:
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 0) > 0
    except Exception:  # no keyring library or a broken backend: use the file
        return False


def key_store_for(data: DataDir) -> KeyStore:
    """The key file if it exists, else the OS keyring if usable, else a (new) key file."""
    file_store = FileKeyStore(data.keys_dir / KEY_FILE_NAME)
    if file_store.path.exists():
        return file_store
    if _keyring_usable():
        return KeyringKeyStore(f"member-keys:{data.root.resolve()}")
    return file_store


# --- the key set ----------------------------------------------------------------------------


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass
class KeySet:
    """Every key the vault knows: data keys by id, the active one, the index key(s)."""

    data_keys: dict[bytes, bytes]
    active: bytes
    index_keys: dict[bytes, bytes]
    index_active: bytes
    index_next: bytes | None = None

    @classmethod
    def generate(cls) -> KeySet:
        data_id, index_id = secrets.token_bytes(KEY_ID_LEN), secrets.token_bytes(KEY_ID_LEN)
        return cls(
            data_keys={data_id: AESGCM.generate_key(bit_length=256)},
            active=data_id,
            index_keys={index_id: secrets.token_bytes(32)},
            index_active=index_id,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": 1,
                "data_keys": {k.hex(): _b64(v) for k, v in self.data_keys.items()},
                "active": self.active.hex(),
                "index_keys": {k.hex(): _b64(v) for k, v in self.index_keys.items()},
                "index_active": self.index_active.hex(),
                "index_next": self.index_next.hex() if self.index_next else None,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, document: str) -> KeySet:
        try:
            raw = json.loads(document)
            keys = cls(
                data_keys={bytes.fromhex(k): _unb64(v) for k, v in raw["data_keys"].items()},
                active=bytes.fromhex(raw["active"]),
                index_keys={bytes.fromhex(k): _unb64(v) for k, v in raw["index_keys"].items()},
                index_active=bytes.fromhex(raw["index_active"]),
                index_next=bytes.fromhex(raw["index_next"]) if raw.get("index_next") else None,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise MemberKeysError("member_keys_damaged") from exc
        keys.check()
        return keys

    def check(self) -> None:
        ok = (
            self.active in self.data_keys
            and self.index_active in self.index_keys
            and (self.index_next is None or self.index_next in self.index_keys)
            and all(len(k) == KEY_ID_LEN for k in [*self.data_keys, *self.index_keys])
            and all(len(v) == 32 for v in [*self.data_keys.values(), *self.index_keys.values()])
        )
        if not ok:
            raise MemberKeysError("member_keys_inconsistent")


# --- the vault --------------------------------------------------------------------------------


def _aad(field_name: str, member_id: str) -> bytes:
    return f"posterm/member/{field_name}/{member_id}".encode()


@dataclass
class MemberVault:
    """Encrypts members' personal fields and computes blind indexes.

    Build it with :meth:`from_data_dir` at the till, or :meth:`from_keys` /
    :meth:`ephemeral` in tests and benchmarks. ``store`` is None for a vault
    whose keys live only in memory (rotation then cannot persist).
    """

    keys: KeySet
    store: KeyStore | None = None
    _aead: dict[bytes, AESGCM] = field(default_factory=dict, repr=False)

    # construction ------------------------------------------------------------------
    @classmethod
    def from_data_dir(cls, data: DataDir, *, create: bool = True) -> MemberVault:
        """The vault for a data directory; makes and saves new keys on first use if ``create``."""
        store = key_store_for(data)
        document = store.load()
        if document is None:
            if not create:
                raise MemberKeysError("member_keys_missing", where=store.describe())
            keys = KeySet.generate()
            store.save(keys.to_json())
            log.info("created member data keys in %s", store.describe())
            return cls(keys, store)
        return cls(KeySet.from_json(document), store)

    @classmethod
    def from_keys(
        cls,
        data_keys: Mapping[bytes, bytes],
        active_key_id: bytes,
        index_key: bytes,
        *,
        index_key_id: bytes = b"\x00\x00\x00\x01",
    ) -> MemberVault:
        """A vault from raw keys (tests, benchmarks, tools): 32-byte keys, 4-byte ids."""
        keys = KeySet(
            data_keys=dict(data_keys),
            active=active_key_id,
            index_keys={index_key_id: index_key},
            index_active=index_key_id,
        )
        keys.check()
        return cls(keys)

    @classmethod
    def ephemeral(cls) -> MemberVault:
        """A vault with fresh random keys held only in memory."""
        return cls(KeySet.generate())

    def save(self) -> None:
        if self.store is not None:
            self.store.save(self.keys.to_json())

    # encryption ----------------------------------------------------------------------
    def _cipher(self, key_id: bytes) -> AESGCM:
        cipher = self._aead.get(key_id)
        if cipher is None:
            key = self.keys.data_keys.get(key_id)
            if key is None:
                raise MemberKeysError("member_key_missing", key_id=key_id.hex())
            cipher = self._aead[key_id] = AESGCM(key)
        return cipher

    @property
    def active_key_id(self) -> bytes:
        return self.keys.active

    def encrypt_field(self, field_name: str, member_id: str, value: str) -> bytes:
        """``value`` encrypted under the active key, bound to ``field_name`` and ``member_id``."""
        nonce = os.urandom(NONCE_LEN)
        key_id = self.keys.active
        ct = self._cipher(key_id).encrypt(nonce, value.encode("utf-8"), _aad(field_name, member_id))
        return bytes((FORMAT_V1,)) + key_id + nonce + ct

    def encrypt_optional(self, field_name: str, member_id: str, value: str | None) -> bytes | None:
        return None if value is None else self.encrypt_field(field_name, member_id, value)

    def decrypt_field(self, field_name: str, member_id: str, blob: bytes | None) -> str | None:
        """The clear text of a field (None stays None); DecryptError if it does not verify."""
        if blob is None:
            return None
        if len(blob) < HEADER_LEN + 16 or blob[0] != FORMAT_V1:
            raise DecryptError("personal_data_format")
        key_id = bytes(blob[1 : 1 + KEY_ID_LEN])
        nonce = bytes(blob[1 + KEY_ID_LEN : HEADER_LEN])
        try:
            clear = self._cipher(key_id).decrypt(
                nonce, bytes(blob[HEADER_LEN:]), _aad(field_name, member_id)
            )
        except InvalidTag:
            raise DecryptError("personal_data_tampered", field=field_name) from None
        return clear.decode("utf-8")

    @staticmethod
    def key_id_of(blob: bytes) -> bytes:
        return bytes(blob[1 : 1 + KEY_ID_LEN])

    # blind indexes -------------------------------------------------------------------
    def _mac(self, key_id: bytes, message: str) -> str:
        return hmac.new(self.keys.index_keys[key_id], message.encode(), hashlib.sha256).hexdigest()

    @property
    def _write_index_key(self) -> bytes:
        # during an index rotation new rows are written under the next key
        return self.keys.index_next or self.keys.index_active

    def phone_index(self, phone: str) -> str:
        """The blind index of a phone number (normalised first)."""
        return self._mac(self._write_index_key, normalise_phone(phone))

    def last4_index(self, last4: str) -> str:
        """The blind index of the last 4 digits of a phone number."""
        return self._mac(self._write_index_key, "last4:" + normalise_last4(last4))

    def phone_index_candidates(self, phone: str) -> list[str]:
        """Every index value a stored phone may have (two while an index rotation runs)."""
        normal = normalise_phone(phone)
        return [self._mac(k, normal) for k in self._index_key_ids()]

    def last4_index_candidates(self, last4: str) -> list[str]:
        text = "last4:" + normalise_last4(last4)
        return [self._mac(k, text) for k in self._index_key_ids()]

    def _index_key_ids(self) -> list[bytes]:
        ids = [self.keys.index_active]
        if self.keys.index_next is not None:
            ids.append(self.keys.index_next)
        return ids

    # whole-member helpers ------------------------------------------------------------
    def person_columns(
        self, member_id: str, *, name: str, phone: str, birthday: str | None
    ) -> dict[str, Any]:
        """The member columns for a person: ciphertexts and blind indexes (phone normalised)."""
        normal = normalise_phone(phone)
        return {
            "name_enc": self.encrypt_field("name", member_id, name),
            "phone_enc": self.encrypt_field("phone", member_id, normal),
            "birthday_enc": self.encrypt_optional("birthday", member_id, birthday),
            "phone_index": self._mac(self._write_index_key, normal),
            "phone_last4_index": self._mac(self._write_index_key, "last4:" + normal[-4:]),
        }

    def outbox_personal(self, member_id: str, values: Mapping[str, str | None]) -> dict[str, Any]:
        """Personal fields for an outbox payload, encrypted at rest (field ``outbox.<name>``).

        The sync agent calls :meth:`open_outbox_personal` at send time and sends
        the clear values to HQ over TLS.
        """
        return {
            "enc": "aes-gcm-v1",
            **{
                name: (
                    None
                    if value is None
                    else _b64(self.encrypt_field(f"outbox.{name}", member_id, value))
                )
                for name, value in values.items()
            },
        }

    def open_outbox_personal(self, member_id: str, personal: Mapping[str, Any]) -> dict[str, Any]:
        """The clear personal fields of an outbox payload's ``personal`` part."""
        return {
            name: (
                None
                if value is None
                else self.decrypt_field(f"outbox.{name}", member_id, _unb64(value))
            )
            for name, value in personal.items()
            if name != "enc"
        }


# --- rotation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RotationResult:
    new_key_id: str
    members: int
    outbox_rows: int
    retired: tuple[str, ...]


def _reencrypt_outbox(session: Session, vault: MemberVault) -> int:
    count = 0
    rows = session.scalars(select(OutboxRow).where(OutboxRow.kind == "member"))
    for row in rows:
        payload = dict(row.payload)
        personal = payload.get("personal")
        if not personal:
            continue
        member_id = payload["id"]
        clear = vault.open_outbox_personal(member_id, personal)
        payload["personal"] = vault.outbox_personal(member_id, clear)
        row.payload = payload
        count += 1
    return count


def rotate_data_key(db: Database, vault: MemberVault, *, batch: int = 5000) -> RotationResult:
    """Re-encrypt all personal data under a new data key, then retire the old keys.

    Steps: (1) add a new key, make it active and save the key set (old keys
    stay); (2) in one transaction re-encrypt every member's fields and every
    ``member`` outbox payload; (3) after the commit drop the old keys and save.
    """
    new_id = secrets.token_bytes(KEY_ID_LEN)
    vault.keys.data_keys[new_id] = AESGCM.generate_key(bit_length=256)
    vault.keys.active = new_id
    vault.save()
    members = 0
    with db.transaction() as session:
        last = ""
        while True:
            chunk = session.execute(
                select(Member.id, Member.name_enc, Member.phone_enc, Member.birthday_enc)
                .where(Member.id > last)
                .order_by(Member.id)
                .limit(batch)
            ).all()
            if not chunk:
                break
            updates = []
            for member_id, *blobs in chunk:
                last = member_id
                if all(b is None for b in blobs):
                    continue
                row: dict[str, Any] = {"b_id": member_id}
                for name, blob in zip(FIELDS, blobs, strict=True):
                    clear = vault.decrypt_field(name, member_id, blob)
                    row[f"b_{name}"] = vault.encrypt_optional(name, member_id, clear)
                updates.append(row)
            if updates:
                session.execute(_bulk_update(), updates)
            members += len(updates)
        outbox = _reencrypt_outbox(session, vault)
    retired = tuple(k.hex() for k in vault.keys.data_keys if k != new_id)
    vault.keys.data_keys = {new_id: vault.keys.data_keys[new_id]}
    vault._aead.clear()
    vault.save()
    log.info("data key rotated to %s: %d members, %d outbox rows", new_id.hex(), members, outbox)
    return RotationResult(new_id.hex(), members, outbox, retired)


def _bulk_update() -> Any:
    return (
        update(_MEMBER_TABLE)
        .where(_MEMBER_TABLE.c.id == bindparam("b_id"))
        .values(
            name_enc=bindparam("b_name"),
            phone_enc=bindparam("b_phone"),
            birthday_enc=bindparam("b_birthday"),
        )
    )


def rotate_index_key(db: Database, vault: MemberVault, *, batch: int = 5000) -> int:
    """Recompute every member's blind indexes under a new index key; returns members updated.

    The new key is saved as ``index_next`` first (lookups try both keys), the
    indexes are recomputed in one transaction, then ``next`` becomes active
    and the old key is dropped. A crash in between resumes with ``next``.
    """
    if vault.keys.index_next is None:
        next_id = secrets.token_bytes(KEY_ID_LEN)
        vault.keys.index_keys[next_id] = secrets.token_bytes(32)
        vault.keys.index_next = next_id
        vault.save()
    next_id = vault.keys.index_next
    assert next_id is not None
    stmt = (
        update(_MEMBER_TABLE)
        .where(_MEMBER_TABLE.c.id == bindparam("b_id"))
        .values(phone_index=bindparam("pi"), phone_last4_index=bindparam("l4"))
    )
    count = 0
    with db.transaction() as session:
        last = ""
        while True:
            chunk = session.execute(
                select(Member.id, Member.phone_enc)
                .where(Member.id > last, Member.phone_enc.is_not(None))
                .order_by(Member.id)
                .limit(batch)
            ).all()
            if not chunk:
                break
            updates = []
            for member_id, blob in chunk:
                last = member_id
                phone = vault.decrypt_field("phone", member_id, blob)
                assert phone is not None
                updates.append(
                    {
                        "b_id": member_id,
                        "pi": vault._mac(next_id, phone),
                        "l4": vault._mac(next_id, "last4:" + phone[-4:]),
                    }
                )
            session.execute(stmt, updates)
            count += len(updates)
    vault.keys.index_keys = {next_id: vault.keys.index_keys[next_id]}
    vault.keys.index_active = next_id
    vault.keys.index_next = None
    vault.save()
    log.info("index key rotated to %s: %d members", next_id.hex(), count)
    return count
