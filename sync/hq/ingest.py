"""Applying what tills push: each record once, never refusing a sale the till completed.

A record is stored in ``hq_record`` under the till's UUID with ``INSERT ...
ON CONFLICT DO NOTHING RETURNING id``: when two requests carry the same record
at once, the second waits on the first's row and finds it, so the record's
effects (points, coupon uses, feed changes) happen exactly once. Rows are
inserted in id order, so two overlapping batches lock in the same order and
cannot deadlock.

A member's personal data is taken out of the payload before it is stored and
kept sealed (:mod:`sync.hq.personal`).

A batch is applied in bulk (a handful of statements for hundreds of records).
Should that fail, it is rolled back and the batch is applied record by record,
each in its own savepoint: a record the code cannot apply is then rejected
with a reason, and the rest of the batch goes on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from sync import rows
from sync.hq import checks, feed, loyalty, personal, value
from sync.hq.models import HqConflict, HqCouponUse, HqPoints, HqRecord, HqTerminal
from sync.protocol import PushRecord, RecordResult
from terminal.records import (
    RECORD_TYPES,
    MemberErasureRecord,
    MemberRecord,
    SaleRecord,
    StoredValueRecord,
    ZReportRecord,
)
from terminal.store.types import utcnow

log = logging.getLogger(__name__)

Record = SaleRecord | StoredValueRecord | MemberRecord | MemberErasureRecord | ZReportRecord
"""A Z report needs nothing beyond ``hq_record`` (see :mod:`sync.hq.zreports`)."""


_UNAVAILABLE = (OperationalError, InterfaceError)
"""Database errors that say nothing about the record: never a reason to reject one."""


class _Reject(Exception):
    pass


def _parse(terminal: HqTerminal, rec: PushRecord) -> Record:
    """The record as its model, or _Reject / ValidationError saying why HQ cannot take it."""
    record: Any = RECORD_TYPES[rec.kind].model_validate(rec.payload)
    owner = getattr(record, "terminal_id", None)
    if owner is not None and owner != terminal.local_terminal_id:
        raise _Reject("other_terminal: the record names another till")
    if getattr(record, "id", rec.id) != rec.id:
        raise _Reject("id_mismatch: the record's id differs from the pushed id")
    return record


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0].get("loc")
        return f"invalid_record: {exc.error_count()} field(s) wrong, first: {first}"
    text = str(exc).splitlines()[0][:300] if str(exc) else ""
    return text or type(exc).__name__


def _insert_records(session: Session, terminal: HqTerminal, recs: list[PushRecord]) -> set[str]:
    """Store the records; the ids that were new (the others were there already)."""
    if not recs:
        return set()
    now = utcnow()
    insert = feed.insert_for(session)
    stmt = (
        insert(HqRecord)
        .values(
            [
                {
                    "id": rec.id,
                    "terminal_id": terminal.id,
                    "store_id": terminal.store_id,
                    "kind": rec.kind,
                    "payload": personal.stored_payload(rec.kind, rec.payload),  # no clear PII
                    "created_at": rec.created_at,
                    "received_at": now,
                }
                for rec in sorted(recs, key=lambda r: r.id)
            ]
        )
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(HqRecord.id)
    )
    return set(session.scalars(stmt))


@dataclass
class _Effects:
    """What a set of new records changes, gathered to be written in a few statements."""

    points: list[dict[str, Any]] = field(default_factory=list)
    stored_value: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)

    def gather(self, record: Record) -> None:
        if isinstance(record, SaleRecord):
            if record.member_id is not None:
                self.points += [
                    {
                        "id": p.id,
                        "member_id": record.member_id,
                        "kind": p.kind,
                        "points": p.points,
                        "lot_id": p.lot_id,
                        "expires_on": p.expires_on,
                        "record_id": record.id,
                        "created_at": record.created_at,
                    }
                    for p in record.points
                ]
            self._stored_value(record.member_id, record.id, record.created_at, record.stored_value)
        elif isinstance(record, StoredValueRecord):
            self._stored_value(record.member_id, record.id, record.created_at, record.entries)
        elif isinstance(record, MemberRecord):
            self.members.append(
                {
                    "id": record.id,
                    "member_no": record.member_no,
                    "tier_code": record.tier_code,
                    "status": record.status,
                    "referrer_no": record.referrer_no,
                    "created_at": record.created_at,
                    "updated_at": record.created_at,
                }
            )

    def _stored_value(self, member_id: str | None, record_id: str, at: Any, entries: Any) -> None:
        if member_id is None:
            return
        self.stored_value += [
            {
                "id": e.id,
                "member_id": member_id,
                "kind": e.kind,
                "bucket": e.bucket,
                "amount": e.amount,
                "sale_id": None,
                "record_id": record_id,
                "origin": "hq",
                "reason": "",
                "created_at": at,
            }
            for e in entries
        ]

    def write(self, session: Session) -> None:
        if self.points:
            insert = feed.insert_for(session)
            session.execute(
                insert(HqPoints).on_conflict_do_nothing(index_elements=["id"]), self.points
            )
            feed.publish_many(
                session,
                "points_entry",
                [
                    (
                        p["id"],
                        rows.to_json(
                            "points_entry",
                            {**p, "sale_id": None, "reason": "", "origin": "hq"},
                        ),
                    )
                    for p in self.points
                ],
            )
        for entity, found in (("stored_value_entry", self.stored_value), ("member", self.members)):
            feed.publish_many(session, entity, [(r["id"], rows.to_json(entity, r)) for r in found])


def _coupons(session: Session, terminal: HqTerminal, sale: SaleRecord) -> list[str]:
    """Record coupon uses; a coupon already redeemed elsewhere is a conflict (both kept)."""
    conflicts = []
    for use in sale.coupons:
        if not use.restored:
            earlier = session.execute(
                select(HqCouponUse.record_id, func.count())
                .where(HqCouponUse.code == use.code)
                .group_by(HqCouponUse.record_id)
                .having(func.sum(value.use_sign()) > 0)
            ).first()
            if earlier is not None:
                session.add(
                    HqConflict(
                        kind="coupon_reused",
                        subject=use.code,
                        record_id=sale.id,
                        other_record_id=earlier[0],
                    )
                )
                conflicts.append(f"coupon_reused:{use.code}")
        session.add(
            HqCouponUse(
                code=use.code, record_id=sale.id, store_id=terminal.store_id, restored=use.restored
            )
        )
        session.flush()
        feed.merge(
            session, "coupon", use.code, {"status": "issued" if use.restored else "redeemed"}
        )
    for issued in sale.coupons_issued:
        data = {
            "code": issued.code,
            "definition_id": issued.definition_id,
            "member_id": issued.member_id,
            "status": {"issued": "issued", "void": "void", "used": "redeemed"}[issued.status],
            "valid_from": issued.valid_from.isoformat(),
            "valid_to": issued.valid_to.isoformat(),
            "issued_sale_id": None,
            "issued_by": issued.rule_id,
            "updated_at": sale.created_at.isoformat(),
        }
        feed.publish(session, "coupon", issued.code, data)
    return conflicts


def _apply(session: Session, terminal: HqTerminal, new: list[Record]) -> dict[str, list[str]]:
    """Apply new records in push order; the conflicts found, by record id."""
    effects = _Effects()
    conflicts: dict[str, list[str]] = {}
    value.lock(session, new)  # what the checks below read, against a till pushing at once
    for record in new:
        effects.gather(record)
        if isinstance(record, SaleRecord) and (record.coupons or record.coupons_issued):
            conflicts[record.id] = _coupons(session, terminal, record)
            conflicts[record.id] += value.track_coupons(session, record)
        if isinstance(record, SaleRecord):
            inconsistent = _inconsistent(session, record)
            if inconsistent:
                conflicts.setdefault(record.id, []).append(inconsistent)
    effects.write(session)
    for record in new:  # after the batch's own member rows: a registration never undoes it
        if isinstance(record, MemberErasureRecord):
            feed.merge(session, "member", record.member_id, {"status": "erased"})
    personal.on_ingest(session, new)  # members' personal data sealed, erasures applied
    for record_id, found in value.apply(session, terminal, new).items():
        conflicts.setdefault(record_id, []).extend(found)
    for record_id, conflict in _overdrawn(session, effects.points):
        conflicts.setdefault(record_id, []).append(conflict)
    loyalty.on_ingest(session, new)  # tiers, referral points, welcome coupons
    return conflicts


def _inconsistent(session: Session, sale: SaleRecord) -> str:
    """A conflict when the sale's figures and its rows disagree (kept all the same)."""
    found = checks.problems(sale)
    if not found:
        return ""
    log.warning("sale %s does not add up: %s", sale.receipt_no, "; ".join(found))
    figures = ",".join(p.split(":")[0] for p in found)[:64]
    session.add(
        HqConflict(kind="sale_inconsistent", subject=figures, record_id=sale.id, other_record_id="")
    )
    return f"sale_inconsistent:{figures}"


def _overdrawn(session: Session, points: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Members whose chain balance these redemptions took below zero (two offline stores
    spent the same points): a conflict on the last such sale, naming the one before it."""
    spent: dict[str, str] = {}
    for p in points:
        if p["points"] < 0:
            spent[p["member_id"]] = p["record_id"]  # the member's last redeeming sale here
    found = []
    balances = loyalty.balances(session, spent) if spent else {}
    for member_id, record_id in spent.items():
        balance = balances.get(member_id, 0)
        if balance < 0:
            other = session.scalar(
                select(HqPoints.record_id)
                .where(
                    HqPoints.member_id == member_id,
                    HqPoints.points < 0,
                    HqPoints.record_id.is_not(None),
                    HqPoints.record_id != record_id,
                )
                .order_by(HqPoints.created_at.desc())
                .limit(1)
            )
            session.add(
                HqConflict(
                    kind="points_overdrawn",
                    subject=member_id,
                    record_id=record_id,
                    other_record_id=other or "",
                )
            )
            found.append((record_id, f"points_overdrawn:{balance}"))
    return found


def _answer(rec_id: str, conflicts: list[str]) -> RecordResult:
    return RecordResult(
        id=rec_id, outcome="conflict" if conflicts else "accepted", reason=", ".join(conflicts)
    )


def ingest(session: Session, terminal: HqTerminal, records: list[PushRecord]) -> list[RecordResult]:
    """Apply ``records`` from ``terminal`` in order, each once; one result per record."""
    results: dict[int, RecordResult] = {}
    parsed: list[tuple[int, PushRecord, Record]] = []
    seen: set[str] = set()
    for n, rec in enumerate(records):
        if rec.id in seen:  # the same record twice in one batch
            results[n] = RecordResult(id=rec.id, outcome="duplicate")
            continue
        seen.add(rec.id)
        try:
            parsed.append((n, rec, _parse(terminal, rec)))
        except (ValidationError, _Reject, KeyError) as exc:
            # the reason only: a validation error's text may quote the payload (personal data)
            log.warning(
                "record %s from terminal %s rejected: %s", rec.id, terminal.code, _reason(exc)
            )
            results[n] = RecordResult(id=rec.id, outcome="rejected", reason=_reason(exc))
    try:
        with session.begin_nested():
            fresh = _insert_records(session, terminal, [rec for _, rec, _ in parsed])
            conflicts = _apply(session, terminal, [m for _, rec, m in parsed if rec.id in fresh])
        for n, rec, _ in parsed:
            results[n] = (
                _answer(rec.id, conflicts.get(rec.id, []))
                if rec.id in fresh
                else RecordResult(id=rec.id, outcome="duplicate")
            )
    except _UNAVAILABLE:
        raise  # the database is down or busy: 503, the till sends the batch again
    except Exception:  # whatever it was, one record at a time finds the one to reject
        log.exception("batch from terminal %s failed in bulk: one record at a time", terminal.code)
        for n, rec, record in parsed:
            results[n] = _one(session, terminal, rec, record)
    return [results[n] for n in range(len(records))]


def _one(session: Session, terminal: HqTerminal, rec: PushRecord, record: Record) -> RecordResult:
    try:
        with session.begin_nested():
            if not _insert_records(session, terminal, [rec]):
                return RecordResult(id=rec.id, outcome="duplicate")
            conflicts = _apply(session, terminal, [record])
    except _UNAVAILABLE:
        raise
    except Exception as exc:  # never let one record block the till's queue
        log.exception("record %s from terminal %s could not be applied", rec.id, terminal.code)
        return RecordResult(id=rec.id, outcome="rejected", reason=f"hq_error: {_reason(exc)}")
    return _answer(rec.id, conflicts.get(rec.id, []))
