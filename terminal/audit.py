"""The audit trail: one row per sensitive action, written in the caller's transaction.

Details must never carry personal data in clear (names, phone numbers); pass
ids, receipt numbers, amounts and reasons.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from terminal.store.direct import insert_rows
from terminal.store.models import AuditEvent
from terminal.store.types import new_id, utcnow


def record(
    session: Session,
    action: str,
    *,
    user_id: str | None,
    terminal_id: str | None = None,
    target: str = "",
    approved_by: str | None = None,
    at: datetime | None = None,
    **details: Any,
) -> str:
    """Write an audit event in ``session``'s transaction (it commits with the action it
    describes); returns its id. ``at`` defaults to now."""
    event_id = new_id()
    insert_rows(
        session,
        AuditEvent,
        [
            {
                "id": event_id,
                "at": at if at is not None else utcnow(),
                "action": action,
                "user_id": user_id,
                "terminal_id": terminal_id,
                "target": target,
                "approved_by": approved_by,
                "details": details,
            }
        ],
    )
    return event_id
