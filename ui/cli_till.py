"""``posterm till``: the keyboard till."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from terminal.cli import data_dir_of
from terminal.context import Till
from terminal.tillshell import TillShell


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "till",
        help="键盘收银 / sell at the keyboard (scanner types barcodes)",
        description=(
            "在终端中收银：登录、开班、扫码、会员、优惠券、积分、结账、挂单、退货、交班。\n"
            "输入 help 查看命令。\n\n"
            "Sell from the terminal: log in, open a shift, scan, identify members, apply\n"
            "coupons and points, take payment, suspend baskets, return, close the shift.\n"
            "Type help at the prompt for the commands."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(func=cmd_till)


def _secret(prompt: str) -> str:
    """Hide the PIN on a real terminal; read it plainly when input is piped."""
    return getpass.getpass(prompt) if sys.stdin.isatty() else input(prompt)


def cmd_till(args: argparse.Namespace) -> int:
    till = Till.open(data_dir_of(args).root)
    try:
        shell = TillShell(
            till.db,
            till.settings(),
            ask_secret=_secret,
            lockout=(till.config.security.lockout_attempts, till.config.security.lockout_minutes),
            vault=till.vault(),
        )
        return shell.run()
    finally:
        till.close()
