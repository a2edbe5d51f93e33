"""HQ personal data: members' name, phone and birthday sealed, none left in clear

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 13:10:00

* ``hq_member_personal``: per member the sealed name, phone and birthday
  (AES-GCM under HQ's data key, bound to the member id) and a keyed HMAC of
  the phone (``phone_index``) to find a member by phone.
* The sealed birthdays of ``hq_member_birthday`` move into it unchanged (same
  key, same binding: no key needed) and that table is dropped.
* **Existing records are scrubbed**: every ``member`` record in ``hq_record``
  whose payload still carries the ``personal`` part a till sent (in clear) is
  rewritten with ``personal: null``. If ``$POSTERM_HQ_DATA_KEY`` is set when
  this migration runs, the clear fields are sealed into ``hq_member_personal``
  first (a member whose erasure HQ already holds is not kept); if it is not
  set, they are **dropped**: HQ then keeps no personal data of those members
  (the tills still have it). A malformed key stops the migration, so nothing is
  dropped by mistake. Counts are logged, never values.

Downgrade brings ``hq_member_birthday`` back from the sealed birthdays; the
scrubbed payloads and sealed names and phones are not put back in clear.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from alembic import op

import terminal.store.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
_PAGE = 1000


def upgrade() -> None:
    op.create_table(
        "hq_member_personal",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("name_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("phone_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("birthday_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("phone_index", sa.String(length=64), nullable=True),
        sa.Column("updated_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_hq_member_personal")),
    )
    with op.batch_alter_table("hq_member_personal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hq_member_personal_phone_index"), ["phone_index"], unique=False
        )
    op.execute(
        "INSERT INTO hq_member_personal (member_id, birthday_sealed, updated_at) "
        "SELECT member_id, sealed, updated_at FROM hq_member_birthday"
    )
    op.drop_table("hq_member_birthday")
    _scrub_member_records()


def _erased_ids(conn: sa.Connection) -> set[str]:
    record = sa.table("hq_record", sa.column("kind"), sa.column("payload", sa.JSON))
    return {
        str(p.get("member_id"))
        for (p,) in conn.execute(
            sa.select(record.c.payload).where(record.c.kind == "member_erasure")
        )
    }


def _scrub_member_records() -> None:
    """``personal`` out of every stored member payload; sealed first when a key is set."""
    from sync.hq import personal

    conn = op.get_bind()
    key = personal.data_key()  # a malformed key raises: fix it, run again
    record = sa.table(
        "hq_record", sa.column("id", sa.String), sa.column("kind"), sa.column("payload", sa.JSON)
    )
    erased = _erased_ids(conn) if key is not None else set()
    scrubbed = sealed = 0
    last = ""
    while True:
        page = conn.execute(
            sa.select(record.c.id, record.c.payload)
            .where(record.c.kind == "member", record.c.id > last)
            .order_by(record.c.id)
            .limit(_PAGE)
        ).all()
        if not page:
            break
        last = page[-1][0]
        rows: list[dict[str, Any]] = []
        for record_id, payload in page:
            clear = payload.get("personal")
            if clear is None:
                continue
            member_id = str(payload.get("id") or record_id)
            if (
                key is not None
                and isinstance(clear, dict)
                and clear.get("enc") == "clear"
                and member_id not in erased
                and any(clear.get(f) for f in personal.FIELDS)
            ):
                rows.append(personal.sealed_row(key, member_id, clear))
            conn.execute(
                sa.update(record)
                .where(record.c.id == record_id)
                .values(payload={**payload, "personal": None})
            )
            scrubbed += 1
        if rows:
            _upsert(conn, rows)
            sealed += len(rows)
    if scrubbed:
        how = f"{sealed} sealed" if key is not None else f"dropped: no {personal.KEY_ENV} set"
        log.info("personal data taken out of %d member record(s), %s", scrubbed, how)


def _upsert(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Rows into hq_member_personal, keeping a birthday moved over when the record has none."""
    target = sa.table(
        "hq_member_personal",
        sa.column("member_id"),
        sa.column("name_sealed"),
        sa.column("phone_sealed"),
        sa.column("birthday_sealed"),
        sa.column("phone_index"),
        sa.column("updated_at", terminal.store.types.UTCDateTime()),
    )
    present = set(
        conn.scalars(
            sa.select(target.c.member_id).where(
                target.c.member_id.in_([r["member_id"] for r in rows])
            )
        )
    )
    for row in rows:
        if row["member_id"] in present:
            values = {k: v for k, v in row.items() if k != "member_id" and v is not None}
            conn.execute(
                sa.update(target).where(target.c.member_id == row["member_id"]).values(**values)
            )
        else:
            conn.execute(sa.insert(target).values(**row))


def downgrade() -> None:
    op.create_table(
        "hq_member_birthday",
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_hq_member_birthday")),
    )
    op.execute(
        "INSERT INTO hq_member_birthday (member_id, sealed, updated_at) "
        "SELECT member_id, birthday_sealed, updated_at FROM hq_member_personal "
        "WHERE birthday_sealed IS NOT NULL"
    )
    with op.batch_alter_table("hq_member_personal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hq_member_personal_phone_index"))
    op.drop_table("hq_member_personal")
