"""The audit trail: one row per sensitive action, written in the caller's transaction.

Details must never carry personal data in clear (names, phone numbers); pass
ids, receipt numbers, amounts and reasons.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from terminal.store.models import AuditEvent


def record(
    session: Session,
    action: str,
    *,
    user_id: str | None,
    terminal_id: str | None = None,
    target: str = "",
    approved_by: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to ``session`` (committed with the action it describes)."""
    event = AuditEvent(
        action=action,
        user_id=user_id,
        terminal_id=terminal_id,
        target=target,
        approved_by=approved_by,
        details=details,
    )
    session.add(event)
    return event
