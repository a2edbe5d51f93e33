"""Every command: bad input is one line on stderr naming what is wrong, exit status 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ui.cli import main


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("data")
    assert main(["demo", "--data-dir", str(d), "--members", "5"]) == 0
    return d


BAD = [
    (
        [
            "member",
            "register",
            "--user",
            "1001",
            "--phone",
            "13911112222",
            "--name",
            "王五",
            "--birthday",
            "²-3",
            "--consent-data",
        ],
        "1111\n",
        "生日格式",
    ),
    (
        [
            "member",
            "register",
            "--user",
            "1001",
            "--phone",
            "12345",
            "--name",
            "王五",
            "--consent-data",
        ],
        "1111\n",
        "手机号无效",
    ),
    (["member", "register", "--phone", "13911112222"], "", "--user"),
    (["member", "export", "M00000001", "--user", "3001"], "", "standard input is closed"),
    (["member", "erase", "M00000001", "--user", "3001", "--reason", "x"], "", "closed"),
    (["member", "show", "19987654321", "--user", "1001"], "1111\n", "未找到会员"),
    (["member", "find", "hello", "--user", "1001"], "1111\n", "请输入会员号"),
    (["member-code", "X1", "--out", "/tmp/x.png"], "", "M + 8"),
    (
        ["member-code", "M00000001", "--at", "yesterday", "--dynamic", "--out", "/tmp/x.png"],
        "",
        "--at",
    ),
    (
        [
            "member-code",
            "M00000001",
            "--at",
            "9999-12-31T23:59:59+08:00",
            "--dynamic",
            "--out",
            "/tmp/x.png",
        ],
        "",
        "--at",
    ),
    (
        [
            "member-code",
            "M00000001",
            "--at",
            "0001-01-01T00:00:00",
            "--dynamic",
            "--out",
            "/tmp/x.png",
        ],
        "",
        "--at",
    ),
    (["quote"], "", "--basket"),
    (["demo", "--products", "-3"], "", "商品数"),
    (["reprint", "S001T01-99999999", "--user", "1001"], "1111\n", "S001T01-99999999"),
    (["import", "products", "/no/such/file.csv", "--user", "3001"], "", "cannot read"),
    (["import", "coupons", "coupons.csv", "--user", "3001"], "", "JSON files only"),
    (["import", "recipes", "r.json", "--user", "3001"], "", "recipes"),
    (["user", "add", "1002", "--name", "x", "--role", "boss", "--user", "3001"], "", "--role"),
    (["user", "reset-pin", "1001", "--user", "3001"], "3333\n12\n12\n", "PIN"),
    (["user", "unlock", "1001", "--user", "1001"], "1111\n", "manage users"),
    (["product", "find", " "], "", "SKU"),
    (["product", "find", "x", "--limit", "many"], "", "--limit"),
    (["config", "check", "--strict"], "", "--strict"),
    (["no-such-command"], "", "no-such-command"),
    (["scan-file"], "", "IMAGE"),
]


@pytest.mark.parametrize(("argv", "stdin", "words"), BAD, ids=[" ".join(b[0][:2]) for b in BAD])
def test_bad_input_is_one_line_and_exit_2(
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    stdin: str,
    words: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    target = data_dir if argv[0] != "demo" else data_dir / "fresh"
    code = main([*argv, "--data-dir", str(target)] if argv[0] != "no-such-command" else argv)
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    lines = [line for line in err.splitlines() if not line.startswith(("密码", "PIN"))]
    assert len(lines) == 1, err
    assert words in lines[0] and "Traceback" not in err
    assert "19987654321" not in err
