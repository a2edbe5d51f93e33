"""``posterm quote``: price a basket file without selling it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from terminal.home import TerminalHome
from terminal.quote import quote, read_request
from ui.cli import data_dir_of


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "quote",
        description=(
            "按当前促销、会员等级、优惠券和积分试算购物篮，不产生销售。输出 JSON：每行净额、\n"
            "每项优惠的规则编号与原因、未能使用的券及原因、抵扣与可得积分、应付金额。\n\n"
            "Price a basket as the till would, without selling it. Prints JSON: each line's\n"
            "net amount, every adjustment with its rule id and reason, coupons refused and\n"
            "why, points to redeem and earn, and the payable amount (all amounts in fen).\n\n"
            "Basket file:\n"
            '  {"member": "M00000001", "items": [{"barcode": "6900000000014", "qty": 2}],\n'
            '   "coupons": ["CP100001"], "redeem_points": 500, "at": "2026-11-23T10:00:00+08:00"}\n'
            "Only items is required; it may be empty (the member's status is still shown)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--basket", type=Path, required=True, metavar="FILE", help="购物篮 JSON 文件")
    p.set_defaults(func=cmd_quote)


def cmd_quote(args: argparse.Namespace) -> int:
    request = read_request(args.basket)
    till = TerminalHome.open(data_dir_of(args).root)
    try:
        result = quote(till.db, till.settings(), request, vault=till.vault())
    finally:
        till.close()
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0
