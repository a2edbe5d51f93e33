"""What a restore with carry-over keeps from the current store, table by table.

Restoring puts an older backup in place of the store; ``--carry-over`` then
brings back what the current store holds that is newer. Every table of the
schema has exactly one entry in :data:`RULES` (a test fails when a table is
added to the models without one), so nothing is dropped because someone
forgot a list:

* :class:`Carry` — rows the restored store lacks are inserted; with
  ``newer=True`` a row present in both takes the current store's values when
  its ``updated_at`` is later (the models set it on every change); with
  ``mirror=True`` the current store's rows replace the backup's entirely
  (rows deleted since the backup stay deleted).
* :class:`NotCarried` — left as the backup has it, with the reason.

On top of the table rules, facts that only move forward hold whatever the
timestamps say (rows last changed before schema 0002 all carry one fixed
time): a member erased in either store is erased, with every personal column
and queued personal data cleared; a sale's return status never goes back; a
closed shift stays closed; an outbox row HQ acknowledged stays sent; a
terminal's receipt counter never goes back, nor below its last sale; and when
HQ's feed moved on since the backup, the next pull starts from zero and sweeps
(a row HQ deleted since the backup is in the backup and nowhere else: only a
full pull can tell it is gone).

Everything here runs on one sqlite3 connection whose ``main`` database is the
restored store and which has the current store attached as ``cur``, inside
the caller's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from terminal.store.models import Base
from terminal.store.types import stored_utc, utcnow

FEED_CURSOR_KEY = "feed_cursor"
"""``sync_state`` key of HQ's feed position (spelled here: the restore reads it)."""
RESYNC_PENDING_KEY = "resync_pending"
"""``sync_state`` key: "1" while the next pull must start from zero and sweep."""


@dataclass(frozen=True)
class Carry:
    """Carry this table's rows, identified by ``key``.

    ``newer``: rows in both stores take the current values when the current
    ``updated_at`` is later. ``mirror``: the current store's rows replace the
    backup's, deletions included. ``local_id``: a column not carried (a local
    autoincrement id the restored store assigns afresh).
    """

    key: str
    newer: bool = False
    mirror: bool = False
    local_id: str | None = None


@dataclass(frozen=True)
class NotCarried:
    """This table stays as the backup has it."""

    reason: str


Rule = Carry | NotCarried

RULES: Mapping[str, Rule] = {
    # set up at the till or sent by HQ, and changed later
    "store": Carry("id", newer=True),
    "terminal": Carry("id", newer=True),
    "user": Carry("id", newer=True),
    "category": Carry("id", newer=True),
    "product": Carry("id", newer=True),
    "product_barcode": Carry("barcode", newer=True),
    "tier": Carry("code", newer=True),
    "member": Carry("id", newer=True),
    "member_key": Carry("key_id", newer=True),
    "promotion": Carry("id", newer=True),
    "coupon_definition": Carry("id", newer=True),
    "coupon": Carry("code", newer=True),
    "reward": Carry("id", newer=True),
    "member_pay_pin": Carry("member_id", newer=True),
    "shift": Carry("id", newer=True),
    "sale": Carry("id", newer=True),
    "print_job": Carry("id", newer=True),
    "outbox": Carry("record_id", newer=True, local_id="id"),
    # the credential and cursor of now: an older cursor would only pull again
    "sync_state": Carry("key", newer=True),
    # HQ's chain-wide count of a limited promotion: the later count is the truer one
    "promotion_total": Carry("rule_id", newer=True),
    # HQ's policy as it is now (a name HQ unset since the backup stays unset)
    "hq_policy": Carry("name", newer=True, mirror=True),
    # member numbers HQ gave this till: never forgotten, or a number could be given twice
    "member_range": Carry("first"),
    # written once, never changed
    "member_consent": Carry("id"),
    "seen_code": Carry("digest"),
    "points_entry": Carry("id"),
    "stored_value_entry": Carry("id"),
    "promotion_use": Carry("id"),
    "coupon_redemption": Carry("id"),
    "cash_movement": Carry("id"),
    "z_report": Carry("id"),
    "sale_line": Carry("id"),
    "sale_adjustment": Carry("id"),
    "payment": Carry("id"),
    "audit_event": Carry("id"),
    # a basket resumed since the backup was deleted: it must not come back to be sold twice
    "suspended_basket": Carry("id", mirror=True),
    "store_meta": NotCarried(
        "describes the file (the posterm that last opened it) and is rewritten on every open"
    ),
}

PERSONAL_COLUMNS = ("name_enc", "phone_enc", "birthday_enc", "phone_index", "phone_last4_index")


def _tables(conn: sqlite3.Connection, schema: str) -> set[str]:
    rows = conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")
    return {r[0] for r in rows}


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _q(names: list[str], prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{n}"' for n in names)


@dataclass
class CarryResult:
    """Rows inserted and rows updated, per table."""

    inserted: dict[str, int]
    updated: dict[str, int]


def carry_over(conn: sqlite3.Connection) -> CarryResult:
    """Apply :data:`RULES` and the forward-only facts from ``cur`` into ``main``.

    Updates run before inserts (closing an old shift frees the one-open-shift
    slot a carried shift needs); inserts follow the schema's dependency order.
    Tables missing from either store, or a table the rules do not know, are
    left alone (a test keeps the rules complete).
    """
    mine, theirs = _tables(conn, "main"), _tables(conn, "cur")
    synced = "sync_state" in mine & theirs
    backup_cursor = _feed_cursor(conn, "main") if synced else 0
    order = [t.name for t in Base.metadata.sorted_tables if t.name in mine & theirs]
    result = CarryResult(inserted={}, updated={})
    plans: list[tuple[str, Carry, list[str]]] = []
    for table in order:
        rule = RULES.get(table)
        if not isinstance(rule, Carry):
            continue
        source = set(_columns(conn, "cur", table))
        cols = [c for c in _columns(conn, "main", table) if c in source and c != rule.local_id]
        plans.append((table, rule, cols))

    for table, rule, cols in plans:
        key = rule.key
        if rule.mirror:
            conn.execute(
                f'DELETE FROM main."{table}" '
                f'WHERE "{key}" NOT IN (SELECT "{key}" FROM cur."{table}")'
            )
        if rule.newer and "updated_at" in cols:
            changed = [c for c in cols if c != key]
            cursor = conn.execute(
                f'UPDATE main."{table}" SET ({_q(changed)}) = (SELECT {_q(changed, "c.")} '
                f'FROM cur."{table}" c WHERE c."{key}" = "{table}"."{key}") '
                f'WHERE "{key}" IN (SELECT c."{key}" FROM cur."{table}" c '
                f'JOIN main."{table}" m ON m."{key}" = c."{key}" '
                'WHERE c."updated_at" > m."updated_at")'
            )
            if cursor.rowcount > 0:
                result.updated[table] = cursor.rowcount

    for table, rule, cols in plans:
        key = rule.key
        cursor = conn.execute(
            f'INSERT INTO main."{table}" ({_q(cols)}) SELECT {_q(cols)} FROM cur."{table}" '
            f'WHERE "{key}" NOT IN (SELECT "{key}" FROM main."{table}") ORDER BY rowid'
        )
        if cursor.rowcount > 0:
            result.inserted[table] = cursor.rowcount

    _forward_only(conn, mine & theirs)
    if synced and _feed_cursor(conn, "cur") > backup_cursor:
        _resync(conn)
    return result


_SALE_STAGE = "CASE {0}.status WHEN 'returned' THEN 2 WHEN 'partly_returned' THEN 1 ELSE 0 END"


def _forward_only(conn: sqlite3.Connection, tables: set[str]) -> None:
    """The facts that never go back, whatever the change times say."""
    if "member" in tables:
        _erasures_win(conn, tables)
    if "sale" in tables:
        conn.execute(
            "UPDATE main.sale SET status = (SELECT c.status FROM cur.sale c WHERE c.id = sale.id) "
            "WHERE id IN (SELECT c.id FROM cur.sale c JOIN main.sale m ON m.id = c.id "
            f"WHERE {_SALE_STAGE.format('c')} > {_SALE_STAGE.format('m')})"
        )
    if "shift" in tables:
        conn.execute(
            "UPDATE main.shift SET (status, closed_by, closed_at, expected_cash, "
            "counted_cash, variance, counts) = (SELECT c.status, c.closed_by, "
            "c.closed_at, c.expected_cash, c.counted_cash, c.variance, c.counts "
            "FROM cur.shift c WHERE c.id = shift.id) "
            "WHERE status = 'open' AND id IN (SELECT id FROM cur.shift WHERE status = 'closed')"
        )
    if "outbox" in tables:
        conn.execute(
            "UPDATE main.outbox SET sent_at = (SELECT c.sent_at FROM cur.outbox c "
            "WHERE c.record_id = outbox.record_id) WHERE sent_at IS NULL AND record_id IN "
            "(SELECT record_id FROM cur.outbox WHERE sent_at IS NOT NULL)"
        )
    if "terminal" in tables:
        conn.execute(
            "UPDATE main.terminal SET next_receipt_seq = MAX(next_receipt_seq, "
            "COALESCE((SELECT c.next_receipt_seq FROM cur.terminal c "
            "WHERE c.id = terminal.id), 0), "
            "COALESCE((SELECT MAX(s.seq) + 1 FROM main.sale s "
            "WHERE s.terminal_id = terminal.id), 0))"
        )


def _feed_cursor(conn: sqlite3.Connection, schema: str) -> int:
    row = conn.execute(
        f"SELECT value FROM {schema}.sync_state WHERE key = ?", (FEED_CURSOR_KEY,)
    ).fetchone()
    try:
        return int(row[0]) if row else 0
    except ValueError:
        return 0


def _resync(conn: sqlite3.Connection) -> None:
    """HQ's feed moved on since the backup: its changes are carried (the newer rows), but
    not its deletions, which the feed already sent; a full pull must sweep them."""
    conn.execute(
        "INSERT INTO main.sync_state (key, value, updated_at) VALUES (?, '1', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = '1', updated_at = excluded.updated_at",
        (RESYNC_PENDING_KEY, stored_utc(utcnow())),
    )


def _erasures_win(conn: sqlite3.Connection, tables: set[str]) -> None:
    """A member erased in either store is erased: no name, phone or blind index anywhere."""
    erased = {
        r[0]
        for r in conn.execute(
            "SELECT id FROM main.member WHERE status = 'erased' "
            "UNION SELECT id FROM cur.member WHERE status = 'erased'"
        )
    }
    if not erased:
        return
    columns = set(_columns(conn, "main", "member"))
    cleared = ", ".join(f"{c} = NULL" for c in PERSONAL_COLUMNS if c in columns)
    conn.executemany(
        f"UPDATE main.member SET status = 'erased', {cleared} WHERE id = ?",
        [(member_id,) for member_id in sorted(erased)],
    )
    if "outbox" not in tables:
        return
    scrubbed: list[tuple[str, int]] = []
    for row_id, payload in conn.execute(
        "SELECT id, payload FROM main.outbox WHERE kind = 'member'"
    ).fetchall():
        body = json.loads(payload)
        if isinstance(body, dict) and body.get("id") in erased and body.get("personal"):
            body["personal"] = None
            text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            scrubbed.append((text, row_id))
    conn.executemany("UPDATE main.outbox SET payload = ? WHERE id = ?", scrubbed)
