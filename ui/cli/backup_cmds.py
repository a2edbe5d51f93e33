"""``posterm backup`` and ``posterm restore``."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESTORE_DESCRIPTION = """\
从备份恢复本地数据库。需要管理员（--user，随后输入密码）。
  · 收银程序或任何其他 posterm 程序打开着数据库时拒绝恢复，并说明是哪个程序。
  · 先对备份做完整性检查；若当前数据库中有备份里没有的销售或尚未上传总部的记录，
    则拒绝并列出，除非使用 --carry-over。
  · --carry-over 保留当前数据库中较新的内容：备份之后的销售（含明细、支付、积分、
    优惠券）、班次、会员、用户及其修改（冻结、停用、改密码）；已注销的会员始终保持注销。
  · 当前数据库损坏、无法比较时拒绝恢复。先把损坏的文件复制到别处保存，再用 --force
    不比较直接替换（损坏文件的字节另存为 backups/pre-restore-*-damaged.sqlite3）。
  · 恢复前当前数据库经检查后另存为 backups/pre-restore-*.sqlite3；磁盘空间不足时不做任何改动。

Restore the local store from FILE. Needs an admin (--user; the PIN is asked).
  * Refused while the till or any other posterm program has the store open; the
    refusal names the program (and its pid).
  * FILE is integrity-checked first. If the current store has sales not in the
    backup, or records not yet sent to HQ, the restore is refused and they are
    listed, unless --carry-over.
  * --carry-over keeps what is newer in the current store: sales made since the
    backup (with lines, payments, points, coupons), shifts, members and users,
    and changes to them (blocked, deactivated, PIN reset); an erased member
    stays erased. See docs/backup-restore.md for the rule of every table.
  * A current store that is damaged and cannot be compared is refused. Copy the
    damaged file somewhere safe, then use --force to replace it without
    comparing (its bytes are also kept as backups/pre-restore-*-damaged.sqlite3).
  * The current store is kept, checked, as backups/pre-restore-*.sqlite3 before
    anything is replaced; a full disk stops the restore with nothing changed.
The restore is recorded in the audit trail of the restored store.
"""


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "backup",
        description=(
            "备份本地数据库（收银进行中也可安全备份），并检查备份文件的完整性。需要店长或管理员。\n"
            "Copy the local store with SQLite's online backup API (consistent even while\n"
            "the till is selling), then integrity-check the copy. Needs a manager or admin\n"
            "(--user; the PIN is asked); recorded in the audit trail. Prints the file written."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--user", required=True, help="工号 / username with backup_restore")
    p.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="备份文件 / file to write (default: <data>/backups/store-YYYYmmdd-HHMMSS.sqlite3); "
        "must not exist",
    )
    p.set_defaults(func=cmd_backup)

    r = subparsers.add_parser(
        "restore",
        description=RESTORE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument("file", type=Path, metavar="FILE", help="备份文件 / backup file to restore")
    r.add_argument("--user", required=True, help="管理员工号 / admin username")
    mode = r.add_mutually_exclusive_group()
    mode.add_argument(
        "--carry-over",
        action="store_true",
        help="保留当前数据库中较新的内容 / keep what is newer in the current store (sales "
        "since the backup, unsent records, changes to members and users)",
    )
    mode.add_argument(
        "--force",
        action="store_true",
        help="当前数据库损坏无法比较时仍然替换 / replace a current store that is damaged "
        "and cannot be compared (copy it aside first)",
    )
    r.set_defaults(func=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from terminal import backup
    from terminal.home import TerminalHome
    from ui.cli import data_dir_of
    from ui.cli.prompts import login

    till = TerminalHome.open(data_dir_of(args).root, auto_backup=False)
    try:
        actor = login(till, args.user)
        dest = args.out or backup.default_backup_path(till.data, datetime.now().astimezone())
        with till.db.sessions() as session:
            terminal_id = till.terminal_row(session).id
        print(backup.backup_to(till.db, dest, actor=actor, terminal_id=terminal_id))
    finally:
        till.close()
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from terminal import backup
    from terminal.config import ConfigError, load_config
    from terminal.files import private_umask
    from terminal.store import lock
    from ui.cli import data_dir_of
    from ui.cli.prompts import ask_secret

    private_umask()
    data = data_dir_of(args)
    # refuse before asking for a PIN when a till has the store open
    with lock.exclusive(data.store_path):
        pass
    try:
        security = load_config(data.config_path).security
        limits = {
            "max_attempts": security.lockout_attempts,
            "lock_minutes": security.lockout_minutes,
        }
    except ConfigError:
        limits = {}
    pin = ask_secret("管理员密码 / admin PIN: ")
    actor = backup.login_for_restore(
        data, args.file, args.user, pin, now=datetime.now(UTC), **limits
    )
    report = backup.restore(
        data, args.file, actor=actor, carry_over=args.carry_over, force=args.force
    )
    print(report.summary())
    return 0
