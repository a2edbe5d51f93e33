"""Marketing automation at HQ: a welcome coupon for each new member, a birthday coupon
at the start of the birthday month.

Both are ``coupon`` rows published with the member's id, so every till has
them (the member panel lists them; only that member can use them). Which
coupon definition, and whether at all, is set in the loyalty settings
(``welcome.*``, ``birthday.*``). Each is issued once: the welcome coupon per
member, the birthday coupon per member and year (a once-guard in
``hq_loyalty_grant``; the coupon codes are derived from the member number and
year too).

Birthdays: a till sends a new member's personal data in clear over TLS
(``MemberRecord.personal``, ``enc="clear"``). HQ keeps only the birthday
(``MM-DD``), sealed with AES-GCM under HQ's data key (``$POSTERM_HQ_DATA_KEY``,
32 bytes base64; ``openssl rand -base64 32``), bound to the member's id. Without
a key HQ keeps no birthdays and issues no birthday coupons (``loyalty show``
says so). Birthdays are never logged; an erasure deletes the sealed birthday.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sync.hq import feed
from sync.hq import loyalty_settings as cfg
from sync.hq.auth import Refusal
from sync.hq.models import HqEntity, HqLoyaltyGrant, HqMemberBirthday
from terminal.records import MemberRecord
from terminal.store.types import utcnow

log = logging.getLogger(__name__)

KEY_ENV = "POSTERM_HQ_DATA_KEY"
_SEALED_V1 = b"\x01"


# --- HQ's data key and sealed birthdays ----------------------------------------------------


def data_key() -> bytes | None:
    """HQ's data key from ``$POSTERM_HQ_DATA_KEY`` (standard or URL-safe base64), or None."""
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


def seal(key: bytes, member_id: str, text: str) -> bytes:
    nonce = os.urandom(12)
    return _SEALED_V1 + nonce + AESGCM(key).encrypt(nonce, text.encode(), member_id.encode())


def unseal(key: bytes, member_id: str, sealed: bytes) -> str | None:
    """The clear text, or None when it was sealed under another key or for another member."""
    if not sealed.startswith(_SEALED_V1):
        return None
    try:
        return AESGCM(key).decrypt(sealed[1:13], sealed[13:], member_id.encode()).decode()
    except InvalidTag:
        return None


def _birthday_of(record: MemberRecord) -> str | None:
    personal = record.personal
    if personal is None or personal.enc != "clear" or not personal.birthday:
        return None
    return personal.birthday


def keep_birthdays(session: Session, members: Sequence[MemberRecord]) -> int:
    """Seal and keep the birthdays new members gave; returns how many were kept."""
    found = [(m.id, b) for m in members if (b := _birthday_of(m)) is not None]
    if not found:
        return 0
    key = data_key()
    if key is None:
        log.warning("%d birthday(s) not kept: no HQ data key (%s)", len(found), KEY_ENV)
        return 0
    insert = feed.insert_for(session)
    stmt = insert(HqMemberBirthday)
    stmt = stmt.on_conflict_do_update(
        index_elements=["member_id"],
        set_={"sealed": stmt.excluded.sealed, "updated_at": stmt.excluded.updated_at},
    )
    now = utcnow()
    session.execute(
        stmt,
        [{"member_id": m, "sealed": seal(key, m, b), "updated_at": now} for m, b in found],
    )
    return len(found)


def forget_birthdays(session: Session, member_ids: Sequence[str]) -> None:
    """An erased member's birthday goes (HQ erases personal data chain-wide)."""
    if member_ids:
        session.execute(delete(HqMemberBirthday).where(HqMemberBirthday.member_id.in_(member_ids)))


# --- coupons -------------------------------------------------------------------------------


def _definition_live(session: Session, definition_id: str) -> bool:
    row = session.get(HqEntity, ("coupon_definition", definition_id))
    return row is not None and not row.deleted


def _publish_coupon(
    session: Session,
    code: str,
    definition_id: str,
    member_id: str,
    valid_from: datetime,
    valid_to: datetime,
    issued_by: str,
) -> None:
    feed.publish(
        session,
        "coupon",
        code,
        {
            "code": code,
            "definition_id": definition_id,
            "member_id": member_id,
            "status": "issued",
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat(),
            "issued_sale_id": None,
            "issued_by": issued_by,
            "updated_at": utcnow().isoformat(),
        },
    )


def _end_of(day: date, settings: cfg.Settings) -> datetime:
    return datetime.combine(day, time(23, 59, 59), settings.zone)


def welcome_coupons(
    session: Session, members: Sequence[MemberRecord], settings: cfg.Settings
) -> list[str]:
    """A welcome coupon for each new member (once); the codes issued."""
    definition = settings["welcome.definition"]
    if not members or not settings["welcome.enabled"] or not definition:
        return []
    if not _definition_live(session, definition):
        log.warning("welcome coupons not issued: no coupon definition %s", definition)
        return []
    now = datetime.now(settings.zone)
    until = _end_of(now.date() + timedelta(days=int(settings["welcome.valid_days"])), settings)
    issued = []
    for member in sorted(members, key=lambda m: m.id):
        if member.status == "erased":
            continue
        code = f"WEL-{member.member_no}"
        if cfg.claim(session, "welcome", member.id, ref=code):
            _publish_coupon(session, code, definition, member.id, now, until, "hq:welcome")
            issued.append(code)
    return issued


def on_new_members(
    session: Session, members: Sequence[MemberRecord], settings: cfg.Settings
) -> None:
    """Members registered at tills (their MemberRecord arrived now): birthday, welcome."""
    if members:
        keep_birthdays(session, members)
        welcome_coupons(session, members, settings)


@dataclass
class BirthdayRun:
    issued: list[str]
    skipped: str = ""
    """Why none could be issued (off, no definition, no key), empty when it ran."""
    unreadable: int = 0
    """Birthdays sealed under another key (the key was changed)."""


def birthday_coupons(session: Session, today: date, settings: cfg.Settings) -> BirthdayRun:
    """A birthday coupon, valid for the whole month, for members born in ``today``'s month
    who have not had one this year."""
    definition = settings["birthday.definition"]
    if not settings["birthday.enabled"] or not definition:
        return BirthdayRun([], "birthday coupons off")
    if not _definition_live(session, definition):
        return BirthdayRun([], f"no coupon definition {definition}")
    key = data_key()
    if key is None:
        return BirthdayRun([], f"no HQ data key ({KEY_ENV}): no birthdays kept")
    year = str(today.year)
    done = select(HqLoyaltyGrant.subject).where(
        HqLoyaltyGrant.kind == "birthday", HqLoyaltyGrant.period == year
    )
    rows = session.execute(
        select(HqMemberBirthday.member_id, HqMemberBirthday.sealed)
        .where(HqMemberBirthday.member_id.not_in(done))
        .order_by(HqMemberBirthday.member_id)
    ).all()
    first = datetime.combine(today.replace(day=1), time(0, 0), settings.zone)
    last = _end_of(today.replace(day=calendar.monthrange(today.year, today.month)[1]), settings)
    run = BirthdayRun([])
    for member_id, sealed in rows:
        text = unseal(key, member_id, sealed)
        if text is None:
            run.unreadable += 1
            continue
        if int(text.split("-")[0]) != today.month:
            continue
        member = session.get(HqEntity, ("member", member_id))
        if member is None or member.deleted or member.data.get("status") != "active":
            continue
        code = f"BD{year}-{member.data['member_no']}"
        if cfg.claim(session, "birthday", member_id, year, ref=code):
            _publish_coupon(session, code, definition, member_id, first, last, "hq:birthday")
            run.issued.append(code)
    if run.unreadable:
        log.warning("%d birthday(s) sealed under another HQ data key", run.unreadable)
    return run


def birthdays_kept(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(HqMemberBirthday)) or 0)
