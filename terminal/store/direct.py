"""Rows written and read at once on the store's own SQLite connection.

The sale commit is what the customer waits for. Through the ORM a row costs
an object made, tracked and flushed; through Core a statement still costs
about two hundred Python calls (bind processing, defaults, events), against
three on the sqlite3 cursor. The commit's append-only rows (sale lines,
payments, the points ledger, audit events, outbox records, receipt jobs) and
its hot reads therefore run here: each table's INSERT is planned once from
the mapped model (its columns, their Python defaults and their types' bind
conversions, so the stored bytes are exactly what the ORM would write) and
executed on the driver connection inside the session's transaction.

Reads and writes here autoflush as the session's own queries do: what the
session holds pending or changed is written first, so rows reach the file in
the order they were made, a row never names a parent not yet written and a
read sees the session's changes. SQLite errors mean what they mean everywhere else in the store
(:func:`terminal.store.database.store_error`), else they surface as
SQLAlchemy's own exceptions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, exc
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Session

from terminal.store.database import store_error

_DIALECT = sqlite_dialect.dialect()
_MISSING = object()
_HELD = "terminal.store.direct"  # session.info key: (transaction, sqlite3 connection, path)


@dataclass(frozen=True)
class _Column:
    name: str
    default: Callable[[], Any] | None
    bind: Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Plan:
    sql: str
    columns: tuple[_Column, ...]

    def params(self, row: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for column in self.columns:
            value = row.get(column.name, _MISSING)
            if value is _MISSING:
                value = column.default() if column.default is not None else None
            if column.bind is not None and value is not None:
                value = column.bind(value)
            out.append(value)
        return tuple(out)


def _default(column: Any) -> Callable[[], Any] | None:
    default = column.default
    if default is None:
        return None
    if default.is_callable:
        return lambda: default.arg(None)
    if default.is_scalar:
        return lambda: default.arg
    return None  # a SQL expression: left to the server


_PLANS: dict[tuple[Table, frozenset[str]], _Plan] = {}


def _plan(table: Table, given: frozenset[str]) -> _Plan:
    """The INSERT for ``table`` with the columns given or defaulted in Python."""
    plan = _PLANS.get((table, given))
    if plan is None:
        columns = tuple(
            _Column(
                c.name,
                _default(c),
                c.type.dialect_impl(_DIALECT).bind_processor(_DIALECT),
            )
            for c in table.columns
            if c.name in given or _default(c) is not None
        )
        names = ", ".join(f'"{c.name}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        plan = _PLANS[(table, given)] = _Plan(
            f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', columns
        )
    return plan


def _held(session: Session) -> tuple[sqlite3.Connection, Path]:
    """The sqlite3 connection of ``session``'s transaction and the store's path, after the
    session's autoflush (what it holds pending or changed is written first, as for any
    query)."""
    if session.autoflush and (
        session.new or session.deleted or session.identity_map.check_modified()
    ):
        session.flush()
    transaction = session.get_transaction()
    held = session.info.get(_HELD)
    if held is not None and transaction is not None and held[0] is transaction:
        return held[1], held[2]  # asking the session again costs more than the statement
    connection = session.connection()
    raw = connection.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    path = Path(connection.engine.url.database or "")
    session.info[_HELD] = (session.get_transaction(), raw, path)
    return raw, path


def _raise(path: Path, error: sqlite3.Error, sql: str, params: Any) -> None:
    mapped = store_error(error, path)
    if mapped is not None:
        raise mapped from error
    # as SQLAlchemy's own statements fail, less the values (a row may hold personal data)
    failed = exc.DBAPIError.instance(sql, params, error, sqlite3.Error, hide_parameters=True)
    raise failed from error


def insert_rows(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ``rows`` (column values by name; the rest take their defaults) into the table
    of ``model``; every row names the same columns."""
    if not rows:
        return
    plan = _plan(model.__table__, frozenset(rows[0]))
    params = [plan.params(row) for row in rows]
    raw, path = _held(session)
    try:
        raw.executemany(plan.sql, params)
    except sqlite3.Error as error:
        _raise(path, error, plan.sql, params)


def fetch(session: Session, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Any]:
    """The rows of a statement (plain SQL, ``?`` or ``:name`` marks) in ``session``'s
    transaction: a read, or a write with RETURNING. Values come back as SQLite holds them
    (dates and times as text)."""
    raw, path = _held(session)
    try:
        return raw.execute(sql, params).fetchall()
    except sqlite3.Error as error:
        _raise(path, error, sql, params)
        raise  # not reached: _raise always raises
