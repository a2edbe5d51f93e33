"""Suspended baskets (挂单): a basket parked in the store, to be resumed later.

A basket is parked when the customer steps away, and also whenever a till
closes or is interrupted with lines on it, so nothing a cashier rang up is
ever lost by quitting.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal.errors import NotFound
from terminal.store.models import SuspendedBasket


def park(
    session: Session,
    *,
    terminal_id: str,
    user_id: str,
    label: str,
    payload: dict[str, Any],
) -> SuspendedBasket:
    """Store a basket's payload in the caller's transaction."""
    row = SuspendedBasket(
        terminal_id=terminal_id, user_id=user_id, label=label[:64], payload=payload
    )
    session.add(row)
    session.flush()
    return row


def parked(session: Session, terminal_id: str) -> list[SuspendedBasket]:
    """This terminal's parked baskets, oldest first."""
    return list(
        session.scalars(
            select(SuspendedBasket)
            .where(SuspendedBasket.terminal_id == terminal_id)
            .order_by(SuspendedBasket.created_at)
        )
    )


def take(session: Session, terminal_id: str, suspended_id: str) -> dict[str, Any]:
    """Remove a parked basket of this terminal and return its payload."""
    row = session.get(SuspendedBasket, suspended_id)
    if row is None or row.terminal_id != terminal_id:
        raise NotFound("no_suspended_basket")
    payload = dict(row.payload)
    session.delete(row)
    return payload
