"""After a resync from zero: rows HQ no longer has go from the till too.

HQ forgets old tombstones (:func:`sync.hq.feed.drop_tombstones`); a till
whose cursor was below them pulls the whole feed again (HTTP 410). That full
feed names every row HQ still owns, so a row of an HQ-owned table it does not
name was deleted at HQ while the till was away, and must not stay alive at
the till: it is removed by the same rule as a tombstone (a table with
``active`` is deactivated, so a product a sale points at stays; others are
deleted), in the transaction that saves the cursor the full pull reached.

Kept all the same:

- ledger rows (points, stored value): append-only, and this till's own
  entries not pushed yet are not in any feed;
- rows this till made that HQ has not heard of yet: members registered here
  and coupons issued by sales still in the outbox (not yet acknowledged);
- rows other rows of the store still point at (a member of a past sale, a
  coupon redeemed here, the category of a deactivated product): removing
  them would break the store's history; they are logged by count.

A full pull cut short keeps :data:`PENDING` set, so the next pull starts from
zero again rather than from where it stopped, and still sweeps.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import Column, Table, select
from sqlalchemy.orm import Session

from sync import protocol, rows, state
from terminal.store.carry import RESYNC_PENDING_KEY
from terminal.store.models import Base, OutboxRow

log = logging.getLogger(__name__)

PENDING = RESYNC_PENDING_KEY  # a restore with carry-over sets it too
"""``sync_state`` key: a pull from zero after HTTP 410 has started and not finished."""

_IN = 500  # keys per IN (...): below SQLite's variable limit


def pending(session: Session) -> bool:
    return state.get(session, PENDING) == "1"


def start(session: Session) -> None:
    state.put(session, PENDING, "1")


def mentioned(changes: Iterable[protocol.Change]) -> dict[str, set[str]]:
    """The keys a full feed names, per entity (deletions included)."""
    out: dict[str, set[str]] = {}
    for change in changes:
        out.setdefault(change.entity, set()).add(change.key)
    return out


def sweep(session: Session, named: dict[str, set[str]]) -> dict[str, int]:
    """Remove what the full feed did not name; finish the resync. Rows removed per entity."""
    local = _made_here(session)
    removed: dict[str, int] = {}
    kept = 0
    # children first: a coupon goes before its definition, a barcode before its product
    for entity in sorted(protocol.FEED_ENTITIES, key=protocol.FEED_ENTITIES.__getitem__)[::-1]:
        if entity in protocol.LEDGER_ENTITIES:
            continue
        table = rows.table_of(entity)
        (pk,) = table.primary_key.columns
        live = select(pk).where(table.c.active.is_(True)) if "active" in table.c else select(pk)
        stale = set(session.scalars(live)) - named.get(entity, set()) - local.get(entity, set())
        if not stale:
            continue
        if "active" in table.c:
            for batch in _batches(stale):
                session.execute(table.update().where(pk.in_(batch)).values(active=False))
            removed[entity] = len(stale)
            continue
        held = _referenced(session, table, pk, stale)
        kept += len(held)
        gone = stale - held
        for batch in _batches(gone):
            session.execute(table.delete().where(pk.in_(batch)))
        if gone:
            removed[entity] = len(gone)
    state.put(session, PENDING, "0")
    if removed or kept:
        log.warning(
            "resync: removed rows HQ no longer has: %s; %d kept because the store refers to them",
            removed,
            kept,
        )
    return removed


def _made_here(session: Session) -> dict[str, set[str]]:
    """Members and coupons this till made that HQ has not acknowledged yet."""
    members: set[str] = set()
    coupons: set[str] = set()
    for kind, payload in session.execute(
        select(OutboxRow.kind, OutboxRow.payload).where(OutboxRow.sent_at.is_(None))
    ):
        if kind == "member":
            members.add(str(payload.get("id")))
        elif kind == "sale":
            coupons.update(str(c.get("code")) for c in payload.get("coupons_issued") or ())
    return {"member": members, "coupon": coupons}


def _referenced(session: Session, table: Table, pk: Column[str], keys: set[str]) -> set[str]:
    """The keys some other row of the store still points at."""
    found: set[str] = set()
    for other in Base.metadata.tables.values():
        for fk in other.foreign_keys:
            if fk.column is not pk:
                continue
            column = fk.parent
            for batch in _batches(keys):
                found.update(
                    str(k)
                    for k in session.scalars(select(column).where(column.in_(batch)).distinct())
                )
    return found


def _batches(keys: set[str]) -> Iterable[list[str]]:
    ordered = sorted(keys)
    for n in range(0, len(ordered), _IN):
        yield ordered[n : n + _IN]
