"""``posterm print`` and ``posterm reprint``: the receipt printer queue."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from terminal import print_jobs, printouts
from terminal.home import TerminalHome
from terminal.messages import bilingual
from ui.cli import data_dir_of
from ui.cli.prompts import login


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "print",
        description=(
            "把等待打印的小票送到打印机（配置 [printer]）；--failed 也重打之前失败的，\n"
            "从最早的开始；一张失败即停止，其余的保持原状等下次重打。打印机可能已打出\n"
            "（已发送但未确认）的小票再打时标注“补打 COPY”。打印从不打开钱箱。\n"
            "Send waiting receipts to the printer of the [printer] config table; with\n"
            "--failed, also those that failed before (printer off, paper out), oldest\n"
            "first. The first failure stops the run; the jobs not tried stay as they\n"
            "were. A receipt the printer may have printed already (sent, never\n"
            "confirmed) prints again marked 补打 / COPY. Printing never opens the drawer."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--failed", action="store_true", help="重打失败的小票 / retry failed ones")
    p.set_defaults(func=cmd_print)

    r = subparsers.add_parser(
        "reprint",
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


def _report(attempts: list[print_jobs.Attempt]) -> int:
    from ui.printing import messages

    for line in messages(attempts):
        print(line, file=sys.stderr)
    done = [a for a in attempts if a.delivery.ok]
    copies = sum(1 for a in done if a.copy)
    if copies:
        print(bilingual("print_done_copies", {"count": len(done), "copies": copies}))
    else:
        print(bilingual("print_done", {"count": len(done)}))
    return 0 if all(a.delivery.ok for a in attempts) else 2


def cmd_print(args: argparse.Namespace) -> int:
    from ui.printing import print_waiting, printer_for  # python-escpos: only when printing

    till = TerminalHome.open(data_dir_of(args).root)
    try:
        return _report(print_waiting(till.db, printer_for(till), retry_failed=args.failed))
    finally:
        till.close()


def cmd_reprint(args: argparse.Namespace) -> int:
    from ui.printing import print_waiting, printer_for

    till = TerminalHome.open(data_dir_of(args).root)
    try:
        actor = login(till, args.user)
        with till.db.transaction() as session:  # the core checks the REPRINT permission
            sale = printouts.sale_by_receipt(session, args.receipt_no)
            print_jobs.reprint(
                session,
                sale.id,
                now=datetime.now(UTC),
                actor=actor,
                terminal_id=till.terminal_row(session).id,
            )
        return _report(print_waiting(till.db, printer_for(till)))
    finally:
        till.close()
