"""Rows of the till's store as feed JSON, and back, column by column.

Both ends use it: HQ to publish rows it imports from a store file, the till
to write what the feed sends. Types come from the till's schema
(:mod:`terminal.store.models`): times travel as ISO 8601 with offset, dates
as ``YYYY-MM-DD``, bytes as base64; JSON columns as they are.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, LargeBinary, Table

from sync.protocol import PRIVATE_COLUMNS
from terminal.store.models import Base
from terminal.store.types import UTCDateTime


def table_of(entity: str) -> Table:
    return Base.metadata.tables[entity]


def key_of(entity: str, row: dict[str, Any]) -> str:
    """The feed key of a row: its primary key (one column in every feed entity)."""
    (column,) = table_of(entity).primary_key.columns
    return str(row[column.name])


def to_json(entity: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row (column -> Python value) as feed data, without columns the feed never sends."""
    private = PRIVATE_COLUMNS.get(entity, frozenset())
    out: dict[str, Any] = {}
    for column in table_of(entity).columns:
        if column.name in private or column.name not in row:
            continue
        value = row[column.name]
        if isinstance(value, bytes):
            value = base64.b64encode(value).decode("ascii")
        elif isinstance(value, datetime | date):
            value = value.isoformat()
        out[column.name] = value
    return out


def from_json(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """Feed data as column values of the till's table (unknown keys dropped)."""
    out: dict[str, Any] = {}
    for column in table_of(entity).columns:
        if column.name not in data:
            continue
        value = data[column.name]
        if value is not None:
            if isinstance(column.type, UTCDateTime):
                value = datetime.fromisoformat(value)
            elif isinstance(column.type, Date):
                value = date.fromisoformat(value)
            elif isinstance(column.type, LargeBinary):
                value = base64.b64decode(value)
        out[column.name] = value
    return out
