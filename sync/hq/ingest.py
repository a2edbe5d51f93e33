"""Applying what tills push: each record once, never refusing a sale the till completed.

A record is stored in ``hq_record`` under the till's UUID with ``INSERT ...
ON CONFLICT DO NOTHING``: when two requests carry the same record at once,
the second waits on the first's row and finds it, so the record's effects
(points, coupon uses, feed changes) happen exactly once. Each record is
applied in its own savepoint: one the code cannot apply is rejected with a
reason and the rest of the batch goes on.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync import rows
from sync.hq import feed
from sync.hq.models import HqConflict, HqCouponUse, HqPoints, HqRecord, HqTerminal
from sync.protocol import PushRecord, RecordResult
from terminal.records import (
    RECORD_TYPES,
    MemberErasureRecord,
    MemberRecord,
    SaleRecord,
    StoredValueRecord,
)
from terminal.store.types import utcnow

log = logging.getLogger(__name__)


def _insert_record(session: Session, terminal: HqTerminal, rec: PushRecord) -> bool:
    """Store the record; False when it was there already (a duplicate)."""
    insert = feed.insert_for(session)
    stmt = (
        insert(HqRecord)
        .values(
            id=rec.id,
            terminal_id=terminal.id,
            store_id=terminal.store_id,
            kind=rec.kind,
            payload=rec.payload,
            created_at=rec.created_at,
            received_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(HqRecord.id)
    )
    return session.execute(stmt).first() is not None


def _points(session: Session, sale: SaleRecord) -> None:
    if not sale.points or sale.member_id is None:
        return
    entries = [
        {
            "id": p.id,
            "member_id": sale.member_id,
            "kind": p.kind,
            "points": p.points,
            "lot_id": p.lot_id,
            "expires_on": p.expires_on,
            "sale_id": None,
            "reason": "",
            "origin": "hq",
            "created_at": sale.created_at,
        }
        for p in sale.points
    ]
    ledger = [
        {k: e[k] for k in ("id", "member_id", "kind", "points", "lot_id", "expires_on")}
        | {"record_id": sale.id, "created_at": sale.created_at}
        for e in entries
    ]
    insert = feed.insert_for(session)
    session.execute(insert(HqPoints).on_conflict_do_nothing(index_elements=["id"]), ledger)
    feed.publish_many(
        session,
        "points_entry",
        [
            (p.id, rows.to_json("points_entry", e))
            for p, e in zip(sale.points, entries, strict=True)
        ],
    )


def _coupons(session: Session, terminal: HqTerminal, sale: SaleRecord) -> list[str]:
    """Record coupon uses; a coupon already redeemed elsewhere is a conflict (both kept)."""
    conflicts = []
    for use in sale.coupons:
        if not use.restored:
            earlier = session.execute(
                select(HqCouponUse.record_id, func.count())
                .where(HqCouponUse.code == use.code)
                .group_by(HqCouponUse.record_id)
                .having(func.sum(_sign()) > 0)
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


def _sign() -> Any:
    from sqlalchemy import case

    return case((HqCouponUse.restored.is_(True), -1), else_=1)


def _stored_value(session: Session, member_id: str | None, record: Any) -> None:
    rows = record.stored_value if isinstance(record, SaleRecord) else record.entries
    if not rows or member_id is None:
        return
    feed.publish_many(
        session,
        "stored_value_entry",
        [
            (
                row.id,
                {
                    "id": row.id,
                    "member_id": member_id,
                    "kind": row.kind,
                    "bucket": row.bucket,
                    "amount": row.amount,
                    "sale_id": None,
                    "record_id": record.id,
                    "origin": "hq",
                    "reason": "",
                    "created_at": record.created_at.isoformat(),
                },
            )
            for row in rows
        ],
    )


def _member(session: Session, member: MemberRecord) -> None:
    data = {
        "id": member.id,
        "member_no": member.member_no,
        "tier_code": member.tier_code,
        "status": member.status,
        "referrer_no": member.referrer_no,
        "created_at": member.created_at.isoformat(),
        "updated_at": member.created_at.isoformat(),
    }
    feed.publish(session, "member", member.id, data)


def _apply(session: Session, terminal: HqTerminal, rec: PushRecord) -> list[str]:
    model = RECORD_TYPES[rec.kind]
    record = model.model_validate(rec.payload)
    owner = getattr(record, "terminal_id", None)
    if owner is not None and owner != terminal.local_terminal_id:
        raise _Reject("other_terminal: the record names another till")
    if getattr(record, "id", rec.id) != rec.id:
        raise _Reject("id_mismatch: the record's id differs from the pushed id")
    if isinstance(record, SaleRecord):
        _points(session, record)
        _stored_value(session, record.member_id, record)
        return _coupons(session, terminal, record)
    if isinstance(record, StoredValueRecord):
        _stored_value(session, record.member_id, record)
    elif isinstance(record, MemberRecord):
        _member(session, record)
    elif isinstance(record, MemberErasureRecord):
        feed.merge(session, "member", record.member_id, {"status": "erased"})
    return []


class _Reject(Exception):
    pass


def ingest(session: Session, terminal: HqTerminal, records: list[PushRecord]) -> list[RecordResult]:
    """Apply ``records`` from ``terminal`` in order, each once; one result per record."""
    results: list[RecordResult] = []
    for rec in records:
        try:
            with session.begin_nested():
                if not _insert_record(session, terminal, rec):
                    results.append(RecordResult(id=rec.id, outcome="duplicate"))
                    continue
                conflicts = _apply(session, terminal, rec)
        except (ValidationError, _Reject, KeyError) as exc:
            reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
            if isinstance(exc, ValidationError):
                reason = f"invalid_record: {exc.error_count()} field(s) wrong, first: " + str(
                    exc.errors()[0].get("loc")
                )
            log.warning("record %s from terminal %s rejected: %s", rec.id, terminal.code, reason)
            results.append(RecordResult(id=rec.id, outcome="rejected", reason=reason))
            continue
        results.append(
            RecordResult(
                id=rec.id,
                outcome="conflict" if conflicts else "accepted",
                reason=", ".join(conflicts),
            )
        )
    return results
