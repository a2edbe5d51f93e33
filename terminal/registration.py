"""Registering a member at the till, with recorded consent (demo people: demo_people.py).

A registration validates the phone (mainland mobile), the name (1–20
characters after trimming), an optional birthday (month and day; 29 February
allowed; no year is asked or kept) and an optional referrer (an existing
member number). Data-processing consent is required (PIPL: processing needs
the person's consent); marketing consent is optional. Both are recorded as
:class:`~terminal.store.models.MemberConsent` rows with the time and the
version of the text the member was shown (:data:`CONSENT_TEXTS`).

A phone that is already registered returns that member (``created`` False)
instead of a duplicate. A new member gets a UUID, the next free member number
(``M`` + 8 digits, chosen inside the write transaction), tier ``normal``, an
audit event (ids only) and a ``member`` outbox row for HQ.

The outbox row lives in the same SQLite file as the member, so its personal
fields are encrypted at rest with the vault too (``payload["personal"]``, see
:meth:`~terminal.pii.MemberVault.outbox_personal`); the sync agent decrypts
them at send time and sends them to HQ over TLS.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal import audit, member_ranges, messages, outbox
from terminal.auth import Actor, Permission, authorize
from terminal.errors import InvalidInput, StateError
from terminal.pii import MemberVault, normalise_phone
from terminal.records import ConsentRecord, MemberRecord, PersonalData
from terminal.store.models import Member, MemberConsent
from terminal.store.types import new_id

log = logging.getLogger(__name__)

DATA_CONSENT = "data_processing"
MARKETING_CONSENT = "marketing"
DATA_CONSENT_VERSION = "dp-2026.1"
MARKETING_CONSENT_VERSION = "mk-2026.1"

CONSENT_TEXTS: dict[str, tuple[str, str]] = {
    DATA_CONSENT: (
        DATA_CONSENT_VERSION,
        "本人同意本店及总部为提供会员服务（积分、等级、优惠券、生日礼遇）处理本人的姓名、"
        "手机号和生日，数据加密保存，仅用于会员服务，可随时申请查阅、更正或注销。\n"
        "I agree that the store and its headquarters process my name, mobile number and "
        "birthday to provide member services (points, tiers, coupons, birthday offers). The "
        "data is stored encrypted, used only for member services, and I may ask to see, "
        "correct or erase it at any time.",
    ),
    MARKETING_CONSENT: (
        MARKETING_CONSENT_VERSION,
        "本人同意接收本店及总部的促销信息（短信），可随时退订。\n"
        "I agree to receive promotional messages (SMS) from the store and its headquarters; "
        "I may unsubscribe at any time.",
    ),
}
"""Consent kind -> (text version, text shown). A changed text needs a new version."""

NAME_MAX = 20
DEFAULT_TIER = "normal"
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29 Feb allowed


@dataclass(frozen=True)
class RegistrationResult:
    """The member registered (or found); ``created`` False when the phone was already known."""

    member: Member
    created: bool
    message: str


def validate_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not 1 <= len(name) <= NAME_MAX:
        raise InvalidInput("bad_name_length", max=NAME_MAX)
    if any(not ch.isprintable() for ch in name):
        raise InvalidInput("bad_name_chars")
    return name


def validate_birthday(month: int | None, day: int | None) -> str | None:
    """``"MM-DD"`` for a valid month and day, None when both are None."""
    if month is None and day is None:
        return None
    if (
        month is None
        or day is None
        or not 1 <= month <= 12
        or not 1 <= day <= DAYS_IN_MONTH[month - 1]
    ):
        raise InvalidInput("bad_birthday")
    return f"{month:02d}-{day:02d}"


def parse_birthday_text(text: str) -> tuple[int, int]:
    """``MM-DD`` (or ``M-D``, ``MM/DD``) typed at the till or the CLI, as (month, day)."""
    parts = text.strip().replace("/", "-").split("-")
    # ASCII digits only: "²".isdigit() is True, and int("²") raises
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and 1 <= len(p) <= 2 for p in parts):
        raise InvalidInput("bad_birthday_format")
    month, day = int(parts[0]), int(parts[1])
    validate_birthday(month, day)
    return month, day


def next_member_no(session: Session) -> str:
    """The next free ``M`` + 8-digit number (call inside the write transaction).

    From the blocks HQ gave this till when it has any (unique in the chain,
    see :mod:`terminal.member_ranges`); otherwise after the highest number
    the store holds. The write transaction (``BEGIN IMMEDIATE``) holds the
    store's write lock, so no other local writer can take the same number
    before the commit.
    """
    ranged = member_ranges.next_number(session)
    if ranged is not None:
        return ranged
    highest = session.scalar(
        select(Member.member_no)
        .where(
            Member.member_no >= "M00000000",
            Member.member_no <= "M99999999",
            Member.member_no.op("GLOB")("M[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]"),
        )
        .order_by(Member.member_no.desc())
        .limit(1)
    )
    number = int(highest[1:]) + 1 if highest else 1
    if number > 99_999_999:
        raise StateError("member_no_exhausted")
    return f"M{number:08d}"


def register_member(
    session: Session,
    vault: MemberVault,
    *,
    phone: str,
    name: str,
    birthday_month: int | None = None,
    birthday_day: int | None = None,
    referrer_no: str | None = None,
    consent_data: bool,
    consent_marketing: bool = False,
    actor: Actor | None,
    now: datetime | None = None,
    terminal_id: str | None = None,
) -> RegistrationResult:
    """Register a member in the caller's write transaction (see the module docstring).

    ``actor`` (when given) needs SELL: every cashier may register members.
    Refusals are :class:`InvalidInput` with codes ``bad_phone``, ``bad_name``,
    ``bad_birthday``, ``consent_required``, ``bad_referrer``; a blocked
    member's phone gives ``member_blocked``.
    """
    if actor is not None:
        authorize(actor, Permission.SELL)
    normal = normalise_phone(phone)
    clean_name = validate_name(name)
    birthday = validate_birthday(birthday_month, birthday_day)
    if not consent_data:
        raise InvalidInput("consent_required")
    existing = session.scalar(
        select(Member).where(Member.phone_index.in_(vault.phone_index_candidates(normal)))
    )
    if existing is not None:
        if existing.status == "blocked":
            raise StateError("member_blocked")
        log.info("registration: phone already registered as %s", existing.member_no)
        return RegistrationResult(
            existing,
            False,
            messages.bilingual("phone_already_registered", {"member_no": existing.member_no}),
        )
    referrer = (referrer_no or "").strip().upper() or None
    if referrer is not None:
        found = session.scalar(select(Member.status).where(Member.member_no == referrer))
        if found is None or found == "erased":
            raise InvalidInput("bad_referrer", referrer=referrer[:20])
    now = now or datetime.now(UTC)
    member_id = new_id()
    member = Member(
        id=member_id,
        member_no=next_member_no(session),
        tier_code=DEFAULT_TIER,
        status="active",
        referrer_no=referrer,
        created_at=now,
        updated_at=now,
        **vault.person_columns(member_id, name=clean_name, phone=normal, birthday=birthday),
    )
    session.add(member)
    session.flush()
    consents = [
        MemberConsent(
            member_id=member_id,
            kind=DATA_CONSENT,
            granted=True,
            text_version=CONSENT_TEXTS[DATA_CONSENT][0],
            at=now,
        ),
        MemberConsent(
            member_id=member_id,
            kind=MARKETING_CONSENT,
            granted=bool(consent_marketing),
            text_version=CONSENT_TEXTS[MARKETING_CONSENT][0],
            at=now,
        ),
    ]
    session.add_all(consents)
    outbox.enqueue(
        session,
        "member",
        member_id,
        MemberRecord(
            id=member_id,
            member_no=member.member_no,
            tier_code=DEFAULT_TIER,
            status="active",
            referrer_no=referrer,
            created_at=now,
            terminal_id=terminal_id,
            consents=[
                ConsentRecord(
                    kind=c.kind,  # type: ignore[arg-type]  # the two kinds written above
                    granted=c.granted,
                    text_version=c.text_version,
                    at=now,
                )
                for c in consents
            ],
            personal=PersonalData.model_validate(
                vault.outbox_personal(
                    member_id, {"name": clean_name, "phone": normal, "birthday": birthday}
                )
            ),
        ).payload(),
    )
    audit.record(
        session,
        "member_registered",
        user_id=actor.user_id if actor else None,
        terminal_id=terminal_id,
        target=member_id,
        member_no=member.member_no,
        marketing=bool(consent_marketing),
        referred=referrer is not None,
    )
    session.flush()
    log.info("registered member %s", member.member_no)
    return RegistrationResult(
        member, True, messages.bilingual("member_registered", {"member_no": member.member_no})
    )
