"""`posterm till` on a fresh demo store: sell, print, and keep the cashier's screen clean."""

from __future__ import annotations

import io

from ui.cli import main


def test_a_sale_at_the_keyboard_prints_its_receipt(tmp_path, monkeypatch, capsys):
    assert main(["demo", "--data-dir", str(tmp_path), "--members", "20"]) == 0
    capsys.readouterr()
    keys = "1001\n1111\n100\nSKU000300\npay\n\nquit\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(keys))
    assert main(["till", "--data-dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "小票号 S001T01-00000001" in out
    assert err == ""  # log lines go to <data>/logs, not between the prompts
    receipt = (tmp_path / "receipt.bin").read_bytes()
    assert b"S001T01-00000001" in receipt
    assert "鲜果生活超市".encode("gb18030") in receipt
    # the drawer opens with its own pulse before the receipt (tests/ui/test_printing.py),
    # never from inside the receipt job
    assert b"\x1b\x70" not in receipt and b"\x10\x14" not in receipt
    assert (tmp_path / "logs" / "posterm.log").exists()


def test_the_login_prompt_comes_before_the_store_is_opened(tmp_path, monkeypatch, capsys):
    """The cashier can type their number while a big store opens behind the prompt."""
    import threading

    from terminal.home import TerminalHome

    assert main(["demo", "--data-dir", str(tmp_path), "--members", "5"]) == 0
    capsys.readouterr()
    prompted = threading.Event()
    seen: list[bool] = []
    real_open = TerminalHome.open

    def slow_open(root):  # opens only once the prompt is up (or gives up and says so)
        seen.append(prompted.wait(timeout=60))
        return real_open(root)

    real_input = input

    def typed(prompt: str = "") -> str:
        prompted.set()
        return real_input(prompt)

    monkeypatch.setattr(TerminalHome, "open", staticmethod(slow_open))
    monkeypatch.setattr("builtins.input", typed)
    monkeypatch.setattr("sys.stdin", io.StringIO("1001\n1111\n100\nquit\n"))
    assert main(["till", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert seen == [True]
    assert out.startswith("收银员 工号: ") and "欢迎，收银员 小李" in out


def test_a_store_that_cannot_open_is_one_line_after_the_number(tmp_path, monkeypatch, capsys):
    (tmp_path / "store.sqlite3").write_bytes(b"not a database at all" * 100)
    monkeypatch.setattr("sys.stdin", io.StringIO("1001\n"))
    assert main(["till", "--data-dir", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out.startswith("收银员 工号: ")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_posterm_alone_without_a_display_says_so_and_sells_at_the_keyboard(
    tmp_path, monkeypatch, capsys
):
    """`posterm` with no command is the GUI; where no window can open (no X, no Wayland,
    no platform chosen) it says so in one line and the keyboard till takes over."""
    assert main(["demo", "--data-dir", str(tmp_path), "--members", "5"]) == 0
    capsys.readouterr()
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("POSTERM_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("1001\n1111\n100\nSKU000300\npay\n\nquit\n"))
    assert main([]) == 0
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "no display" in err
    assert "小票号 S001T01-00000001" in out
