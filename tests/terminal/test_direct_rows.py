"""Rows the sale commit writes on the driver (terminal/store/direct.py) are the rows the ORM
would write: the same columns, defaults and stored text, byte for byte."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from terminal.errors import StoreError
from terminal.store.database import Database
from terminal.store.direct import fetch, insert_rows
from terminal.store.models import AuditEvent, OutboxRow, PointsEntry, PrintJob

AT = datetime(2026, 11, 23, 2, 0, 0, 123456, tzinfo=UTC)

CASES: list[tuple[Any, dict[str, Any], tuple[str, ...]]] = [
    (
        AuditEvent,
        {
            "at": AT,
            "action": "sale",
            "user_id": "u1",
            "target": "S1",
            "details": {"总": 1, "a": [2]},
        },
        ("id",),
    ),
    (
        OutboxRow,
        {"record_id": "r-{n}", "kind": "sale", "payload": {"b": 1, "a": "收"}},
        ("id", "created_at", "updated_at"),
    ),
    (
        PointsEntry,
        {"member_id": "{member}", "kind": "earn", "points": 40, "expires_on": date(2027, 12, 31)},
        ("id", "created_at"),
    ),
    (
        PrintJob,
        {"kind": "receipt", "document": {"kind": "receipt"}, "created_at": AT},
        ("id", "updated_at"),
    ),
]


def _stored(db: Database, table: str, where: str) -> dict[str, Any]:
    conn = sqlite3.connect(db.path)
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute(f"SELECT * FROM {table} WHERE {where}").fetchone()
        return dict(row)
    finally:
        conn.close()


@pytest.mark.parametrize(("model", "values", "own"), CASES, ids=[c[0].__name__ for c in CASES])
def test_a_direct_row_is_stored_as_the_orm_stores_it(
    demo_db: Database, model: Any, values: dict[str, Any], own: tuple[str, ...]
) -> None:
    member = demo_db.scalar("SELECT id FROM member LIMIT 1")
    table = model.__tablename__

    def made(n: int) -> dict[str, Any]:
        return {
            k: v.format(n=n, member=member) if isinstance(v, str) else v for k, v in values.items()
        }

    last = "rowid = (SELECT max(rowid) FROM " + table + ")"
    with demo_db.transaction() as session:
        session.add(model(**made(1)))
    by_orm = _stored(demo_db, table, last)
    with demo_db.transaction() as session:
        insert_rows(session, model, [made(2)])
    direct = _stored(demo_db, table, last)
    for column in own:  # made at insert (ids, times): the same kind of value, not the same
        made_here, made_by_orm = direct.pop(column), by_orm.pop(column)
        assert type(made_here) is type(made_by_orm)
        assert len(str(made_here)) == len(str(made_by_orm))
    for column in (k for k, v in values.items() if "{n}" in str(v)):
        by_orm.pop(column), direct.pop(column)
    assert direct == by_orm


def test_direct_rows_autoflush_what_the_session_holds(demo_db: Database) -> None:
    """A pending parent is written before the direct row that names it (the foreign key
    holds), and a read on the driver sees the session's pending rows."""
    with demo_db.transaction() as session:
        job = PrintJob(kind="z_report", document={"kind": "z_report"})
        session.add(job)
        assert fetch(session, "SELECT count(*) FROM print_job WHERE kind = 'z_report'")[0][0] == 1


def test_a_full_disk_on_a_direct_row_is_one_line(tmp_path: Path) -> None:
    db = Database(tmp_path / "store.sqlite3")
    try:
        pages = db.scalar("PRAGMA page_count")
        event.listen(
            db.engine, "connect", lambda conn, _r: conn.execute(f"PRAGMA max_page_count={pages}")
        )
        db.engine.dispose()
        with pytest.raises(StoreError) as err, db.transaction() as session:
            insert_rows(
                session,
                OutboxRow,
                [
                    {"record_id": f"r{n}", "kind": "sale", "payload": {"x": "y" * 500}}
                    for n in range(50)
                ],
            )
        assert err.value.code == "store_disk_full"
        assert db.scalar("SELECT count(*) FROM outbox") == 0
    finally:
        db.close()


def test_a_constraint_broken_by_a_direct_row_is_sqlalchemys_error(demo_db: Database) -> None:
    row = {"record_id": "same", "kind": "sale", "payload": {}}
    with pytest.raises(IntegrityError), demo_db.transaction() as session:
        insert_rows(session, OutboxRow, [row, row])


def test_a_failed_direct_row_never_shows_its_values(demo_db: Database) -> None:
    row = {"record_id": "same", "kind": "member", "payload": {"phone": "13912345678"}}
    with pytest.raises(IntegrityError) as failed, demo_db.transaction() as session:
        insert_rows(session, OutboxRow, [row, row])
    assert "13912345678" not in str(failed.value)
