"""``posterm print`` and ``posterm reprint``: the receipt printer queue."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from terminal import auth, print_jobs
from terminal.errors import NotFound
from terminal.home import TerminalHome
from terminal.store.models import Sale
from ui.cli import data_dir_of
from ui.cli.prompts import login
from ui.printing import messages, print_waiting, printer_for


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "print",
        help="打印等待中的小票 / print receipts waiting in the queue",
        description=(
            "把等待打印的小票送到打印机（配置 [printer]）；--failed 也重打之前失败的。\n"
            "Send waiting receipts to the printer of the [printer] config table; with\n"
            "--failed, also those that failed before (printer off, paper out)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--failed", action="store_true", help="重打失败的小票 / retry failed ones")
    p.set_defaults(func=cmd_print)

    r = subparsers.add_parser(
        "reprint",
        help="补打小票（标注“重印”）/ reprint a receipt, marked as a reprint",
        description=(
            "按小票号补打一张标注“重印 / REPRINT”的小票；需要工号和密码，记入审计。\n"
            "Print a copy of a receipt, marked 重印 / REPRINT; asks for a user number and\n"
            "PIN (reprints are audited)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument("receipt_no", metavar="RECEIPT_NO", help="小票号 / receipt number")
    r.add_argument("--user", required=True, help="工号 / user number")
    r.set_defaults(func=cmd_reprint)


def _report(results: list[Any]) -> int:
    for line in messages(results):
        print(line, file=sys.stderr)
    done = sum(1 for r in results if r.outcome.ok)
    print(f"已打印 {done} 张 / printed {done}")
    return 0 if all(r.outcome.ok for r in results) else 2


def cmd_print(args: argparse.Namespace) -> int:
    till = TerminalHome.open(data_dir_of(args).root)
    try:
        return _report(print_waiting(till.db, printer_for(till), retry_failed=args.failed))
    finally:
        till.close()


def cmd_reprint(args: argparse.Namespace) -> int:
    till = TerminalHome.open(data_dir_of(args).root)
    try:
        actor = login(till, args.user)
        now = datetime.now(UTC)
        auth.authorize(actor, auth.Permission.REPRINT)
        with till.db.transaction() as session:
            sale_id = session.scalar(select(Sale.id).where(Sale.receipt_no == args.receipt_no))
            if sale_id is None:
                raise NotFound(f"未找到小票 {args.receipt_no} / no such receipt")
            print_jobs.reprint(
                session,
                sale_id,
                now=now,
                user_id=actor.user_id,
                terminal_id=till.terminal_row(session).id,
            )
        return _report(print_waiting(till.db, printer_for(till)))
    finally:
        till.close()
