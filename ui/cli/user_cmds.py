"""``posterm user add|list|reset-pin|unlock|deactivate``: the store's users, without HQ.

The acting user (``--user``, a manager or admin) logs in with their PIN; a new
PIN is asked twice. PINs are hidden on a terminal and read from standard
input when it is piped. The rules (who may do what to whom) are the core's:
:mod:`terminal.auth` and :mod:`terminal.users`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from terminal import messages

# terminal.auth.ROLES, spelled out so `posterm --help` loads no core module
ROLES = ("cashier", "supervisor", "manager", "admin")


def _role(role: str) -> str:
    """A role's Chinese name, from the message catalogue (店长 …)."""
    return messages.render(f"role_{role}", lang="zh_CN")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "user",
        description=(
            "管理本店用户（店长或管理员；不能管理角色高于自己的用户）。--user 为操作人工号，\n"
            "其密码随后询问；新密码输入两次。\n\n"
            "Manage this store's users (managers and admins; nobody manages a user ranked\n"
            "above them). --user is who acts; their PIN is asked, then a new PIN twice."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(title="user commands", metavar="ACTION")

    def action(name: str, help_text: str, *, target: bool = True) -> argparse.ArgumentParser:
        a = sub.add_parser(name, help=help_text, description=help_text)
        if target:
            a.add_argument("username", metavar="USERNAME", help="用户工号 / the user's number")
        a.add_argument("--user", required=True, help="操作人工号 / who acts (manager or admin)")
        return a

    add = action("add", "添加用户 / add a user (PIN asked twice)")
    add.add_argument("--name", required=True, help="显示名称 / display name (up to 64 characters)")
    add.add_argument("--role", required=True, choices=ROLES, help="角色 / role")
    add.set_defaults(func=cmd_add)
    action("list", "列出用户 / list users", target=False).set_defaults(func=cmd_list)
    action("reset-pin", "重置密码（并解锁）/ set a new PIN (clears a lock)").set_defaults(
        func=cmd_reset_pin
    )
    action("unlock", "解除锁定 / unlock a user locked by wrong PINs").set_defaults(func=cmd_unlock)
    action("deactivate", "停用用户 / stop a user from logging in").set_defaults(func=cmd_deactivate)
    p.set_defaults(func=lambda _args: (p.print_help(sys.stderr), 2)[1])


def _open(args: argparse.Namespace) -> Any:
    from terminal.home import TerminalHome
    from ui.cli import data_dir_of

    return TerminalHome.open(data_dir_of(args).root)


def _new_pin(till: Any, prompt: str) -> str:
    """A new PIN, asked twice, at least as long as ``[security] min_pin_length``."""
    from terminal.auth import validate_pin
    from terminal.errors import InvalidInput
    from ui.cli.prompts import ask_secret

    pin = ask_secret(prompt)
    validate_pin(pin, till.config.security.min_pin_length)
    if ask_secret("再输入一次 / again: ") != pin:
        raise InvalidInput("pins_differ")
    return pin


def cmd_add(args: argparse.Namespace) -> int:
    from terminal import auth, users
    from ui.cli.prompts import login

    till = _open(args)
    try:
        actor = login(till, args.user)
        auth.authorize(actor, auth.Permission.MANAGE_USERS)  # before asking for the new PIN
        users.check_rank(actor, args.role)
        pin = _new_pin(till, "新用户密码 / the new user's PIN: ")
        with till.db.transaction() as session:
            auth.create_user(
                session,
                username=args.username,
                display_name=args.name,
                role=args.role,
                pin=pin,
                by=actor,
                terminal_id=till.terminal_row(session).id,
                min_pin_length=till.config.security.min_pin_length,
            )
    finally:
        till.close()
    print(f"已添加用户 {args.username}（{_role(args.role)}）/ added {args.username} ({args.role})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from terminal import users
    from terminal.config import local_tz
    from ui.cli.prompts import login

    till = _open(args)
    try:
        actor = login(till, args.user)
        with till.db.sessions() as session:
            found = users.list_users(session, by=actor)
        tz = local_tz(till.config)
    finally:
        till.close()
    now = datetime.now(UTC)
    print("工号 user | 姓名 name | 角色 role | 启用 active | 锁定至 locked until")
    for u in found:
        locked = (
            u.locked_until.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            if u.locked_until is not None and u.locked(now)
            else "-"
        )
        active = "是 yes" if u.active else "否 no"
        role = f"{u.role} {_role(u.role)}"
        print(f"{u.username} | {u.display_name} | {role} | {active} | {locked}")
    return 0


def cmd_reset_pin(args: argparse.Namespace) -> int:
    from terminal import auth
    from ui.cli.prompts import login_with_pin

    till = _open(args)
    try:
        actor, own_pin = login_with_pin(till, args.user)
        auth.authorize(actor, auth.Permission.MANAGE_USERS)
        pin = _new_pin(till, "新密码 / new PIN: ")
        with till.db.transaction() as session:
            auth.change_pin(
                session,
                username=args.username,
                new_pin=pin,
                by=actor,
                old_pin=own_pin if args.username == actor.username else None,
                terminal_id=till.terminal_row(session).id,
                min_pin_length=till.config.security.min_pin_length,
            )
    finally:
        till.close()
    print(f"已重置 {args.username} 的密码 / new PIN set for {args.username}")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from terminal import users
    from ui.cli.prompts import login

    till = _open(args)
    try:
        actor = login(till, args.user)
        with till.db.transaction() as session:
            was_locked = users.unlock_user(
                session,
                username=args.username,
                by=actor,
                now=datetime.now(UTC),
                terminal_id=till.terminal_row(session).id,
            )
    finally:
        till.close()
    if was_locked:
        print(f"已解锁 {args.username} / {args.username} unlocked")
    else:
        print(f"{args.username} 未被锁定（错误次数已清零）/ {args.username} was not locked")
    return 0


def cmd_deactivate(args: argparse.Namespace) -> int:
    from terminal import auth
    from ui.cli.prompts import login

    till = _open(args)
    try:
        actor = login(till, args.user)
        with till.db.transaction() as session:
            auth.deactivate_user(
                session, username=args.username, by=actor, terminal_id=till.terminal_row(session).id
            )
    finally:
        till.close()
    print(f"已停用 {args.username} / {args.username} deactivated")
    return 0
