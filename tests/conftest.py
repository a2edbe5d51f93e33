"""Shared fixtures: a demo store built once per session and copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings

from terminal import messages
from terminal.store.database import Database

# no property test may fail on how fast the machine is (CI shares its 2 cores)
settings.register_profile("posterm", deadline=None)
settings.load_profile("posterm")

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday in the demo's promotion window, before the 18:00 flash sale.
DEMO_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _messages_language() -> Iterator[None]:
    """A test that switches the language (the GUI tests use English) leaves it as it was."""
    before = messages.language()
    yield
    messages.set_language(before)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store file (520 products, 200 members) built once for the session."""
    from terminal.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "store.sqlite3"
    db = Database(path)
    build_demo(db, products=520, members=200, now=DEMO_NOW)
    db.close()  # the last connection to close checkpoints the WAL into the file
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh copy of the demo store for one test."""
    path = tmp_path / "store.sqlite3"
    shutil.copyfile(demo_template, path)
    db = Database(path)
    yield db
    db.close()
