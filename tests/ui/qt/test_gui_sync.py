"""The GUI starts the sync agent on an enrolled till; the status bar shows HQ's state."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from sqlalchemy import select

from sync.enrollment import enroll
from sync.hq import admin
from sync.hq.db import HqDatabase
from terminal import auth, messages
from terminal.store.models import OutboxRow, Terminal
from tests.sync.hqkit import HqServer, pg_database
from tests.ui.qt.test_gui_manager import open_settings
from tests.ui.qt.test_gui_sale import log_in, modal
from tests.ui.qt.test_gui_shift import open_menu, wait_for
from ui.qt.app import start_sync
from ui.qt.manager.parked import ParkedDialog


def test_an_unenrolled_till_starts_no_agent(window) -> None:  # type: ignore[no-untyped-def]
    assert start_sync(window.ctx) is None
    assert "HQ: not configured" in window.parts["hq"].text()


def test_a_store_restored_from_before_enrolment_no_longer_shows_hq_in_sync(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Restore stops the agent of the store it replaces and starts one only for an enrolled
    store: HQ's state of the old store must not stay on the bar (nor its online rules)."""
    window.ctx.status.set("hq", "ok", "hq_synced", waiting=0)  # the store before the restore
    qtbot.waitUntil(lambda: "in sync" in window.parts["hq"].text(), timeout=5_000)
    assert start_sync(window.ctx) is None  # the restored store was never enrolled
    qtbot.waitUntil(lambda: "HQ: not configured" in window.parts["hq"].text(), timeout=5_000)
    assert not window.ctx.status.hq_reachable()


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
                # the basket sells on online rules while HQ answers, offline rules after
                log_in(qtbot, window)
                assert window.ctx.checkout.hq_reachable()
                server.stop()
                agent.nudge()
                qtbot.waitUntil(lambda: not window.ctx.checkout.hq_reachable(), timeout=20_000)
            finally:
                agent.stop()
                window.ctx.sync_agent = None
        finally:
            server.stop()
            hq_db.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_admin_enrols_the_till_in_settings_and_the_agent_starts(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    win = window
    log_in(qtbot, win, "9001", "9999")
    dialog = open_settings(qtbot, win)
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)

    def enrol(url: str, code: str) -> None:
        dialog.hq_url.setText(url)
        dialog.enrol_code.setText(code)
        qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)

    enrol(f"http://127.0.0.1:{_free_port()}", "ABCD2345")
    qtbot.waitUntil(lambda: "cannot reach HQ" in dialog.message.text(), timeout=20_000)
    assert win.ctx.sync_agent is None
    with pg_database() as url:
        hq_db = HqDatabase(url)
        server = HqServer(hq_db).start()
        try:
            with hq_db.transaction() as session:
                admin.add_store(session, "S001", "demo")
                admin.add_terminal(session, "S001", "T01")
                code = admin.enroll_code(session, "S001", "T01")
            enrol(server.url, "WRONG23456")
            qtbot.waitUntil(
                lambda: "enrolment code unknown, used or expired" in dialog.message.text(),
                timeout=20_000,
            )
            assert win.ctx.sync_agent is None
            enrol(server.url, code)
            qtbot.waitUntil(lambda: "Enrolled with HQ" in dialog.message.text(), timeout=20_000)
            assert f"at {server.url} as store S001, terminal T01" in dialog.message.text()
            assert dialog.enrol_code.text() == ""
            assert win.ctx.sync_agent is not None
            qtbot.waitUntil(lambda: "in sync" in win.parts["hq"].text(), timeout=20_000)
        finally:
            if win.ctx.sync_agent is not None:
                win.ctx.sync_agent.stop()
                win.ctx.sync_agent = None
            server.stop()
            hq_db.close()


def test_a_manager_sees_the_records_hq_refused_and_a_cashier_is_refused(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """A record left parked the way the engine leaves a refused one (how HQ refuses is in
    tests/sync/test_protocol.py); the list shows what, which receipt, why and when."""
    win = window
    refused = datetime(2026, 3, 2, 2, 5, tzinfo=UTC)  # 10:05 in Shanghai
    with win.ctx.home.db.transaction() as session:
        session.add_all(
            [
                OutboxRow(record_id="a" * 36, kind="sale",
                          payload={"receipt_no": "S001T01-00000042"}, created_at=refused,
                          parked_at=refused, last_error="other_terminal: names another till"),
                OutboxRow(record_id="b" * 36, kind="member", payload={"id": "m"},
                          parked_at=refused, last_error="bad member"),
            ]
        )  # fmt: skip
    log_in(qtbot, win)  # cashier 1001
    menu = open_menu(qtbot, win)
    assert not menu.buttons["parked"].isVisible()
    menu.run("parked")
    refusal = messages.render(
        "needs_approval",
        {"role": messages.Ref("role_manager"), "permission": messages.Ref("perm_reports")},
    )
    qtbot.waitUntil(lambda: menu.message.text() == refusal)
    assert modal(ParkedDialog) is None
    menu.run("logout")
    log_in(qtbot, win, "3001", "3333")
    menu = open_menu(qtbot, win)
    assert menu.buttons["parked"].isVisible() and menu.buttons["parked"].text() == "Refused by HQ"
    qtbot.mouseClick(menu.buttons["parked"], Qt.MouseButton.LeftButton)
    dialog = wait_for(qtbot, ParkedDialog)
    assert isinstance(dialog, ParkedDialog)
    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]  # fmt: skip
    assert rows == [
        ["Sale", "S001T01-00000042", "2026-03-02 10:05", "other_terminal: names another till",
         "a" * 36],
        ["Member", "-", rows[1][2], "bad member", "b" * 36],
    ]  # fmt: skip
    assert dialog.windowTitle() == "Records HQ refused"
