"""Permissions are decided in the core for every privileged action, not by menus."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from terminal import settings_admin, shifts
from terminal.auth import NeedsApproval
from terminal.config import ConfigError, DataDir, load_config
from terminal.config_render import ensure_config
from terminal.store.database import Database
from terminal.store.models import AuditEvent
from tests.terminal.tillkit import make_till


def test_a_cashier_gets_no_x_report(demo_db: Database) -> None:
    till = make_till(demo_db)
    with demo_db.sessions() as s, pytest.raises(NeedsApproval) as refused:
        shifts.x_report(s, till.settings.terminal_id, till.cashier)
    assert refused.value.role == "manager"
    with demo_db.sessions() as s:
        report = shifts.x_report(s, till.settings.terminal_id, till.manager)
    assert report.sales_count == 0 and report.status == "open"


def test_settings_need_an_admin_and_a_bad_value_changes_nothing(
    demo_db: Database, tmp_path: Path
) -> None:
    till = make_till(demo_db)
    data = DataDir(tmp_path)
    ensure_config(data)
    before = data.config_path.read_text(encoding="utf-8")
    for who in (till.cashier, till.supervisor, till.manager):
        with pytest.raises(NeedsApproval):
            settings_admin.set_value(data, demo_db, actor=who, key="receipt.footer", raw="x")
    assert data.config_path.read_text(encoding="utf-8") == before

    from terminal import auth

    with demo_db.transaction() as s:
        admin = auth.login(s, "9001", "9999", now=till.now)
    with pytest.raises(ConfigError, match=r"security\.lockout_attempts"):
        settings_admin.set_value(
            data, demo_db, actor=admin, key="security.lockout_attempts", raw="0"
        )
    assert data.config_path.read_text(encoding="utf-8") == before
    settings_admin.set_value(data, demo_db, actor=admin, key="receipt.footer", raw="欢迎再来")
    assert load_config(data.config_path).receipt.footer == "欢迎再来"
    assert "# " in data.config_path.read_text(encoding="utf-8")  # the comments stay
    with demo_db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "settings_changed")).one()
    assert event.target == "receipt.footer" and event.details["new"] == "欢迎再来"
