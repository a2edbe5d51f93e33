"""Members' personal data at HQ: sealed at rest, never in clear in any table or log,
found by phone through a keyed index, shown masked, gone on erasure; real tills
pushing to a real uvicorn HQ on PostgreSQL."""

from __future__ import annotations

import base64
import logging
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select, text

from sync.hq import personal
from sync.hq.db import HqDatabase
from sync.hq.models import HqEntity, HqMemberPersonal, HqRecord, HqStore, HqTerminal
from terminal.members import erase_member
from terminal.records import MemberRecord, PersonalData
from terminal.registration import register_member
from terminal.store.models import Member
from terminal.store.types import UTCDateTime
from tests.conftest import DEMO_NOW
from tests.sync.hqkit import HqServer, Till, enrolled_till, hq_cli, hq_cli_refused

PHONE = "13912345678"
NAME = "欧阳娜娜"


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def data_key(monkeypatch: pytest.MonkeyPatch) -> str:
    key = _key()
    monkeypatch.setenv(personal.KEY_ENV, key)
    return key


def _register(till: Till, phone: str = PHONE, name: str = NAME) -> tuple[str, str]:
    with till.db.transaction() as session:
        done = register_member(
            session,
            till.vault,
            phone=phone,
            name=name,
            birthday_month=7,
            birthday_day=14,
            consent_data=True,
            actor=till.shop.cashier,
            now=DEMO_NOW,
            terminal_id=till.shop.settings.terminal_id,
        )
        return done.member.id, done.member.member_no


def _columns_holding(db: HqDatabase, needle: str) -> set[str]:
    """Every ``table.column`` of HQ's database whose values contain ``needle``: text and
    JSON columns as text (JSON through jsonb, so escaped non-ASCII counts too), byte
    columns searched for its UTF-8 bytes."""
    found = set()
    with db.engine.connect() as conn:
        columns = conn.execute(
            text(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public' AND data_type IN "
                "('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')"
            )
        ).all()
        assert columns
        for table, column, data_type in columns:
            if data_type == "bytea":
                where = f"position(convert_to(:needle, 'UTF8') in \"{column}\") > 0"
            elif data_type in ("json", "jsonb"):
                where = f'("{column}"::jsonb)::text LIKE :like OR "{column}"::text LIKE :like'
            else:
                where = f'"{column}" LIKE :like'
            hits = conn.scalar(
                text(f'SELECT count(*) FROM "{table}" WHERE {where}'),
                {"needle": needle, "like": f"%{needle}%"},
            )
            if hits:
                found.add(f"{table}.{column}")
    return found


def _kept(hq_db: HqDatabase) -> int:
    with hq_db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(HqMemberPersonal)) or 0)


def test_a_member_s_phone_and_name_reach_no_table_and_no_log_at_hq_in_clear(
    hq: HqServer,
    hq_db: HqDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    data_key: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    member_id, member_no = _register(a)
    pushed, _ = a.sync()
    assert (pushed.sent, pushed.parked) == (1, 0)

    # the scan finds what is there in clear, ASCII and Chinese, JSON and text
    assert {"hq_record.payload", "hq_entity.data"} <= _columns_holding(hq_db, member_no)
    with hq_db.transaction() as session:
        product_name = session.scalar(
            select(HqEntity.data["name"].as_string()).where(HqEntity.entity == "product").limit(1)
        )
    assert product_name and not product_name.isascii()
    assert "hq_entity.data" in _columns_holding(hq_db, product_name)
    # ... and finds the member's phone and name nowhere
    assert _columns_holding(hq_db, PHONE) == set()
    assert _columns_holding(hq_db, NAME) == set()
    assert PHONE not in caplog.text and NAME not in caplog.text

    with hq_db.transaction() as session:
        stored = session.get(HqRecord, member_id)
        assert stored is not None
        assert MemberRecord.model_validate(stored.payload).personal is None
        row = session.get(HqMemberPersonal, member_id)
        assert row is not None and row.phone_sealed and row.birthday_sealed
        key = personal.data_key()
        assert key is not None
        assert personal.unseal(key, member_id, row.phone_sealed, "phone") == PHONE
        assert personal.unseal(key, member_id, row.birthday_sealed) == "07-14"
        # a sealed phone does not open as the name, nor for another member
        assert personal.unseal(key, member_id, row.phone_sealed, "name") is None
        assert personal.unseal(key, "another-member", row.phone_sealed, "phone") is None

    shown = hq_cli(hq_db, capsys, "member", "show", member_no)
    assert "欧阳**" in shown and "139****5678" in shown and "kept (sealed)" in shown
    assert PHONE not in shown and NAME not in shown
    by_phone = hq_cli(hq_db, capsys, "member", "show", "--phone", "+86 139-1234-5678")
    assert f"member {member_no} ({member_id})" in by_phone and "139****5678" in by_phone
    assert PHONE not in by_phone and NAME not in by_phone
    assert "no member with that phone" in hq_cli_refused(
        hq_db, capsys, "member", "show", "--phone", "13912345679"
    )
    assert "set; members with personal data kept (sealed): 1" in hq_cli(hq_db, capsys, "status")


def test_an_erasure_at_a_till_deletes_the_sealed_row_at_hq(
    hq: HqServer,
    hq_db: HqDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data_key: str,
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    kept_id, _ = _register(a, "13700000001", "王五")
    gone_id, gone_no = _register(a)
    a.sync()
    assert _kept(hq_db) == 2
    with a.db.transaction() as session:
        erase_member(
            session,
            a.vault,
            gone_no,
            actor=a.shop.manager,
            reason="member asked",
            terminal_id=a.shop.settings.terminal_id,
        )
    pushed, _ = a.sync()
    assert (pushed.sent, pushed.parked) == (1, 0)
    with hq_db.transaction() as session:
        assert session.get(HqMemberPersonal, gone_id) is None
        assert session.get(HqMemberPersonal, kept_id) is not None
    shown = hq_cli(hq_db, capsys, "member", "show", gone_no)
    assert "erased" in shown and "none kept at HQ" in shown
    assert "no member with that phone" in hq_cli_refused(
        hq_db, capsys, "member", "show", "--phone", PHONE
    )
    assert "王*" in hq_cli(hq_db, capsys, "member", "show", "--phone", "13700000001")


def test_without_a_data_key_hq_keeps_nothing_personal_and_still_takes_the_member(
    hq: HqServer,
    hq_db: HqDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(personal.KEY_ENV, raising=False)
    caplog.set_level(logging.DEBUG)
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    member_id, member_no = _register(a)
    pushed, _ = a.sync()
    assert (pushed.sent, pushed.parked) == (1, 0)
    with hq_db.transaction() as session:
        entity = session.get(HqEntity, ("member", member_id))
        assert entity is not None and entity.data["member_no"] == member_no
    assert _kept(hq_db) == 0
    assert _columns_holding(hq_db, PHONE) == set()
    assert _columns_holding(hq_db, NAME) == set()
    assert "HQ runs without a data key" in caplog.text
    assert PHONE not in caplog.text and NAME not in caplog.text

    assert "NOT SET: members' personal data from tills is not kept" in hq_cli(
        hq_db, capsys, "status"
    )
    assert "none kept at HQ" in hq_cli(hq_db, capsys, "member", "show", member_no)
    assert "no HQ data key" in hq_cli_refused(hq_db, capsys, "member", "show", "--phone", PHONE)


def test_with_another_key_hq_cannot_read_what_it_sealed_and_does_not_crash(
    hq: HqServer,
    hq_db: HqDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data_key: str,
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    member_id, member_no = _register(a)
    a.sync()
    assert "139****5678" in hq_cli(hq_db, capsys, "member", "show", member_no)

    monkeypatch.setenv(personal.KEY_ENV, _key())
    other = personal.data_key()
    assert other is not None
    with hq_db.transaction() as session:
        row = session.get(HqMemberPersonal, member_id)
        assert row is not None and row.phone_sealed and row.name_sealed
        assert personal.unseal(other, member_id, row.phone_sealed, "phone") is None
        assert personal.unseal(other, member_id, row.name_sealed, "name") is None
    shown = hq_cli(hq_db, capsys, "member", "show", member_no)
    assert "not readable with this key" in shown and "139" not in shown
    assert "no member with that phone" in hq_cli_refused(
        hq_db, capsys, "member", "show", "--phone", PHONE
    )
    monkeypatch.setenv(personal.KEY_ENV, "not base64 of 32 bytes")
    assert "MALFORMED" in hq_cli(hq_db, capsys, "status")


def _migrate(db: HqDatabase, revision: str, *, down: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    from sync.hq.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


@pytest.mark.parametrize("key_at_migration", [True, False])
def test_the_upgrade_scrubs_clear_personal_data_out_of_records_hq_already_held(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, key_at_migration: bool
) -> None:
    key = base64.b64decode(_key())
    monkeypatch.setenv(personal.KEY_ENV, base64.b64encode(key).decode())
    db = HqDatabase(pg_url)
    try:
        _migrate(db, "0004", down=True)
        members = {"m-1": ("13811112222", "张三"), "m-2": ("13833334444", "李四")}
        with db.transaction() as session:
            store = HqStore(code="S101", name="S101")
            session.add(store)
            session.flush()
            till = HqTerminal(store_id=store.id, code="T01")
            session.add(till)
            session.flush()
            for member_id, (phone, name) in members.items():
                payload = MemberRecord(
                    id=member_id,
                    member_no=f"M0000000{member_id[-1]}",
                    tier_code="normal",
                    status="active",
                    created_at=DEMO_NOW,
                    consents=[],
                    personal=PersonalData(enc="clear", name=name, phone=phone),
                ).payload()
                session.add(
                    HqRecord(
                        id=member_id,
                        terminal_id=till.id,
                        store_id=store.id,
                        kind="member",
                        payload=payload,
                        created_at=DEMO_NOW,
                    )
                )
            session.add(
                HqRecord(
                    id="e-2",
                    terminal_id=till.id,
                    store_id=store.id,
                    kind="member_erasure",
                    payload={"member_id": "m-2", "member_no": "M00000002"},
                    created_at=DEMO_NOW,
                )
            )
            session.execute(
                _birthday_table()
                .insert()
                .values(
                    member_id="m-1", sealed=personal.seal(key, "m-1", "03-08"), updated_at=DEMO_NOW
                )
            )
        if not key_at_migration:
            monkeypatch.delenv(personal.KEY_ENV)
        _migrate(db, "head")

        for phone, name in members.values():
            assert _columns_holding(db, phone) == set()
            assert _columns_holding(db, name) == set()
        with db.transaction() as session:
            payloads = session.scalars(select(HqRecord.payload).where(HqRecord.kind == "member"))
            assert [MemberRecord.model_validate(p).personal for p in payloads] == [None, None]
            rows = {r.member_id: r for r in session.scalars(select(HqMemberPersonal))}
            assert set(rows) == {"m-1"}  # the birthday moved over; m-2 was erased
            m1 = rows["m-1"]
            assert m1.birthday_sealed is not None
            assert personal.unseal(key, "m-1", m1.birthday_sealed) == "03-08"
            if key_at_migration:
                assert m1.phone_sealed is not None and m1.name_sealed is not None
                assert personal.unseal(key, "m-1", m1.phone_sealed, "phone") == "13811112222"
                assert personal.unseal(key, "m-1", m1.name_sealed, "name") == "张三"
                assert m1.phone_index == personal.phone_index(key, "13811112222")
            else:
                assert (m1.phone_sealed, m1.name_sealed, m1.phone_index) == (None, None, None)
    finally:
        db.close()


def _birthday_table() -> sa.TableClause:
    """``hq_member_birthday`` as revision 0004 has it (the models no longer do)."""
    return sa.table(
        "hq_member_birthday",
        sa.column("member_id"),
        sa.column("sealed", sa.LargeBinary),
        sa.column("updated_at", UTCDateTime()),
    )


def test_a_member_registered_and_erased_before_one_sync_stays_erased_at_hq(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, data_key: str
) -> None:
    # both records reach HQ in one push: the registration must not bring the member back
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    gone_id, gone_no = _register(a)
    with a.db.transaction() as session:
        erase_member(
            session,
            a.vault,
            gone_no,
            actor=a.shop.manager,
            reason="member asked",
            terminal_id=a.shop.settings.terminal_id,
        )
    pushed, _ = a.sync()
    assert (pushed.sent, pushed.parked) == (2, 0)
    with hq_db.transaction() as session:
        assert session.get(HqMemberPersonal, gone_id) is None
        published = session.get(HqEntity, ("member", gone_id))
        assert published is not None and published.data["status"] == "erased"
    b = enrolled_till(hq_db, hq.url, tmp_path / "b.sqlite3", "S102", "T01")
    b.sync()
    with b.db.sessions() as session:
        member = session.get(Member, gone_id)
        assert member is not None and member.status == "erased"


def test_a_malformed_data_key_is_logged_once_as_malformed_not_as_missing(
    hq_db: HqDatabase,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(personal.KEY_ENV, "not base64 of 32 bytes")
    caplog.set_level(logging.DEBUG, logger="sync.hq.personal")
    member = MemberRecord(
        id="00000000-0000-4000-8000-000000000001",
        member_no="M00000001",
        tier_code="normal",
        status="active",
        created_at=DEMO_NOW,
        consents=[],
        personal=PersonalData(enc="clear", name=NAME, phone=PHONE),
    )
    with hq_db.transaction() as session:
        assert personal.keep(session, [member]) == 0
    said = [r.getMessage() for r in caplog.records if r.name == "sync.hq.personal"]
    assert said == [f"1 member(s)' personal data not kept: {personal.KEY_ENV} is malformed"]
    assert _kept(hq_db) == 0
