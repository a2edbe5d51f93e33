"""The ``posterm`` command line.

Each command module exposes ``register(subparsers) -> None`` and sets
``func`` (``handler(args) -> int``) on the parsers it adds. To add a command
module, append its dotted name to :data:`COMMAND_MODULES`.

Every command accepts ``--data-dir`` (before or after the command name); the
option is added to all subcommand parsers after registration, so command
modules need not declare it. Read it with :func:`data_dir_of`.

Errors meant for people (:class:`~terminal.errors.PosError`, a corrupt or
unusable store) print one line ``posterm: <message>`` on stderr and exit 2;
Ctrl-C exits 130. Anything else is a bug and shows its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from importlib import metadata
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any, NoReturn

from terminal.datadir import ENV_DATA_DIR, DataDir
from terminal.errors import PosError, StoreError
from terminal.files import private_umask
from terminal.store import lock

COMMANDS: dict[str, tuple[str, str]] = {
    "gui": (
        "ui.cli.gui_cmds",
        "图形收银界面（默认）/ the desktop till (what posterm opens by default)",
    ),
    "till": ("ui.cli.till_cmds", "键盘收银 / sell at the keyboard (scanner types barcodes)"),
    "init": ("ui.cli.init_cmds", "初始化新收银机 / set up a new till (empty store, first admin)"),
    "demo": ("ui.cli.demo_cmds", "创建演示门店 / create a demo store in the data directory"),
    "import": (
        "ui.cli.import_cmds",
        "从文件导入商品、会员、促销或优惠券 / import products, members, promotions or coupons",
    ),
    "user": ("ui.cli.user_cmds", "用户管理 / add, list, reset PINs of, unlock or deactivate users"),
    "product": ("ui.cli.product_cmds", "查找商品 / find products by name, barcode or SKU"),
    "member": (
        "ui.cli.member_cmds",
        "会员注册、查询、个人数据 / register, find, show, export or erase members",
    ),
    "member-code": (
        "ui.cli.membercode_cmds",
        "生成会员码二维码（模拟会员 App）/ write a member's QR code (plays the member app)",
    ),
    "quote": (
        "ui.cli.quote_cmds",
        "试算购物篮 / price a basket file (check a promotion before selling)",
    ),
    "print": ("ui.cli.print_cmds", "打印等待中的小票 / print receipts waiting in the queue"),
    "reprint": (
        "ui.cli.print_cmds",
        "补打小票（标注“重印”）/ reprint a receipt, marked as a reprint",
    ),
    "backup": (
        "ui.cli.backup_cmds",
        "备份本地数据库 / back up the local store (safe while selling)",
    ),
    "restore": (
        "ui.cli.backup_cmds",
        "从备份恢复 / restore the store from a backup (admin; refuses to lose sales)",
    ),
    "report": (
        "ui.cli.report_cmds",
        "门店报表：销售、商品、会员、日结 / store reports: sales, products, members, X/Z",
    ),
    "config": ("ui.cli.config_cmds", "查看或检查配置 / show or check config.toml"),
    "enroll": (
        "ui.cli.sync_cmds",
        "用登记码把本机登记到总部 / enrol this till with HQ (one-time code)",
    ),
    "sync": (
        "ui.cli.sync_cmds",
        "与总部同步（上传销售，下载商品会员促销）/ sync with HQ (push sales, pull changes)",
    ),
    "scan-file": (
        "ui.cli.scan_cmds",
        "识别图片中的二维码/条码 / decode QR codes and barcodes in image files",
    ),
}
"""Command name -> (the module that registers it, the line ``posterm --help`` shows).

Only the module of the command being run is imported (each registers its
parsers with ``register(subparsers)`` and sets ``func``); the others appear
in ``posterm --help`` from this table alone, so the shell starts at once
whatever a command needs (OpenCV, python-escpos, Qt...).
"""

DESCRIPTION = """\
posterm — 门店会员收银终端 / store point-of-sale member terminal.

所有数据保存在一个数据目录中（配置 config.toml、数据库 store.sqlite3、备份 backups/）。
All data lives in one data directory (config.toml, store.sqlite3, backups/).
"""

EPILOG = f"""\
数据目录 / data directory: --data-dir DIR, else ${ENV_DATA_DIR}, else the per-user default
(platformdirs user_data_dir("posterm"), e.g. ~/.local/share/posterm on Linux).
出错时退出码为 2 / exit status 2 on any refused operation.
"""


def _version() -> str:
    try:
        return metadata.version("posterm")
    except metadata.PackageNotFoundError:
        return "unknown"


def _add_data_dir(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """Add ``--data-dir`` to ``parser`` and, recursively, to all its subcommand parsers."""
    if "--data-dir" not in parser._option_string_actions:  # a module may declare it
        parser.add_argument(
            "--data-dir",
            dest="data_dir",
            type=Path,
            metavar="DIR",
            # SUPPRESS below the top, so a value given before the command name is
            # not overwritten by the subcommand parser's default
            default=None if top else argparse.SUPPRESS,
            help=f"数据目录 / data directory (default: ${ENV_DATA_DIR} or the per-user default)",
        )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _add_data_dir(sub, top=False)


class _Parser(argparse.ArgumentParser):
    """argparse with the shell's error style: one line, naming the option, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {_one_line(message)}（{self.prog} --help）\n")


def command_of(argv: list[str]) -> str | None:
    """The command named in ``argv`` (skipping ``--data-dir DIR`` and other options)."""
    words = iter(argv)
    for word in words:
        if word == "--data-dir":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only ``command``'s module is imported (None: none, for ``--help``)."""
    parser = _Parser(
        prog="posterm",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"posterm {_version()}")
    subparsers = parser.add_subparsers(title="commands / 命令", metavar="COMMAND", dest="command")
    real = COMMANDS[command][0] if command in COMMANDS else None
    if real is not None:
        importlib.import_module(real).register(subparsers)
    for name, (module, help_text) in COMMANDS.items():
        if module != real:  # listed in --help; its options are read only when it runs
            subparsers.add_parser(name, help=help_text)
    _add_data_dir(parser, top=True)
    return parser


def data_dir_of(args: argparse.Namespace) -> DataDir:
    """The data directory chosen by ``--data-dir`` / ``$POSTERM_DATA_DIR`` / the default."""
    return DataDir.locate(getattr(args, "data_dir", None))


def _one_line(message: Any) -> str:
    return " ".join(str(message).split("\n"))


_file_handler: RotatingFileHandler | None = None


def _log_to_file(data: DataDir) -> None:
    """Send log records to ``<data>/logs/posterm.log`` (rotated), not over the screen.

    Warnings (a printer that failed, a replayed member code) are for the
    manager and support; the cashier sees the one-line message instead.
    """
    global _file_handler
    root = logging.getLogger()
    if not data.root.is_dir():
        return  # never create a data directory just to log into it (demo/init make it)
    logs = data.root / "logs"
    target = str((logs / "posterm.log").absolute())
    if _file_handler is not None:
        if _file_handler.baseFilename == target:
            return
        root.removeHandler(_file_handler)  # main() ran before, for another data dir
        _file_handler.close()
        _file_handler = None
    try:
        logs.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(target, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return  # a read-only data dir must not stop the till
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # python-escpos configures the root logger to stderr when imported; at the
    # till that would print technical lines between the cashier's prompts
    for stray in [h for h in root.handlers if type(h) is logging.StreamHandler]:
        root.removeHandler(stray)
    root.addHandler(handler)
    _file_handler = handler
    root.setLevel(logging.INFO)


def main(argv: list[str] | None = None) -> int:
    """Run ``posterm``; returns the exit status."""
    parser = build_parser(command_of(argv if argv is not None else sys.argv[1:]))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    handler = getattr(args, "func", None)
    if handler is None:  # `posterm` alone opens the desktop till
        from ui.cli.gui_cmds import cmd_gui

        handler = cmd_gui
    # every file posterm writes (store, backups, logs) is private to its user
    private_umask()
    lock.set_program(f"posterm {args.command or 'gui'}")
    _log_to_file(data_dir_of(args))
    try:
        return int(handler(args) or 0)
    except (PosError, StoreError) as exc:
        print(f"posterm: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("posterm: interrupted / 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `posterm demo | head`): nothing left to say
        sys.stdout = None  # stop the exit-time flush
        return 0
