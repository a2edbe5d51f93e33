"""Screenshots of the manager menu, closing the shift and the settings.

Run under a display (Xvfb is enough)::

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/shoot_manager_screens.py \
        [--lang en|zh_CN] [--out docs/screenshots]

A demo till is built in a temporary directory in the chosen language; a
cashier opens the shift and sells, the admin counts the drawer and tries the
printer. Writes ``manager-menu.png``, ``shift-close.png`` and ``settings.png`` (the
whole screen: the settings over the till, the test print's result on its status bar).
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


def wait(app: object, done: Callable[[], bool], seconds: float = 30.0) -> None:
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
    from terminal.checkout import Checkout
    from terminal.home import TerminalHome
    from terminal.tenders import Tender
    from ui.qt import ops
    from ui.qt.app import application, build
    from ui.qt.manager.menu import open_manager_menu
    from ui.qt.manager.settings import SettingsDialog
    from ui.qt.shift import CloseShiftDialog

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        home = TerminalHome.open(build_till(root, args.lang))
        app = application()
        win = build(home)
        win.resize(1280, 800)
        win.show()
        ctx = win.ctx
        with home.db.transaction() as session:
            cashier = auth.login(session, "1001", "1111", now=ctx.clock())
            admin = auth.login(session, "9001", "9999", now=ctx.clock())
        shift_close.open_shift(
            home.db,
            terminal_id=ctx.settings.terminal_id,
            actor=cashier,
            opening_float=50000,
            now=ctx.clock(),
        )
        co = Checkout(home.db, ctx.settings, cashier, clock=ctx.clock, vault=ctx.vault)
        for skus in (("SKU000300", "SKU000002"), ("SKU000010",)):
            for sku in skus:
                co.add(sku)
            co.pay([Tender("cash", co.quote().payable)])
        win._start(admin)

        menu = open_manager_menu(win, ctx)
        assert menu is not None
        app.processEvents()
        menu.grab().save(str(args.out / "manager-menu.png"))

        close = CloseShiftDialog(ctx, menu)
        close.open()
        for denom, pieces in ((10000, "5"), (2000, "1"), (1000, "2"), (500, "1"), (100, "3")):
            close.fields[denom].setText(pieces)
        close.check()
        wait(app, close.confirm.isEnabled)
        app.processEvents()
        close.grab().save(str(args.out / "shift-close.png"))
        close.reject()

        settings = SettingsDialog(win, ctx, admin, menu)
        settings.open()
        settings.tabs.setCurrentIndex(1)
        settings.test_print()
        wait(app, lambda: bool(settings.message.text()))
        wait(app, lambda: win.parts["printer"].property("state") == "ok")
        app.processEvents()
        # the whole screen: the dialog over the till, and the test print on its status bar
        app.primaryScreen().grabWindow(0).save(str(args.out / "settings.png"))
        settings.reject()
        menu.reject()
        ops.wait_all(10_000)
        win.close()
        home.close()
    for name in ("manager-menu.png", "shift-close.png", "settings.png"):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
