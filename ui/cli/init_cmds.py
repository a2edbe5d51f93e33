"""``posterm init``: set up a new, empty till with its first admin."""

from __future__ import annotations

import argparse
from typing import Any

from terminal.config_render import ensure_config, save_config
from terminal.errors import InvalidInput, StateError
from terminal.home import TerminalHome
from terminal.initialise import initialise_store
from ui.cli import data_dir_of
from ui.cli.prompts import ask_secret


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "init",
        description=(
            "在空的数据目录中建立门店、本机终端、默认会员等级和第一个管理员（密码输入两次）。\n"
            "商品、会员和促销由总部同步下发，或用 posterm import 从文件导入。\n\n"
            "Set up a new till in an empty data directory: the store, this terminal, the\n"
            "default member tiers and the first admin (the PIN is asked twice). Products,\n"
            "members and promotions come from HQ, or from files with `posterm import`."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--store-code", required=True, help="门店编码 / store code, e.g. S012")
    p.add_argument("--store-name", required=True, help="门店名称 / store name (on receipts)")
    p.add_argument("--address", default="", help="门店地址 / address (on receipts)")
    p.add_argument("--timezone", default="Asia/Shanghai", help="时区 / IANA time zone")
    p.add_argument("--terminal-code", default="T01", help="本机编号 / this terminal's code")
    p.add_argument("--admin-user", required=True, help="管理员工号 / the admin's user number")
    p.add_argument("--admin-name", default="管理员", help="管理员姓名 / the admin's display name")
    p.set_defaults(func=cmd_init)


def cmd_init(args: argparse.Namespace) -> int:
    data = data_dir_of(args)
    if data.store_path.exists():
        raise StateError("store_not_empty")
    pin = ask_secret("管理员密码 / admin PIN: ")
    if ask_secret("再输入一次 / again: ") != pin:
        raise InvalidInput("pins_differ")
    config = ensure_config(
        data,
        code=args.store_code,
        name=args.store_name,
        address=args.address,
        timezone=args.timezone,
    )
    if config.terminal.code != args.terminal_code:
        config = config.model_copy(
            update={"terminal": config.terminal.model_copy(update={"code": args.terminal_code})}
        )
        save_config(data.config_path, config)
    till = TerminalHome.open(data.root, create=True)
    try:
        initialise_store(
            till.db,
            store_code=config.store.code,
            store_name=config.store.name,
            address=config.store.address,
            timezone=config.store.timezone,
            terminal_code=config.terminal.code,
            admin_username=args.admin_user,
            admin_name=args.admin_name,
            admin_pin=pin,
        )
    except Exception:
        till.close()
        data.store_path.unlink(missing_ok=True)  # leave the directory as it was
        raise
    till.close()
    print(
        f"已初始化 / initialised {config.store.code} {config.store.name}, "
        f"terminal {config.terminal.code}, admin {args.admin_user}"
    )
    return 0
