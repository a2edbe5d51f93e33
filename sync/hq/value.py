"""Value HQ owns across the chain: stored-value balances, promotion quotas, coupons, member codes.

Ingest (:mod:`sync.hq.ingest`) calls in here for every new record, in push
order and in the same transaction, so each effect happens exactly once.
Nothing here refuses a record: double spending that only shows once two
offline stores have both synced is recorded as an :class:`HqConflict` naming
both records, and both sales are kept.

* Stored value (储值): every till's rows (top-ups, spending, refunds; paid
  principal and top-up bonus kept apart) go into ``hq_stored_value``; a
  member's balance is their sum. A record that takes money out and leaves the
  balance below zero is ``stored_value_overdrawn``, naming the spending
  before it (from another till when there is one).
* Limited promotions (限量, 每人限享/限购): each sale's uses go into
  ``hq_rule_use``. Past the promotion's ``quota`` / ``quota_day`` over all
  tills: ``quota_exceeded``; past a member limit over all tills:
  ``member_limit_exceeded``. HQ's totals per promotion go down the feed as
  ``promotion_total``, so tills count what other stores sold.
* Dynamic member codes: a sale made with a member-app code carries its key id
  and time step. A till accepts a code only in its own 30-second step and one
  either side, so one (key id, step) accepted at two tills means both used it
  within its window: ``member_code_reused``. The same till never lets a code
  through twice (its own replay check), and another step is another code.
* Coupons: ``hq_coupon`` follows each code from issue to use (issued ->
  redeemed, or void) with the records that moved it, whichever order they
  arrive in; a coupon both cancelled by a return and redeemed by a sale is
  ``coupon_void_used``.

Under PostgreSQL the subjects a batch touches (members, promotions, coupons,
codes) are locked for the transaction, in one order, before they are
checked, so two tills pushing at once cannot both miss the double spend.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, select, text, true
from sqlalchemy.orm import Session

from sync.hq import feed, loyalty
from sync.hq.models import (
    HqConflict,
    HqCoupon,
    HqCouponUse,
    HqEntity,
    HqMemberCodeUse,
    HqRecord,
    HqRuleUse,
    HqStore,
    HqStoredValue,
    HqTerminal,
)
from terminal.pricing.rules import ITEM_KINDS, Limits, load_promotions
from terminal.records import SaleRecord, StoredValueRecord, StoredValueRow
from terminal.store.types import utcnow

CONFLICT_KINDS = {
    "coupon_reused": "a coupon redeemed by two sales",
    "coupon_void_used": "a coupon cancelled by a return and redeemed by a sale",
    "points_overdrawn": "points spent twice: the member's chain balance went below zero",
    "stored_value_overdrawn": "stored value spent twice: the member's balance went below zero",
    "quota_exceeded": "a 限量 promotion given past its quota across stores",
    "member_limit_exceeded": "a member given a limited promotion past their limit across stores",
    "member_code_reused": "one dynamic member code used at two tills within its window",
    "sale_inconsistent": "a sale whose figures and rows do not add up (kept as the till sent it)",
}
"""Every conflict kind HQ records, and what it means (``posterm-hq conflicts``)."""

HQ_COUNTED = frozenset({"promotion_total"})
"""Feed entities HQ counts itself (never imported from a till's store)."""


# --- locking what a batch checks -------------------------------------------------------


def _lock_id(subject: str) -> int:
    """A signed 64-bit advisory-lock id for a subject (``kind:key``)."""
    return int.from_bytes(hashlib.sha256(subject.encode()).digest()[:8], "big", signed=True)


def _subjects(records: Iterable[object]) -> set[str]:
    found: set[str] = set()
    for r in records:
        if isinstance(r, SaleRecord):
            if r.member_id is not None and r.stored_value:
                found.add(f"sv:{r.member_id}")
            found.update(f"rule:{u.rule_id}" for u in r.rule_uses)
            found.update(f"coupon:{c.code}" for c in r.coupons)
            found.update(f"coupon:{c.code}" for c in r.coupons_issued)
            if r.member_code_key_id is not None:
                found.add(f"code:{r.member_code_key_id}:{r.member_code_step}")
        elif isinstance(r, StoredValueRecord):
            found.add(f"sv:{r.member_id}")
    return found


def lock(session: Session, records: Sequence[object]) -> None:
    """Hold, until commit, a lock on each subject these records will check (PostgreSQL).

    Taken in one order (by lock id) so two batches cannot deadlock on them.
    SQLite has one writer at a time already.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    ids = sorted({_lock_id(s) for s in _subjects(records)})
    if ids:
        session.execute(
            text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:ids AS bigint[])) AS k"),
            {"ids": ids},
        )


# --- what a batch changes ---------------------------------------------------------------


def apply(
    session: Session, terminal: HqTerminal, records: Sequence[object]
) -> dict[str, list[str]]:
    """Apply the stored value, promotion uses and member codes of new records, in order.

    Returns the conflicts found, by record id (as ``kind:detail`` for the till's answer).
    """
    conflicts: dict[str, list[str]] = {}
    rules: set[str] = set()
    limits: dict[str, tuple[Limits, bool] | None] = {}  # promotions read once per batch
    for record in records:
        found: list[str] = []
        if isinstance(record, SaleRecord):
            found += _stored_value(
                session,
                terminal,
                record.member_id,
                record.id,
                record.created_at,
                record.stored_value,
            )
            found += _rule_uses(session, terminal, record, limits)
            rules.update(u.rule_id for u in record.rule_uses)
            found += _member_code(session, terminal, record)
        elif isinstance(record, StoredValueRecord):
            found += _stored_value(
                session, terminal, record.member_id, record.id, record.created_at, record.entries
            )
        if found:
            conflicts[getattr(record, "id", "")] = found
    _publish_totals(session, rules)
    return conflicts


def _conflict(session: Session, kind: str, subject: str, record_id: str, other: str | None) -> str:
    session.add(
        HqConflict(kind=kind, subject=subject, record_id=record_id, other_record_id=other or "")
    )
    return f"{kind}:{subject}"


# --- stored value -----------------------------------------------------------------------


@dataclass(frozen=True)
class StoredValue:
    """A member's stored-value balance at HQ, per bucket (fen)."""

    principal: int
    bonus: int

    @property
    def total(self) -> int:
        return self.principal + self.bonus


def stored_value(session: Session, member_id: str) -> StoredValue:
    """The member's chain-wide stored value: the sum of every row HQ holds."""
    got = dict(
        session.execute(
            select(HqStoredValue.bucket, func.coalesce(func.sum(HqStoredValue.amount), 0))
            .where(HqStoredValue.member_id == member_id)
            .group_by(HqStoredValue.bucket)
        ).all()
    )
    return StoredValue(int(got.get("principal", 0)), int(got.get("bonus", 0)))


def _stored_value(
    session: Session,
    terminal: HqTerminal,
    member_id: str | None,
    record_id: str,
    at: datetime,
    entries: Sequence[StoredValueRow],
) -> list[str]:
    if member_id is None or not entries:
        return []
    _insert_stored_value(
        session,
        [
            {
                "id": e.id,
                "member_id": member_id,
                "kind": e.kind,
                "bucket": e.bucket,
                "amount": e.amount,
                "record_id": record_id,
                "terminal_id": terminal.id,
                "created_at": at,
            }
            for e in entries
        ],
    )
    if not any(e.amount < 0 for e in entries):
        return []
    balance = stored_value(session, member_id)
    if balance.total >= 0:
        return []
    other = _latest(
        session,
        select(HqStoredValue.record_id, HqStoredValue.terminal_id).where(
            HqStoredValue.member_id == member_id,
            HqStoredValue.amount < 0,
            HqStoredValue.record_id.is_not(None),
            HqStoredValue.record_id != record_id,
        ),
        HqStoredValue.created_at,
        terminal.id,
    )
    _conflict(session, "stored_value_overdrawn", member_id, record_id, other)
    return [f"stored_value_overdrawn:{balance.total}"]


def _latest(session: Session, query: Any, order: Any, terminal_id: str) -> str | None:
    """The latest record a query finds, from another till when there is one.

    ``query`` selects (record_id, terminal_id)."""
    rows = session.execute(query.order_by(order.desc()).limit(50)).all()
    for record_id, other_terminal in rows:
        if other_terminal != terminal_id:
            return str(record_id)
    return str(rows[0][0]) if rows else None


def import_stored_value(session: Session, found: list[dict[str, Any]]) -> None:
    """Take a till store's stored-value rows as HQ's own (``posterm-hq import-store``)."""
    if not found:
        return
    _insert_stored_value(
        session,
        [
            {
                "id": r["id"],
                "member_id": r["member_id"],
                "kind": r["kind"],
                "bucket": r["bucket"],
                "amount": r["amount"],
                "record_id": None,
                "terminal_id": None,
                "created_at": r["created_at"],
            }
            for r in found
        ],
    )


def _insert_stored_value(session: Session, entries: list[dict[str, Any]]) -> None:
    """Add stored-value rows HQ does not hold yet (a row pushed again is there already)."""
    insert = feed.insert_for(session)
    session.execute(insert(HqStoredValue).on_conflict_do_nothing(index_elements=["id"]), entries)


# --- limited promotions -----------------------------------------------------------------


def _promotion(session: Session, rule_id: str) -> tuple[Limits, bool] | None:
    """The rule's limits as HQ publishes it, and whether it counts units (item promotions)."""
    row = session.get(HqEntity, ("promotion", rule_id))
    if row is None or not isinstance(row.data.get("body"), dict):
        return None
    try:
        (rule,) = load_promotions([row.data["body"]])
    except Exception:  # a rule HQ cannot read limits nothing; the till had its own copy
        return None
    limits = getattr(rule, "limits", None)
    return (limits, isinstance(rule, ITEM_KINDS)) if limits is not None else None


def _sum_when(column: Any, when: Any) -> Any:
    return func.coalesce(func.sum(case((when, column), else_=0)), 0)


def _rule_uses(
    session: Session,
    terminal: HqTerminal,
    sale: SaleRecord,
    known: dict[str, tuple[Limits, bool] | None],
) -> list[str]:
    if not sale.rule_uses:
        return []
    session.add_all(
        HqRuleUse(
            rule_id=u.rule_id,
            member_id=sale.member_id,
            record_id=sale.id,
            terminal_id=terminal.id,
            business_day=sale.business_day,
            times=u.times,
            units=u.units,
        )
        for u in sale.rule_uses
    )
    session.flush()
    found: list[str] = []
    used = {u.rule_id for u in sale.rule_uses if u.times > 0 or u.units > 0}
    for rule_id in sorted(used):
        if rule_id not in known:
            known[rule_id] = _promotion(session, rule_id)
        rule = known[rule_id]
        if rule is not None:
            found += _check_limits(session, terminal, sale, rule_id, *rule)
    return found


def _check_limits(
    session: Session,
    terminal: HqTerminal,
    sale: SaleRecord,
    rule_id: str,
    limits: Limits,
    counts_units: bool,
) -> list[str]:
    """Conflicts for the limits of ``rule_id`` that the chain's uses now go past."""
    day = HqRuleUse.business_day == sale.business_day
    mine = HqRuleUse.member_id == sale.member_id
    row = session.execute(
        select(
            *(
                _sum_when(column, when)
                for when in (true(), day, mine, mine & day)
                for column in (HqRuleUse.times, HqRuleUse.units)
            )
        ).where(HqRuleUse.rule_id == rule_id)
    ).one()
    t, u, dt, du, mt, mu, mdt, mdu = (int(v) for v in row)
    quota = {"quota": u if counts_units else t, "quota_day": du if counts_units else dt}
    member = {
        "per_member": mt,
        "per_member_units": mu,
        "per_member_day": mdt,
        "per_member_day_units": mdu,
    }
    found: list[str] = []
    if any(_past(limits, name, n) for name, n in quota.items()):
        other = _latest(
            session,
            select(HqRuleUse.record_id, HqRuleUse.terminal_id).where(
                HqRuleUse.rule_id == rule_id, HqRuleUse.record_id != sale.id
            ),
            HqRuleUse.id,
            terminal.id,
        )
        found.append(_conflict(session, "quota_exceeded", rule_id, sale.id, other))
    if sale.member_id is not None and any(_past(limits, n, v) for n, v in member.items()):
        other = _latest(
            session,
            select(HqRuleUse.record_id, HqRuleUse.terminal_id).where(
                HqRuleUse.rule_id == rule_id, mine, HqRuleUse.record_id != sale.id
            ),
            HqRuleUse.id,
            terminal.id,
        )
        found.append(_conflict(session, "member_limit_exceeded", rule_id, sale.id, other))
    return found


def _past(limits: Limits, name: str, used: int) -> bool:
    allowed = getattr(limits, name)
    return allowed is not None and used > allowed


def _publish_totals(session: Session, rule_ids: set[str]) -> None:
    """Send each touched promotion's chain-wide uses down the feed (``promotion_total``)."""
    if not rule_ids:
        return
    now = utcnow().isoformat()
    feed.publish_many(
        session,
        "promotion_total",
        [
            (
                t.rule_id,
                {"rule_id": t.rule_id, "times": t.times, "units": t.units, "updated_at": now},
            )
            for t in promotion_totals(session, rule_ids)
        ],
    )


@dataclass(frozen=True)
class PromotionTotal:
    rule_id: str
    times: int
    units: int


def promotion_totals(session: Session, rule_ids: set[str] | None = None) -> list[PromotionTotal]:
    """Each limited promotion's uses over all tills (sales and units); all, or these."""
    query = select(HqRuleUse.rule_id, func.sum(HqRuleUse.times), func.sum(HqRuleUse.units))
    if rule_ids is not None:
        query = query.where(HqRuleUse.rule_id.in_(rule_ids))
    return [
        PromotionTotal(rule_id, int(t or 0), int(u or 0))
        for rule_id, t, u in session.execute(
            query.group_by(HqRuleUse.rule_id).order_by(HqRuleUse.rule_id)
        )
    ]


# --- dynamic member codes ---------------------------------------------------------------


def _member_code(session: Session, terminal: HqTerminal, sale: SaleRecord) -> list[str]:
    key_id, step = sale.member_code_key_id, sale.member_code_step
    if key_id is None or step is None:
        return []
    earlier = session.scalar(
        select(HqMemberCodeUse.record_id)
        .where(
            HqMemberCodeUse.key_id == key_id,
            HqMemberCodeUse.step == step,
            HqMemberCodeUse.terminal_id != terminal.id,
        )
        .order_by(HqMemberCodeUse.id)
        .limit(1)
    )
    session.add(
        HqMemberCodeUse(
            key_id=key_id,
            step=step,
            terminal_id=terminal.id,
            record_id=sale.id,
            member_id=sale.member_id,
            used_at=sale.created_at,
        )
    )
    if earlier is None:
        return []
    return [_conflict(session, "member_code_reused", f"{key_id}:{step}", sale.id, earlier)]


# --- coupons from issue to use ----------------------------------------------------------


def _coupon(session: Session, code: str) -> HqCoupon:
    row = session.get(HqCoupon, code)
    if row is None:
        row = HqCoupon(code=code, status="issued", updated_at=utcnow())
        session.add(row)
    return row


def use_sign() -> Any:
    """A coupon use counts +1, one given back by a return -1 (summed: the uses that stand)."""
    return case((HqCouponUse.restored.is_(True), -1), else_=1)


def _net_uses(session: Session, code: str) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(use_sign()), 0)).where(HqCouponUse.code == code)
        )
        or 0
    )


def track_coupons(session: Session, sale: SaleRecord) -> list[str]:
    """Follow the coupons a sale or return used, gave back, issued or cancelled.

    Runs after ingest recorded the sale's coupon uses. The coupon's feed state
    follows what HQ knows, not what the latest record said: a coupon whose
    issuing sale arrives after a sale that used it stays ``redeemed``.
    """
    found: list[str] = []
    touched: dict[str, HqCoupon] = {}
    for use in sale.coupons:
        row = touched[use.code] = _coupon(session, use.code)
        if not use.restored:
            if row.void_record_id is not None and row.redeemed_record_id is None:
                found.append(
                    _conflict(session, "coupon_void_used", use.code, sale.id, row.void_record_id)
                )
            row.redeemed_record_id = sale.id
    for issued in sale.coupons_issued:
        row = touched[issued.code] = _coupon(session, issued.code)
        row.definition_id = issued.definition_id
        row.member_id = issued.member_id
        if issued.status == "issued":
            row.issued_record_id = sale.id
        elif issued.status == "void":  # the return's till thought it unused
            if _net_uses(session, issued.code) > 0:
                found.append(
                    _conflict(
                        session, "coupon_void_used", issued.code, sale.id, row.redeemed_record_id
                    )
                )
            row.void_record_id = sale.id
    for code, row in touched.items():
        net = _net_uses(session, code)
        row.status = "redeemed" if net > 0 else ("void" if row.void_record_id else "issued")
        row.updated_at = utcnow()
        published = session.get(HqEntity, ("coupon", code), populate_existing=True)
        if published is not None and published.data.get("status") != row.status:
            data = {**published.data, "status": row.status}
            feed.publish(session, "coupon", code, data, deleted=published.deleted)
    session.flush()
    return found


# --- what HQ staff look up --------------------------------------------------------------


@dataclass(frozen=True)
class RecordRef:
    """A record as HQ staff see it: the till's receipt number, where and when."""

    record_id: str
    receipt_no: str
    store: str
    terminal: str
    at: datetime | None

    def __str__(self) -> str:
        when = f" {self.at.astimezone(UTC):%Y-%m-%d %H:%M}Z" if self.at else ""
        return f"{self.receipt_no or '?'} ({self.store}/{self.terminal}{when}, {self.record_id})"


def record_refs(session: Session, ids: Iterable[str | None]) -> dict[str, RecordRef]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = session.execute(
        select(HqRecord.id, HqRecord.payload, HqRecord.created_at, HqStore.code, HqTerminal.code)
        .join(HqTerminal, HqTerminal.id == HqRecord.terminal_id)
        .join(HqStore, HqStore.id == HqRecord.store_id)
        .where(HqRecord.id.in_(wanted))
    ).all()
    return {
        rid: RecordRef(rid, str(payload.get("receipt_no", "")), store, term, at)
        for rid, payload, at, store, term in rows
    }


@dataclass(frozen=True)
class MemberBalance:
    member_id: str
    member_no: str
    points: int
    stored_value: StoredValue


def member_id_of(session: Session, member: str) -> tuple[str, str] | None:
    """(id, member number) of the member HQ knows by number (or by id)."""
    row = session.get(HqEntity, ("member", member))
    if row is not None:
        return row.key, str(row.data.get("member_no", ""))
    found = loyalty.member_by_no(session, member)
    return (found[0], member) if found is not None else None


def member_balance(session: Session, member: str) -> MemberBalance | None:
    """The member's chain-wide points and stored value (``posterm-hq member balance``)."""
    found = member_id_of(session, member)
    if found is None:
        return None
    member_id, member_no = found
    points = loyalty.balances(session, [member_id]).get(member_id, 0)
    return MemberBalance(member_id, member_no, points, stored_value(session, member_id))


@dataclass(frozen=True)
class CouponLife:
    """One coupon at HQ: its status and the records that issued, redeemed and cancelled it."""

    code: str
    status: str
    definition_id: str | None
    member_id: str | None
    issued: RecordRef | str | None
    redeemed: RecordRef | str | None
    void: RecordRef | str | None
    uses: list[tuple[RecordRef | str, bool]]
    """Every use in arrival order: (record, given back by a return)."""


def coupon_life(session: Session, code: str) -> CouponLife | None:
    """What HQ knows of a coupon code (``posterm-hq coupons CODE``); None if nothing."""
    row = session.get(HqCoupon, code)
    published = session.get(HqEntity, ("coupon", code))
    uses = session.execute(
        select(HqCouponUse.record_id, HqCouponUse.restored)
        .where(HqCouponUse.code == code)
        .order_by(HqCouponUse.id)
    ).all()
    if row is None and published is None and not uses:
        return None
    refs = record_refs(
        session,
        [r for r, _ in uses]
        + ([row.issued_record_id, row.redeemed_record_id, row.void_record_id] if row else []),
    )

    def ref(record_id: str | None) -> RecordRef | str | None:
        return refs.get(record_id, record_id) if record_id else None

    data = published.data if published is not None else {}
    return CouponLife(
        code=code,
        status=row.status if row is not None else str(data.get("status", "?")),
        definition_id=(row.definition_id if row else None) or data.get("definition_id"),
        member_id=(row.member_id if row else None) or data.get("member_id"),
        issued=ref(row.issued_record_id) if row else None,
        redeemed=ref(row.redeemed_record_id) if row else None,
        void=ref(row.void_record_id) if row else None,
        uses=[(refs.get(r, r), bool(restored)) for r, restored in uses],
    )


@dataclass(frozen=True)
class ConflictView:
    """A conflict with both records as HQ staff read them."""

    id: int
    kind: str
    subject: str
    record: RecordRef | str
    other: RecordRef | str | None
    detected_at: datetime
    resolved: bool


def conflict_views(session: Session) -> list[ConflictView]:
    """Every conflict, oldest first, with the two sales' receipt numbers, stores and tills."""
    found = list(session.scalars(select(HqConflict).order_by(HqConflict.id)))
    refs = record_refs(session, [c.record_id for c in found] + [c.other_record_id for c in found])
    return [
        ConflictView(
            c.id,
            c.kind,
            c.subject,
            refs.get(c.record_id, c.record_id),
            refs.get(c.other_record_id, c.other_record_id) if c.other_record_id else None,
            c.detected_at,
            c.resolved,
        )
        for c in found
    ]
