"""The local SQLite store: schema, migrations and the session factory."""
