"""HQ's loyalty settings (one JSON document in ``hq_meta``) and the once-guard of grants.

Shared by :mod:`sync.hq.loyalty` (tiers, expiry, referral and activity points)
and :mod:`sync.hq.marketing` (welcome and birthday coupons). Only values that
differ from the defaults are stored; ``posterm-hq loyalty show`` lists them all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.hq import feed
from sync.hq.auth import Refusal
from sync.hq.models import HqEntity, HqLoyaltyGrant, HqMeta
from terminal.errors import InvalidInput
from terminal.ledger import expiry_for
from terminal.store.types import utcnow

META_KEY = "loyalty_settings"
SPEND_PREFIX = "tier.spend."
FEN_PER_POINT = 100
"""A tier's default 12-month spend: its points threshold in yuan (1 point per yuan earned)."""

DEFAULTS: dict[str, Any] = {
    "tier.rule": "points_or_spend",
    "points.expire_grace_days": 7,
    "points.expiry": "end_of_next_year",
    "referral.points": 200,
    "welcome.enabled": False,
    "welcome.definition": "",
    "welcome.valid_days": 30,
    "birthday.enabled": False,
    "birthday.definition": "",
    "timezone": "Asia/Shanghai",
}
HELP: dict[str, str] = {
    "tier.rule": "what upgrades a member: points_or_spend, points, spend or off",
    "tier.spend.CODE": "12-month spend (fen) that reaches tier CODE (default: its points x 100)",
    "points.expire_grace_days": "days after a lot's expiry date before HQ expires it "
    "(room for offline tills' late redemptions)",
    "points.expiry": "expiry of points HQ grants: end_of_next_year, days:N or never",
    "referral.points": "points the referrer gets at a referred member's first sale (0: off)",
    "welcome.enabled": "a welcome coupon for each new member (on/off)",
    "welcome.definition": "coupon_definition id of the welcome coupon",
    "welcome.valid_days": "days the welcome coupon is valid",
    "birthday.enabled": "a birthday coupon at the start of the birthday month (on/off)",
    "birthday.definition": "coupon_definition id of the birthday coupon",
    "timezone": "the chain's time zone (business days, coupon windows)",
}
TIER_RULES = ("points_or_spend", "points", "spend", "off")
MAX_ENTRY_POINTS = 2**31 - 1
"""The most points one ledger entry holds (``hq_points.points`` is an INTEGER)."""
MAXIMA: dict[str, int] = {
    "points.expire_grace_days": 3660,
    "welcome.valid_days": 3660,
    "referral.points": MAX_ENTRY_POINTS,
}
"""The largest value of a whole-number setting HQ can use: days within ten years of
today (date arithmetic), points that fit one ledger entry (``hq_points.points``)."""


@dataclass(frozen=True)
class Tier:
    code: str
    rank: int
    threshold_points: int


def published_tiers(session: Session) -> list[Tier]:
    """The tier table as the feed publishes it, lowest rank first."""
    rows = session.scalars(
        select(HqEntity.data).where(HqEntity.entity == "tier", HqEntity.deleted.is_(False))
    ).all()
    tiers = [Tier(d["code"], int(d["rank"]), int(d.get("threshold_points") or 0)) for d in rows]
    return sorted(tiers, key=lambda t: t.rank)


@dataclass(frozen=True)
class Settings:
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.values["timezone"])

    def today(self) -> date:
        return datetime.now(self.zone).date()

    def spend_threshold(self, tier: Tier) -> int:
        """Fen of 12-month spend that reaches ``tier``."""
        found = self.values.get(SPEND_PREFIX + tier.code)
        return int(found) if found is not None else tier.threshold_points * FEN_PER_POINT

    def expiry(self, today: date) -> date | None:
        return expiry_for(today, self.values["points.expiry"])


def _stored(session: Session) -> dict[str, Any]:
    row = session.get(HqMeta, META_KEY)
    return dict(json.loads(row.value)) if row is not None else {}


def load(session: Session) -> Settings:
    return Settings({**DEFAULTS, **_stored(session)})


def definition_exists(session: Session, definition_id: str) -> bool:
    """Whether HQ publishes the coupon definition (and has not deleted it)."""
    row = session.get(HqEntity, ("coupon_definition", definition_id))
    return row is not None and not row.deleted


def _parse(session: Session, key: str, text: str) -> Any:
    """``text`` as the setting's value, or a Refusal naming what is wrong."""
    if key.startswith(SPEND_PREFIX):
        code = key[len(SPEND_PREFIX) :]
        if code not in {t.code for t in published_tiers(session)}:
            raise Refusal(404, "no_tier", f"no tier {code} in the feed")
        default = 0
    elif key in DEFAULTS:
        default = DEFAULTS[key]
    else:
        raise Refusal(400, "unknown_setting", f"no setting {key}; known: {', '.join(sorted(HELP))}")
    if isinstance(default, bool):
        if text.lower() not in ("on", "off", "true", "false", "yes", "no", "1", "0"):
            raise Refusal(400, "bad_setting", f"{key} is on or off")
        return text.lower() in ("on", "true", "yes", "1")
    if isinstance(default, int):
        try:
            value = int(text)
        except ValueError:
            raise Refusal(400, "bad_setting", f"{key} is a whole number") from None
        if value < 0:
            raise Refusal(400, "bad_setting", f"{key} must not be negative")
        if key in MAXIMA and value > MAXIMA[key]:
            raise Refusal(400, "bad_setting", f"{key} is at most {MAXIMA[key]}")
        return value
    value_s = text.strip()
    if key == "tier.rule" and value_s not in TIER_RULES:
        raise Refusal(400, "bad_setting", f"tier.rule is one of {', '.join(TIER_RULES)}")
    if key == "points.expiry":
        try:
            expiry_for(date(2000, 1, 1), value_s)
        except (InvalidInput, ValueError):
            raise Refusal(
                400, "bad_setting", "points.expiry: end_of_next_year, days:N or never"
            ) from None
    if key == "timezone":
        try:
            ZoneInfo(value_s)
        except (ZoneInfoNotFoundError, ValueError):
            raise Refusal(400, "bad_setting", f"unknown time zone {value_s[:40]}") from None
    if key.endswith(".definition") and value_s and not definition_exists(session, value_s):
        raise Refusal(404, "no_coupon_definition", f"no coupon definition {value_s[:40]}")
    return value_s


def set_value(session: Session, key: str, text: str) -> Any:
    """Change one setting (checked); returns the value stored."""
    value = _parse(session, key, text)
    stored = _stored(session)
    merged = {**DEFAULTS, **stored, key: value}
    for kind in ("welcome", "birthday"):
        if merged[f"{kind}.enabled"] and not merged[f"{kind}.definition"]:
            raise Refusal(
                409, "no_definition_set", f"set {kind}.definition before turning {kind} coupons on"
            )
    stored[key] = value
    row = session.get(HqMeta, META_KEY)
    text_value = json.dumps(stored, sort_keys=True)
    if row is None:
        session.add(HqMeta(key=META_KEY, value=text_value))
    else:
        row.value = text_value
    return value


def show(session: Session) -> list[tuple[str, Any, str]]:
    """Every setting with its value and what it does (tiers' spend thresholds included)."""
    settings = load(session)
    out = [(k, settings[k], HELP[k]) for k in DEFAULTS]
    for tier in published_tiers(session):
        out.append(
            (
                SPEND_PREFIX + tier.code,
                settings.spend_threshold(tier),
                f"12-month spend in fen for {tier.code} (points threshold {tier.threshold_points})",
            )
        )
    return out


def claim(session: Session, kind: str, subject: str, period: str = "", ref: str = "") -> bool:
    """Take the once-guard of ``kind`` for ``subject`` (in ``period``); False if taken before.

    ``INSERT ... ON CONFLICT DO NOTHING RETURNING``: a concurrent claim of the
    same guard waits for the first and then finds it taken.
    """
    insert = feed.insert_for(session)
    stmt = (
        insert(HqLoyaltyGrant)
        .values(kind=kind, subject=subject, period=period, ref=ref, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["kind", "subject", "period"])
        .returning(HqLoyaltyGrant.kind)
    )
    return session.scalar(stmt) is not None
