"""What HQ staff see when posterm-hq meets a database or file it cannot use: one line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.hq.cli import main as hq_main


def test_an_unreachable_database_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # nothing listens on port 1
    assert hq_main(["--db", "postgresql://postgres@127.0.0.1:1/nope", "status"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("posterm-hq: HQ's database is unavailable")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_a_database_file_in_a_missing_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hq_main(["--db", str(tmp_path / "no" / "hq.sqlite3"), "status"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("posterm-hq: HQ's database is unavailable")
    assert len(err.strip().splitlines()) == 1


def test_openapi_to_a_folder_that_does_not_exist_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no" / "spec.json"
    assert hq_main(["openapi", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"posterm-hq: cannot write {out} (No such file or directory)"


def test_conflicts_help_explains_every_kind_hq_records(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        hq_main(["conflicts", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for kind in (
        "coupon_reused",
        "coupon_void_used",
        "points_overdrawn",
        "stored_value_overdrawn",
        "quota_exceeded",
        "member_limit_exceeded",
        "member_code_reused",
        "sale_inconsistent",
    ):
        assert f"{kind}:" in shown


def test_a_member_block_of_zero_is_refused_naming_the_smallest_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "hq.sqlite3")
    assert hq_main(["--db", db, "policy", "set", "member_block_size", "0"]) == 2
    assert "member_block_size must be a whole number 1.." in capsys.readouterr().err
