"""HQ's loyalty rules: tiers, expiry of points lots, referral and activity points.

HQ owns the chain's points ledger (``hq_points``); what this module writes
there it also publishes as ``points_entry`` rows, and a tier change as the
member's row with its new ``tier_code``, so every till gets them through the
feed. Everything works inside the caller's transaction.

When it runs:

- on ingest (:func:`on_ingest`, called by :func:`sync.hq.ingest._apply` for the
  records that were new): members' sales are kept for the 12-month spend, a
  referred member's first sale grants the referrer's points, the members whose
  sales arrived are evaluated for an upgrade, and new members get their
  welcome coupon (:mod:`sync.hq.marketing`);
- daily (:func:`run_daily`, ``posterm-hq loyalty run``): lots past their date
  are expired, every member's tier is evaluated, birthday coupons are issued;
- when staff grant or revoke activity points (:func:`grant_points`).

Tiers only go up here: a member keeps a tier once reached (the chain's
downgrade policy is not modelled yet).

Every grant is idempotent: expiry entries have ids derived from their lot
(uuid5), referrals and coupons a once-guard row (``hq_loyalty_grant``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, aliased

from sync import rows
from sync.hq import feed, marketing, personal
from sync.hq import loyalty_settings as cfg
from sync.hq.auth import Refusal
from sync.hq.models import HqEntity, HqLoyaltyGrant, HqMemberSale, HqPoints
from terminal.records import MemberErasureRecord, MemberRecord, SaleRecord
from terminal.store.types import utcnow

log = logging.getLogger(__name__)

EXPIRE_NAMESPACE = uuid.UUID("6f1d2c3e-8a4b-5c6d-9e0f-a1b2c3d4e5f6")
"""uuid5 namespace of HQ's expire entries: one id per lot, so a lot expires once."""
REASON_MAX = 200


# --- the ledger at HQ ----------------------------------------------------------------------


def _publish_points(
    session: Session, entries: Sequence[dict[str, Any]], reasons: list[str]
) -> None:
    """Write HQ's own ledger entries (each once) and send them down the feed."""
    if not entries:
        return
    insert = feed.insert_for(session)
    fresh = set(
        session.scalars(
            insert(HqPoints)
            .values(list(entries))
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(HqPoints.id)
        )
    )
    feed.publish_many(
        session,
        "points_entry",
        [
            (
                e["id"],
                rows.to_json(
                    "points_entry", {**e, "sale_id": None, "reason": reason, "origin": "hq"}
                ),
            )
            for e, reason in zip(entries, reasons, strict=True)
            if e["id"] in fresh
        ],
    )


def _entry(
    member_id: str,
    kind: str,
    points: int,
    *,
    lot_id: str | None = None,
    expires_on: date | None = None,
    entry_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": entry_id or str(uuid.uuid4()),
        "member_id": member_id,
        "kind": kind,
        "points": points,
        "lot_id": lot_id,
        "expires_on": expires_on,
        "record_id": None,
        "created_at": utcnow(),
    }


@dataclass(frozen=True)
class Lot:
    id: str
    member_id: str
    remaining: int
    expires_on: date | None


def _lots_query(*conditions: Any) -> Any:
    child = aliased(HqPoints)
    remaining = HqPoints.points + func.coalesce(func.sum(child.points), 0)
    return (
        select(HqPoints.id, HqPoints.member_id, remaining, HqPoints.expires_on)
        .outerjoin(child, child.lot_id == HqPoints.id)
        .where(HqPoints.lot_id.is_(None), HqPoints.points > 0, *conditions)
        .group_by(HqPoints.id, HqPoints.member_id, HqPoints.points, HqPoints.expires_on)
        .having(remaining > 0)
    )


def live_lots(session: Session, member_id: str, today: date) -> list[Lot]:
    """The member's lots with points left and not expired, earliest expiry first."""
    found = session.execute(
        _lots_query(
            HqPoints.member_id == member_id,
            (HqPoints.expires_on.is_(None)) | (HqPoints.expires_on >= today),
        )
    ).all()
    lots = [Lot(*r) for r in found]
    return sorted(lots, key=lambda lot: (lot.expires_on is None, lot.expires_on or today, lot.id))


def balances(session: Session, member_ids: Collection[str] | None = None) -> dict[str, int]:
    """Members' chain balances (the sum of their entries; expired lots are written off
    by the daily job)."""
    stmt = select(HqPoints.member_id, func.sum(HqPoints.points)).group_by(HqPoints.member_id)
    if member_ids is not None:
        stmt = stmt.where(HqPoints.member_id.in_(list(member_ids)))
    return {m: int(total or 0) for m, total in session.execute(stmt).all()}


def expire_lots(session: Session, today: date, settings: cfg.Settings) -> int:
    """Write ``expire`` entries for lots whose date is more than the grace days past.

    The entry's id is derived from the lot, so running twice (or two jobs at
    once) expires a lot once. Returns the number of lots expired now.
    """
    cutoff = today - timedelta(days=int(settings["points.expire_grace_days"]))
    expired = aliased(HqPoints)
    done = exists().where(expired.lot_id == HqPoints.id, expired.kind == "expire")
    due = [Lot(*r) for r in session.execute(_lots_query(HqPoints.expires_on < cutoff, ~done))]
    entries = [
        _entry(
            lot.member_id,
            "expire",
            -lot.remaining,
            lot_id=lot.id,
            entry_id=str(uuid.uuid5(EXPIRE_NAMESPACE, f"{lot.id}:expire")),
        )
        for lot in due
    ]
    reasons = [f"expired {lot.expires_on.isoformat() if lot.expires_on else ''}" for lot in due]
    for start in range(0, len(entries), 1000):
        _publish_points(session, entries[start : start + 1000], reasons[start : start + 1000])
    return len(entries)


# --- members -------------------------------------------------------------------------------


def _members(
    session: Session, member_ids: Collection[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Published members (not deleted) by id, as their feed rows."""
    stmt = select(HqEntity.key, HqEntity.data).where(
        HqEntity.entity == "member", HqEntity.deleted.is_(False)
    )
    if member_ids is not None:
        stmt = stmt.where(HqEntity.key.in_(list(member_ids)))
    return {key: data for key, data in session.execute(stmt).all()}


def member_by_no(session: Session, member_no: str) -> tuple[str, dict[str, Any]] | None:
    """The published member with this number: (id, feed row), or None."""
    found = session.execute(
        select(HqEntity.key, HqEntity.data).where(
            HqEntity.entity == "member",
            HqEntity.deleted.is_(False),
            HqEntity.data["member_no"].as_string() == member_no,
        )
    ).first()
    return (found[0], found[1]) if found else None


# --- tiers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierChange:
    member_id: str
    old: str
    new: str


def _year_before(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def spend_12_months(
    session: Session, today: date, member_ids: Collection[str] | None = None
) -> dict[str, int]:
    """Fen members paid in sales (less returns) over the 12 months up to ``today``."""
    stmt = (
        select(HqMemberSale.member_id, func.sum(HqMemberSale.amount))
        .where(HqMemberSale.business_day > _year_before(today))
        .group_by(HqMemberSale.member_id)
    )
    if member_ids is not None:
        stmt = stmt.where(HqMemberSale.member_id.in_(list(member_ids)))
    return {m: int(total or 0) for m, total in session.execute(stmt).all()}


def evaluate_tiers(
    session: Session,
    today: date,
    settings: cfg.Settings,
    member_ids: Collection[str] | None = None,
) -> list[TierChange]:
    """Upgrade members (all, or ``member_ids``) whose balance or 12-month spend reaches a
    higher tier, and publish their rows with the new ``tier_code``."""
    rule = settings["tier.rule"]
    if rule == "off" or (member_ids is not None and not member_ids):
        return []
    tiers = cfg.published_tiers(session)
    rank = {t.code: t.rank for t in tiers}
    members = _members(session, member_ids)
    points = balances(session, member_ids) if rule != "spend" else {}
    spend = spend_12_months(session, today, member_ids) if rule != "points" else {}
    changes = []
    for member_id in sorted(members):
        data = members[member_id]
        current = data.get("tier_code")
        if data.get("status") == "erased" or current not in rank:
            continue
        reached = [
            t
            for t in tiers
            if (rule != "spend" and points.get(member_id, 0) >= t.threshold_points)
            or (rule != "points" and spend.get(member_id, 0) >= settings.spend_threshold(t))
        ]
        if reached and reached[-1].rank > rank[current]:
            new = reached[-1].code
            feed.merge(session, "member", member_id, {"tier_code": new, "updated_at": _now_iso()})
            changes.append(TierChange(member_id, str(current), new))
    if changes:
        log.info("tiers: %d member(s) upgraded", len(changes))
    return changes


def _now_iso() -> str:
    return utcnow().isoformat()


# --- referral and activity points ----------------------------------------------------------


def _grant_lot(
    session: Session, member_id: str, points: int, reason: str, today: date, settings: cfg.Settings
) -> str:
    entry = _entry(member_id, "adjust", points, expires_on=settings.expiry(today))
    _publish_points(session, [entry], [reason[:REASON_MAX]])
    return str(entry["id"])


def referrals(
    session: Session, member_ids: Collection[str], today: date, settings: cfg.Settings
) -> list[str]:
    """Grant the referrers of these members (whose sales just arrived) their points, once
    per referred member. Returns the referrers' ids."""
    points = int(settings["referral.points"])
    if points <= 0 or not member_ids:
        return []
    referred = {
        m: data
        for m, data in _members(session, member_ids).items()
        if data.get("referrer_no") and data.get("status") != "erased"
    }
    if not referred:
        return []
    done = set(
        session.scalars(
            select(HqLoyaltyGrant.subject).where(
                HqLoyaltyGrant.kind == "referral", HqLoyaltyGrant.subject.in_(list(referred))
            )
        )
    )
    granted = []
    for member_id in sorted(set(referred) - done):
        data = referred[member_id]
        referrer = member_by_no(session, str(data["referrer_no"]))
        if referrer is None or referrer[1].get("status") == "erased":
            continue  # HQ does not know the referrer (yet): a later sale tries again
        entry = _entry(referrer[0], "adjust", points, expires_on=settings.expiry(today))
        if not cfg.claim(session, "referral", member_id, ref=str(entry["id"])):
            continue
        _publish_points(session, [entry], [f"referral {data.get('member_no', '')}"])
        granted.append(referrer[0])
    return granted


@dataclass(frozen=True)
class PointsGrant:
    member_id: str
    member_no: str
    points: int
    balance: int
    tier_change: TierChange | None


def grant_points(
    session: Session, member_no: str, points: int, reason: str, *, today: date | None = None
) -> PointsGrant:
    """Activity points staff record at HQ (``points`` > 0), or points taken back (< 0).

    A grant is a new lot (expiring per ``points.expiry``); a revocation takes
    points out of the member's live lots, earliest expiry first, and is
    refused beyond what the member has. Both need a reason, which the tills
    show in the member's ledger.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise Refusal(400, "reason_required", "say why: --reason TEXT")
    if points == 0:
        raise Refusal(400, "bad_points", "points must not be 0")
    if abs(points) > cfg.MAX_ENTRY_POINTS:
        raise Refusal(400, "bad_points", f"points: at most {cfg.MAX_ENTRY_POINTS} at a time")
    found = member_by_no(session, member_no)
    if found is None or found[1].get("status") == "erased":
        raise Refusal(404, "no_member", f"no member {member_no[:20]}")
    member_id = found[0]
    settings = cfg.load(session)
    today = today or settings.today()
    if points > 0:
        _grant_lot(session, member_id, points, reason, today, settings)
    else:
        _revoke(session, member_id, -points, reason, today)
    changes = evaluate_tiers(session, today, settings, [member_id])
    return PointsGrant(
        member_id,
        member_no,
        points,
        balances(session, [member_id]).get(member_id, 0),
        changes[0] if changes else None,
    )


def _revoke(session: Session, member_id: str, points: int, reason: str, today: date) -> None:
    # the member's ledger rows first: two revocations at once take turns
    session.execute(
        select(HqEntity.key)
        .where(HqEntity.entity == "member", HqEntity.key == member_id)
        .with_for_update()
    )
    lots = live_lots(session, member_id, today)
    available = sum(lot.remaining for lot in lots)
    if available < points:
        raise Refusal(
            409, "points_insufficient", f"the member has {available} points, not {points}"
        )
    entries, left = [], points
    for lot in lots:
        if left == 0:
            break
        take = min(left, lot.remaining)
        entries.append(_entry(member_id, "adjust", -take, lot_id=lot.id))
        left -= take
    _publish_points(session, entries, [reason[:REASON_MAX]] * len(entries))


# --- hooks ---------------------------------------------------------------------------------


def _member_sales(session: Session, sales: list[SaleRecord]) -> None:
    if not sales:
        return
    insert = feed.insert_for(session)
    session.execute(
        insert(HqMemberSale).on_conflict_do_nothing(index_elements=["record_id"]),
        [
            {
                "record_id": s.id,
                "member_id": s.member_id,
                "business_day": s.business_day,
                "amount": s.payable,
            }
            for s in sales
        ],
    )


def _apply_new(session: Session, records: Sequence[object]) -> None:
    sales = [r for r in records if isinstance(r, SaleRecord) and r.member_id is not None]
    members = [r for r in records if isinstance(r, MemberRecord)]
    erased = [r.member_id for r in records if isinstance(r, MemberErasureRecord)]
    if not (sales or members or erased):
        return
    settings = cfg.load(session)
    today = settings.today()
    _member_sales(session, sales)
    marketing.on_new_members(session, members, settings)
    buyers = {s.member_id for s in sales if s.member_id is not None}
    first_sale = {s.member_id for s in sales if s.kind == "sale" and s.member_id is not None}
    referrers = referrals(session, first_sale, today, settings)
    evaluate_tiers(session, today, settings, buyers | set(referrers))


def on_ingest(session: Session, records: Sequence[object]) -> None:
    """Loyalty and marketing for records HQ applied just now (in the ingest transaction).

    Runs in a savepoint: a fault here is logged and leaves the records
    accepted (HQ never refuses a sale for its own rules); the daily job
    evaluates tiers again. A database that is down still fails the batch.
    """
    try:
        with session.begin_nested():
            _apply_new(session, records)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        log.exception("loyalty rules failed for %d record(s); records kept", len(records))


@dataclass
class DailyReport:
    today: date
    lots_expired: int = 0
    tier_changes: list[TierChange] = field(default_factory=list)
    birthday: marketing.BirthdayRun | None = None


def run_daily(session: Session, today: date | None = None) -> DailyReport:
    """The daily job: expire lots, evaluate every member's tier, issue birthday coupons."""
    settings = cfg.load(session)
    report = DailyReport(today or settings.today())
    report.lots_expired = expire_lots(session, report.today, settings)
    report.tier_changes = evaluate_tiers(session, report.today, settings)
    report.birthday = marketing.birthday_coupons(session, report.today, settings)
    return report


# --- posterm-hq loyalty / points -----------------------------------------------------------


def add_commands(sub: Any) -> None:
    """``loyalty show|set|run`` and ``points grant|revoke|show`` of ``posterm-hq``."""
    loyalty = sub.add_parser(
        "loyalty", help="the chain's loyalty rules: settings and the daily job"
    ).add_subparsers(dest="action", required=True)
    loyalty.add_parser("show", help="every loyalty setting with its value")
    setter = loyalty.add_parser(
        "set",
        help="change a setting (see 'loyalty show'), e.g. 'loyalty set referral.points 300'",
    )
    setter.add_argument("key")
    setter.add_argument("value")
    daily = loyalty.add_parser(
        "run",
        help="the daily job: expire points lots, evaluate tiers, birthday coupons "
        "(run it once a day, e.g. from cron; running it twice changes nothing)",
    )
    daily.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")

    points = sub.add_parser(
        "points", help="members' points: activity points staff record at HQ"
    ).add_subparsers(dest="action", required=True)
    for name, text in (
        ("grant", "give a member activity points (a new lot, sent to every till)"),
        ("revoke", "take points back from a member (from the lots expiring first)"),
    ):
        cmd = points.add_parser(name, help=text)
        cmd.add_argument("member_no")
        cmd.add_argument("points", type=int)
        cmd.add_argument("--reason", required=True, help="why (shown in the member's ledger)")
    show = points.add_parser("show", help="a member's chain balance, tier and 12-month spend")
    show.add_argument("member_no")


COMMANDS = ("loyalty", "points")


def run_command(session: Session, args: Any) -> None:
    """Carry out a ``loyalty`` or ``points`` command of ``posterm-hq`` (prints the outcome)."""
    if args.command == "loyalty":
        if args.action == "show":
            for key, value, text in cfg.show(session):
                shown = ("on" if value else "off") if isinstance(value, bool) else value
                print(f"{key:<26} {shown!s:<18} {text}")
            kept = marketing.birthdays_kept(session)
            state = personal.key_state()
            state += ": no birthdays kept" if state != "set" else ""
            print(f"HQ data key ({personal.KEY_ENV}): {state}; birthdays kept: {kept}")
        elif args.action == "set":
            value = cfg.set_value(session, args.key, args.value)
            print(f"{args.key} = {value}")
        elif args.action == "run":
            report = run_daily(session, args.today)
            bday = report.birthday
            print(
                f"{report.today}: {report.lots_expired} lot(s) expired, "
                f"{len(report.tier_changes)} tier upgrade(s), "
                f"{len(bday.issued) if bday else 0} birthday coupon(s)"
                + (f" ({bday.skipped})" if bday and bday.skipped else "")
            )
        return
    if args.action == "show":
        found = member_by_no(session, args.member_no)
        if found is None:
            raise Refusal(404, "no_member", f"no member {args.member_no[:20]}")
        today = cfg.load(session).today()
        print(
            f"{args.member_no}: {balances(session, [found[0]]).get(found[0], 0)} points, "
            f"tier {found[1].get('tier_code')}, 12-month spend "
            f"{spend_12_months(session, today, [found[0]]).get(found[0], 0)} fen"
        )
        return
    sign = 1 if args.action == "grant" else -1
    if args.points <= 0:
        raise Refusal(400, "bad_points", "points: a positive whole number")
    done = grant_points(session, args.member_no, sign * args.points, args.reason)
    print(f"{done.member_no}: {done.points:+d} points, balance {done.balance}")
    if done.tier_change:
        print(f"tier {done.tier_change.old} -> {done.tier_change.new}")
