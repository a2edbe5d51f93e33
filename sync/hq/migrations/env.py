"""Alembic environment of HQ's database: runs on the connection :mod:`sync.hq.db` hands over."""

from __future__ import annotations

from alembic import context

from sync.hq.models import HqBase

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only for `alembic revision --autogenerate`
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///:memory:"
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=HqBase.metadata,
    version_table="hq_alembic_version",
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
