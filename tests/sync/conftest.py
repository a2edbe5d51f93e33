"""Fixtures of the sync tests: HQ on a fresh PostgreSQL database, seeded from the demo store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.hq import admin
from sync.hq.db import HqDatabase
from tests.sync.hqkit import HqServer, pg_database


@pytest.fixture
def pg_url() -> Iterator[str]:
    with pg_database() as url:
        yield url


@pytest.fixture
def hq_db(pg_url: str, demo_template: Path) -> Iterator[HqDatabase]:
    """HQ's database on PostgreSQL, holding the demo store's catalogue, members and rules."""
    db = HqDatabase(pg_url)
    with db.transaction() as session:
        admin.import_store(session, demo_template)
    yield db
    db.close()


@pytest.fixture
def hq(hq_db: HqDatabase) -> Iterator[HqServer]:
    server = HqServer(hq_db).start()
    yield server
    server.stop()
