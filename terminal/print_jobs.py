"""The print-job queue in the local store.

A print job holds the document to print (built by :mod:`terminal.receipts`)
and its fate: ``pending`` -> ``printed`` or ``failed``; a failed job goes back
to ``pending`` with :func:`retry`, or is printed straight from ``failed``.
Jobs are written in the caller's transaction, so the receipt job of a sale can
commit together with the sale; printing happens afterwards, outside any
transaction, and a printer failure only ever changes the job, never the sale.

The printer itself is driven by ``devices/printer`` (which this module never
imports): the till takes a job, calls ``devices.printer.print_document`` with
``job.document`` and reports back with :func:`mark_printed` or
:func:`mark_failed` (with the outcome's cashier message).

All functions flush but never commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal import audit
from terminal.errors import InvalidInput, NotFound, StateError
from terminal.receipts import as_reprint, sale_document
from terminal.store.models import PrintJob, Sale

KINDS = ("receipt", "refund", "z_report", "reprint")
MAX_ERROR = 500


def enqueue(
    session: Session,
    document: Mapping[str, Any],
    *,
    kind: str | None = None,
    sale_id: str | None = None,
    now: datetime | None = None,
) -> PrintJob:
    """Queue ``document`` for printing in the caller's transaction; returns the pending job."""
    kind = kind or ("reprint" if document.get("reprint") else str(document.get("kind", "")))
    if kind not in KINDS:
        raise InvalidInput(f"未知的打印类型 {kind!r} / unknown print job kind")
    job = PrintJob(
        kind=kind,
        sale_id=sale_id if sale_id is not None else document.get("sale_id"),
        document=dict(document),
        status="pending",
    )
    if now is not None:
        job.created_at = now
    session.add(job)
    session.flush()
    return job


def enqueue_sale(
    session: Session, sale_id: str, *, now: datetime | None = None, **document_options: Any
) -> PrintJob:
    """Build the receipt (or refund slip) of a committed sale and queue it.

    ``document_options`` go to :func:`terminal.receipts.sale_document`
    (``footer``, ``vault``, ``member_display``).
    """
    document = sale_document(session, sale_id, **document_options)
    return enqueue(session, document, sale_id=sale_id, now=now)


def get(session: Session, job_id: str) -> PrintJob:
    """A print job by id."""
    job = session.get(PrintJob, job_id)
    if job is None:
        raise NotFound(f"找不到打印任务 / no print job {job_id}")
    return job


def pending(session: Session) -> list[PrintJob]:
    """Jobs waiting to be printed, oldest first."""
    return list(
        session.scalars(
            select(PrintJob).where(PrintJob.status == "pending").order_by(PrintJob.created_at)
        )
    )


def failed(session: Session) -> list[PrintJob]:
    """Jobs that failed and wait for a reprint, newest first."""
    return list(
        session.scalars(
            select(PrintJob).where(PrintJob.status == "failed").order_by(PrintJob.created_at.desc())
        )
    )


def jobs_for_sale(session: Session, sale_id: str) -> list[PrintJob]:
    """Every print job of a sale, oldest first."""
    return list(
        session.scalars(
            select(PrintJob).where(PrintJob.sale_id == sale_id).order_by(PrintJob.created_at)
        )
    )


def mark_printed(session: Session, job_id: str, *, now: datetime) -> PrintJob:
    """Record that the job printed (from ``pending`` or ``failed``)."""
    job = get(session, job_id)
    if job.status == "printed":
        raise StateError("该小票已打印 / this job was already printed", code="already_printed")
    job.status = "printed"
    job.attempts += 1
    job.printed_at = now
    job.last_error = ""
    session.flush()
    return job


def mark_failed(session: Session, job_id: str, error: str) -> PrintJob:
    """Record a failed attempt with a cashier-readable ``error``; the job waits for a reprint."""
    job = get(session, job_id)
    if job.status == "printed":
        raise StateError("该小票已打印 / this job was already printed", code="already_printed")
    message = (error or "").strip() or "打印失败，小票已保存可重打"
    job.status = "failed"
    job.attempts += 1
    job.last_error = message[:MAX_ERROR]
    session.flush()
    return job


def retry(session: Session, job_id: str) -> PrintJob:
    """Put a failed job back in the queue as it was (the customer never got this copy)."""
    job = get(session, job_id)
    if job.status != "failed":
        raise StateError("只有打印失败的任务可以重试 / only a failed job can be retried")
    job.status = "pending"
    session.flush()
    return job


def reprint(
    session: Session,
    sale_id: str,
    *,
    now: datetime,
    user_id: str | None = None,
    terminal_id: str | None = None,
) -> PrintJob:
    """Queue a copy of a sale's receipt marked 重印 / REPRINT (no drawer kick); audited.

    The copy is made from the document first queued for the sale, so it shows
    what the customer was given, even if members or prices changed since.
    """
    sale = session.get(Sale, sale_id)
    if sale is None:
        raise NotFound(f"找不到该笔交易 / no sale {sale_id}")
    first = next((j for j in jobs_for_sale(session, sale_id) if j.kind != "reprint"), None)
    document = first.document if first is not None else sale_document(session, sale_id)
    job = enqueue(
        session, as_reprint(document, at=now, tz=sale.tz), kind="reprint", sale_id=sale_id, now=now
    )
    audit.record(
        session,
        "receipt_reprint",
        user_id=user_id,
        terminal_id=terminal_id,
        target=sale.receipt_no,
        job_id=job.id,
    )
    return job


def reprint_job(
    session: Session,
    job_id: str,
    *,
    now: datetime,
    tz: str,
    user_id: str | None = None,
    terminal_id: str | None = None,
) -> PrintJob:
    """Queue a copy of any job's document (e.g. a Z summary) marked 重印 / REPRINT; audited."""
    job = get(session, job_id)
    copy = enqueue(
        session,
        as_reprint(job.document, at=now, tz=tz),
        kind="reprint",
        sale_id=job.sale_id,
        now=now,
    )
    audit.record(
        session,
        "receipt_reprint",
        user_id=user_id,
        terminal_id=terminal_id,
        target=str(job.document.get("receipt_no") or job.document.get("shift_id") or job.id),
        job_id=copy.id,
    )
    return copy
