"""The posterm command: help, --data-dir placement, backup/restore, one-line errors."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from terminal.config import DataDir
from terminal.config_render import ensure_config
from terminal.store.database import quick_check
from ui.cli import main


@pytest.fixture
def data(tmp_path: Path, demo_template: Path) -> DataDir:
    data = DataDir(tmp_path / "data")
    ensure_config(data, code="S001", name="测试店")
    shutil.copyfile(demo_template, data.store_path)
    return data


def pin(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(value + "\n"))


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("backup", "restore", "config", "--data-dir"):
        assert command in out


def test_subcommand_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["restore", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--carry-over" in out and "--data-dir" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("posterm ")


def test_backup_with_data_dir_after_command(
    data: DataDir, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pin(monkeypatch, "3333")
    assert main(["backup", "--data-dir", str(data.root), "--user", "3001"]) == 0
    written = Path(capsys.readouterr().out.split()[-1])  # after the PIN prompt
    assert written.parent == data.backups_dir
    assert written.name.startswith("store-") and written.suffix == ".sqlite3"
    assert quick_check(written) == []


def test_backup_with_data_dir_before_command_and_out(
    data: DataDir,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "manual.sqlite3"
    pin(monkeypatch, "3333")
    assert main(["--data-dir", str(data.root), "backup", "--out", str(out), "--user", "3001"]) == 0
    assert capsys.readouterr().out.strip().endswith(str(out))
    assert quick_check(out) == []


def test_data_dir_from_environment(
    data: DataDir, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POSTERM_DATA_DIR", str(data.root))
    assert main(["config", "check"]) == 0
    assert capsys.readouterr().out.strip() == "ok"


def test_backup_then_restore(
    data: DataDir, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pin(monkeypatch, "3333")
    assert main(["backup", "--data-dir", str(data.root), "--user", "3001"]) == 0
    written = capsys.readouterr().out.split()[-1]  # after the PIN prompt
    pin(monkeypatch, "9999")
    assert main(["restore", written, "--data-dir", str(data.root), "--user", "9001"]) == 0
    out = capsys.readouterr().out
    assert "restored" in out and "pre-restore-" in out


def _assert_one_line_error(capsys: pytest.CaptureFixture[str], *needles: str) -> None:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("posterm: ")
    assert "Traceback" not in captured.err
    for needle in needles:
        assert needle in lines[0]


def test_uninitialised_data_dir_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "--data-dir", str(tmp_path / "nothing"), "--user", "3001"]) == 2
    _assert_one_line_error(capsys, "data dir not initialised")


def test_restore_of_garbage_exits_2(
    data: DataDir,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"\x00garbage" * 512)
    pin(monkeypatch, "9999")
    assert main(["restore", str(garbage), "--data-dir", str(data.root), "--user", "9001"]) == 2
    _assert_one_line_error(capsys, "integrity check", str(garbage))


def test_bad_config_exits_2_naming_line(data: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    data.config_path.write_text("[pricing]\nredeem_cap_bp = 12000\n", encoding="utf-8")
    assert main(["config", "check", "--data-dir", str(data.root)]) == 2
    _assert_one_line_error(capsys, "line 2: pricing.redeem_cap_bp = 12000")


def test_config_show(data: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "show", "--data-dir", str(data.root)]) == 0
    out = capsys.readouterr().out
    assert "[pricing]" in out and "redeem_cap_bp = 5000" in out


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_keyboard_interrupt_exits_130(
    data: DataDir, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from terminal import backup

    def interrupted(*_args: object, **_kwargs: object) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(backup, "backup_to", interrupted)
    pin(monkeypatch, "3333")
    assert main(["backup", "--data-dir", str(data.root), "--user", "3001"]) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_help_answers_at_once_importing_nothing_heavy() -> None:
    """`posterm --help` must not load what only some commands need (issue 10)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from ui.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "finally:\n"
        "    heavy = sorted(m for m in ('escpos', 'cv2', 'alembic', 'PySide6', 'numpy',\n"
        "        'sqlalchemy', 'pydantic', 'zxingcpp', 'pyzbar', 'PIL') if m in sys.modules)\n"
        "    print('HEAVY', heavy, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "HEAVY []" in out.stderr
    assert "restore" in out.stdout and "member-code" in out.stdout
    version = code.replace("main(['--help'])", "main(['--version'])")
    out = subprocess.run([sys.executable, "-c", version], capture_output=True, text=True)
    assert out.returncode == 0 and "HEAVY []" in out.stderr, out.stderr
    assert out.stdout.startswith("posterm ")


@pytest.mark.parametrize("command", ["restore", "till", "member-code", "scan-file", "gui"])
def test_each_command_has_its_own_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    assert command in capsys.readouterr().out
