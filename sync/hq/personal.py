"""Members' personal data at HQ: sealed at rest, taken out of the records tills push.

A till sends a new member's name, phone and birthday in clear over TLS
(``MemberRecord.personal``, ``enc="clear"``). HQ never stores them in clear:

* the payload kept in ``hq_record`` has ``personal: null`` (written so by
  ingest before the row is inserted; the payload still parses as a
  ``MemberRecord``);
* with HQ's data key (``$POSTERM_HQ_DATA_KEY``, 32 bytes base64) each field is
  sealed with AES-GCM, bound to the member's id (and the field), into
  ``hq_member_personal``, together with a keyed HMAC of the phone (the HMAC key
  is derived from the data key with HKDF) so staff can find a member by phone
  without decrypting every row;
* without a key HQ keeps nothing personal and says so (a log line with counts
  only, ``posterm-hq status``).

An erasure (``MemberErasureRecord``) deletes the member's row. Staff see
members masked only (``posterm-hq member show``). Marketing reads birthdays
from the same table (:mod:`sync.hq.marketing`). Nothing here logs personal
data or puts it in an exception.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sync.hq import feed
from sync.hq.auth import Refusal
from sync.hq.models import HqEntity, HqMemberPersonal
from terminal.records import MemberErasureRecord, MemberRecord, PersonalData
from terminal.store.types import utcnow

log = logging.getLogger(__name__)

KEY_ENV = "POSTERM_HQ_DATA_KEY"
_SEALED_V1 = b"\x01"
_INDEX_INFO = b"posterm-hq/member/phone-index/v1"
FIELDS = ("name", "phone", "birthday")


# --- HQ's data key, sealing ----------------------------------------------------------------


def data_key() -> bytes | None:
    """HQ's data key from ``$POSTERM_HQ_DATA_KEY`` (standard or URL-safe base64), or None.

    A value that is not 32 bytes of base64 is refused (``bad_data_key``), never
    taken for "no key".
    """
    text = os.environ.get(KEY_ENV, "").strip()
    if not text:
        return None
    try:
        key = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise Refusal(500, "bad_data_key", f"{KEY_ENV} must be 32 bytes in base64")
    return key


def key_state() -> str:
    """``set``, ``NOT SET`` or ``MALFORMED``: for status lines (never the key)."""
    try:
        return "set" if data_key() else "NOT SET"
    except Refusal:
        return "MALFORMED"


def _aad(member_id: str, field: str) -> bytes:
    # Birthdays keep the bare member id, as sealed since HQ revision 0002 (so the
    # rows 0005 moved over from hq_member_birthday stay readable); the other
    # fields are bound to their name too, so a sealed phone cannot pass for a name.
    return (member_id if field == "birthday" else f"{field}/{member_id}").encode()


def seal(key: bytes, member_id: str, text: str, field: str = "birthday") -> bytes:
    """``text`` sealed with AES-GCM (fresh nonce), bound to the member and the field."""
    nonce = os.urandom(12)
    return _SEALED_V1 + nonce + AESGCM(key).encrypt(nonce, text.encode(), _aad(member_id, field))


def unseal(key: bytes, member_id: str, sealed: bytes, field: str = "birthday") -> str | None:
    """The clear text, or None when it was sealed under another key, member or field."""
    sealed = bytes(sealed)
    if not sealed.startswith(_SEALED_V1) or len(sealed) < 29:
        return None
    try:
        return AESGCM(key).decrypt(sealed[1:13], sealed[13:], _aad(member_id, field)).decode()
    except InvalidTag:
        return None


def phone_index(key: bytes, phone: str) -> str:
    """Hex HMAC-SHA256 of the phone (11 digits) under a key derived from the data key.

    Keyed: the 10^10 mobile numbers would be brute-forced from a plain hash.
    """
    index_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INDEX_INFO).derive(key)
    return hmac.new(index_key, phone.encode(), hashlib.sha256).hexdigest()


# --- what ingest stores, what it seals -----------------------------------------------------


def stored_payload(kind: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """The payload as ``hq_record`` keeps it: a member's ``personal`` part is taken out
    (``null``, so it still parses as a MemberRecord). Other kinds are kept as pushed."""
    if kind == "member" and payload.get("personal") is not None:
        return {**payload, "personal": None}
    return payload


def sealed_row(
    key: bytes, member_id: str, personal: PersonalData | Mapping[str, Any]
) -> dict[str, Any]:
    """The ``hq_member_personal`` values for clear personal data (sealed, phone indexed)."""
    get = personal.get if isinstance(personal, Mapping) else lambda f: getattr(personal, f)
    row: dict[str, Any] = {"member_id": member_id, "updated_at": utcnow(), "phone_index": None}
    for field in FIELDS:
        text = get(field)
        row[f"{field}_sealed"] = seal(key, member_id, str(text), field) if text else None
    if get("phone"):
        row["phone_index"] = phone_index(key, str(get("phone")))
    return row


def upsert(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert or replace sealed rows; a field the new row lacks keeps what HQ had."""
    if not rows:
        return
    insert = feed.insert_for(session)
    stmt = insert(HqMemberPersonal)
    excluded = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["member_id"],
        set_={
            **{
                f"{f}_sealed": func.coalesce(
                    getattr(excluded, f"{f}_sealed"), getattr(HqMemberPersonal, f"{f}_sealed")
                )
                for f in FIELDS
            },
            "phone_index": func.coalesce(excluded.phone_index, HqMemberPersonal.phone_index),
            "updated_at": excluded.updated_at,
        },
    )
    session.execute(stmt, list(rows))


def _clear(record: MemberRecord) -> PersonalData | None:
    p = record.personal
    if p is None or p.enc != "clear" or not (p.name or p.phone or p.birthday):
        return None
    return p


def keep(session: Session, members: Sequence[MemberRecord]) -> int:
    """Seal and keep the personal data new members gave at their till; how many were kept.

    Without a usable key nothing is kept (one log line, counts only): the
    record is accepted all the same, its stored payload already stripped.
    """
    found = [(m.id, p) for m in members if m.status != "erased" and (p := _clear(m)) is not None]
    if not found:
        return 0
    try:
        key = data_key()
    except Refusal:
        log.error("%d member(s)' personal data not kept: %s is malformed", len(found), KEY_ENV)
        return 0
    if key is None:
        log.warning(
            "%d member(s)' personal data not kept: HQ runs without a data key (%s)",
            len(found),
            KEY_ENV,
        )
        return 0
    upsert(session, [sealed_row(key, member_id, p) for member_id, p in found])
    return len(found)


def forget(session: Session, member_ids: Sequence[str]) -> None:
    """Erased members' personal data goes (HQ erases it chain-wide)."""
    if member_ids:
        session.execute(delete(HqMemberPersonal).where(HqMemberPersonal.member_id.in_(member_ids)))


def on_ingest(session: Session, records: Sequence[object]) -> None:
    """Ingest hook (records HQ applies now, in push order): seal new members' data, and
    delete what erasures name."""
    keep(session, [r for r in records if isinstance(r, MemberRecord)])
    forget(session, [r.member_id for r in records if isinstance(r, MemberErasureRecord)])


def kept_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(HqMemberPersonal)) or 0)


# --- what staff see: masked ----------------------------------------------------------------


@dataclass(frozen=True)
class MemberView:
    """A member as ``posterm-hq member show`` prints it: personal fields masked."""

    member_id: str
    member_no: str
    status: str
    tier_code: str
    personal: str
    """``kept``, ``none`` (nothing kept), or ``unreadable`` (sealed under another key)."""
    name: str = ""
    phone: str = ""
    birthday: bool = False


def _view(session: Session, key: bytes | None, member_id: str) -> MemberView | None:
    from terminal.members import mask_name, mask_phone

    entity = session.get(HqEntity, ("member", member_id))
    row = session.get(HqMemberPersonal, member_id)
    if entity is None and row is None:
        return None
    data = entity.data if entity is not None else {}
    base = MemberView(
        member_id=member_id,
        member_no=str(data.get("member_no", "?")),
        status=str(data.get("status", "?")),
        tier_code=str(data.get("tier_code", "?")),
        personal="none",
    )
    if row is None:
        return base
    if key is None:
        return replace(base, personal="unreadable")
    name = unseal(key, member_id, row.name_sealed, "name") if row.name_sealed else None
    phone = unseal(key, member_id, row.phone_sealed, "phone") if row.phone_sealed else None
    if (row.name_sealed and name is None) or (row.phone_sealed and phone is None):
        return replace(base, personal="unreadable")
    return replace(
        base,
        personal="kept",
        name=mask_name(name or ""),
        phone=mask_phone(phone or ""),
        birthday=row.birthday_sealed is not None,
    )


def find_member(session: Session, member: str) -> MemberView | None:
    """The member HQ knows by number (or id), masked; None when HQ knows none."""
    from sync.hq.value import member_id_of

    found = member_id_of(session, member)
    member_id = found[0] if found else member
    return _view(session, data_key(), member_id)


def find_by_phone(session: Session, phone: str) -> list[MemberView]:
    """Members whose phone is ``phone`` (any accepted spelling), through the HMAC index.

    Needs the data key (``no_data_key`` otherwise). Two tills registering the
    same phone offline make two members: both are listed.
    """
    from terminal.errors import InvalidInput
    from terminal.pii import normalise_phone

    key = data_key()
    if key is None:
        raise Refusal(400, "no_data_key", f"no HQ data key ({KEY_ENV}): cannot look up phones")
    try:
        normal = normalise_phone(phone)
    except InvalidInput:
        raise Refusal(400, "bad_phone", "not a mainland mobile number (11 digits)") from None
    ids = session.scalars(
        select(HqMemberPersonal.member_id)
        .where(HqMemberPersonal.phone_index == phone_index(key, normal))
        .order_by(HqMemberPersonal.member_id)
    ).all()
    return [v for i in ids if (v := _view(session, key, i)) is not None]
