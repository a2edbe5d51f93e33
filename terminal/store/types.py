"""Column types shared by the schema."""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def new_id() -> str:
    """A record id made at the terminal; HQ de-duplicates pushes by it.

    A UUID of version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74
    random bits. Ids made one after another sort one after another, so a
    sale's rows land at the end of each primary-key index instead of on a
    random page of it: a sale's commit writes (and syncs) far fewer pages.
    """
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (
        (millis & 0xFFFF_FFFF_FFFF) << 80
        | 0x7 << 76
        | (rand >> 62 & 0xFFF) << 64
        | 0b10 << 62
        | rand & 0x3FFF_FFFF_FFFF_FFFF
    )
    return str(uuid.UUID(int=value))


def utcnow() -> datetime:
    return datetime.now(UTC)


def stored_utc(value: datetime) -> str:
    """An aware datetime as a :class:`UTCDateTime` column stores it."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as a sortable UTC ISO-8601 string.

    SQLite has no time zone type; storing ``2026-11-23T02:00:00.000000Z`` keeps
    ordering by string equal to ordering by time and never loses the zone.
    """

    impl = String(27)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else stored_utc(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


class JSONText(TypeDecorator[Any]):
    """JSON kept as compact, key-sorted text (stable bytes for hashing and diffing)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)
