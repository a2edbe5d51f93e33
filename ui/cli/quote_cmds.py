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
            "按当前促销、会员等级、优惠券、积分兑换和储值试算购物篮，不产生销售。输出 JSON：\n"
            "每行净额与税额、每项优惠的规则编号与原因、未能使用的券或兑换及原因、限购说明、\n"
            "本单将返的券、抵扣与可得积分、分税率税额、应付金额。\n\n"
            "Price a basket as the till would, without selling it. Prints JSON: each line's\n"
            "net amount and VAT, every adjustment with its rule id and reason, coupons refused\n"
            "and why, rewards (积分兑换), limits that held a promotion back, coupons the sale\n"
            "would issue, points to redeem and earn, tax per rate and the payable amount\n"
            "(all amounts in fen).\n\n"
            "Basket file:\n"
            '  {"member": "M00000001", "items": [{"barcode": "6900000000014", "qty": 2},\n'
            '     {"sku": "SKU900101", "grams": 532},\n'
            '     {"sku": "SKU000097", "reward": "RW-NOODLE"}],\n'
            '   "rewards": ["RW-COUPON10"], "coupons": ["CP100001"], "redeem_points": 500,\n'
            '   "topup": 50000, "at": "2026-11-23T10:00:00+08:00"}\n'
            "Only items is required; it may be empty (the member's status is still shown).\n"
            "A barcode may be a scale label; grams are for goods sold by weight; topup shows\n"
            "the bonus a stored-value top-up of that many fen earns. See docs/promotions.md."
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
