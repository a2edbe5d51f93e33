"""``posterm member-code``: the QR a member shows, read back by a real decoder."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from terminal.config import DataDir
from terminal.config_render import ensure_config
from terminal.membercodes import accept, install_demo_keys, parse, read_seed, write_seed
from terminal.store.database import Database
from terminal.store.models import Member
from ui.cli import main


@pytest.fixture
def data(tmp_path: Path, demo_template: Path) -> DataDir:
    """A demo data directory (a copy of the session's demo store) with demo app keys."""
    data = DataDir(tmp_path / "data")
    ensure_config(data, code="S001", name="测试店")
    shutil.copyfile(demo_template, data.store_path)
    seed = write_seed(data.keys_dir)
    db = Database(data.store_path)
    with db.transaction() as s:
        rows = s.execute(select(Member.id, Member.member_no).order_by(Member.member_no)).all()
        install_demo_keys(s, seed, rows, limit=10)
    db.close()
    return data


def read_qr(path: Path) -> str:
    results = zxingcpp.read_barcodes(Image.open(path))
    assert len(results) == 1
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_seed_file_is_private(data: DataDir) -> None:
    path = data.keys_dir / "demo-app-seed"
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_seed(data.keys_dir) == path.read_bytes()


def test_static_code_round_trip(
    data: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "static.png"
    status, out, _ = run(capsys, "member-code", "M00000001", "--out", str(png))
    assert status == 0
    assert out.splitlines()[-1] == "M00000001"
    assert read_qr(png) == "M00000001"


def test_dynamic_code_round_trip_and_accepted(
    data: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "dynamic.png"
    at = "2026-11-23T10:00:05+08:00"
    status, out, err = run(
        capsys,
        "member-code",
        "M00000002",
        "--dynamic",
        "--at",
        at,
        "--data-dir",
        str(data.root),
        "--out",
        str(png),
    )
    assert status == 0, err
    payload = out.splitlines()[-1]
    assert "QR version 5" in out
    assert read_qr(png) == payload
    assert parse(payload).member_no == "M00000002"
    db = Database(data.store_path)
    try:
        verified = accept(db, read_qr(png), datetime.fromisoformat(at).astimezone(UTC))
    finally:
        db.close()
    assert verified.kind == "dynamic" and verified.member_no == "M00000002"


def test_dynamic_naive_time_is_store_local(
    data: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "d.png"
    argv = ["member-code", "M00000002", "--dynamic", "--data-dir", str(data.root)]
    _, naive, _ = run(capsys, *argv, "--at", "2026-11-23T10:00:05", "--out", str(png))
    _, aware, _ = run(capsys, *argv, "--at", "2026-11-23T10:00:05+08:00", "--out", str(png))
    assert naive.splitlines()[-1] == aware.splitlines()[-1]


def test_dynamic_without_seed_is_refused(
    data: DataDir, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data.keys_dir / "demo-app-seed").unlink()
    status, _, err = run(
        capsys,
        "member-code",
        "M00000001",
        "--dynamic",
        "--data-dir",
        str(data.root),
        "--out",
        str(tmp_path / "x.png"),
    )
    assert status == 2
    assert err.count("\n") == 1 and "only demo members' app keys are held here" in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["M99999999", "--dynamic"], "unknown member"),
        (["12345", "--dynamic"], "M + 8 digits"),
        (["M00000001", "--at", "2026-11-23T10:00:00"], "--dynamic"),
        (["M00000001", "--dynamic", "--at", "yesterday"], "ISO-8601"),
    ],
)
def test_refusals_are_one_line(
    data: DataDir,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    needle: str,
) -> None:
    status, _, err = run(
        capsys,
        "member-code",
        *argv,
        "--data-dir",
        str(data.root),
        "--out",
        str(tmp_path / "x.png"),
    )
    assert status == 2
    assert err.startswith("posterm: ") and err.count("\n") == 1 and needle in err


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "member-code", "--help")
    assert status == 0
    for needle in ("--dynamic", "--at", "--out", "会员", "member app", "--data-dir"):
        assert needle in out
    status, out, _ = run(capsys, "--help")
    assert "member-code" in out
