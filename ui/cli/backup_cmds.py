"""``posterm backup`` and ``posterm restore``."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from terminal import backup
from terminal.home import NOT_INITIALISED


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "backup",
        help="备份本地数据库 / back up the local store (safe while selling)",
        description=(
            "备份本地数据库（收银进行中也可安全备份），并检查备份文件的完整性。\n"
            "Copy the local store with SQLite's online backup API (consistent even while\n"
            "the till is selling), then integrity-check the copy. Prints the file written."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
        help="从备份恢复 / restore the store from a backup (refuses to lose sales)",
        description=(
            "从备份恢复本地数据库。先检查备份完整性；若当前数据库中有备份里没有的销售或\n"
            "尚未上传总部的记录，则拒绝恢复并列出它们，除非使用 --carry-over 将其带入。\n"
            "恢复前当前数据库会另存为 backups/pre-restore-*.sqlite3。请先关闭收银程序。\n\n"
            "Restore the local store from FILE. The backup is integrity-checked first. If the\n"
            "current store has sales not in the backup, or records not yet sent to HQ, the\n"
            "restore is refused and they are listed, unless --carry-over copies them (with\n"
            "their lines, payments, points, coupons, shifts and outbox rows) into the\n"
            "restored store. The current store is kept as backups/pre-restore-*.sqlite3.\n"
            "Close the till program first."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument("file", type=Path, metavar="FILE", help="备份文件 / backup file to restore")
    r.add_argument(
        "--carry-over",
        action="store_true",
        help="把备份之后的销售及未上传记录带入恢复后的数据库 / keep sales and unsent records "
        "made since the backup",
    )
    r.set_defaults(func=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from terminal.errors import PosError
    from ui.cli import data_dir_of

    data = data_dir_of(args)
    if not data.store_path.exists():
        raise PosError(f"{NOT_INITIALISED} ({data.root})", code="not_initialised")
    dest = args.out or backup.default_backup_path(data, datetime.now().astimezone())
    print(backup.backup_to(data.store_path, dest))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ui.cli import data_dir_of

    report = backup.restore(data_dir_of(args), args.file, carry_over=args.carry_over)
    print(report.summary())
    return 0
