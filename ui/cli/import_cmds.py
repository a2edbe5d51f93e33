"""``posterm import products|members|promotions|coupons|rewards FILE``: load a store without HQ.

The work is :mod:`terminal.imports`; this module reads the file, asks the
acting user's PIN and prints what happened. Formats: docs/imports.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

# the kinds of terminal.imports.ALL_KINDS, spelled out so `posterm --help` loads no core module
KINDS = ("products", "members", "promotions", "coupons", "rewards")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "import",
        description=(
            "从 CSV 或 JSON 文件导入商品、会员（CSV 或 JSON），促销、优惠券、积分兑换（JSON）。\n"
            "先检查每一行：有任何错误则逐行列出（行号、字段、原因），不导入任何数据。\n"
            "需要店长或管理员（--user，密码随后询问）。格式见 docs/imports.md。\n\n"
            "Import products or members (CSV or JSON), promotions, coupons or rewards (JSON).\n"
            "Every row is checked first: if any is bad, each problem is listed with its row,\n"
            "field and reason, and nothing is imported. Existing SKUs, member numbers and rule\n"
            "ids are updated. Needs a manager or admin (--user; the PIN is asked).\n"
            "Formats: docs/imports.md; samples: resources/samples/."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("kind", choices=KINDS, help="导入什么 / what to import")
    p.add_argument(
        "file", type=Path, metavar="FILE", help="CSV 或 JSON 文件 / a .csv or .json file"
    )
    p.add_argument("--user", required=True, help="工号（店长或管理员）/ manager or admin username")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="只检查并报告，不写入 / check and report, write nothing",
    )
    p.set_defaults(func=cmd_import)


def _summary(result: Any) -> str:
    extra_zh = {
        "categories_created": "新建分类",
        "coupons_created": "发券",
        "coupons_updated": "改绑券",
    }
    extra_en = {
        "categories_created": "categories created",
        "coupons_created": "coupons issued",
        "coupons_updated": "coupons re-bound",
    }
    zh = f"新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"
    en = f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged"
    for key, n in result.extra.items():
        zh += f"，{extra_zh.get(key, key)} {n}"
        en += f", {n} {extra_en.get(key, key)}"
    if result.dry_run:
        return (
            f"检查通过，未写入 {result.source}（{result.rows} 行）：将{zh} / "
            f"dry run of {result.source} ({result.rows} rows), nothing written: would be {en}"
        )
    return (
        f"已导入 {result.source}（{result.rows} 行）：{zh} / "
        f"imported {result.source} ({result.rows} rows): {en}"
    )


def cmd_import(args: argparse.Namespace) -> int:
    from terminal.home import TerminalHome
    from terminal.imports import ImportRefused, read_import_file, run_import
    from terminal.pii import MemberVault
    from ui.cli import data_dir_of
    from ui.cli.prompts import login

    till = TerminalHome.open(data_dir_of(args).root)
    try:
        source = read_import_file(args.kind, args.file)
        actor = login(till, args.user)
        vault = MemberVault.from_data_dir(till.data) if args.kind == "members" else None
        with till.db.transaction() as session:
            result = run_import(
                session,
                args.kind,
                source,
                actor=actor,
                vault=vault,
                dry_run=args.dry_run,
                terminal_id=till.terminal_row(session).id,
            )
    except ImportRefused as exc:
        for problem in exc.problems:
            print(f"posterm: {exc.source}: {problem}", file=sys.stderr)
        print(f"posterm: {exc}", file=sys.stderr)
        return 2
    finally:
        till.close()
    print(_summary(result))
    return 0
