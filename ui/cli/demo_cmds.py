"""``posterm demo``: a realistic demo store to sell in, train on and test against."""

from __future__ import annotations

import argparse
from typing import Any

from terminal.config import ensure_config, save_config
from terminal.demo import build_demo
from terminal.home import TerminalHome
from terminal.membercodes import read_seed, write_seed
from ui.cli import data_dir_of

DEMO_STORE = {"code": "S001", "name": "鲜果生活超市 人民路店", "address": "上海市黄浦区人民路100号"}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "demo",
        help="创建演示门店 / create a demo store in the data directory",
        description=(
            "在空的数据目录中创建演示门店：10 个品类 520 个商品（EAN-13 条码）、四个等级的\n"
            "1000 名会员、每种促销各一个、优惠券、每个角色一个用户（打印演示密码）。\n\n"
            "Create a demo store in an empty data directory: 520 products in 10 categories\n"
            "with EAN-13 barcodes, 1,000 members across the four tiers, one promotion of each\n"
            "kind, coupons, and one user per role (their demo PINs are printed)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--products", type=int, default=520, help="商品数 / number of products")
    p.add_argument("--members", type=int, default=1000, help="会员数 / number of members")
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    data = data_dir_of(args)
    data.root.mkdir(parents=True, exist_ok=True)
    config = ensure_config(data, **DEMO_STORE)
    if not config.printer:
        # no printer at a demo: receipts go to a file, where they can be read back
        config = config.model_copy(
            update={"printer": {"connection": "file", "file_path": str(data.root / "receipt.bin")}}
        )
        save_config(data.config_path, config)
    till = TerminalHome.open(data.root, create=True)
    try:
        summary = build_demo(
            till.db,
            products=args.products,
            members=args.members,
            store_code=config.store.code,
            terminal_code=config.terminal.code,
            vault=till.vault(),
            app_key_seed=read_seed(till.data.keys_dir) or write_seed(till.data.keys_dir),
        )
    finally:
        till.close()
    print(f"演示门店已创建 / demo store created in {data.root}")
    print(
        f"  {summary.products} 商品 products, {summary.members} 会员 members, "
        f"{summary.promotions} 促销 promotions, {summary.coupons} 优惠券 coupons"
    )
    print("  工号 user   角色 role     密码 PIN")
    for username, display, role, pin in summary.users:
        print(f"  {username:<8} {role:<11} {pin}   {display}")
    print(
        "  会员号 member numbers: M00000001 … "
        f"M{summary.members:08d}; 优惠券 coupons: CP100001 (满50减10), CP950001 (95折)"
    )
    return 0
