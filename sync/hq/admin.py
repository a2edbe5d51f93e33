"""What HQ staff do: stores, terminals, enrolment codes, revocation, status, imports, conflicts.

Plain functions on a session, so the ``posterm-hq`` command and the tests
drive the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, func, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from sync import rows
from sync.hq import auth, feed, loyalty, value
from sync.hq.models import HqConflict, HqPoints, HqRecord, HqStore, HqTerminal
from sync.protocol import FEED_ENTITIES, LEDGER_ENTITIES
from terminal.store.types import utcnow


def add_store(session: Session, code: str, name: str) -> HqStore:
    if session.scalars(select(HqStore).where(HqStore.code == code)).first():
        raise auth.Refusal(409, "store_exists", f"store {code} exists already")
    store = HqStore(code=code, name=name)
    session.add(store)
    session.flush()
    return store


def _store(session: Session, code: str) -> HqStore:
    store = session.scalars(select(HqStore).where(HqStore.code == code)).first()
    if store is None:
        raise auth.Refusal(404, "no_store", f"no store {code}: add it with 'store add'")
    return store


def terminal(session: Session, store_code: str, code: str) -> HqTerminal:
    store = _store(session, store_code)
    found = session.scalars(
        select(HqTerminal).where(HqTerminal.store_id == store.id, HqTerminal.code == code)
    ).first()
    if found is None:
        raise auth.Refusal(404, "no_terminal", f"no terminal {code} in store {store_code}")
    return found


def add_terminal(session: Session, store_code: str, code: str) -> HqTerminal:
    store = _store(session, store_code)
    if session.scalars(
        select(HqTerminal).where(HqTerminal.store_id == store.id, HqTerminal.code == code)
    ).first():
        raise auth.Refusal(409, "terminal_exists", f"terminal {code} exists in {store_code}")
    found = HqTerminal(store_id=store.id, code=code)
    session.add(found)
    session.flush()
    return found


def enroll_code(session: Session, store_code: str, code: str) -> str:
    """A new one-time enrolment code for the terminal (re-enrolment after a revoke too).

    The old credential stops working once the code is issued.
    """
    found = terminal(session, store_code, code)
    found.revoked_at = None
    found.token_hash = None
    return auth.new_enroll_code(session, found)


def revoke(session: Session, store_code: str, code: str) -> None:
    """Refuse the terminal's credential from now on (and any unused enrolment code).

    The credential's hash stays, so the till is told it was revoked rather than
    that its credential is unknown.
    """
    found = terminal(session, store_code, code)
    found.revoked_at = utcnow()
    found.enroll_code_hash = None


@dataclass(frozen=True)
class TerminalStatus:
    store: str
    terminal: str
    state: str  # not_enrolled | enrolled | revoked
    last_contact: datetime | None
    records_waiting: int
    records_received: int
    clock_skew_s: int | None
    program_version: str


def status(session: Session) -> list[TerminalStatus]:
    received = dict(
        session.execute(
            select(HqRecord.terminal_id, func.count()).group_by(HqRecord.terminal_id)
        ).all()
    )
    out = []
    for t, store_code in session.execute(
        select(HqTerminal, HqStore.code)
        .join(HqStore, HqStore.id == HqTerminal.store_id)
        .order_by(HqStore.code, HqTerminal.code)
    ).all():
        state = "revoked" if t.revoked_at else ("enrolled" if t.token_hash else "not_enrolled")
        out.append(
            TerminalStatus(
                store_code,
                t.code,
                state,
                t.last_contact,
                t.records_waiting,
                int(received.get(t.id, 0)),
                t.clock_skew_s,
                t.program_version,
            )
        )
    return out


def member_points(session: Session, member_id: str) -> int:
    """The member's chain-wide points: the sum of every entry HQ holds (expiry not applied)."""
    return loyalty.balances(session, [member_id]).get(member_id, 0)


def conflicts(session: Session) -> list[HqConflict]:
    return list(session.scalars(select(HqConflict).order_by(HqConflict.id)))


def import_store(session: Session, path: Path) -> dict[str, int]:
    """Publish what HQ owns from a till's store file (catalogue, members, rules, ledgers).

    For seeding HQ from an existing store (or the demo). Members' personal
    data is sealed with that store's own keys and is not carried.
    Returns the number of rows published per entity. A path that is not a till's
    store file is refused (``no_store_file``, ``not_a_store_file``), and SQLite
    never gets to create an empty file at a mistyped path.
    """
    if not path.is_file():
        raise auth.Refusal(404, "no_store_file", f"no store file {path}")
    engine = create_engine(f"sqlite:///{path.resolve()}")
    counts: dict[str, int] = {}
    try:
        with engine.connect() as conn:
            for entity in FEED_ENTITIES:
                if entity in value.HQ_COUNTED or entity == "hq_policy":  # HQ's own
                    continue
                found = _read(conn, entity, path)
                if entity in LEDGER_ENTITIES:
                    for r in found:
                        r["sale_id"] = None
                        r["origin"] = "hq"
                published = [(rows.key_of(entity, r), rows.to_json(entity, r)) for r in found]
                feed.publish_many(session, entity, published)
                if entity == "points_entry":
                    _import_points(session, found)
                elif entity == "stored_value_entry":
                    value.import_stored_value(session, found)
                counts[entity] = len(published)
    finally:
        engine.dispose()
    return counts


def _read(conn: Connection, entity: str, path: Path) -> list[dict[str, Any]]:
    """Every row of the store file's table of ``entity`` (refused: not a till's store)."""
    try:
        return [dict(r._mapping) for r in conn.execute(rows.table_of(entity).select())]
    except DatabaseError:  # not SQLite, or SQLite without the till's tables
        raise auth.Refusal(
            400, "not_a_store_file", f"{path.name} is not a till's store file"
        ) from None


def _import_points(session: Session, found: list[dict[str, Any]]) -> None:
    if not found:
        return
    values = [
        {
            "id": r["id"],
            "member_id": r["member_id"],
            "kind": r["kind"],
            "points": r["points"],
            "lot_id": r["lot_id"],
            "expires_on": r["expires_on"],
            "record_id": None,
            "created_at": r["created_at"],
        }
        for r in found
    ]
    insert = feed.insert_for(session)
    session.execute(insert(HqPoints).on_conflict_do_nothing(index_elements=["id"]), values)
