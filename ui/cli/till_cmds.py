"""``posterm till``: the keyboard till, printing receipts as it sells."""

from __future__ import annotations

import argparse
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from terminal.errors import PosError
from ui.cli import data_dir_of
from ui.cli.prompts import ask_secret

if TYPE_CHECKING:
    from terminal.home import TerminalHome

USER_PROMPT = "收银员 工号: "


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


def _preload() -> None:
    """Load what the till needs after login (checkout, pricing, printing) while the
    cashier types their PIN; the login prompt itself needs none of it."""
    import terminal.checkout  # noqa: F401
    import ui.keyboard_till  # noqa: F401
    from devices.printer import warm_up

    warm_up()


class _Opening(threading.Thread):
    """Opens the store (SQLAlchemy, config, lock, schema check) behind the login prompt."""

    def __init__(self, root: Path) -> None:
        super().__init__(name="till-open", daemon=True)
        self.root = root
        self.home: TerminalHome | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            from terminal.home import TerminalHome

            self.home = TerminalHome.open(self.root)
        except BaseException as exc:  # handed to the main thread, which reports it
            self.error = exc

    def result(self) -> TerminalHome:
        self.join()
        if self.error is not None:
            raise self.error
        assert self.home is not None
        return self.home


def cmd_till(args: argparse.Namespace) -> int:
    """Ask for the cashier's number at once; the store opens while they type.

    A store that cannot be opened (damaged, in use by a restore, a bad config)
    is reported, in one line, after the number has been typed.
    """
    opening = _Opening(data_dir_of(args).root)
    opening.start()
    try:
        first = input(USER_PROMPT)
    except EOFError:
        first = None
    till = opening.result()
    if first is None:
        till.close()
        return 0
    from datetime import UTC, datetime

    from ui.till_login import login_loop

    try:
        with till.db.sessions() as session:
            terminal_id = till.terminal_row(session).id
        security = till.config.security
        lockout = (security.lockout_attempts, security.lockout_minutes)
        preload = threading.Thread(target=_preload, name="till-preload", daemon=True)
        preload.start()  # while the cashier types the PIN
        typed = [first]

        def ask(prompt: str) -> str:
            return typed.pop() if typed else input(prompt)  # the first prompt was shown

        try:
            cashier = login_loop(
                till.db,
                terminal_id,
                ask=ask,
                ask_secret=ask_secret,
                say=print,
                clock=lambda: datetime.now(UTC),
                lockout=lockout,
            )
        except EOFError:
            return 0
        return _sell(till, cashier, lockout)
    finally:
        till.close()


def _sell(till: TerminalHome, cashier: Any, lockout: tuple[int, int]) -> int:
    """The keyboard till for the cashier who just logged in."""
    from ui.keyboard_till import KeyboardTill
    from ui.printing import AfterCommit, printer_for

    settings = till.settings()
    # after each commit: open the drawer for a cash sale, then print
    after_sale = AfterCommit(till.db, lambda: printer_for(till), settings.terminal_id)

    def print_receipts() -> list[str]:
        try:
            return after_sale()
        except PosError as exc:
            return [f"！ {exc}"]

    shell = KeyboardTill(
        till.db,
        settings,
        ask_secret=ask_secret,
        lockout=lockout,
        vault=till.vault(),
        after_commit=print_receipts,
        idle_lock_minutes=till.config.security.idle_lock_minutes,
        cashier=cashier,
    )
    return shell.run()
