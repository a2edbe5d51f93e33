"""``posterm demo``: a realistic demo store to sell in, train on and test against."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from terminal.config import DataDir
from terminal.config_render import ensure_config, save_config
from terminal.demo import DemoSummary, build_demo, check_sizes
from terminal.errors import StateError
from terminal.home import TerminalHome
from terminal.membercodes import read_seed, write_seed
from terminal.store import lock
from ui.cli import data_dir_of

DEMO_STORE = {"code": "S001", "name": "鲜果生活超市 人民路店", "address": "上海市黄浦区人民路100号"}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "demo",
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
    if data.store_path.exists():
        raise StateError("store_not_empty")
    check_sizes(args.products, args.members)
    made = _Made(data)
    try:
        summary = _build(args, data)
    except BaseException:
        made.undo()  # a failed demo leaves the directory as it found it
        raise
    _report(data, summary)
    return 0


class _Made:
    """What a demo run creates, so a failed run can take it away again."""

    def __init__(self, data: DataDir) -> None:
        self.data = data
        self.paths = [
            p
            for p in (
                data.root,
                data.config_path,
                data.store_path,
                data.backups_dir,
                data.keys_dir,
                data.root / "logs",
                data.root / "receipt.bin",
            )
            if not p.exists()
        ]

    def undo(self) -> None:
        for path in (*self.paths[::-1], *self._sidecars()):
            if path.is_dir() and path != self.data.root:
                shutil.rmtree(path, ignore_errors=True)
            elif path.is_file():
                path.unlink(missing_ok=True)
        if self.data.root in self.paths:
            shutil.rmtree(self.data.root, ignore_errors=True)

    def _sidecars(self) -> list[Path]:
        store = self.data.store_path
        files = [Path(f"{store}{s}") for s in ("-wal", "-shm", "-journal")]
        return [*files, lock.lock_path(store), lock.holders_dir(store)]


def _build(args: argparse.Namespace, data: DataDir) -> DemoSummary:
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
    return summary


def _report(data: DataDir, summary: DemoSummary) -> None:
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
