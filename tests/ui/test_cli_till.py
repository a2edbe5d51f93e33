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
