"""``posterm member``: register, find, show, export (data report) and erase members.

Every action needs a logged-in user (``--user``; the PIN is read from standard
input, hidden on a terminal). ``register``, ``find`` and ``show`` print masked
personal data only. ``export`` prints the full decrypted data report (a
member's access request) and ``erase`` anonymises a member; both need a user
holding MEMBER_DATA.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from terminal import members, registration
from terminal.config import local_tz
from terminal.home import TerminalHome
from terminal.pii import MemberVault
from ui.cli import data_dir_of
from ui.cli.prompts import login


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "member",
        description=(
            "会员注册、查询与个人信息请求（查阅、注销）。\n"
            "Register members, find them by number, phone or last 4 digits, show the\n"
            "(masked) member panel, print a member's data report, or erase a member."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(title="member commands", metavar="ACTION")

    reg = sub.add_parser("register", help="注册会员 / register a member")
    reg.add_argument("--user", required=True, help="工号 / your user number")
    reg.add_argument("--phone", required=True, help="手机号 / mainland mobile number")
    reg.add_argument("--name", required=True, help="姓名 / name (1-20 characters)")
    reg.add_argument("--birthday", help="生日 MM-DD / birthday month-day, e.g. 02-29")
    reg.add_argument("--referrer", help="推荐人会员号 / referrer's member number")
    reg.add_argument(
        "--consent-data",
        action="store_true",
        help="会员已同意个人信息处理（必需）/ the member consented to data processing (required)",
    )
    reg.add_argument(
        "--consent-marketing",
        action="store_true",
        help="会员同意接收促销信息 / the member consented to marketing messages",
    )
    reg.set_defaults(func=cmd_register)

    find = sub.add_parser("find", help="查找会员 / find by member number, phone or last 4 digits")
    find.add_argument("query", help="会员号、手机号或手机尾号4位 / member no, phone or last 4")
    find.add_argument("--user", required=True, help="工号 / your user number")
    find.set_defaults(func=cmd_find)

    show = sub.add_parser("show", help="会员面板 / the member panel (masked)")
    show.add_argument("member_no")
    show.add_argument("--user", required=True, help="工号 / your user number")
    show.set_defaults(func=cmd_show)

    export = sub.add_parser("export", help="打印会员数据报告 / print a member's data report")
    export.add_argument("member_no")
    export.add_argument("--user", required=True, help="工号 / username with MEMBER_DATA")
    export.set_defaults(func=cmd_export)

    erase = sub.add_parser("erase", help="注销并匿名化会员 / erase (anonymise) a member")
    erase.add_argument("member_no")
    erase.add_argument("--user", required=True, help="工号 / username with MEMBER_DATA")
    erase.add_argument("--reason", required=True, help="原因 / reason")
    erase.set_defaults(func=cmd_erase)

    p.set_defaults(func=lambda _args: (p.print_help(sys.stderr), 2)[1])


def _open(args: argparse.Namespace) -> tuple[TerminalHome, MemberVault]:
    till = TerminalHome.open(data_dir_of(args).root)
    return till, MemberVault.from_data_dir(till.data)


def _today(till: TerminalHome) -> Any:
    return datetime.now(local_tz(till.config)).date()


def cmd_register(args: argparse.Namespace) -> int:
    till, vault = _open(args)
    try:
        month = day = None
        if args.birthday:
            month, day = registration.parse_birthday_text(args.birthday)
        actor = login(till, args.user)
        with till.db.transaction() as session:
            result = registration.register_member(
                session,
                vault,
                phone=args.phone,
                name=args.name,
                birthday_month=month,
                birthday_day=day,
                referrer_no=args.referrer,
                consent_data=args.consent_data,
                consent_marketing=args.consent_marketing,
                actor=actor,
                terminal_id=till.terminal_row(session).id,
            )
            member_no = result.member.member_no
        print(result.message)
        print(member_no)
        return 0
    finally:
        till.close()


def cmd_find(args: argparse.Namespace) -> int:
    till, vault = _open(args)
    try:
        login(till, args.user)
        with till.db.sessions() as session:
            found = members.search(session, vault, args.query)
        for m in found.matches:
            print(f"{m.member_no}  {m.masked_name}  {m.masked_phone}  {m.tier_name}")
        if found.more:
            print(f"（仅显示前 {len(found.matches)} 位 / first {len(found.matches)} shown）")
        return 0
    finally:
        till.close()


def cmd_show(args: argparse.Namespace) -> int:
    till, vault = _open(args)
    try:
        login(till, args.user)
        with till.db.sessions() as session:
            member = members.find_member(session, args.member_no)
            panel = members.member_panel(session, vault, member, _today(till))
        print(f"会员号 member:   {panel.member_no}")
        print(f"姓名 name:       {panel.masked_name}")
        print(f"手机 phone:      {panel.masked_phone}")
        print(f"等级 tier:       {panel.tier.name} ({panel.benefits})")
        print(f"积分 points:     {panel.points_balance}")
        print(f"{panel.expiring_days}天内到期 expiring: {panel.points_expiring}")
        print(f"生日月 birthday month: {'是 yes' if panel.birthday_month else '否 no'}")
        print(f"优惠券 coupons:  {len(panel.coupons)}")
        for coupon in panel.coupons:
            print(f"  {coupon.code}  {coupon.name}")
        return 0
    finally:
        till.close()


def cmd_export(args: argparse.Namespace) -> int:
    till, vault = _open(args)
    try:
        actor = login(till, args.user)
        with till.db.transaction() as session:
            report = members.member_data_report(
                session,
                vault,
                args.member_no,
                actor=actor,
                terminal_id=till.terminal_row(session).id,
                today=_today(till),
            )
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    finally:
        till.close()


def cmd_erase(args: argparse.Namespace) -> int:
    till, vault = _open(args)
    try:
        actor = login(till, args.user)
        with till.db.transaction() as session:
            member = members.erase_member(
                session,
                vault,
                args.member_no,
                actor=actor,
                reason=args.reason,
                terminal_id=till.terminal_row(session).id,
            )
            member_no = member.member_no
        print(f"会员 {member_no} 已注销 / member {member_no} erased")
        return 0
    finally:
        till.close()
