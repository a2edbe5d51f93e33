"""The print-job queue in the local store, and the rules for printing it.

A print job holds the document to print (built by :mod:`terminal.receipts`;
a sale's receipt is built when it first prints, see :func:`enqueue_sale`)
and its fate::

    pending --start--> sent --finish ok--> printed
                        |
                        +--finish failed--> failed --(a retry run)--> sent ...

Jobs are written in the caller's transaction, so the receipt job of a sale
commits together with the sale; printing happens afterwards, outside any
transaction, and a printer failure only ever changes the job, never the sale.

``sent`` is recorded (committed) before the bytes go out and lasts until the
printer confirms. A job the printer may have printed already — the bytes went
out but the confirmation was lost, or the till stopped while the job was
``sent`` — keeps ``sent_at`` and prints again marked 补打 / COPY, never as a
second original (:func:`start`).

The policy of a print run lives here too (:func:`run`): which jobs, in which
order, and what a failure does to the rest. The printer itself is driven by
``devices/printer``, which this module never imports: the front end passes a
``send`` callable that prints a document and reports a :class:`Delivery`.

Whether a sale opens the cash drawer is decided here (:func:`opens_drawer`);
documents never open it, so neither a reprint nor a retried job can.

All functions but :func:`run` flush but never commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, literal_column, select
from sqlalchemy.orm import Session

from terminal import audit, ledger
from terminal.auth import Actor, Permission, authorize
from terminal.errors import InvalidInput, NotFound, StateError
from terminal.receipts import DEFAULT_FOOTER, as_copy, as_reprint, member_facts, sale_document
from terminal.store.database import Database
from terminal.store.direct import insert_rows
from terminal.store.models import Member, PrintJob, Sale, Store
from terminal.store.types import new_id, utcnow

if TYPE_CHECKING:
    from terminal.pii import MemberVault

KINDS = ("receipt", "refund", "z_report", "reprint")
RETRYABLE = ("failed", "sent")
"""States a retry run picks up: failed, and ``sent`` left behind by a till that stopped."""


@dataclass(frozen=True)
class Delivery:
    """What the printer side reports for one print (the core never imports ``devices``).

    ``sent``: the bytes started going to the printer, so it may have printed
    even if ``ok`` is false. ``code``: the failure's message code; ``warning``:
    a non-blocking message code (paper near end).
    """

    ok: bool
    sent: bool
    code: str = ""
    warning: str = ""


@dataclass(frozen=True)
class Attempt:
    """One job tried in a :func:`run`: which, whether it went out as a copy, what happened."""

    job_id: str
    kind: str
    copy: bool
    delivery: Delivery


# --- the queue ---------------------------------------------------------------------------


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
        raise InvalidInput("print_job_kind_unknown", kind=kind)
    job = PrintJob(  # complete without a flush: written with the rest of the transaction
        id=new_id(),
        kind=kind,
        sale_id=sale_id if sale_id is not None else document.get("sale_id"),
        document=dict(document),
        status="pending",
        attempts=0,
        last_error="",
        created_at=now if now is not None else utcnow(),
    )
    session.add(job)
    return job


RENDER = "render"
"""Key of a sale's receipt queued unbuilt: the options :func:`document` builds it with."""


def enqueue_sale(
    session: Session,
    sale: Sale,
    *,
    now: datetime | None = None,
    footer: str = DEFAULT_FOOTER,
    vault: MemberVault | None = None,
    points_balance: int | None = None,
    tier_name: str | None = None,
) -> None:
    """Queue the receipt (or refund slip) of a sale in its own transaction, to be built
    when it prints.

    Building the document reads back much of the sale, so it is left out of
    the sale's transaction (the till's commit is what the customer waits
    for): the job holds the sale's id and what the receipt must show that can
    change afterwards — the member's masked details, tier and points balance (pass
    ``points_balance`` and ``tier_name`` when the caller knows them), the footer. A sale's own rows
    never change once committed, and its stored-value balance is read as of
    its own rows, so the document built later is the one built now.
    :func:`start` builds and keeps it the first time the job prints.
    """
    options: dict[str, Any] = {"footer": footer}
    member = session.get(Member, sale.member_id) if sale.member_id else None
    if member is not None:
        options["member_display"] = member_facts(
            member,
            vault,
            tier_name=tier_name,
            points_balance=(
                points_balance
                if points_balance is not None
                else ledger.balance(session, member.id, sale.business_day)
            ),
        )
    spec = {
        "kind": "refund" if sale.kind in ("return", "topup_refund") else "receipt",
        "sale_id": sale.id,
        "receipt_no": sale.receipt_no,
        RENDER: options,
    }
    insert_rows(  # no ORM object: this is on the sale's commit, which the customer waits for
        session,
        PrintJob,
        [
            {
                "id": new_id(),
                "kind": spec["kind"],
                "sale_id": sale.id,
                "document": spec,
                "status": "pending",
                "attempts": 0,
                "last_error": "",
                "created_at": now if now is not None else utcnow(),
            }
        ],
    )


def document(session: Session, job: PrintJob) -> dict[str, Any]:
    """The document of a job, built from its sale if it was queued unbuilt."""
    queued = job.document
    if RENDER not in queued:
        return dict(queued)
    return sale_document(session, str(queued["sale_id"]), **queued[RENDER])


def get(session: Session, job_id: str) -> PrintJob:
    """A print job by id."""
    job = session.get(PrintJob, job_id)
    if job is None:
        raise NotFound("print_job_unknown")
    return job


# jobs queued at the same instant (one clock tick) go in the order they were written
_WRITTEN: ColumnElement[int] = literal_column("print_job.rowid")


def _oldest_first(session: Session, states: tuple[str, ...]) -> list[PrintJob]:
    return list(
        session.scalars(
            select(PrintJob)
            .where(PrintJob.status.in_(states))
            .order_by(PrintJob.created_at, _WRITTEN)
        )
    )


def pending(session: Session) -> list[PrintJob]:
    """Jobs waiting to be printed, oldest first."""
    return _oldest_first(session, ("pending",))


def failed(session: Session) -> list[PrintJob]:
    """Jobs waiting for a retry — failed, or sent and never confirmed — oldest first."""
    return _oldest_first(session, RETRYABLE)


def jobs_for_sale(session: Session, sale_id: str) -> list[PrintJob]:
    """Every print job of a sale, oldest first."""
    return list(
        session.scalars(
            select(PrintJob)
            .where(PrintJob.sale_id == sale_id)
            .order_by(PrintJob.created_at, _WRITTEN)
        )
    )


# --- one print, in two steps around the printer ----------------------------------------------


def _store_tz(session: Session) -> str:
    return session.scalars(select(Store.timezone)).first() or "Asia/Shanghai"


def start(session: Session, job_id: str, *, now: datetime) -> tuple[dict[str, Any], bool]:
    """Record ``sent`` for a job about to go to the printer; returns (document, copy).

    Commit this before sending. The document is marked 补打 / COPY when the
    printer may have printed the job already: an earlier attempt sent its
    bytes, or the job is still ``sent`` from an attempt that never finished.
    """
    job = get(session, job_id)
    if job.status == "printed":
        raise StateError("print_job_already_printed")
    if job.status == "sent" and job.sent_at is None:
        job.sent_at = now  # left ``sent`` by a till that stopped mid-print: it may be out
    copy = job.sent_at is not None
    job.status = "sent"
    built = document(session, job)
    if RENDER in job.document:
        job.document = built  # kept: every later print and preview shows this one
    session.flush()
    if copy:
        built = as_copy(built, at=now, tz=_store_tz(session))
    return built, copy


def finish(session: Session, job_id: str, delivery: Delivery, *, now: datetime) -> PrintJob:
    """Record what the printer reported for a job :func:`start` sent.

    A failure keeps the message code for the cashier; if bytes went out the
    job may be on paper already, so ``sent_at`` stays set and the next print
    is a copy.
    """
    job = get(session, job_id)
    if job.status == "printed":
        raise StateError("print_job_already_printed")
    job.attempts += 1
    if delivery.sent and job.sent_at is None:
        job.sent_at = now
    if delivery.ok:
        job.status = "printed"
        job.printed_at = now
        job.last_error = ""
    else:
        job.status = "failed"
        job.last_error = delivery.code or "print_failed"
    session.flush()
    return job


def retry(session: Session, job_id: str) -> PrintJob:
    """Put a failed (or unconfirmed ``sent``) job back in the queue for the next run."""
    job = get(session, job_id)
    if job.status not in RETRYABLE:
        raise StateError("print_job_not_retryable")
    job.status = "pending"
    session.flush()
    return job


# --- the policy of a print run -------------------------------------------------------------


def to_print(session: Session, *, retry_failed: bool = False) -> list[str]:
    """Ids of the jobs a run tries, in order: the pending ones, oldest first; with
    ``retry_failed`` also those that failed or were never confirmed, all oldest first."""
    states = ("pending", *RETRYABLE) if retry_failed else ("pending",)
    return [job.id for job in _oldest_first(session, states)]


def run(
    db: Database,
    send: Callable[[Mapping[str, Any]], Delivery],
    *,
    clock: Callable[[], datetime],
    retry_failed: bool = False,
    only: str | None = None,
) -> list[Attempt]:
    """Print the queue: each job of :func:`to_print` (or just ``only``) in turn.

    Each job is marked ``sent`` and committed before ``send`` gets it, and the
    outcome is committed after. The first failure ends the run: the printer
    that refused one job would refuse the next, and the jobs not tried keep
    the state they had (a failed job stays failed, a pending one pending), so
    nothing is left queued to come out with the next customer's receipt.
    Jobs must be printed by one run at a time (one printer worker).
    """
    with db.sessions() as session:
        ids = [only] if only is not None else to_print(session, retry_failed=retry_failed)
    attempts: list[Attempt] = []
    for job_id in ids:
        with db.transaction() as session:
            document, copy = start(session, job_id, now=clock())
            kind = get(session, job_id).kind
        delivery = send(document)
        with db.transaction() as session:
            finish(session, job_id, delivery, now=clock())
        attempts.append(Attempt(job_id, kind, copy, delivery))
        if not delivery.ok:
            break
    return attempts


# --- the cash drawer -----------------------------------------------------------------------


def opens_drawer(session: Session, sale_id: str) -> bool:
    """Whether committing this sale opens the cash drawer: cash changed hands.

    A sale opens it when cash was tendered, a return when cash is paid back.
    The front end pulses the drawer once, right after the commit, before the
    receipt prints; a reprint or a retried receipt never opens it.
    """
    sale = session.get(Sale, sale_id)
    if sale is None:
        raise NotFound("print_sale_unknown")
    return any(p.method == "cash" and p.tendered != 0 for p in sale.payments)


def last_sale_seq(session: Session, terminal_id: str) -> int:
    """The receipt sequence number of the terminal's last sale or return (-1: none yet)."""
    last = session.scalar(select(func.max(Sale.seq)).where(Sale.terminal_id == terminal_id))
    return -1 if last is None else int(last)


def sales_after(session: Session, terminal_id: str, seq: int) -> list[tuple[str, int]]:
    """(id, receipt sequence) of the sales and returns this terminal committed after
    sequence number ``seq``, oldest first."""
    return [
        (row.id, row.seq)
        for row in session.execute(
            select(Sale.id, Sale.seq)
            .where(Sale.terminal_id == terminal_id, Sale.seq > seq)
            .order_by(Sale.seq)
        )
    ]


# --- reprints ------------------------------------------------------------------------------


def original_job(session: Session, sale_id: str) -> PrintJob | None:
    """The job first queued for a sale, its receipt or refund slip (not a reprint copy)."""
    return next((j for j in jobs_for_sale(session, sale_id) if j.kind != "reprint"), None)


def original_document(session: Session, sale_id: str) -> dict[str, Any]:
    """The document first queued for a sale (what the customer was given), or, for a sale
    that never queued one, the document built from the store now."""
    first = original_job(session, sale_id)
    return document(session, first) if first is not None else sale_document(session, sale_id)


def reprint(
    session: Session,
    sale_id: str,
    *,
    now: datetime,
    actor: Actor,
    approver: Actor | None = None,
    terminal_id: str | None = None,
) -> PrintJob:
    """Queue a copy of a sale's receipt marked 重印 / REPRINT; audited.

    Needs the REPRINT permission (``actor``'s own, or ``approver``'s one-action
    approval), checked here after the sale was found, so nobody approves a
    reprint of a receipt that does not exist. The copy is made from the
    document first queued for the sale, so it shows what the customer was
    given, even if members or prices changed since.
    """
    sale = session.get(Sale, sale_id)
    if sale is None:
        raise NotFound("print_sale_unknown")
    who = authorize(actor, Permission.REPRINT, approver)
    document = original_document(session, sale_id)
    job = enqueue(
        session, as_reprint(document, at=now, tz=sale.tz), kind="reprint", sale_id=sale_id, now=now
    )
    audit.record(
        session,
        "receipt_reprint",
        user_id=actor.user_id,
        terminal_id=terminal_id,
        target=sale.receipt_no,
        approved_by=who.user_id if who is not actor else None,
        job_id=job.id,
    )
    return job


def reprint_job(
    session: Session,
    job_id: str,
    *,
    now: datetime,
    tz: str,
    actor: Actor,
    approver: Actor | None = None,
    terminal_id: str | None = None,
) -> PrintJob:
    """Queue a copy of any job's document (e.g. a Z summary) marked 重印 / REPRINT; audited.

    Needs the REPRINT permission, like :func:`reprint`.
    """
    job = get(session, job_id)
    who = authorize(actor, Permission.REPRINT, approver)
    original = document(session, job)
    copy = enqueue(
        session,
        as_reprint(original, at=now, tz=tz),
        kind="reprint",
        sale_id=job.sale_id,
        now=now,
    )
    audit.record(
        session,
        "receipt_reprint",
        user_id=actor.user_id,
        terminal_id=terminal_id,
        target=str(original.get("receipt_no") or original.get("shift_id") or job.id),
        approved_by=who.user_id if who is not actor else None,
        job_id=copy.id,
    )
    return copy
