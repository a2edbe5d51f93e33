"""Opening and closing a shift as a till does it: the state change, its slip, its events.

:mod:`terminal.shifts` holds the shift's state and figures; this module is the
use case every front end calls, so closing a shift always queues the Z slip
(in the same transaction) and announces it, whatever screen closed it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select

from terminal import events, print_jobs, shifts
from terminal.auth import Actor
from terminal.receipts import z_report_document
from terminal.store.database import Database
from terminal.store.models import Shift, Store


def open_shift(
    db: Database,
    *,
    terminal_id: str,
    actor: Actor,
    opening_float: int,
    now: datetime,
    approver: Actor | None = None,
) -> Shift:
    """Open a shift with the counted float, in a transaction of its own."""
    with db.transaction() as session:
        shift = shifts.open_shift(
            session,
            terminal_id=terminal_id,
            actor=actor,
            opening_float=opening_float,
            now=now,
            approver=approver,
        )
    events.emit("shift_opened", shift_id=shift.id, terminal_id=terminal_id)
    return shift


def close_shift(
    db: Database,
    *,
    terminal_id: str,
    actor: Actor,
    counts: Mapping[int, int],
    now: datetime,
    approver: Actor | None = None,
) -> shifts.ShiftSummary:
    """Close the open shift with the drawer count and queue its Z slip, together."""
    with db.transaction() as session:
        summary = shifts.close_shift(
            session,
            terminal_id=terminal_id,
            actor=actor,
            counts=counts,
            now=now,
            approver=approver,
        )
        tz = session.scalar(select(Store.timezone).limit(1)) or "Asia/Shanghai"
        print_jobs.enqueue(
            session, z_report_document(session, summary, tz=tz), kind="z_report", now=now
        )
    events.emit("shift_closed", shift_id=summary.shift_id, terminal_id=terminal_id)
    events.emit("print_queue_changed")
    return summary
