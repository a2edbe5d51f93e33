"""``posterm report``: managers read any report as a table, CSV (with BOM) or JSON; Z once."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from terminal.demo_history import generate_history
from terminal.home import TerminalHome
from tests.ui.clikit import one_error
from ui.cli import main
from ui.cli.report_cmds import NAMES

FIRST = date(2026, 10, 1)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report") / "till"
    assert main(["demo", "--data-dir", str(root), "--members", "60"]) == 0
    till = TerminalHome.open(root)
    try:
        generate_history(till.db, first=FIRST, days=10, sales_per_day=40)
    finally:
        till.close()
    return root


def report(monkeypatch, data: Path, pin: str, *argv: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))
    return main(["report", *argv, "--data-dir", str(data)])


def test_sales_as_json_add_up_to_the_rows(data, monkeypatch, capsys) -> None:
    code = report(
        monkeypatch, data, "3333", "sales", "--from", "2026-10-02", "--to", "2026-10-08",
        "--format", "json", "--user", "3001",
    )  # fmt: skip
    assert code == 0
    tables = json.loads(capsys.readouterr().out)
    summary = tables[0]
    assert summary["name"] == "summary" and summary["from"] == "2026-10-02"
    conn = sqlite3.connect(data / "store.sqlite3")
    (net,) = conn.execute(
        "SELECT SUM(payable) FROM sale WHERE kind IN ('sale','return')"
        " AND business_day BETWEEN '2026-10-02' AND '2026-10-08'"
    ).fetchone()
    conn.close()
    assert summary["rows"][0]["net"] == net
    assert [t["name"] for t in tables] == ["summary", "sales_day", "sales_week", "sales_month"]
    assert len(tables[1]["rows"]) == 7


def test_csv_has_a_bom_and_chinese_headings(data, monkeypatch, capsys, tmp_path) -> None:
    out = tmp_path / "members.csv"
    code = report(
        monkeypatch, data, "9999", "members", "--from", "2026-10-01", "--to", "2026-10-10",
        "--format", "csv", "--output", str(out), "--user", "9001",
    )  # fmt: skip
    assert code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "会员指标" in text and "会员销售占比" in text and "客单价" in text


def test_a_table_for_people(data, monkeypatch, capsys) -> None:
    code = report(
        monkeypatch, data, "3333", "tenders", "--from", "2026-10-01", "--to", "2026-10-10",
        "--user", "3001", "--lang", "en",
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "tenders  2026-10-01 – 2026-10-10" in out and "WeChat Pay" in out


def test_a_cashier_is_refused(data, monkeypatch, capsys) -> None:
    assert report(monkeypatch, data, "1111", "sales", "--user", "1001") == 2
    assert "reports are for managers and admins only" in one_error(capsys)


def test_z_is_taken_once(data, monkeypatch, capsys) -> None:
    args = ("z", "--from", "2026-10-03", "--take", "--user", "3001")
    assert report(monkeypatch, data, "3333", *args) == 0
    captured = capsys.readouterr()
    assert "Z1" in captured.err and "日结号" in captured.out
    assert report(monkeypatch, data, "3333", *args) == 2
    assert "cannot be taken twice" in one_error(capsys)
    assert report(monkeypatch, data, "3333", "z", "--from", "2026-10-03", "--user", "3001") == 0
    assert "日结号" in capsys.readouterr().out


def test_an_output_file_that_cannot_be_written_is_one_line(data, monkeypatch, capsys, tmp_path):
    out = tmp_path / "no-such-folder" / "sales.csv"
    code = report(
        monkeypatch, data, "3333", "sales", "--format", "csv", "--output", str(out),
        "--user", "3001",
    )  # fmt: skip
    assert code == 2
    assert "sales.csv" in one_error(capsys)
    assert not out.exists()


@pytest.mark.parametrize("name", [n for n in NAMES if n not in ("x", "z")])
def test_every_report_in_every_format(data, monkeypatch, capsys, name: str) -> None:
    from terminal import reports

    span = ("--from", "2026-10-02", "--to", "2026-10-08")
    assert report(monkeypatch, data, "3333", name, *span, "--format", "json", "--user", "3001") == 0
    tables = json.loads(capsys.readouterr().out)
    assert tables and all(t["rows"] for t in tables if t["name"] != "callback")
    assert report(monkeypatch, data, "3333", name, *span, "--format", "csv", "--user", "3001") == 0
    csv = capsys.readouterr().out
    assert csv.startswith("\ufeff") and csv.count("\n") > len(tables)
    assert report(monkeypatch, data, "3333", name, *span, "--user", "3001", "--lang", "en") == 0
    text = capsys.readouterr().out
    assert len(text.splitlines()) > len(tables)
    assert NAMES == reports.NAMES  # the command offers every report the core has


def test_x_of_the_open_shift_in_every_format(data, monkeypatch, capsys) -> None:
    from datetime import UTC, datetime

    from terminal import auth, shifts

    assert report(monkeypatch, data, "3333", "x", "--user", "3001") == 2
    assert "open a shift first" in one_error(capsys)
    till = TerminalHome.open(data)
    try:
        with till.db.transaction() as s:
            now = datetime.now(UTC)  # the command reads the open shift, whenever it opened
            cashier = auth.login(s, "1001", "1111", now=now)
            terminal_id = till.terminal_row(s).id
            shifts.open_shift(
                s, terminal_id=terminal_id, actor=cashier, opening_float=12_345, now=now
            )
    finally:
        till.close()
    assert report(monkeypatch, data, "3333", "x", "--format", "json", "--user", "3001") == 0
    (x,) = json.loads(capsys.readouterr().out)
    values = {r["measure"]: r["value"] for r in x["rows"]}
    assert values["备用金 / opening float"] == values["应有现金 / expected cash"] == 12_345
    assert report(monkeypatch, data, "3333", "x", "--format", "csv", "--user", "3001") == 0
    assert capsys.readouterr().out.startswith("\ufeff")
    assert report(monkeypatch, data, "3333", "x", "--user", "3001", "--lang", "en") == 0
    assert "123.45" in capsys.readouterr().out
