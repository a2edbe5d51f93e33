"""One round of sync, on the till: push the outbox, pull the feed.

Push: outbox rows in ``id`` order, in batches; each row is marked sent once
HQ answered for it (accepted, duplicate or conflict: HQ holds it either way)
or parked when HQ rejected it, reason kept, never sent again and never in
the way of the rows after it. A batch whose answer was lost (connection cut
after HQ committed) is simply sent again: HQ answers ``duplicate``.

Pull: every waiting page of the feed is fetched first (no store lock held
while the network is slow), then applied in local transactions of
:data:`CHUNK` changes, each saving the cursor it reached, so a sale waits
for the store at most one chunk (about a second) even during a bootstrap,
and a bootstrap cut short resumes where it was. Foreign keys are checked at
each commit; HQ numbers parents before children, but a parent changed later
is renumbered after its children: should a chunk then miss a parent, the
rest is applied in one transaction. A cursor HQ no longer serves makes the
till pull from zero; the transaction of that full pull's last chunk also
removes the rows HQ no longer has (:mod:`sync.mirror`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from sqlalchemy import Table, bindparam, func, select, text
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync import mirror, protocol, rows, state
from sync.client import HqClient
from sync.errors import ResyncNeeded, SyncError
from terminal import auth
from terminal.pii import MemberVault
from terminal.store.database import Database
from terminal.store.models import OutboxRow
from terminal.store.types import utcnow

log = logging.getLogger(__name__)

BATCH = protocol.MAX_BATCH
PAGE = 2000
CHUNK = 5000

Progress = Callable[[int, int], None]


@dataclass
class PushOutcome:
    sent: int = 0
    duplicates: int = 0
    conflicts: int = 0
    parked: int = 0


@dataclass
class PullOutcome:
    changes: int = 0
    cursor: int = 0
    resynced: bool = False


def waiting(session: Session) -> int:
    """Outbox rows not yet acknowledged by HQ (parked ones not counted)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(OutboxRow)
            .where(OutboxRow.sent_at.is_(None), OutboxRow.parked_at.is_(None))
        )
        or 0
    )


def parked(session: Session) -> list[OutboxRow]:
    """Rows HQ rejected, oldest first (for the manager)."""
    return list(
        session.scalars(
            select(OutboxRow).where(OutboxRow.parked_at.is_not(None)).order_by(OutboxRow.id)
        )
    )


@dataclass(frozen=True)
class ParkedRecord:
    """A record HQ refused, as the managers' list shows it (no personal data)."""

    kind: str
    record_id: str
    receipt_no: str
    """The sale's receipt number (sales and stored-value top-ups); "" for member records."""
    reason: str
    created_at: datetime


def parked_records(session: Session, *, by: auth.Actor) -> list[ParkedRecord]:
    """The records HQ refused, oldest first, for a manager (REPORTS) to follow up."""
    auth.authorize(by, auth.Permission.REPORTS)
    return [
        ParkedRecord(
            kind=row.kind,
            record_id=row.record_id,
            receipt_no=str(row.payload.get("receipt_no") or ""),
            reason=row.last_error,
            created_at=row.created_at,
        )
        for row in parked(session)
    ]


def _wire(row: OutboxRow, vault: MemberVault | None) -> protocol.PushRecord:
    payload = row.payload
    personal = payload.get("personal") if row.kind == "member" else None
    if personal and personal.get("enc") == "aes-gcm-v1" and vault is not None:
        clear = vault.open_outbox_personal(payload["id"], personal)
        payload = {**payload, "personal": {"enc": "clear", **clear}}
    return protocol.PushRecord.model_validate(
        {"id": row.record_id, "kind": row.kind, "payload": payload, "created_at": row.created_at}
    )


def push(
    db: Database, client: HqClient, vault: MemberVault | None = None, *, batch: int = BATCH
) -> PushOutcome:
    """Send everything waiting in the outbox; SyncError when HQ cannot be reached."""
    outcome = PushOutcome()
    after = 0
    while True:
        with db.sessions() as session:
            todo = list(
                session.scalars(
                    select(OutboxRow)
                    .where(
                        OutboxRow.sent_at.is_(None),
                        OutboxRow.parked_at.is_(None),
                        OutboxRow.id > after,
                    )
                    .order_by(OutboxRow.id)
                    .limit(batch)
                )
            )
            client.waiting = waiting(session)
        if not todo:
            return outcome
        after = todo[-1].id
        answer = client.push(protocol.PushBatch(records=[_wire(r, vault) for r in todo]))
        _record_answer(db, todo, answer, outcome)


_OUTBOX: Table = OutboxRow.__table__  # type: ignore[assignment]
_MARK = (
    _OUTBOX.update()
    .where(_OUTBOX.c.id == bindparam("row_id"))
    .values(
        attempts=bindparam("attempts"),
        sent_at=bindparam("sent"),
        parked_at=bindparam("parked"),
        last_error=bindparam("error"),
        updated_at=bindparam("now"),
    )
)


def _record_answer(
    db: Database, todo: list[OutboxRow], answer: protocol.PushResponse, outcome: PushOutcome
) -> None:
    by_id = {r.id: r for r in answer.results}
    now = utcnow()
    marks = []
    for row in todo:
        result = by_id.get(row.record_id)
        mark = {"row_id": row.id, "attempts": row.attempts + 1, "now": now}
        if result is None:
            mark.update(sent=None, parked=None, error="no answer from HQ for this record")
        elif result.outcome == "rejected":
            mark.update(sent=None, parked=now, error=result.reason or "rejected")
            outcome.parked += 1
            log.warning("HQ rejected outbox record %s: %s", row.record_id, result.reason)
        else:
            mark.update(sent=now, parked=None, error=result.reason)
            outcome.sent += 1
            outcome.duplicates += result.outcome == "duplicate"
            outcome.conflicts += result.outcome == "conflict"
        marks.append(mark)
    with db.transaction() as session:
        session.execute(_MARK, marks)


def _fetch(client: HqClient, cursor: int, progress: Progress | None) -> list[protocol.Change]:
    changes: list[protocol.Change] = []
    total = 0
    while True:
        page = client.feed(cursor, PAGE)
        total = max(total, len(changes) + page.total)
        if page.more and page.cursor <= cursor:  # "more" from where we stand: never ends
            raise SyncError("hq_bad_answer", transient=True, detail=f"feed stuck at {cursor}")
        changes.extend(page.changes)
        cursor = page.cursor
        if progress is not None:
            progress(len(changes), total)
        if not page.more:
            return changes


def pull(db: Database, client: HqClient, *, progress: Progress | None = None) -> PullOutcome:
    """Fetch and apply every change HQ has for this till; the cursor moves with them."""
    outcome = PullOutcome()
    with db.sessions() as session:
        cursor = state.cursor(session)
        outcome.resynced = mirror.pending(session)  # a full pull cut short: again from 0
    try:
        changes = _fetch(client, 0 if outcome.resynced else cursor, progress)
    except ResyncNeeded:
        log.warning("HQ no longer keeps changes after cursor %s: pulling from 0", cursor)
        outcome.resynced = True
        changes = _fetch(client, 0, progress)
    if outcome.resynced:
        cursor = 0
    named = mirror.mentioned(changes) if outcome.resynced else None
    outcome.cursor = cursor
    start = 0
    while start < len(changes):
        chunk = changes[start : start + CHUNK]
        try:
            _apply_chunk(db, chunk, named, last=start + len(chunk) == len(changes))
        except IntegrityError:
            # a row whose parent comes in a later chunk (HQ renumbered the parent after it):
            # the rest in one transaction, where every parent is there by the commit
            chunk = changes[start:]
            try:
                _apply_chunk(db, chunk, named, last=True)
            except IntegrityError as exc:
                raise SyncError("hq_feed_conflict", detail=_short_db(exc)) from exc
        start += len(chunk)
        outcome.cursor = chunk[-1].seq
    if named is not None and not changes:  # HQ holds nothing at all
        _apply_chunk(db, [], named, last=True)
    outcome.changes = len(changes)
    return outcome


def _apply_chunk(
    db: Database,
    chunk: list[protocol.Change],
    named: dict[str, set[str]] | None = None,
    *,
    last: bool = False,
) -> None:
    """Apply ``chunk`` and save the cursor it reaches; during a resync (``named``: what the
    full feed names) mark it under way, and with the last chunk remove what HQ no longer has."""
    with db.transaction() as session:
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        apply(session, chunk)
        if named is not None:
            if last:
                mirror.sweep(session, named)
            else:
                mirror.start(session)
        state.put(session, state.CURSOR, str(chunk[-1].seq if chunk else 0))


def _short_db(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).splitlines()[0][:160]


def apply(session: Session, changes: Iterable[protocol.Change]) -> None:
    """Write feed changes to the store, in runs of the same kind (one executemany each)."""
    for (entity, op, _columns), run in groupby(
        changes, key=lambda c: (c.entity, c.op, tuple(sorted(c.data)))
    ):
        if entity not in protocol.FEED_ENTITIES:
            continue  # a newer HQ's entity this till does not hold
        table = rows.table_of(entity)
        (pk,) = table.primary_key.columns
        batch = list(run)
        if op == "delete":
            keys = [c.key for c in batch]
            if "active" in table.c:
                session.execute(table.update().where(pk.in_(keys)).values(active=False))
            else:
                session.execute(table.delete().where(pk.in_(keys)))
            continue
        try:
            values = [rows.from_json(entity, c.data) for c in batch]
        except (ValueError, TypeError) as exc:  # a time, date or base64 HQ garbled
            raise SyncError("hq_bad_answer", detail=f"{entity}: {_short_db(exc)}") from exc
        stmt = insert(table)
        if entity in protocol.LEDGER_ENTITIES:
            stmt = stmt.on_conflict_do_nothing(index_elements=[pk.name])
        else:
            names = [n for n in values[0] if n != pk.name]
            if names:
                stmt = stmt.on_conflict_do_update(
                    index_elements=[pk.name], set_={n: stmt.excluded[n] for n in names}
                )
            else:
                stmt = stmt.on_conflict_do_nothing(index_elements=[pk.name])
        session.execute(stmt, values)
