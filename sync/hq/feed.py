"""HQ's change feed: publish the latest state of what HQ owns, number it, serve pages.

Writers (the admin import, push ingest) only *publish*: they upsert the
entity's row with ``seq`` NULL. A reader first *numbers* every waiting row
(:func:`number_waiting`) under one lock, then reads ``seq > cursor``. A
number is therefore only ever given to a committed change, and always above
every number given before, so a reader can never skip a change that a slow
transaction committed late (the classic hole of numbering at write time).

A row keeps only its latest state (a product changed five times is sent
once). Deletions are kept as tombstones; :func:`drop_tombstones` removes old
ones and raises the *floor*: a till whose cursor is below it must resync
from zero (HTTP 410).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sync.hq.models import HqEntity, HqMeta
from sync.protocol import FEED_ENTITIES, Change, FeedPage
from terminal.store.types import utcnow

_FEED_LOCK = 0x506F5354  # pg advisory lock id ("PoST")
FLOOR_KEY = "feed_floor"


class CursorTooOld(Exception):
    """The asked cursor is below the feed's floor."""

    def __init__(self, floor: int) -> None:
        super().__init__(floor)
        self.floor = floor


def insert_for(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def publish(
    session: Session, entity: str, key: str, data: dict[str, Any], *, deleted: bool = False
) -> None:
    """Make ``data`` the latest state of ``entity``/``key`` (or its deletion) in the feed."""
    publish_many(session, entity, [(key, data)], deleted=deleted)


def publish_many(
    session: Session,
    entity: str,
    rows: list[tuple[str, dict[str, Any]]],
    *,
    deleted: bool = False,
) -> None:
    if not rows:
        return
    rank = FEED_ENTITIES[entity]
    now = utcnow()
    latest = dict(rows)  # one statement may not change a row twice: the last state wins
    values = [
        {
            "entity": entity,
            "key": key,
            "rank": rank,
            "data": data,
            "deleted": deleted,
            "seq": None,
            "updated_at": now,
        }
        for key, data in latest.items()
    ]
    stmt = insert_for(session)(HqEntity)
    stmt = stmt.on_conflict_do_update(
        index_elements=["entity", "key"],
        set_={
            "data": stmt.excluded.data,
            "deleted": stmt.excluded.deleted,
            "seq": None,
            "updated_at": stmt.excluded.updated_at,
        },
    )
    session.execute(stmt, values)


def merge(session: Session, entity: str, key: str, changes: dict[str, Any]) -> bool:
    """Change some fields of a published row (e.g. a coupon's status); False if none exists."""
    row = session.get(HqEntity, (entity, key), with_for_update=True, populate_existing=True)
    if row is None:
        return False
    publish(session, entity, key, {**row.data, **changes}, deleted=row.deleted)
    return True


def number_waiting(session: Session) -> None:
    """Give every waiting change the next feed numbers, parents first (one statement, one lock)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _FEED_LOCK})
    session.execute(
        text(
            "UPDATE hq_entity SET seq = n.base + n.rn FROM ("
            " SELECT w.entity AS entity, w.key AS key,"
            "  row_number() OVER (ORDER BY w.rank, w.entity, w.key) AS rn,"
            "  (SELECT coalesce(max(seq), 0) FROM hq_entity) AS base"
            " FROM hq_entity w WHERE w.seq IS NULL) AS n"
            " WHERE hq_entity.entity = n.entity AND hq_entity.key = n.key"
        )
    )


def floor(session: Session) -> int:
    value = session.get(HqMeta, FLOOR_KEY)
    return int(value.value) if value else 0


def page(session: Session, cursor: int, limit: int) -> FeedPage:
    """The changes after ``cursor``, at most ``limit``; CursorTooOld below the floor."""
    low = floor(session)
    if 0 < cursor < low:
        raise CursorTooOld(low)
    number_waiting(session)
    rows = session.scalars(
        select(HqEntity).where(HqEntity.seq > cursor).order_by(HqEntity.seq).limit(limit)
    ).all()
    total = (
        session.scalar(select(func.count()).select_from(HqEntity).where(HqEntity.seq > cursor)) or 0
    )
    changes = [
        Change(
            seq=int(r.seq or 0),
            entity=r.entity,
            key=r.key,
            op="delete" if r.deleted else "upsert",
            data=r.data,
        )
        for r in rows
    ]
    last = changes[-1].seq if changes else cursor
    return FeedPage(changes=changes, cursor=last, more=total > len(changes), total=total)


def drop_tombstones(session: Session, up_to_seq: int) -> int:
    """Forget deletions numbered up to ``up_to_seq``; older cursors must resync. Returns count."""
    number_waiting(session)
    result = session.execute(
        delete(HqEntity).where(HqEntity.deleted.is_(True), HqEntity.seq <= up_to_seq)
    )
    gone = getattr(result, "rowcount", 0)
    new_floor = max(floor(session), up_to_seq)
    meta = session.get(HqMeta, FLOOR_KEY)
    if meta is None:
        session.add(HqMeta(key=FLOOR_KEY, value=str(new_floor)))
    else:
        meta.value = str(new_floor)
    return int(gone or 0)
