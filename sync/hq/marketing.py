"""Marketing automation at HQ: a welcome coupon for each new member, a birthday coupon
at the start of the birthday month.

Both are ``coupon`` rows published with the member's id, so every till has
them (the member panel lists them; only that member can use them). Which
coupon definition, and whether at all, is set in the loyalty settings
(``welcome.*``, ``birthday.*``). Each is issued once: the welcome coupon per
member, the birthday coupon per member and year (a once-guard in
``hq_loyalty_grant``; the coupon codes are derived from the member number and
year too).

Birthdays: ingest seals a new member's personal data (the birthday as
``MM-DD``) under HQ's data key into ``hq_member_personal``
(:mod:`sync.hq.personal`; ``$POSTERM_HQ_DATA_KEY``, 32 bytes base64,
``openssl rand -base64 32``). The birthday job reads them from there. Without a
key HQ keeps no birthdays and issues no birthday coupons (``loyalty show`` says
so). Birthdays are never logged; an erasure deletes the sealed row.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.hq import feed
from sync.hq import loyalty_settings as cfg
from sync.hq.models import HqEntity, HqLoyaltyGrant, HqMemberPersonal
from sync.hq.personal import KEY_ENV, data_key, unseal
from terminal.errors import InvalidInput
from terminal.records import MemberRecord
from terminal.registration import parse_birthday_text
from terminal.store.types import utcnow

log = logging.getLogger(__name__)

# --- coupons -------------------------------------------------------------------------------


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
    if not cfg.definition_exists(session, definition):
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
    if members:  # their birthdays were sealed by the ingest (sync.hq.personal)
        welcome_coupons(session, members, settings)


@dataclass
class BirthdayRun:
    issued: list[str]
    skipped: str = ""
    """Why none could be issued (off, no definition, no key), empty when it ran."""
    unreadable: int = 0
    """Birthdays sealed under another key (the key was changed), or not a birthday."""


def _month_of(birthday: str | None) -> int | None:
    """The month of a birthday as a till sends it (``MM-DD``), None if it is not one.

    HQ seals what tills push unchecked; one odd birthday must not stop the job.
    """
    if birthday is None:
        return None
    try:
        return parse_birthday_text(birthday)[0]
    except InvalidInput:
        return None


def birthday_coupons(session: Session, today: date, settings: cfg.Settings) -> BirthdayRun:
    """A birthday coupon, valid for the whole month, for members born in ``today``'s month
    who have not had one this year."""
    definition = settings["birthday.definition"]
    if not settings["birthday.enabled"] or not definition:
        return BirthdayRun([], "birthday coupons off")
    if not cfg.definition_exists(session, definition):
        return BirthdayRun([], f"no coupon definition {definition}")
    key = data_key()
    if key is None:
        return BirthdayRun([], f"no HQ data key ({KEY_ENV}): no birthdays kept")
    year = str(today.year)
    done = select(HqLoyaltyGrant.subject).where(
        HqLoyaltyGrant.kind == "birthday", HqLoyaltyGrant.period == year
    )
    rows = session.execute(
        select(HqMemberPersonal.member_id, HqMemberPersonal.birthday_sealed)
        .where(
            HqMemberPersonal.birthday_sealed.is_not(None),
            HqMemberPersonal.member_id.not_in(done),
        )
        .order_by(HqMemberPersonal.member_id)
    ).all()
    first = datetime.combine(today.replace(day=1), time(0, 0), settings.zone)
    last = _end_of(today.replace(day=calendar.monthrange(today.year, today.month)[1]), settings)
    run = BirthdayRun([])
    for member_id, sealed in rows:
        month = _month_of(unseal(key, member_id, sealed) if sealed is not None else None)
        if month is None:
            run.unreadable += 1
            continue
        if month != today.month:
            continue
        member = session.get(HqEntity, ("member", member_id))
        if member is None or member.deleted or member.data.get("status") != "active":
            continue
        code = f"BD{year}-{member.data['member_no']}"
        if cfg.claim(session, "birthday", member_id, year, ref=code):
            _publish_coupon(session, code, definition, member_id, first, last, "hq:birthday")
            run.issued.append(code)
    if run.unreadable:
        log.warning(
            "%d birthday(s) unreadable (sealed under another HQ data key, or not MM-DD)",
            run.unreadable,
        )
    return run


def birthdays_kept(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(HqMemberPersonal)
            .where(HqMemberPersonal.birthday_sealed.is_not(None))
        )
        or 0
    )
