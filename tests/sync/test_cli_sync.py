"""`posterm enroll` / `posterm sync` against a real HQ, and the `posterm-hq` admin commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from sync.hq import admin
from sync.hq.cli import main as hq_main
from sync.hq.db import HqDatabase
from terminal.store.database import Database
from terminal.store.models import OutboxRow
from tests.sync.hqkit import HqServer
from tests.ui.clikit import ADMIN, ADMIN_PIN, cli, init_till, one_error


def _code(hq_db: HqDatabase, store: str = "S012", terminal: str = "T01") -> str:
    with hq_db.transaction() as session:
        admin.add_store(session, store, "新店")
        admin.add_terminal(session, store, terminal)
        return admin.enroll_code(session, store, terminal)


def test_enroll_then_sync_loads_the_store_and_status_tells(
    hq: HqServer,
    hq_db: HqDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = init_till(tmp_path / "till", monkeypatch)
    code = _code(hq_db)
    assert cli(monkeypatch, f"{ADMIN_PIN}\n", "enroll", hq.url, code, "--user", ADMIN,
               "--data-dir", str(root)) == 0  # fmt: skip
    assert "S012/T01" in capsys.readouterr().out
    with monkeypatch.context() as screen:  # on a terminal, the bootstrap shows its progress
        screen.setattr("sys.stderr.isatty", lambda: True)
        assert cli(monkeypatch, "", "sync", "--once", "--data-dir", str(root)) == 0
    shown = capsys.readouterr()
    assert "pushed 0" in shown.out and "pulled" in shown.out
    assert "pulling" in shown.err and shown.err.endswith("\n")
    assert cli(monkeypatch, "", "sync", "--status", "--data-dir", str(root)) == 0
    status = capsys.readouterr().out
    assert hq.url in status
    assert [line.split()[-1] for line in status.splitlines() if "last error" in line] == ["-"]

    # the code was single use
    again = tmp_path / "other"
    init_till(again, monkeypatch)
    assert cli(monkeypatch, f"{ADMIN_PIN}\n", "enroll", hq.url, code, "--user", ADMIN,
               "--data-dir", str(again)) == 2  # fmt: skip
    assert "enrolment code unknown, used or expired" in one_error(capsys)

    with hq_db.transaction() as session:
        admin.revoke(session, "S012", "T01")
    assert cli(monkeypatch, "", "sync", "--once", "--data-dir", str(root)) == 2
    assert "HQ revoked this till" in one_error(capsys)


def test_enroll_refuses_plain_http_to_another_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = init_till(tmp_path / "till", monkeypatch)
    assert cli(monkeypatch, f"{ADMIN_PIN}\n", "enroll", "http://hq.example.com", "ABCD2345",
               "--user", ADMIN, "--data-dir", str(root)) == 2  # fmt: skip
    assert "https://" in one_error(capsys)


def test_enroll_with_a_mistyped_code_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = init_till(tmp_path / "till", monkeypatch)
    assert cli(monkeypatch, f"{ADMIN_PIN}\n", "enroll", "http://127.0.0.1:9", "K7Q",
               "--user", ADMIN, "--data-dir", str(root)) == 2  # fmt: skip
    assert "not an enrolment code" in one_error(capsys)


def test_sync_before_enrolling_says_how(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = init_till(tmp_path / "till", monkeypatch)
    assert cli(monkeypatch, "", "sync", "--once", "--data-dir", str(root)) == 2
    assert "posterm enroll URL CODE" in one_error(capsys)


def test_posterm_hq_admin_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(tmp_path / "hq.sqlite3")]
    assert hq_main([*db, "store", "add", "S001", "人民路店"]) == 0
    assert hq_main([*db, "terminal", "add", "S001", "T01"]) == 0
    assert hq_main([*db, "terminal", "add", "S001", "T01"]) == 2
    assert "exists" in capsys.readouterr().err
    assert hq_main([*db, "enroll-code", "S001", "T01"]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 10 and code.isalnum()
    assert hq_main([*db, "status"]) == 0
    assert "not_enrolled" in capsys.readouterr().out
    assert hq_main([*db, "revoke", "S001", "T01"]) == 0
    assert hq_main([*db, "status"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert hq_main([*db, "enroll-code", "S009", "T01"]) == 2
    assert "no store S009" in capsys.readouterr().err


def test_hq_status_shows_each_tills_backlog_version_and_a_clock_that_is_off(
    hq: HqServer, hq_db: HqDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime, timedelta

    import requests

    from sync import protocol
    from sync.client import HqClient

    credentials = {}
    with hq_db.transaction() as session:
        admin.add_store(session, "S012", "新店")
    for terminal in ("T01", "T02"):
        with hq_db.transaction() as session:
            admin.add_terminal(session, "S012", terminal)
            code = admin.enroll_code(session, "S012", terminal)
        answer = HqClient(hq.url).enroll(
            protocol.EnrollRequest(
                code=code, store_code="S012", terminal_code=terminal, terminal_id=f"id-{terminal}"
            )
        )
        credentials[terminal] = answer.credential
    HqClient(hq.url, credentials["T01"], waiting=7).me()
    late = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()
    requests.get(
        f"{hq.url}/v1/me",
        headers={
            "Authorization": f"Bearer {credentials['T02']}",
            protocol.VERSION_HEADER: "1",
            protocol.TIME_HEADER: late,
            protocol.PROGRAM_HEADER: "0.9.0",
        },
        timeout=10,
    ).raise_for_status()
    assert hq_main(["--db", hq_db.url, "status"]) == 0
    lines = {line.split()[1]: line for line in capsys.readouterr().out.splitlines()[1:]}
    assert "enrolled" in lines["T01"] and " 7 " in lines["T01"]
    assert "CLOCK OFF" not in lines["T01"]
    assert "CLOCK OFF" in lines["T02"] and "0.9.0" in lines["T02"]


def test_enroll_with_only_a_code_uses_hq_url_of_the_config(
    hq: HqServer,
    hq_db: HqDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = init_till(tmp_path / "till", monkeypatch)
    code = _code(hq_db)
    assert cli(monkeypatch, f"{ADMIN_PIN}\n", "enroll", code, "--user", ADMIN,
               "--data-dir", str(root)) == 2  # fmt: skip
    assert "no HQ address given and [hq] url is not set" in one_error(capsys)
    config = root / "config.toml"
    text = config.read_text(encoding="utf-8")
    assert '# url = ""' in text
    config.write_text(text.replace('# url = ""', f'url = "{hq.url}"'), encoding="utf-8")
    assert cli(monkeypatch, f"{ADMIN_PIN}\n", "enroll", code, "--user", ADMIN,
               "--data-dir", str(root)) == 0  # fmt: skip
    assert "S012/T01" in capsys.readouterr().out
    assert cli(monkeypatch, "", "sync", "--status", "--data-dir", str(root)) == 0
    assert hq.url in capsys.readouterr().out


def test_import_store_of_a_wrong_path_or_file_says_so_in_one_line_and_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "hq.sqlite3")]
    missing = tmp_path / "typo.sqlite3"
    assert hq_main([*db, "import-store", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "no store file" in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert not missing.exists()

    not_a_store = tmp_path / "products.csv"
    not_a_store.write_text("sku,name\nA1,Tea\n", encoding="utf-8")
    assert hq_main([*db, "import-store", str(not_a_store)]) == 2
    err = capsys.readouterr().err
    assert "not a till's store" in err and len(err.splitlines()) == 1
    assert not_a_store.read_text(encoding="utf-8") == "sku,name\nA1,Tea\n"


def test_the_parked_list_needs_a_manager_as_on_screen(
    hq: HqServer,
    hq_db: HqDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`posterm sync --parked` named records for anyone; the GUI's list needs REPORTS."""
    root = init_till(tmp_path / "till", monkeypatch)
    assert cli(monkeypatch, f"{ADMIN_PIN}\n", "enroll", hq.url, _code(hq_db), "--user", ADMIN,
               "--data-dir", str(root)) == 0  # fmt: skip
    db = Database(root / "store.sqlite3")
    try:
        with db.transaction() as session:  # a record the till can no longer read
            session.add(OutboxRow(record_id="01a2324d-0000-7000-8000-000000000001", kind="sale",
                                  payload={"receipt_no": "S012T01-00000009"}))  # fmt: skip
        with db.transaction() as session:
            session.execute(
                text("UPDATE outbox SET payload = '{\"receipt' WHERE record_id LIKE '01a2324d%'")
            )
    finally:
        db.close()
    assert cli(monkeypatch, "", "sync", "--once", "--data-dir", str(root)) == 0
    assert "parked 1" in capsys.readouterr().out

    assert cli(monkeypatch, "", "sync", "--parked", "--data-dir", str(root)) == 2
    assert "--user" in one_error(capsys)
    assert cli(monkeypatch, f"{ADMIN_PIN}\n1111\n1111\n", "user", "add", "1001", "--name", "小李",
               "--role", "cashier", "--user", ADMIN, "--data-dir", str(root)) == 0  # fmt: skip
    capsys.readouterr()
    assert cli(monkeypatch, "1111\n", "sync", "--parked", "--user", "1001",
               "--data-dir", str(root)) == 2  # fmt: skip
    assert "manager" in one_error(capsys)
    assert cli(monkeypatch, f"{ADMIN_PIN}\n", "sync", "--parked", "--user", ADMIN,
               "--data-dir", str(root)) == 0  # fmt: skip
    listed = capsys.readouterr().out
    assert "01a2324d-0000-7000-8000-000000000001" in listed and "unreadable_at_till" in listed
