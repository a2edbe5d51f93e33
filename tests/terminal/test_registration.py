"""Registering members at the till: validation, consent, duplicates, numbers, outbox, CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import func, select

from terminal import auth
from terminal.config import DataDir
from terminal.demo_people import demo_person, fill_demo_people
from terminal.errors import InvalidInput, PermissionDenied, StateError
from terminal.pii import MemberVault
from terminal.registration import (
    CONSENT_TEXTS,
    DATA_CONSENT_VERSION,
    MARKETING_CONSENT_VERSION,
    RegistrationResult,
    parse_birthday_text,
    register_member,
)
from terminal.store.database import Database
from terminal.store.models import AuditEvent, Member, MemberConsent, OutboxRow
from tests.conftest import DEMO_NOW
from ui.cli import main

CASHIER = auth.Actor("u-cashier", "1001", "收银员", "cashier")


@pytest.fixture
def vault() -> MemberVault:
    return MemberVault.ephemeral()


def reg(db: Database, vault: MemberVault, **kw: object) -> RegistrationResult:
    args: dict[str, object] = {
        "phone": "13912345678",
        "name": "王小明",
        "consent_data": True,
        "actor": CASHIER,
        "now": DEMO_NOW,
    }
    args.update(kw)
    with db.transaction() as session:
        return register_member(session, vault, **args)  # type: ignore[arg-type]


def test_registration_round_trip(demo_db: Database, vault: MemberVault) -> None:
    result = reg(
        demo_db,
        vault,
        phone="+86 139-1234-5678",
        name="  欧阳 娜娜 ",
        birthday_month=2,
        birthday_day=29,
        referrer_no="m00000007",
        consent_marketing=True,
    )
    assert result.created and result.member.member_no in result.message
    with demo_db.sessions() as session:
        m = session.scalars(select(Member).where(Member.id == result.member.id)).one()
        assert m.member_no == "M00000201"  # the demo holds M00000001..M00000200
        assert m.tier_code == "normal" and m.status == "active" and m.referrer_no == "M00000007"
        assert vault.decrypt_field("name", m.id, m.name_enc) == "欧阳 娜娜"
        assert vault.decrypt_field("phone", m.id, m.phone_enc) == "13912345678"
        assert vault.decrypt_field("birthday", m.id, m.birthday_enc) == "02-29"
        assert m.phone_index == vault.phone_index("13912345678")
        assert m.phone_last4_index == vault.last4_index("5678")
        consents = {
            c.kind: c
            for c in session.scalars(select(MemberConsent).where(MemberConsent.member_id == m.id))
        }
        assert consents["data_processing"].granted
        assert consents["data_processing"].text_version == DATA_CONSENT_VERSION
        assert consents["marketing"].granted
        assert consents["marketing"].text_version == MARKETING_CONSENT_VERSION
        assert consents["marketing"].at == DEMO_NOW
        row = session.scalars(select(OutboxRow).where(OutboxRow.record_id == m.id)).one()
        assert row.kind == "member"
        assert row.payload["member_no"] == m.member_no
        assert {c["kind"] for c in row.payload["consents"]} == {"data_processing", "marketing"}
        assert "13912345678" not in json.dumps(row.payload, ensure_ascii=False)
        assert "娜娜" not in json.dumps(row.payload, ensure_ascii=False)
        assert vault.open_outbox_personal(m.id, row.payload["personal"]) == {
            "name": "欧阳 娜娜",
            "phone": "13912345678",
            "birthday": "02-29",
        }
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "member_registered")
        ).one()
        assert event.target == m.id and event.user_id == CASHIER.user_id
        assert "娜娜" not in json.dumps(event.details, ensure_ascii=False)


def test_consent_texts_have_versions() -> None:
    for version, text in CONSENT_TEXTS.values():
        assert version and "/" not in version and len(text) > 40


def test_marketing_consent_optional_but_recorded_as_refused(
    demo_db: Database, vault: MemberVault
) -> None:
    member = reg(demo_db, vault).member
    with demo_db.sessions() as session:
        marketing = session.scalars(
            select(MemberConsent).where(
                MemberConsent.member_id == member.id, MemberConsent.kind == "marketing"
            )
        ).one()
    assert marketing.granted is False


def test_duplicate_phone_returns_the_same_member(demo_db: Database, vault: MemberVault) -> None:
    first = reg(demo_db, vault)
    again = reg(demo_db, vault, phone="139 1234 5678", name="别的名字")
    assert not again.created and again.member.id == first.member.id
    assert "已注册" in again.message and first.member.member_no in again.message
    with demo_db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 201
        assert (
            session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.kind == "member")
            )
            == 1
        )


def test_member_numbers_are_sequential(demo_db: Database, vault: MemberVault) -> None:
    a = reg(demo_db, vault, phone="13900000001").member
    b = reg(demo_db, vault, phone="13900000002").member
    assert (a.member_no, b.member_no) == ("M00000201", "M00000202")


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"phone": "1234"}, "bad_phone"),
        ({"phone": "12912345678"}, "bad_phone"),
        ({"name": "   "}, "bad_name_length"),
        ({"name": "王" * 21}, "bad_name_length"),
        ({"birthday_month": 2, "birthday_day": 30}, "bad_birthday"),
        ({"birthday_month": 13, "birthday_day": 1}, "bad_birthday"),
        ({"birthday_month": 4}, "bad_birthday"),
        ({"consent_data": False}, "consent_required"),
        ({"referrer_no": "M99999999"}, "bad_referrer"),
    ],
)
def test_bad_input_is_refused_with_a_stable_code(
    demo_db: Database, vault: MemberVault, kw: dict[str, object], code: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        reg(demo_db, vault, **kw)
    assert info.value.code == code
    assert " / " in str(info.value)  # 中文 / English
    with demo_db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 200


def test_name_of_20_characters_and_feb_29_are_fine(demo_db: Database, vault: MemberVault) -> None:
    assert reg(demo_db, vault, name="王" * 20, birthday_month=2, birthday_day=29).created


def test_blocked_members_phone_is_refused(demo_db: Database, vault: MemberVault) -> None:
    member = reg(demo_db, vault).member
    with demo_db.transaction() as session:
        session.get(Member, member.id).status = "blocked"  # type: ignore[union-attr]
    with pytest.raises(StateError) as info:
        reg(demo_db, vault)
    assert info.value.code == "member_blocked"


def test_registering_needs_sell(demo_db: Database, vault: MemberVault) -> None:
    nobody = auth.Actor("x", "x", "x", "nobody")
    with pytest.raises(PermissionDenied):
        reg(demo_db, vault, actor=nobody)


@pytest.mark.parametrize(
    ("text", "expected"), [("02-29", (2, 29)), ("2-9", (2, 9)), ("12/31", (12, 31))]
)
def test_parse_birthday_text(text: str, expected: tuple[int, int]) -> None:
    assert parse_birthday_text(text) == expected


@pytest.mark.parametrize("text", ["0229", "02-30", "2026-02-01", "ab-cd", ""])
def test_parse_birthday_text_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_birthday_text(text)


def test_demo_people_are_unique_and_indexed(demo_db: Database, vault: MemberVault) -> None:
    import random

    with demo_db.sessions() as session:
        ids = session.execute(select(Member.id, Member.member_no)).all()
    with demo_db.engine.begin() as conn:
        assert fill_demo_people(conn, vault, [(i, n) for i, n in ids], random.Random(7)) == 200
    phones = {demo_person(f"M{k:08d}", random.Random(k))[1][3:] for k in range(1, 5001)}
    assert len(phones) == 5000  # unique last 8 digits per member number
    with demo_db.sessions() as session:
        rows = session.scalars(select(Member)).all()
        assert all(r.phone_index and r.name_enc for r in rows)
        assert len({r.phone_index for r in rows}) == 200
        some = rows[0]
        phone = vault.decrypt_field("phone", some.id, some.phone_enc)
        assert phone and phone.startswith("1") and len(phone) == 11


# --- CLI ---------------------------------------------------------------------------------


def test_cli_register_find_show_export_erase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)  # never the developer's keyring
    data = tmp_path / "data"
    assert main(["demo", "--data-dir", str(data), "--products", "520", "--members", "3"]) == 0
    d = ["--data-dir", str(data), "--user", "1001"]

    def pin(text: str = "1111\n") -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(text))

    # every member action needs a logged-in user
    pin("")
    assert main(["member", "find", *d, "5678"]) == 2
    assert "standard input is closed" in capsys.readouterr().err
    pin("0000\n")
    assert main(["member", "find", *d, "5678"]) == 2
    assert "wrong username or PIN" in capsys.readouterr().err
    pin()
    assert main(["member", "register", *d, "--phone", "13912345678", "--name", "欧阳娜娜"]) == 2
    assert "consent" in capsys.readouterr().err
    argv = ["member", "register", *d, "--phone", "13912345678", "--name", "欧阳娜娜"]
    pin()
    assert main([*argv, "--birthday", "02-29", "--consent-data"]) == 0
    out = capsys.readouterr().out
    assert "M00000004" in out
    pin()
    assert main(["member", "find", *d, "5678"]) == 0
    out = capsys.readouterr().out
    assert "M00000004" in out and "欧阳**" in out and "139****5678" in out
    assert "13912345678" not in out
    pin()
    assert main(["member", "find", *d, "+86 13912345678"]) == 0
    assert "M00000004" in capsys.readouterr().out
    pin()
    assert main(["member", "show", *d, "M00000004"]) == 0
    out = capsys.readouterr().out
    assert "欧阳**" in out and "普通" in out and "娜娜" not in out
    # a cashier may not print the data report
    d = d[:2]
    pin()
    assert main(["member", "export", *d, "M00000004", "--user", "1001"]) == 2
    capsys.readouterr()
    pin("3333\n")
    assert main(["member", "export", *d, "M00000004", "--user", "3001"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out[out.index("{") :])
    assert report["name"] == "欧阳娜娜" and report["birthday"] == "02-29"
    monkeypatch.setattr("sys.stdin", io.StringIO("3333\n"))
    assert main(["member", "erase", *d, "M00000004", "--user", "3001", "--reason", "顾客申请"]) == 0
    capsys.readouterr()
    pin()
    assert main(["member", "find", *d, "--user", "1001", "13912345678"]) == 2
    assert "13912345678" not in capsys.readouterr().err
    assert (DataDir(data).keys_dir / "member-keys.json").exists()
