"""Settings changed as a group, checked by the caller's device model, and the store's name."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from terminal import auth
from terminal.auth import NeedsApproval
from terminal.config import ConfigError, DataDir, load_config
from terminal.config_render import ensure_config
from terminal.home import TerminalHome
from terminal.settings_edit import candidate, set_store_detail, set_values, toml_text
from terminal.store.database import Database
from terminal.store.models import AuditEvent, Store
from tests.terminal.tillkit import make_till


@pytest.fixture
def data(tmp_path: Path) -> DataDir:
    d = DataDir(tmp_path)
    ensure_config(d)
    return d


def admin(db: Database) -> auth.Actor:
    with db.transaction() as s:
        return auth.login(s, "9001", "9999", now=make_till(db, open_shift=False).now)


def refuse_network_without_host(config) -> None:  # what the printer's model says, in small
    if config.printer.get("connection") == "network" and not config.printer.get("host"):
        raise ValueError("network needs host")


@pytest.mark.parametrize("text", ['say "hi"', "back\\slash", "tab\there", "新\n行", "del\x7f"])
def test_any_text_survives_as_a_toml_string(data: DataDir, demo_db: Database, text: str) -> None:
    config = set_values(
        data, demo_db, actor=admin(demo_db), changes={"receipt.footer": toml_text(text)}
    )
    assert config.receipt.footer == text
    assert load_config(data.config_path).receipt.footer == text


def test_a_group_is_written_whole_or_not_at_all(data: DataDir, demo_db: Database) -> None:
    who = admin(demo_db)
    before = data.config_path.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="needs host"):
        set_values(
            data,
            demo_db,
            actor=who,
            changes={"printer.connection": '"network"', "receipt.footer": '"x"'},
            check=refuse_network_without_host,
        )
    with pytest.raises(ConfigError, match=r"security\.lockout_minutes"):
        set_values(
            data,
            demo_db,
            actor=who,
            changes={"receipt.footer": '"x"', "security.lockout_minutes": "0"},
        )
    assert data.config_path.read_text(encoding="utf-8") == before
    config = set_values(
        data,
        demo_db,
        actor=who,
        changes={"printer.connection": '"network"', "printer.host": '"10.0.0.9"'},
        check=refuse_network_without_host,
    )
    assert config.printer == {"connection": "network", "host": "10.0.0.9"}
    assert load_config(data.config_path).printer == config.printer
    assert "# " in data.config_path.read_text(encoding="utf-8")  # comments stay
    with demo_db.sessions() as s:
        targets = set(
            s.scalars(
                select(AuditEvent.target).where(AuditEvent.action == "settings_changed")
            ).all()
        )
    assert targets == {"printer.connection", "printer.host"}


def test_only_an_admin_changes_settings(data: DataDir, demo_db: Database) -> None:
    till = make_till(demo_db)
    before = data.config_path.read_text(encoding="utf-8")
    for who in (till.cashier, till.supervisor, till.manager):
        with pytest.raises(NeedsApproval):
            set_values(data, demo_db, actor=who, changes={"receipt.footer": '"x"'})
    assert data.config_path.read_text(encoding="utf-8") == before


def test_a_candidate_is_validated_and_never_written(data: DataDir) -> None:
    before = data.config_path.read_text(encoding="utf-8")
    config = candidate(data, {"camera.source": '"/tmp/counter.avi"', "ui.language": '"en"'})
    assert config.camera == {"source": "/tmp/counter.avi"} and config.ui.language == "en"
    with pytest.raises(ConfigError, match=r"ui\.language"):
        candidate(data, {"ui.language": '"fr"'})
    assert data.config_path.read_text(encoding="utf-8") == before


def test_the_store_name_reaches_the_store_row_receipts_print(
    data: DataDir, demo_db: Database
) -> None:
    home = TerminalHome(data=data, config=load_config(data.config_path), db=demo_db)
    who = admin(demo_db)
    config = set_store_detail(home, actor=who, field="name", text='新店名 "东门"')
    assert config.store.name == '新店名 "东门"'
    set_store_detail(home, actor=who, field="address", text="人民路 1 号")
    with demo_db.sessions() as s:
        store = s.scalars(select(Store)).one()
    assert (store.name, store.address) == ('新店名 "东门"', "人民路 1 号")
    assert load_config(data.config_path).store.address == "人民路 1 号"
    with pytest.raises(ConfigError, match=r"store\.name"):
        set_store_detail(home, actor=who, field="name", text="")
    with demo_db.sessions() as s:
        assert s.scalars(select(Store.name)).one() == '新店名 "东门"'
    with pytest.raises(NeedsApproval):
        manager = make_till(demo_db, open_shift=False).manager
        set_store_detail(home, actor=manager, field="name", text="x")
