"""Printouts as they were given out: find one to show on screen, and reprint it.

A printout is the document of an original print job — a receipt, a refund
slip (退货单) or a Z summary — exactly as the printer got it, so a preview on
screen shows what is on the customer's paper. Reprint copies (重印) are not
printouts of their own: they are copies of one.

:func:`reprint` picks the core call for the kind (a sale's receipt or any
other job) and leaves the permission check to :mod:`terminal.print_jobs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from terminal import print_jobs
from terminal.auth import Actor
from terminal.classifier import unknown_receipt
from terminal.errors import NotFound
from terminal.store.models import PrintJob, Sale, Store

ORIGINAL_KINDS = ("receipt", "refund", "z_report")


@dataclass(frozen=True)
class Printout:
    """One document as given out. ``job_id`` is empty for a sale that never queued one."""

    job_id: str
    kind: str  # receipt | refund | z_report
    title: str  # as printed: 购物小票, 退货单, 交班报表 (Z) …
    number: str  # the receipt number, or empty (a Z summary)
    time: str  # local time printed on it
    status: str  # the print job's state: pending | sent | printed | failed ("" without a job)
    sale_id: str | None
    document: dict[str, Any]


def _of_job(session: Session, job: PrintJob) -> Printout:
    doc = print_jobs.document(session, job)
    return Printout(
        job_id=job.id,
        kind=job.kind,
        title=str(doc.get("title", "")),
        number=str(doc.get("receipt_no") or ""),
        time=str(doc.get("time", "")),
        status=job.status,
        sale_id=job.sale_id,
        document=doc,
    )


def sale_by_receipt(session: Session, receipt_no: str) -> Sale:
    """The sale or return with this receipt number."""
    number = (receipt_no or "").strip()
    sale = session.scalar(select(Sale).where(Sale.receipt_no == number))
    if sale is None:
        raise unknown_receipt(number, "print_receipt_unknown")
    return sale


def for_receipt(session: Session, receipt_no: str) -> Printout:
    """The receipt or refund slip with this number, as the customer was given it."""
    sale = sale_by_receipt(session, receipt_no)
    first = print_jobs.original_job(session, sale.id)
    if first is not None:
        return _of_job(session, first)
    document = print_jobs.original_document(session, sale.id)
    return Printout(
        job_id="",
        kind=str(document.get("kind", "")),
        title=str(document.get("title", "")),
        number=sale.receipt_no,
        time=str(document.get("time", "")),
        status="",
        sale_id=sale.id,
        document=document,
    )


def recent(session: Session, limit: int = 30) -> list[Printout]:
    """The latest original printouts (receipts, refund slips, Z summaries), newest first."""
    jobs = session.scalars(
        select(PrintJob)
        .where(PrintJob.kind.in_(ORIGINAL_KINDS))
        .order_by(PrintJob.created_at.desc(), literal_column("print_job.rowid").desc())
        .limit(max(1, min(limit, 500)))
    )
    return [_of_job(session, job) for job in jobs]


def reprint(
    session: Session,
    printout: Printout,
    *,
    now: datetime,
    actor: Actor,
    approver: Actor | None = None,
    terminal_id: str | None = None,
) -> PrintJob:
    """Queue a copy of ``printout`` marked 重印 / REPRINT (needs REPRINT; audited)."""
    if printout.sale_id is not None:
        return print_jobs.reprint(
            session,
            printout.sale_id,
            now=now,
            actor=actor,
            approver=approver,
            terminal_id=terminal_id,
        )
    if not printout.job_id:
        raise NotFound("print_job_unknown")
    tz = session.scalars(select(Store.timezone)).first() or "Asia/Shanghai"
    return print_jobs.reprint_job(
        session,
        printout.job_id,
        now=now,
        tz=tz,
        actor=actor,
        approver=approver,
        terminal_id=terminal_id,
    )
