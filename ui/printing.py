"""From the store's print queue to the receipt printer.

Glue between ``terminal/`` (the jobs, kept in the store) and ``devices/``
(rendering and sending), which may not import each other. It holds no rule:
it takes the waiting jobs in order, prints each, and records what became of
it. The GUI runs it on a worker thread; the CLI and the keyboard till call it
after a sale.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from devices.printer import PrinterSettings, PrintOutcome, ReceiptPrinter, print_document
from terminal import print_jobs
from terminal.config import device_section
from terminal.home import TerminalHome
from terminal.store.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobResult:
    job_id: str
    kind: str
    outcome: PrintOutcome


def printer_for(till: TerminalHome) -> ReceiptPrinter:
    """The receipt printer the ``[printer]`` table of the config describes."""
    return ReceiptPrinter(
        device_section(till.config, till.data.config_path, "printer", PrinterSettings)
    )


def print_waiting(
    db: Database, printer: ReceiptPrinter, *, retry_failed: bool = False
) -> list[JobResult]:
    """Print the pending jobs (and failed ones with ``retry_failed``), oldest first.

    A failure marks the job failed with the cashier's message and stops the
    run: the printer that refused one job will refuse the next.
    """
    with db.transaction() as session:
        if retry_failed:
            for job in print_jobs.failed(session):
                print_jobs.retry(session, job.id)
        waiting = [(job.id, job.kind, job.document) for job in print_jobs.pending(session)]
    results: list[JobResult] = []
    for job_id, kind, document in waiting:
        outcome = print_document(printer, document)
        with db.transaction() as session:
            if outcome.ok:
                print_jobs.mark_printed(session, job_id, now=datetime.now(UTC))
            else:
                print_jobs.mark_failed(session, job_id, outcome.message)
        results.append(JobResult(job_id, kind, outcome))
        if not outcome.ok:
            log.warning("print job %s failed: %s (%s)", job_id, outcome.code, outcome.detail)
            break
    return results


def messages(results: list[JobResult]) -> list[str]:
    """What the cashier should read about a print run (nothing when all went well)."""
    out = []
    for r in results:
        if not r.outcome.ok:
            out.append(f"！ {r.outcome.message}")
        elif r.outcome.warning:
            out.append(f"提示：{r.outcome.warning}")
    return out
