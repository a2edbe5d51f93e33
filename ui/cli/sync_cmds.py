"""``posterm enroll`` and ``posterm sync``: link the till to HQ, push sales, pull the feed."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from terminal.errors import InvalidInput
from terminal.home import TerminalHome
from terminal.messages import bilingual
from ui.cli import data_dir_of
from ui.cli.prompts import login


def register(subparsers: Any) -> None:
    e = subparsers.add_parser(
        "enroll",
        description=(
            "用总部发的一次性登记码把本机登记到总部（需管理员）；凭证加密保存在本机。\n"
            "Enrol this till with HQ using the one-time code HQ issued (admin only);\n"
            "the credential is kept encrypted like members' personal data. URL must be\n"
            "https:// (http:// only to this machine). The next sync loads the store.\n"
            "Without URL, [hq] url of config.toml is used / 省略地址时用 [hq] url。"
        ),
        usage="posterm enroll [-h] [URL] CODE --user USER [--ca-bundle FILE]",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    e.add_argument(
        "first",
        metavar="URL",
        help="总部地址（可省略）/ HQ address (optional), e.g. https://hq.example.com",
    )
    e.add_argument("code", metavar="CODE", nargs="?", help="一次性登记码 / one-time enrolment code")
    e.add_argument("--user", required=True, help="管理员工号 / admin user number")
    e.add_argument(
        "--ca-bundle", metavar="FILE", help="总部证书的 CA 文件 / CA bundle for HQ's certificate"
    )
    e.set_defaults(func=cmd_enroll)

    s = subparsers.add_parser(
        "sync",
        description=(
            "与总部同步：上传待传记录，下载商品、会员、促销等变化。默认持续运行（Ctrl-C 停止）；\n"
            "--once 同步一轮；--status 显示状态；--parked 列出未能上传的记录（店长，--user）。\n"
            "Sync with HQ: push waiting records, pull catalogue, member and rule changes.\n"
            "Runs until Ctrl-C; --once does one round; --status shows the state;\n"
            "--parked lists the records HQ refused or the till could not read (kept for the\n"
            "manager, never dropped; needs a manager or admin: --user, the PIN is asked)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = s.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="同步一轮 / one round, then exit")
    mode.add_argument("--status", action="store_true", help="显示同步状态 / show the sync state")
    mode.add_argument(
        "--parked", action="store_true", help="未能上传的记录 / records that could not be sent"
    )
    s.add_argument("--user", help="--parked: 店长或管理员工号 / manager or admin user number")
    s.set_defaults(func=cmd_sync)


def cmd_enroll(args: argparse.Namespace) -> int:
    from sync.enrollment import enroll_till

    url, code = (None, args.first) if args.code is None else (args.first, args.code)
    till = TerminalHome.open(data_dir_of(args).root)
    try:
        actor = login(till, args.user)
        answer = enroll_till(till, code, actor=actor, url=url, ca_bundle=args.ca_bundle)
        print(f"enrolled with HQ as {answer.store_code}/{answer.terminal_code} / 已登记到总部")
        return 0
    finally:
        till.close()


def _status(till: TerminalHome) -> int:
    from sync import engine, state

    with till.db.sessions() as session:
        url = state.get(session, state.URL)
        rows = [
            ("HQ", url or bilingual("hq_not_enrolled", {})),
            ("waiting / 待上传", str(engine.waiting(session))),
            ("parked / 被退回", str(engine.parked_count(session))),
            ("feed cursor / 下载位置", str(state.cursor(session))),
            ("last success / 上次成功", state.get(session, state.LAST_SUCCESS) or "-"),
            ("last error / 上次错误", state.get(session, state.LAST_ERROR) or "-"),
        ]
    for name, value in rows:
        print(f"{name:<24} {value}")
    return 0


def _parked(till: TerminalHome, user: str | None) -> int:
    """The records that could not be sent, for a manager (the core checks the role)."""
    from sync.engine import parked_records

    if not user:
        raise InvalidInput("sync_parked_user")
    actor = login(till, user)
    with till.db.sessions() as session:
        for row in parked_records(session, by=actor):
            print(
                f"{row.kind:<12} {row.receipt_no or row.record_id}  "
                f"{row.created_at:%Y-%m-%d %H:%M}  {row.reason}"
            )
    return 0


def _progress() -> Callable[[int, int], None] | None:
    """A bootstrap's progress on the terminal (only a terminal: never in logs or pipes)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r下载 / pulling {done:,}/{total:,}", end=end, file=sys.stderr, flush=True)

    return show


def cmd_sync(args: argparse.Namespace) -> int:
    from sync.agent import SyncAgent
    from terminal.status import TillStatus

    till = TerminalHome.open(data_dir_of(args).root)
    try:
        if args.status:
            return _status(till)
        if args.parked:
            return _parked(till, args.user)
        agent = SyncAgent(till.db, till.vault(), TillStatus(), progress=_progress())
        if args.once:
            result = agent.run_once()
            if result.error is not None:
                raise result.error
            assert result.push is not None and result.pull is not None
            print(
                f"pushed {result.push.sent} (duplicates {result.push.duplicates}, "
                f"conflicts {result.push.conflicts}, parked {result.push.parked}); "
                f"pulled {result.pull.changes} changes / 同步完成"
            )
            return 0
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while not stop.is_set():
            result = agent.run_once()
            line = "ok" if result.ok else str(result.error)
            print(line, file=sys.stderr if result.error else sys.stdout, flush=True)
            stop.wait(agent.next_delay(result))
        return 0
    finally:
        till.close()
