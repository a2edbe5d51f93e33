"""The Z reports the tills took, as HQ staff list them (``posterm-hq zreports``).

A till queues a ``z_report`` record in the transaction that takes the Z
report (:func:`terminal.reports.zreport.take_z`); HQ keeps it in
``hq_record`` like every record, once, and reads it from there: nothing
else is stored or recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.hq.models import HqRecord, HqStore, HqTerminal
from terminal.records import ZReportRecord


@dataclass(frozen=True)
class ZReportLine:
    """One Z report: where and when, and its totals (fen)."""

    store: str
    terminal: str
    z_no: int
    business_day: date
    taken_at: datetime
    sales_count: int
    returns_count: int
    amount: int
    refunds: int
    net: int
    expected_cash: int
    counted_cash: int
    variance: int
    tenders: dict[str, int]
    """Net per tender that moved money that day."""


def z_reports(session: Session, store: str | None = None) -> list[ZReportLine]:
    """Every Z report HQ received (of one store if given), by store, terminal and number."""
    query = (
        select(HqRecord.payload, HqStore.code, HqTerminal.code)
        .join(HqTerminal, HqTerminal.id == HqRecord.terminal_id)
        .join(HqStore, HqStore.id == HqRecord.store_id)
        .where(HqRecord.kind == "z_report")
    )
    if store is not None:
        query = query.where(HqStore.code == store)
    out = []
    for payload, store_code, terminal_code in session.execute(query):
        z = ZReportRecord.model_validate(payload)
        out.append(
            ZReportLine(
                store=store_code,
                terminal=terminal_code,
                z_no=z.z_no,
                business_day=z.business_day,
                taken_at=z.taken_at,
                sales_count=z.sales_count,
                returns_count=z.returns_count,
                amount=z.amount,
                refunds=z.refunds,
                net=z.net,
                expected_cash=z.expected_cash,
                counted_cash=z.counted_cash,
                variance=z.variance,
                tenders=_moved(z),
            )
        )
    return sorted(out, key=lambda z: (z.store, z.terminal, z.z_no))


def _moved(z: ZReportRecord) -> dict[str, int]:
    """Net per tender that took, refunded or topped up money (idle tenders left out)."""
    return {m: t.net for m, t in z.tenders.items() if t.taken or t.refunded or t.topups}
