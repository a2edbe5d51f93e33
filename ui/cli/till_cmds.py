"""``posterm till``: the keyboard till, printing receipts as it sells."""

from __future__ import annotations

import argparse
from typing import Any

from terminal.errors import PosError
from terminal.home import TerminalHome
from ui.cli import data_dir_of
from ui.cli.prompts import ask_secret
from ui.keyboard_till import KeyboardTill


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "till",
        description=(
            "在终端中收银：登录、开班、扫码、会员、优惠券、积分、结账、挂单、退货、交班。\n"
            "小票按配置 [printer] 打印；打印失败时小票保存在本地，可用 posterm print 重打。\n"
            "输入 help 查看命令。\n\n"
            "Sell from the terminal: log in, open a shift, scan, identify members, apply\n"
            "coupons and points, take payment, suspend baskets, return, close the shift.\n"
            "Receipts go to the [printer] of the config; one that fails to print is kept\n"
            "and printed later with posterm print. Type help at the prompt for the commands."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(func=cmd_till)


def cmd_till(args: argparse.Namespace) -> int:
    from ui.printing import AfterCommit, printer_for  # python-escpos: only at the till

    till = TerminalHome.open(data_dir_of(args).root)
    try:
        settings = till.settings()
        # after each commit: open the drawer for a cash sale, then print
        after_sale = AfterCommit(till.db, printer_for(till), settings.terminal_id)

        def print_receipts() -> list[str]:
            try:
                return after_sale()
            except PosError as exc:
                return [f"！ {exc}"]

        shell = KeyboardTill(
            till.db,
            settings,
            ask_secret=ask_secret,
            lockout=(till.config.security.lockout_attempts, till.config.security.lockout_minutes),
            vault=till.vault(),
            after_commit=print_receipts,
            idle_lock_minutes=till.config.security.idle_lock_minutes,
        )
        return shell.run()
    finally:
        till.close()
