"""`posterm config check`: every table the programs read, checked by the code that reads it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.ui.clikit import init_till
from ui.cli import main


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A till set up by `posterm init` (store S012, terminal T03)."""
    return init_till(tmp_path / "data", monkeypatch, terminal="T03")


def edit(data: Path, *, replace: dict[str, str] | None = None, append: str = "") -> Path:
    path = data / "config.toml"
    text = path.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert re.search(old, text, re.M), old
        text = re.sub(old, new, text, count=1, flags=re.M)
    path.write_text(text + append, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(needle):
            return number
    raise AssertionError(needle)


def check(data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = main(["config", "check", "--data-dir", str(data)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return status, captured.err.strip().splitlines()


def test_a_fresh_till_is_ok(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "check", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out.strip() == "ok"


def test_device_tables_are_checked_with_the_devices_models(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edit(data, append='\n[printer]\nconnection = "network"\n\n[camera]\nsorce = 1\n')
    status, err = check(data, capsys)
    assert status == 2
    assert err == [
        f"posterm: {path} line {line_of(path, '[printer]')}: printer: network needs host",
        f"posterm: {path} line {line_of(path, 'sorce')}: "
        'unknown key "camera.sorce" (did you mean "camera.source"?)',
    ]


def test_store_and_terminal_codes_must_be_the_stores(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edit(data, replace={r'^code = "T03"': 'code = "T09"', r'^code = "S012"': 'code = "S1"'})
    status, err = check(data, capsys)
    assert status == 2
    store, terminal = line_of(path, 'code = "S1"'), line_of(path, 'code = "T09"')
    assert err == [
        f'posterm: {path} line {store}: store.code = "S1": '
        "门店数据库中没有门店 S1（有：S012） / the store database has no store S1 (it has S012)",
        f'posterm: {path} line {terminal}: terminal.code = "T09": '
        "门店数据库中没有收银机 T09（有：T03） / "
        "the store database has no terminal T09 (it has T03)",
    ]


def test_paper_profile_and_font_on_this_machine(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printer = (
        f'\n[printer]\nconnection = "file"\nfile_path = "{tmp_path / "r.bin"}"\n'
        'paper = "58mm"\nprofile = "TM-T99"\ntext_mode = "image"\n'
        f'font_path = "{tmp_path / "none.ttf"}"\n'
    )
    # an older file: [receipt] paper was written into every config before it moved
    edit(data, replace={r"^(footer = .*)$": '\\1\npaper = "80mm"'})
    path = edit(data, append=printer)
    status, err = check(data, capsys)
    assert status == 2
    receipt, paper = line_of(path, 'paper = "80mm"'), line_of(path, 'paper = "58mm"')
    profile, font = line_of(path, "profile"), line_of(path, "font_path")
    none = tmp_path / "none.ttf"
    assert err == [
        f'posterm: {path} line {receipt}: receipt.paper = "80mm": 小票纸宽与打印机纸宽 58mm 不一致'
        f'（printer.paper = "58mm", line {paper}） / differs from '
        f'the printer\'s paper 58mm (printer.paper = "58mm", line {paper})',
        f'posterm: {path} line {profile}: printer.profile = "TM-T99": '
        "python-escpos 没有这个打印机型号 / python-escpos has no such printer profile",
        f'posterm: {path} line {font}: printer.font_path = "{none}": 图片模式需要中文字体，'
        f"本机未找到（font not found: {none}） / image mode needs a CJK font and none was found "
        f"(font not found: {none})",
    ]
    # the same printer, put right, passes
    edit(
        data,
        replace={
            r'^paper = "58mm"': 'paper = "80mm"',
            r'^profile = "TM-T99"': 'profile = "TM-T20II"',
            r'^text_mode = "image"': 'text_mode = "gb18030"',
        },
    )
    assert check(data, capsys) == (0, [])


def test_hq_and_other_tables_all_reported_in_one_go(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edit(
        data,
        replace={
            r"^redeem_cap_bp = 5000": "redeem_cap_bp = 50000",
            r'^# url = ""': 'url = "hq.example.com"',
        },
        append="\n[camera]\nsource = -1\n",
    )
    status, err = check(data, capsys)
    assert status == 2
    assert [e.split(": ", 2)[1] for e in err] == [
        f"{path} line {line_of(path, 'redeem_cap_bp')}",
        f"{path} line {line_of(path, 'url')}",
        f"{path} line {line_of(path, 'source')}",
    ]
    assert 'hq.url = "hq.example.com": must be an http:// or https:// address' in err[1]
    assert "camera.source = -1: a device index is 0 or more" in err[2]
    edit(
        data,
        replace={
            r"^redeem_cap_bp = 50000": "redeem_cap_bp = 5000",
            r'^url = "hq.example.com"': 'url = "https://hq.example.com"',
            r"^source = -1": "source = 0",
        },
    )
    assert check(data, capsys) == (0, [])


def test_nested_100000_deep_is_one_line(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(data, append="\n[zz]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")
    status, err = check(data, capsys)  # was a RecursionError traceback
    assert status == 2 and len(err) == 1 and "nested too deeply" in err[0]


def test_not_toml_is_one_line(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(data, append="\n[printer\n")
    status, err = check(data, capsys)
    assert status == 2 and len(err) == 1 and "not valid TOML" in err[0]
