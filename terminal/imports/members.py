"""Importing members, with their personal data encrypted exactly as at registration.

A row names a member by ``member_no`` (``M`` + 8 digits, as on the member
card). A new member needs ``phone`` and ``name``; for a member the store
already has, only the fields given change. Name, phone and birthday are
stored only as :class:`~terminal.pii.MemberVault` ciphertext with the phone's
blind indexes (:meth:`~terminal.pii.MemberVault.person_columns` for a new
member), so an imported member is found by phone or last 4 digits like a
registered one.

Importing a member records their consent as imported: a ``data_processing``
consent (granted) and a ``marketing`` consent (the ``marketing`` column,
default no), both with ``text_version`` ``"import:<file name>"`` (cut to 32
characters): the store declares it holds the consent the file stands for.
A re-import that changes ``marketing`` adds a new marketing consent row.

No problem message, audit detail or log line holds a name or a phone number;
a phone used twice is reported by row numbers and member numbers only.
Imported members are not queued for HQ: HQ loads the same file with the same
importer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal.classifier import STATIC_PATTERN
from terminal.errors import InvalidInput
from terminal.imports.problems import ImportRefused, RowProblem
from terminal.imports.rows import Counts, Row, chunks, validate
from terminal.imports.sources import Source
from terminal.imports.values import Flag, refuse, text
from terminal.pii import MemberVault, normalise_phone
from terminal.registration import (
    DATA_CONSENT,
    DEFAULT_TIER,
    MARKETING_CONSENT,
    parse_birthday_text,
    validate_name,
)
from terminal.store.models import Member, MemberConsent, Tier
from terminal.store.types import new_id

CONSENT_PREFIX = "import:"
TEXT_VERSION_MAX = 32


def consent_version(source_name: str) -> str:
    """The ``text_version`` of consents recorded by importing ``source_name``."""
    return (CONSENT_PREFIX + source_name)[:TEXT_VERSION_MAX]


def _member_no(value: str) -> str:
    value = value.upper()
    if not STATIC_PATTERN.fullmatch(value):
        raise refuse("import_bad_member_no")
    return value


def _phone(value: Any) -> str:
    if not isinstance(value, str):
        raise refuse("import_not_text")
    try:
        return normalise_phone(value)
    except InvalidInput:
        raise refuse("import_bad_phone") from None


def _name(value: Any) -> str:
    if not isinstance(value, str):
        raise refuse("import_not_text")
    try:
        return validate_name(value)
    except InvalidInput:
        raise refuse("import_bad_name") from None


def _birthday(value: Any) -> str:
    if not isinstance(value, str):
        raise refuse("import_not_text")
    try:
        month, day = parse_birthday_text(value)
    except InvalidInput:
        raise refuse("import_bad_birthday") from None
    return f"{month:02d}-{day:02d}"


MemberNo = Annotated[str, text(20), AfterValidator(_member_no)]


class MemberRow(Row):
    """One member as the file states it (see docs/imports.md)."""

    member_no: MemberNo
    phone: Annotated[str | None, BeforeValidator(_phone)] = None
    name: Annotated[str | None, BeforeValidator(_name)] = None
    birthday: Annotated[str | None, BeforeValidator(_birthday)] = None
    tier: Annotated[str | None, text(16)] = None
    referrer: Annotated[str | None, text(20), AfterValidator(_member_no)] = None
    marketing: Flag = None


@dataclass(frozen=True)
class _Person:
    name: str | None
    phone: str | None
    birthday: str | None


def import_members(
    session: Session, source: Source, vault: MemberVault, *, dry_run: bool, now: datetime
) -> Counts:
    """Check every row, then (unless ``dry_run``) write them all in ``session``."""
    valid, problems, bad = validate(source, MemberRow)
    first_row: dict[str, int] = {}
    rows: list[tuple[int, MemberRow]] = []
    for row, item in valid:
        if item.member_no in first_row:
            problems.append(
                RowProblem(
                    row,
                    "member_no",
                    "import_duplicate_in_file",
                    {"first": first_row[item.member_no]},
                )
            )
            continue
        first_row[item.member_no] = row
        rows.append((row, item))

    existing: dict[str, Member] = {}
    for batch in chunks(first_row):
        for known in session.scalars(select(Member).where(Member.member_no.in_(batch))):
            existing[known.member_no] = known
    referrers = _known_referrers(session, rows)
    tiers = set(session.scalars(select(Tier.code)))
    for row, item in rows:
        member = existing.get(item.member_no)
        if member is None:
            problems.extend(
                RowProblem(row, name, "import_required_new")
                for name in ("phone", "name")
                if getattr(item, name) is None and (row, name) not in bad
            )
        elif member.status == "erased":
            problems.append(RowProblem(row, "member_no", "import_member_erased"))
        if item.tier is not None and item.tier not in tiers:
            problems.append(
                RowProblem(
                    row, "tier", "import_unknown_tier", {"tier": item.tier, "known": _list(tiers)}
                )
            )
        if item.referrer is not None:
            if item.referrer == item.member_no:
                problems.append(RowProblem(row, "referrer", "import_self_referrer"))
            elif item.referrer not in first_row and item.referrer not in referrers:
                problems.append(
                    RowProblem(row, "referrer", "import_unknown_referrer", {"no": item.referrer})
                )
    problems.extend(_phone_problems(session, vault, rows))
    if problems:
        raise ImportRefused(source.name, problems)

    counts = Counts()
    version = consent_version(source.name)
    marketing_now = _marketing_consents(session, [m.id for m in existing.values()])
    for _row, item in rows:
        member = existing.get(item.member_no)
        if member is None:
            counts.created += 1
            if not dry_run:
                _create(session, vault, item, version, now)
        elif _update(session, vault, member, item, marketing_now, version, now, dry_run=dry_run):
            counts.updated += 1
        else:
            counts.unchanged += 1
    if not dry_run:
        session.flush()
    return counts


def _list(codes: set[str]) -> str:
    return ", ".join(sorted(codes))


def _known_referrers(session: Session, rows: list[tuple[int, MemberRow]]) -> set[str]:
    wanted = {item.referrer for _, item in rows if item.referrer is not None}
    found: set[str] = set()
    for batch in chunks(sorted(wanted)):
        found.update(
            session.scalars(
                select(Member.member_no).where(
                    Member.member_no.in_(batch), Member.status != "erased"
                )
            )
        )
    return found


def _phone_problems(
    session: Session, vault: MemberVault, rows: list[tuple[int, MemberRow]]
) -> list[RowProblem]:
    """A phone belongs to one member: refuse one given twice in the file or held by another."""
    problems: list[RowProblem] = []
    first: dict[str, int] = {}
    index_rows: dict[str, tuple[int, str | None]] = {}
    for row, item in rows:
        if item.phone is None:
            continue
        if item.phone in first:
            problems.append(
                RowProblem(row, "phone", "import_phone_twice", {"first": first[item.phone]})
            )
            continue
        first[item.phone] = row
        for index in vault.phone_index_candidates(item.phone):
            index_rows[index] = (row, item.member_no)
    for batch in chunks(index_rows):
        for taken, holder in session.execute(
            select(Member.phone_index, Member.member_no).where(Member.phone_index.in_(batch))
        ):
            if taken is None:
                continue
            row, member_no = index_rows[taken]
            if holder != member_no:
                problems.append(RowProblem(row, "phone", "import_phone_taken", {"no": holder}))
    return problems


def _marketing_consents(session: Session, member_ids: list[str]) -> dict[str, bool]:
    """Each member's latest marketing consent (granted or not)."""
    latest: dict[str, bool] = {}
    for batch in chunks(member_ids):
        for member_id, granted in session.execute(
            select(MemberConsent.member_id, MemberConsent.granted)
            .where(MemberConsent.member_id.in_(batch), MemberConsent.kind == MARKETING_CONSENT)
            .order_by(MemberConsent.at, MemberConsent.id)
        ):
            latest[member_id] = granted
    return latest


def _create(
    session: Session, vault: MemberVault, item: MemberRow, version: str, now: datetime
) -> None:
    assert item.phone is not None and item.name is not None  # checked before
    member_id = new_id()
    session.add(
        Member(
            id=member_id,
            member_no=item.member_no,
            tier_code=item.tier or DEFAULT_TIER,
            status="active",
            referrer_no=item.referrer,
            created_at=now,
            updated_at=now,
            **vault.person_columns(
                member_id, name=item.name, phone=item.phone, birthday=item.birthday
            ),
        )
    )
    session.add_all(
        [
            MemberConsent(
                member_id=member_id, kind=DATA_CONSENT, granted=True, text_version=version, at=now
            ),
            MemberConsent(
                member_id=member_id,
                kind=MARKETING_CONSENT,
                granted=bool(item.marketing),
                text_version=version,
                at=now,
            ),
        ]
    )


def _update(
    session: Session,
    vault: MemberVault,
    member: Member,
    item: MemberRow,
    marketing_now: dict[str, bool],
    version: str,
    now: datetime,
    *,
    dry_run: bool,
) -> bool:
    """Apply what differs (unless ``dry_run``); True when anything did."""
    stored = _Person(
        vault.decrypt_field("name", member.id, member.name_enc),
        vault.decrypt_field("phone", member.id, member.phone_enc),
        vault.decrypt_field("birthday", member.id, member.birthday_enc),
    )
    columns: dict[str, Any] = {}
    if item.name is not None and item.name != stored.name:
        columns["name_enc"] = vault.encrypt_field("name", member.id, item.name)
    if item.phone is not None and item.phone != stored.phone:
        columns["phone_enc"] = vault.encrypt_field("phone", member.id, item.phone)
        columns["phone_index"] = vault.phone_index(item.phone)
        columns["phone_last4_index"] = vault.last4_index(item.phone[-4:])
    if item.birthday is not None and item.birthday != stored.birthday:
        columns["birthday_enc"] = vault.encrypt_field("birthday", member.id, item.birthday)
    if item.tier is not None and item.tier != member.tier_code:
        columns["tier_code"] = item.tier
    if item.referrer is not None and item.referrer != member.referrer_no:
        columns["referrer_no"] = item.referrer
    marketing_changes = (
        item.marketing is not None and marketing_now.get(member.id) is not item.marketing
    )
    if not columns and not marketing_changes:
        return False
    if dry_run:
        return True
    for name, value in columns.items():
        setattr(member, name, value)
    member.updated_at = now
    if marketing_changes:
        session.add(
            MemberConsent(
                member_id=member.id,
                kind=MARKETING_CONSENT,
                granted=bool(item.marketing),
                text_version=version,
                at=now,
            )
        )
    return True
