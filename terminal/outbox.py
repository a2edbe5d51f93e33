"""The transactional outbox: records for HQ, written with the change they carry."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from terminal.store.direct import insert_rows
from terminal.store.models import OutboxRow


def enqueue(session: Session, kind: str, record_id: str, payload: dict[str, Any]) -> None:
    """Queue ``payload`` for HQ in the caller's transaction.

    ``record_id`` is the UUID HQ de-duplicates on, so the same record queued
    (or pushed) twice has the effect of one. The row is written at once, so the
    outbox's order is the order records were made.
    """
    insert_rows(session, OutboxRow, [{"record_id": record_id, "kind": kind, "payload": payload}])
