"""Members at the till: lookup, the member panel, masking and personal-data requests.

Members are found by member number (scanned member codes are resolved to a
member number by the member-code module before they get here), by full phone
number or by the last 4 digits of the phone, the latter two through the blind
indexes of :mod:`terminal.pii`. Personal fields are decrypted only with a
:class:`~terminal.pii.MemberVault` and leave this module masked, except in the
data report a manager prints for the member (PIPL access request).

Nothing here logs or raises a message holding a name or phone number.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from terminal import audit, ledger, messages, outbox
from terminal.auth import Actor, Permission, authorize
from terminal.classifier import STATIC_PATTERN, classify, clean
from terminal.errors import InvalidInput, NotFound, PosError, StateError
from terminal.pii import MemberVault, normalise_last4, normalise_phone
from terminal.pricing.model import MemberInfo, TierInfo
from terminal.pricing.work import percent
from terminal.records import MemberErasureRecord
from terminal.store.direct import fetch
from terminal.store.models import (
    Coupon,
    CouponDefinitionRow,
    Member,
    MemberConsent,
    MemberPayPin,
    OutboxRow,
    PointsEntry,
    Sale,
)
from terminal.store.types import new_id

log = logging.getLogger(__name__)

LAST4_LIMIT = 20
EXPIRING_DAYS = 30

# Two-character surnames kept whole when masking (欧阳娜娜 -> 欧阳**).
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "令狐",
        "夏侯",
        "长孙",
        "宇文",
        "司徒",
        "西门",
        "端木",
        "独孤",
        "南宫",
        "轩辕",
        "呼延",
        "百里",
        "东郭",
        "申屠",
        "太史",
        "闻人",
        "澹台",
        "公冶",
        "宗政",
        "濮阳",
        "淳于",
        "单于",
        "钟离",
    ]
)


@contextmanager
def damaged_guard(member_no: str | None) -> Iterator[None]:
    """Turn a member row that cannot be read into one clear refusal for that member only.

    A damaged row (a ciphertext that fails authentication, a value of the
    wrong type after disk damage) must not crash the till: the cashier is told
    this member's record is damaged and sells on; the details go to the log.
    """
    try:
        yield
    except PosError:
        raise
    except (ValueError, TypeError, KeyError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.error("member record %s cannot be read: %r", member_no or "?", exc)
        shown = member_no if member_no and STATIC_PATTERN.fullmatch(member_no) else ""
        raise StateError("member_record_damaged", member_no=shown) from exc


def _refuse_unusable(member: Member) -> Member:
    if member.status == "blocked":
        raise StateError("member_blocked")
    if member.status == "erased":
        raise NotFound("member_erased")
    return member


def find_member(session: Session, member_no: str) -> Member:
    """The member with this number; refuses unknown, blocked and erased members.

    The number typed is never repeated in the refusal (it may be a phone number
    typed at the wrong prompt).
    """
    member_no = member_no.strip()
    with damaged_guard(member_no):
        member = session.scalar(
            select(Member).where(Member.member_no == member_no).options(joinedload(Member.tier))
        )
        if member is None:
            raise NotFound("unknown_member")
        return _refuse_unusable(member)


def find_by_phone(session: Session, vault: MemberVault, phone: str) -> Member:
    """The member with this mobile number (validated; +86, spaces and dashes accepted).

    Refuses an invalid number (``bad_phone``), an unknown one, and blocked or
    erased members, like :func:`find_member`. The number never appears in the
    message.
    """
    candidates = vault.phone_index_candidates(phone)
    with damaged_guard(None):
        member = session.scalar(
            select(Member)
            .where(Member.phone_index.in_(candidates))
            .options(joinedload(Member.tier))
            .limit(1)
        )
        if member is None:
            raise NotFound("no_member_with_phone")
        return _refuse_unusable(member)


@dataclass(frozen=True)
class MemberMatch:
    """One member found by the last 4 digits, shown masked for the cashier to choose."""

    member_no: str
    masked_name: str
    masked_phone: str
    tier_name: str


@dataclass(frozen=True)
class Last4Matches:
    """Active members whose phone ends in the digits; ``more`` when the list was cut."""

    matches: list[MemberMatch]
    more: bool


def find_by_last4(
    session: Session, vault: MemberVault, last4: str, *, limit: int = LAST4_LIMIT
) -> Last4Matches:
    """Active members whose phone ends with ``last4`` (at most ``limit``, by member number).

    Blocked and erased members are left out. Refuses with ``unknown_member``
    when nobody matches, so the caller never shows an empty choice.
    """
    digits = normalise_last4(last4)
    rows = session.scalars(
        select(Member)
        .where(
            Member.phone_last4_index.in_(vault.last4_index_candidates(digits)),
            Member.status == "active",
        )
        .options(joinedload(Member.tier))
        .order_by(Member.member_no)
        .limit(limit + 1)
    ).all()
    if not rows:
        raise NotFound("no_member_with_last4")
    return Last4Matches([member_match(vault, m) for m in rows[:limit]], more=len(rows) > limit)


def member_match(vault: MemberVault, member: Member) -> MemberMatch:
    """A member as a pick list shows it: number, masked name and phone, tier.

    A record that cannot be decrypted shows as damaged rather than hiding the
    other matches.
    """
    try:
        name = mask_name(vault.decrypt_field("name", member.id, member.name_enc) or "")
        phone = mask_phone(vault.decrypt_field("phone", member.id, member.phone_enc) or "")
    except (PosError, ValueError, UnicodeDecodeError):
        log.error("member record %s cannot be decrypted", member.member_no)
        name, phone = "??", "???????????"
    return MemberMatch(member.member_no, name, phone, member.tier.name)


# --- what typed text names -----------------------------------------------------------------

MemberQueryKind = Literal["code", "phone", "last4"]


@dataclass(frozen=True)
class MemberQuery:
    """What a person typed or scanned to find a member.

    ``code``: a card number (``M00000042``, any case) or a member-app code,
    to be verified by :mod:`terminal.membercodes`; ``phone``: a mainland mobile
    number, normalised to 11 digits (spaces, dashes, +86 accepted); ``last4``:
    the last four digits of a phone, for a pick list.
    """

    kind: MemberQueryKind
    value: str


def member_query(text: str) -> MemberQuery:
    """The one rule for what typed text names, used by every front end and ``quote``.

    Never echoes the text in a refusal (it may be a phone number).
    """
    value = clean(text)
    scanned = classify(value.upper() if value[:1] in ("m", "M") else value)
    if scanned.kind in ("member_static", "member_dynamic"):
        return MemberQuery("code", scanned.value)
    compact = "".join(value.split()).replace("-", "")
    if compact.isascii() and compact.isdigit() and len(compact) == 4:
        return MemberQuery("last4", compact)
    try:
        return MemberQuery("phone", normalise_phone(value))
    except InvalidInput:
        raise InvalidInput("not_a_member_query") from None


@dataclass(frozen=True)
class MemberSearch:
    """Members found for a query, masked for a pick list; ``more`` when the list was cut."""

    matches: list[MemberMatch]
    more: bool = False


def search(session: Session, vault: MemberVault, text: str) -> MemberSearch:
    """Members a card number, a phone or the last 4 digits name (active ones, masked).

    A member-app code is refused here (it must be verified and recorded, see
    :meth:`terminal.checkout.Checkout.find_member`).
    """
    query = member_query(text)
    if query.kind == "last4":
        found = find_by_last4(session, vault, query.value)
        return MemberSearch(found.matches, found.more)
    if query.kind == "phone":
        member = find_by_phone(session, vault, query.value)
    elif STATIC_PATTERN.fullmatch(query.value):
        member = find_member(session, query.value)
    else:
        raise InvalidInput("app_code_at_till_only")
    with damaged_guard(member.member_no):
        return MemberSearch([member_match(vault, member)])


def tier_info(session: Session, member: Member) -> TierInfo:
    """The member's tier, read on the driver (every payment reads it: the relationship's
    lazy load cost more than the query). A tier the store does not hold is damage."""
    found = fetch(
        session,
        "SELECT code, name, discount_bp, points_multiplier_bp FROM tier WHERE code = ?",
        (member.tier_code,),
    )
    if not found:
        raise KeyError(member.tier_code)  # turned into member_record_damaged by the caller
    return TierInfo(*found[0])


def member_info(
    session: Session, member: Member, today: date, birthday_month: int | None = None
) -> MemberInfo:
    """The pricing engine's view of a member, with the balance spendable today.

    ``birthday_month`` comes from the decrypted personal data, which this
    module never reads itself.
    """
    with damaged_guard(member.member_no):
        return MemberInfo(
            member_id=member.id,
            tier=tier_info(session, member),
            birthday_month=birthday_month,
            points_balance=ledger.balance(session, member.id, today),
        )


# --- masking ------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """The name as screens and receipts show it: the surname kept, the rest ``*``.

    ``王小明`` -> ``王**``, ``王五`` -> ``王*``, ``欧阳娜娜`` -> ``欧阳**`` (a known
    two-character surname is kept when something follows it), ``王`` -> ``*``,
    ``Alice`` -> ``A****``. Empty stays empty.
    """
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    keep = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_phone(phone: str) -> str:
    """``13812345678`` -> ``138****5678``; anything shorter than 8 characters is all ``*``."""
    phone = phone.strip()
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


# --- the member panel --------------------------------------------------------------------


def parse_birthday(text: str) -> tuple[int, int]:
    """``"MM-DD"`` as (month, day); the stored form of a birthday (no year is kept)."""
    month, day = text.split("-")
    return int(month), int(day)


def birthday_month(vault: MemberVault, member: Member) -> int | None:
    """The member's birthday month for pricing (birthday-month promotions), or None."""
    with damaged_guard(member.member_no):
        try:
            text = vault.decrypt_field("birthday", member.id, member.birthday_enc)
        except PosError as exc:
            raise ValueError(exc.code) from exc
        return parse_birthday(text)[0] if text else None


def pricing_member(
    session: Session, vault: MemberVault | None, member: Member, today: date
) -> MemberInfo:
    """The member as pricing sees them, at the till and in ``posterm quote`` alike: the
    balance spendable today and, where the member-data keys are loaded, the birthday
    month (birthday-month multipliers). One place, so a quote and a sale cannot drift."""
    month = birthday_month(vault, member) if vault is not None else None
    return member_info(session, member, today, month)


@dataclass(frozen=True)
class CouponHeld:
    code: str
    name: str


@dataclass(frozen=True)
class MemberPanel:
    """What the till shows about an attached member; personal fields masked."""

    member_no: str
    masked_name: str
    masked_phone: str
    tier: TierInfo
    points_balance: int
    points_expiring: int
    expiring_days: int
    coupons: tuple[CouponHeld, ...]
    birthday_month: bool

    @property
    def benefits(self) -> str:
        """The tier's benefits in the till's language: 95折 · 积分1倍 / 5% off · points ×1."""
        return benefits_text(self.tier)


def benefits_text(tier: TierInfo, lang: str | None = None) -> str:
    """``95折 · 积分1.5倍`` (``5% off · points ×1.5``) for 500 bp off and a 15,000 bp
    multiplier (integer arithmetic), in ``lang`` or the till's language."""
    whole, rest = divmod(tier.points_multiplier_bp, 10_000)
    mult = str(whole) if rest == 0 else f"{whole}.{rest:04d}".rstrip("0")
    if tier.discount_bp <= 0:
        return messages.render("tier_benefits_points", {"mult": mult}, lang)
    pay = 10_000 - tier.discount_bp  # 9500 -> 95折, 9000 -> 9折, 9250 -> 92.5折
    whole, rest = divmod(pay, 100)
    text = str(whole) if rest == 0 else f"{whole}.{rest:02d}".rstrip("0")
    if rest == 0 and whole % 10 == 0:
        text = str(whole // 10)
    rate = messages.Words(f"{text}折", f"{percent(tier.discount_bp)} off")
    return messages.render("tier_benefits", {"rate": rate, "mult": mult}, lang)


def member_panel(session: Session, vault: MemberVault, member: Member, today: date) -> MemberPanel:
    """The member panel: masked identity, tier benefits, points, coupons, birthday flag.

    The balance comes from the ledger, which holds this till's unsynced
    changes too; ``points_expiring`` is what expires within 30 days.
    """
    with damaged_guard(member.member_no):
        try:
            name = vault.decrypt_field("name", member.id, member.name_enc)
            phone = vault.decrypt_field("phone", member.id, member.phone_enc)
        except PosError as exc:
            raise ValueError(exc.code) from exc
        tier = tier_info(session, member)
    month = birthday_month(vault, member)
    # One read of the lots for both figures (same rules as ledger.balance and
    # ledger.expiring_within, which would each read them again): the panel
    # loads while the cashier waits.
    horizon = today + timedelta(days=EXPIRING_DAYS)
    live = [
        lot
        for lot in ledger.lots(session, member.id)
        if lot.remaining > 0 and (lot.expires_on is None or lot.expires_on >= today)
    ]
    balance = sum(lot.remaining for lot in live)
    expiring = sum(
        lot.remaining for lot in live if lot.expires_on is not None and lot.expires_on <= horizon
    )
    coupons = session.execute(
        select(Coupon.code, CouponDefinitionRow.body)
        .join(CouponDefinitionRow, CouponDefinitionRow.id == Coupon.definition_id)
        .where(Coupon.member_id == member.id, Coupon.status == "issued")
        .order_by(Coupon.code)
    ).all()
    return MemberPanel(
        member_no=member.member_no,
        masked_name=mask_name(name or ""),
        masked_phone=mask_phone(phone or ""),
        tier=tier,
        points_balance=balance,
        points_expiring=expiring,
        expiring_days=EXPIRING_DAYS,
        coupons=tuple(CouponHeld(code, str(body.get("name", ""))) for code, body in coupons),
        birthday_month=month is not None and month == today.month,
    )


# --- personal-data requests (PIPL) ----------------------------------------------------------


def _member_for_request(session: Session, member_no: str) -> Member:
    with damaged_guard(member_no.strip()):
        member = session.scalar(
            select(Member)
            .where(Member.member_no == member_no.strip())
            .options(joinedload(Member.tier))
        )
    if member is None or member.status == "erased":
        raise NotFound("unknown_member")
    return member


def member_data_report(
    session: Session,
    vault: MemberVault,
    member_no: str,
    *,
    actor: Actor,
    terminal_id: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Everything this till stores about a member, decrypted, for printing (access request).

    Needs MEMBER_DATA; audited as ``member_data_viewed`` (ids only). Blocked
    members are included (they may still ask); erased ones are unknown.
    """
    authorize(actor, Permission.MEMBER_DATA)
    member = _member_for_request(session, member_no)
    today = today or datetime.now(UTC).date()
    consents = session.scalars(
        select(MemberConsent)
        .where(MemberConsent.member_id == member.id)
        .order_by(MemberConsent.at, MemberConsent.kind)
    ).all()
    by_kind = dict(
        session.execute(
            select(PointsEntry.kind, func.sum(PointsEntry.points))
            .where(PointsEntry.member_id == member.id)
            .group_by(PointsEntry.kind)
        ).all()
    )
    entries = session.scalar(
        select(func.count()).select_from(PointsEntry).where(PointsEntry.member_id == member.id)
    )
    sales = session.scalar(
        select(func.count()).select_from(Sale).where(Sale.member_id == member.id)
    )
    coupons = session.scalars(
        select(Coupon.code).where(Coupon.member_id == member.id).order_by(Coupon.code)
    ).all()
    audit.record(
        session,
        "member_data_viewed",
        user_id=actor.user_id,
        terminal_id=terminal_id,
        target=member.id,
        member_no=member.member_no,
    )
    log.info("member data report for %s", member.member_no)
    return {
        "member_no": member.member_no,
        "member_id": member.id,
        "status": member.status,
        "created_at": member.created_at.isoformat(),
        "updated_at": member.updated_at.isoformat(),
        "name": vault.decrypt_field("name", member.id, member.name_enc),
        "phone": vault.decrypt_field("phone", member.id, member.phone_enc),
        "birthday": vault.decrypt_field("birthday", member.id, member.birthday_enc),
        "referrer_no": member.referrer_no,
        "tier": {"code": member.tier.code, "name": member.tier.name},
        "consents": [
            {
                "kind": c.kind,
                "granted": c.granted,
                "text_version": c.text_version,
                "at": c.at.isoformat(),
            }
            for c in consents
        ],
        "points": {
            "balance": ledger.balance(session, member.id, today),
            "entries": entries or 0,
            "by_kind": {kind: int(total) for kind, total in sorted(by_kind.items())},
        },
        "coupons": list(coupons),
        "sales_count": sales or 0,
    }


def erase_member(
    session: Session,
    vault: MemberVault,
    member_no: str,
    *,
    actor: Actor,
    reason: str,
    terminal_id: str | None = None,
    now: datetime | None = None,
) -> Member:
    """Anonymise a member here and ask HQ to do the same (deletion request).

    Needs MEMBER_DATA. Name, phone, birthday and both blind indexes become
    NULL, the payment PIN (stored value) is deleted and the status ``erased``;
    the member number, consents (evidence of what was agreed), the points and
    stored-value ledgers and sales stay for the books. Personal
    fields are also removed from this member's queued or sent ``member`` outbox
    rows, and a ``member_erasure`` row is queued for HQ. Audited as
    ``member_erased``. ``vault`` is not needed to erase; it is taken so every
    personal-data call has the same shape.
    """
    del vault
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason_required")
    member = _member_for_request(session, member_no)
    authorize(actor, Permission.MEMBER_DATA)
    now = now or datetime.now(UTC)
    member.name_enc = member.phone_enc = member.birthday_enc = None
    member.phone_index = member.phone_last4_index = None
    member.status = "erased"
    member.updated_at = now
    # the payment PIN for stored value is the member's secret, not a record the books need
    session.execute(delete(MemberPayPin).where(MemberPayPin.member_id == member.id))
    for row in session.scalars(select(OutboxRow).where(OutboxRow.kind == "member")):
        if row.payload.get("id") == member.id and row.payload.get("personal"):
            payload = dict(row.payload)
            payload["personal"] = None
            row.payload = payload
    outbox.enqueue(
        session,
        "member_erasure",
        new_id(),
        MemberErasureRecord(
            member_id=member.id, member_no=member.member_no, at=now, reason=reason[:200]
        ).payload(),
    )
    audit.record(
        session,
        "member_erased",
        user_id=actor.user_id,
        terminal_id=terminal_id,
        target=member.id,
        member_no=member.member_no,
        reason=reason[:200],
    )
    session.flush()
    log.info("member %s erased", member.member_no)
    return member
