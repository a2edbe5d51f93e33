"""The GUI starts the sync agent on an enrolled till; the status bar shows HQ's state."""

from __future__ import annotations

from sqlalchemy import select

from sync.enrollment import enroll
from sync.hq import admin
from sync.hq.db import HqDatabase
from terminal import auth
from terminal.store.models import Terminal
from tests.sync.hqkit import HqServer, pg_database
from ui.qt.app import start_sync


def test_an_unenrolled_till_starts_no_agent(window) -> None:  # type: ignore[no-untyped-def]
    assert start_sync(window.ctx) is None
    assert "HQ not configured" in window.parts["hq"].text()


def test_the_status_bar_shows_hq_in_sync_after_the_agent_ran(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    home = window.ctx.home
    with pg_database() as url:
        hq_db = HqDatabase(url)
        server = HqServer(hq_db).start()
        try:
            with hq_db.transaction() as session:
                admin.add_store(session, "S001", "demo")
                admin.add_terminal(session, "S001", "T01")
                code = admin.enroll_code(session, "S001", "T01")
            with home.db.transaction() as session:
                terminal = session.scalars(select(Terminal)).one()
                actor = auth.login(session, "9001", "9999", now=window.ctx.clock())
            enroll(home.db, window.ctx.vault, server.url, code, store_code="S001",
                   terminal_code="T01", terminal_id=terminal.id, actor=actor)  # fmt: skip
            agent = start_sync(window.ctx)
            assert agent is not None
            try:
                qtbot.waitUntil(lambda: "in sync" in window.parts["hq"].text(), timeout=20_000)
            finally:
                agent.stop()
        finally:
            server.stop()
            hq_db.close()
