"""``posterm gui`` (and ``posterm`` with no command): the desktop till."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "gui",
        description=(
            "打开图形收银界面：登录、扫码、会员、支付、退货、交班。没有显示器时自动改用键盘收银。\n"
            "Open the desktop till. Without a display it says so and starts the keyboard till."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(func=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    from ui.cli import data_dir_of

    try:
        from ui.qt.app import display_available
    except ImportError:
        display_available = None  # type: ignore[assignment]
    if display_available is None or not display_available():
        print(
            "没有图形显示，改用键盘收银 / no display here: starting the keyboard till",
            file=sys.stderr,
        )
        from ui.cli.till_cmds import cmd_till

        return cmd_till(args)
    from terminal.home import TerminalHome
    from ui.qt.app import run

    home = TerminalHome.open(data_dir_of(args).root)
    try:
        return run(home)
    finally:
        home.close()
