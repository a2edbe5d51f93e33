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

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, Table, Text, bindparam, func, select, text, type_coerce
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync import mirror, protocol, rows, state
from sync.client import HqClient
from sync.errors import ResyncNeeded, SyncError
from terminal import auth
from terminal.errors import PosError
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


@dataclass(frozen=True)
class Queued:
    """An outbox row as the sync engine reads it: its payload parsed here, row by row, so
    one the till cannot read (``payload`` None, ``unreadable`` saying why) holds up no other."""

    id: int
    record_id: str
    kind: str
    attempts: int
    created_at: datetime
    last_error: str
    payload: dict[str, Any] | None
    unreadable: str = ""


_QUEUED = select(
    OutboxRow.id,
    OutboxRow.record_id,
    OutboxRow.kind,
    OutboxRow.attempts,
    OutboxRow.created_at,
    OutboxRow.last_error,
    type_coerce(OutboxRow.payload, Text),  # the stored text: parsed per row below
)


def _queued(
    session: Session, *conditions: ColumnElement[bool], limit: int | None = None
) -> list[Queued]:
    found = session.execute(_QUEUED.where(*conditions).order_by(OutboxRow.id).limit(limit)).all()
    out = []
    for row_id, record_id, kind, attempts, created_at, last_error, text_ in found:
        payload: dict[str, Any] | None = None
        unreadable = ""
        try:
            loaded = json.loads(text_)
            if isinstance(loaded, dict):
                payload = loaded
            else:
                unreadable = "not a JSON object"
        except (TypeError, ValueError) as exc:  # the message names a position, never the data
            unreadable = str(exc)[:120]
        out.append(
            Queued(row_id, record_id, kind, attempts, created_at, last_error, payload, unreadable)
        )
    return out


def parked(session: Session) -> list[Queued]:
    """Rows HQ rejected or the till could not read, oldest first (for the manager)."""
    return _queued(session, OutboxRow.parked_at.is_not(None))


def parked_count(session: Session) -> int:
    """How many rows are parked (counted, not loaded)."""
    return int(
        session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.parked_at.is_not(None))
        )
        or 0
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
            receipt_no=str((row.payload or {}).get("receipt_no") or ""),
            reason=row.last_error,
            created_at=row.created_at,
        )
        for row in parked(session)
    ]


def _wire(row: Queued, vault: MemberVault | None) -> protocol.PushRecord:
    if row.payload is None:
        raise ValueError(row.unreadable)
    payload = row.payload
    personal = payload.get("personal") if row.kind == "member" else None
    if personal and personal.get("enc") == "aes-gcm-v1" and vault is not None:
        clear = vault.open_outbox_personal(payload["id"], personal)
        payload = {**payload, "personal": {"enc": "clear", **clear}}
    return protocol.PushRecord.model_validate(
        {"id": row.record_id, "kind": row.kind, "payload": payload, "created_at": row.created_at}
    )


UNREADABLE = "unreadable_at_till"
"""The reason a row is parked by the till itself: its record cannot be read or sent."""


def _wired(
    rows: list[Queued], vault: MemberVault | None
) -> tuple[list[tuple[Queued, protocol.PushRecord]], list[tuple[Queued, str]]]:
    """Each row as HQ receives it; rows that cannot be made into a record, with why."""
    good: list[tuple[Queued, protocol.PushRecord]] = []
    bad: list[tuple[Queued, str]] = []
    for row in rows:
        try:
            good.append((row, _wire(row, vault)))
        except ValidationError as exc:  # its text would quote the payload: fields only
            fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors()[:3])
            bad.append((row, f"{UNREADABLE}: invalid {fields}"))
        except (ValueError, TypeError, KeyError, AttributeError, PosError) as exc:
            bad.append((row, f"{UNREADABLE}: {type(exc).__name__} {exc}"[:200]))
    return good, bad


def push(
    db: Database, client: HqClient, vault: MemberVault | None = None, *, batch: int = BATCH
) -> PushOutcome:
    """Send everything waiting in the outbox; SyncError when HQ cannot be reached.

    A row the till itself cannot read or make into a record is parked here, with
    the reason, and the rest go on: one damaged row never holds up the queue.
    """
    outcome = PushOutcome()
    after = 0
    while True:
        with db.sessions() as session:
            todo = _queued(
                session,
                OutboxRow.sent_at.is_(None),
                OutboxRow.parked_at.is_(None),
                OutboxRow.id > after,
                limit=batch,
            )
            client.waiting = waiting(session)
        if not todo:
            return outcome
        after = todo[-1].id
        good, bad = _wired(todo, vault)
        if bad:
            _park_unreadable(db, bad, outcome)
        if good:
            answer = client.push(protocol.PushBatch(records=[record for _, record in good]))
            _record_answer(db, [row for row, _ in good], answer, outcome)


def _park_unreadable(db: Database, bad: list[tuple[Queued, str]], outcome: PushOutcome) -> None:
    now = utcnow()
    for row, _ in bad:
        log.error("outbox record %s (%s) parked: the till cannot read it", row.record_id, row.kind)
    with db.transaction() as session:
        session.execute(
            _MARK,
            [
                {
                    "row_id": row.id,
                    "attempts": row.attempts,
                    "sent": None,
                    "parked": now,
                    "error": why,
                    "now": now,
                }
                for row, why in bad
            ],
        )
    outcome.parked += len(bad)


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
    db: Database, todo: list[Queued], answer: protocol.PushResponse, outcome: PushOutcome
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
