"""``posterm product find TEXT``: which products a name, barcode or SKU finds."""

from __future__ import annotations

import argparse
import sys
from typing import Any

DEFAULT_LIMIT = 20


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "product",
        description=(
            "按名称（包含）、条码或 SKU 查找商品，列出 SKU、条码、名称、价格和是否在售。\n"
            "Find products by part of the name, or by barcode or SKU; lists SKU, barcodes,\n"
            "name, price in yuan and whether the product is for sale."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(title="product commands", metavar="ACTION")
    find = sub.add_parser("find", help="查找商品 / find products")
    find.add_argument(
        "text", metavar="TEXT", help="名称的一部分、条码或 SKU / name part, barcode or SKU"
    )
    find.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"最多显示 N 个 / show at most N (default {DEFAULT_LIMIT})",
    )
    find.set_defaults(func=cmd_find)
    p.set_defaults(func=lambda _args: (p.print_help(sys.stderr), 2)[1])


def cmd_find(args: argparse.Namespace) -> int:
    from terminal.catalogue import search_products
    from terminal.errors import NotFound
    from terminal.home import TerminalHome
    from terminal.money import format_yuan
    from ui.cli import data_dir_of

    till = TerminalHome.open(data_dir_of(args).root)
    try:
        with till.db.sessions() as session:
            found = search_products(session, args.text, limit=args.limit)
            rows = [
                (
                    p.sku,
                    ",".join(sorted(b.barcode for b in p.barcodes)) or "-",
                    p.name,
                    format_yuan(p.price, "¥"),
                    "在售 active" if p.active else "停售 inactive",
                )
                for p in found.products
            ]
    finally:
        till.close()
    if not rows:
        raise NotFound("product_none_found")
    print("SKU | 条码 barcodes | 名称 name | 价格 price | 状态 status")
    for row in rows:
        print(" | ".join(row))
    if found.more:
        print(
            f"还有 {found.more} 个匹配未显示，可用 --limit 显示更多 / "
            f"{found.more} more match; use --limit to see more"
        )
    return 0
