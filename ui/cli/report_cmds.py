"""``posterm report NAME``: the store manager's reports in the command shell.

The acting user (``--user``, a manager or admin) logs in with their PIN; the
core refuses anyone else. ``z --take`` takes the Z report of a day (once;
numbered) and queues its slip for ``posterm print``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

# terminal.reports.NAMES, spelled out so `posterm --help` loads no core module
NAMES = (
    "x",
    "z",
    "sales",
    "hourly",
    "categories",
    "products",
    "cashiers",
    "tenders",
    "promotions",
    "members",
    "points",
)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report",
        description=(
            "门店报表（店长或管理员）。日期为营业日 YYYY-MM-DD，默认今天；--user 为工号，\n"
            "密码随后询问。z --take 出日结报表（每天一次，连续编号）并排队打印。\n"
            "Store reports (managers and admins). Dates are business days YYYY-MM-DD,\n"
            "today by default; --user is who asks, their PIN is asked next. z --take takes\n"
            "the Z report of --from's day (once a day, numbered) and queues its slip.\n"
            "CSV is UTF-8 with a BOM, so Excel shows Chinese right. See docs/reports.md."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("name", metavar="NAME", choices=NAMES, help=" | ".join(NAMES))
    p.add_argument("--from", dest="first", metavar="DATE", help="开始日期 / first day")
    p.add_argument("--to", dest="last", metavar="DATE", help="结束日期 / last day")
    p.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="输出格式 / output"
    )
    p.add_argument("--output", metavar="FILE", help="写入文件 / write to FILE")
    p.add_argument("--user", required=True, help="工号 / user number")
    p.add_argument("--take", action="store_true", help="出日结报表 (z) / take the Z report")
    p.add_argument("--lang", choices=("zh_CN", "en"), default="zh_CN", help="语言 / language")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from terminal import messages, reports
    from terminal.errors import PosError
    from terminal.home import TerminalHome
    from terminal.reports.base import Period, Scope, parse_day
    from terminal.reports.zreport import print_z, take_z
    from ui.cli import data_dir_of
    from ui.cli.prompts import login
    from ui.report_format import to_csv, to_json, to_text

    till = TerminalHome.open(data_dir_of(args).root)
    try:
        scope = Scope.of_config(till.config)
        now = datetime.now(UTC)
        today = scope.day_of(now)
        first = parse_day(args.first) if args.first else today
        last = parse_day(args.last) if args.last else (first if args.first else today)
        period = Period(first, last)
        # on a terminal getpass asks on the terminal itself; piped, nothing is printed,
        # so stdout holds the report alone (``posterm report sales > sales.csv``)
        actor = login(till, args.user, prompt="密码 PIN: " if sys.stdin.isatty() else "")
        with till.db.transaction() as session:
            terminal_id = till.terminal_row(session).id
            if args.name == "z" and args.take:
                taken = take_z(
                    session,
                    terminal_id=terminal_id,
                    actor=actor,
                    day=first,
                    now=now,
                    scope=scope,
                )
                print_z(session, taken, tz=till.config.store.timezone, now=now)
                z_no = taken.z_no
            context = reports.Context(scope, terminal_id, till.vault())
            tables = reports.run(session, actor, args.name, period, context)
        if args.name == "z" and args.take:
            print(messages.bilingual("z_report_taken", {"z_no": z_no}), file=sys.stderr)
        if args.format == "csv":
            data = to_csv(tables, args.lang)
        elif args.format == "json":
            data = (to_json(tables) + "\n").encode("utf-8")
        else:
            data = to_text(tables, args.lang).encode("utf-8")
        if args.output:
            try:
                with open(args.output, "wb") as fh:
                    fh.write(data)
            except OSError as exc:
                raise PosError("cannot_write", path=args.output, why=exc.strerror) from exc
        else:
            sys.stdout.write(data.decode("utf-8"))
        return 0
    finally:
        till.close()
