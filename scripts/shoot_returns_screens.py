"""Screenshots of the returns screen and the receipt preview.

Run under a display (Xvfb is enough)::

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/shoot_returns_screens.py \
        [--lang en|zh_CN] [--out docs/screenshots]

A demo till is built in a temporary directory in the chosen language (receipts
print to a file there); a member buys four items paid partly by WeChat Pay, one
line comes back with a supervisor's approval. Writes ``returns.png`` (the
screen after the return: what is left, the refund per tender) and
``receipt-preview.png`` (the original receipt as printed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build_till(root: Path, lang: str) -> Path:
    from ui.cli import main as cli

    data = root / "till"
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            assert cli(["demo", "--data-dir", str(data), "--members", "30"]) == 0
        finally:
            sys.stdout = stdout
    config = data / "config.toml"
    text = config.read_text(encoding="utf-8").replace('language = "zh_CN"', f'language = "{lang}"')
    config.write_text(text, encoding="utf-8")
    return data


def wait(app: object, done: Callable[[], bool], seconds: float = 60.0) -> None:
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    end = time.monotonic() + seconds
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="en", choices=["en", "zh_CN"])
    ap.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = ap.parse_args()
    from terminal import auth, shift_close
    from terminal.home import TerminalHome
    from terminal.tenders import Tender
    from ui.qt import ops
    from ui.qt.app import application, build
    from ui.qt.approval import ApprovalDialog
    from ui.qt.returns import ReturnsDialog

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        home = TerminalHome.open(build_till(Path(tmp), args.lang))
        app = application()
        win = build(home)
        win.resize(1280, 800)
        win.show()
        ctx = win.ctx
        with home.db.transaction() as session:
            cashier = auth.login(session, "1001", "1111", now=ctx.clock())
        shift_close.open_shift(
            home.db,
            terminal_id=ctx.settings.terminal_id,
            actor=cashier,
            opening_float=50000,
            now=ctx.clock(),
        )
        win._start(cashier)
        co = ctx.checkout
        assert co is not None
        co.attach_member("M00000007")
        for sku, qty in (("SKU000300", 1), ("SKU000002", 2), ("SKU000040", 3), ("SKU000200", 2)):
            co.add(sku, qty)
        due = co.quote().payable
        sale = co.pay([Tender("wechat", 2000, "4200000123456789"), Tender("cash", due - 2000)])
        win.checkout.refresh()

        win.open_returns(sale.receipt_no)
        returns = next(d for d in win.findChildren(ReturnsDialog) if d.isVisible())
        wait(app, lambda: returns.table.rowCount() == 4)
        for row, units in enumerate((0, 1, 0, 2)):
            returns.quantity(row).setValue(units)
        returns.reason.setText("包装破损")
        returns.submit()
        wait(app, lambda: any(d.isVisible() for d in returns.findChildren(ApprovalDialog)))
        approval = next(d for d in returns.findChildren(ApprovalDialog) if d.isVisible())
        approval.user.setText("2001")
        approval.pin.setText("2222")
        approval._submit()
        wait(app, lambda: returns.slip_button.isVisible())
        wait(app, lambda: not win.printing.busy)
        app.processEvents()
        returns.grab().save(str(args.out / "returns.png"))

        returns.show_receipt(sale.receipt_no)
        wait(app, lambda: returns.preview is not None and returns.preview.drawn)
        preview = returns.preview
        assert preview is not None
        paper = preview.pixmap()  # the whole receipt, as tall as it prints
        preview.resize(paper.width() + 100, paper.height() + 180)
        app.processEvents()
        preview.grab().save(str(args.out / "receipt-preview.png"))
        preview.reject()
        returns.reject()
        ops.wait_all(10_000)
        win.close()
        home.close()
    for name in ("returns.png", "receipt-preview.png"):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
