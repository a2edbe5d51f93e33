"""``posterm config show|check``."""

from __future__ import annotations

import argparse
from typing import Any

from terminal.config import load_config, render_config


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "config",
        help="查看或检查配置 / show or check config.toml",
        description=(
            "查看或检查数据目录中的 config.toml。各项说明见 docs/configuration.md。\n"
            "Show or check <data>/config.toml; keys are described in docs/configuration.md."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    show = sub.add_parser(
        "show",
        help="显示生效的配置（含默认值）/ print the effective config, defaults filled in",
    )
    show.set_defaults(func=cmd_show)
    check = sub.add_parser(
        "check",
        help="检查配置，正确则输出 ok / validate; prints ok or the problem with its line",
    )
    check.set_defaults(func=cmd_check)


def cmd_show(args: argparse.Namespace) -> int:
    from ui.cli import data_dir_of

    data = data_dir_of(args)
    print(f"# {data.config_path}")
    print(render_config(load_config(data.config_path), comments=False), end="")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from ui.cli import data_dir_of

    load_config(data_dir_of(args).config_path)
    print("ok")
    return 0
