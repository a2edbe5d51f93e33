"""The reference HQ server: FastAPI app, its own database and migrations, admin CLI.

Separate from the till's store: HQ keeps its tables in ``sync/hq/models.py``
and migrates them with its own Alembic scripts (``sync/hq/migrations``).
SQLite by default (``posterm-hq serve`` works on a fresh machine), PostgreSQL
through a database URL in production.
"""
