"""sync state: the till's link to HQ, and parked outbox records

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00

* ``sync_state``: key/value facts of the sync with HQ (HQ's address, the
  credential sealed with the member-data key, the feed cursor).
* ``outbox.parked_at``: HQ rejected the record (``last_error`` says why); the
  agent sends it no more and the manager sees it, it is never dropped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import terminal.store.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", terminal.store.types.UTCDateTime(length=27), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    op.add_column(
        "outbox",
        sa.Column("parked_at", terminal.store.types.UTCDateTime(length=27), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("outbox", "parked_at")
    op.drop_table("sync_state")
