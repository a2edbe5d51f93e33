"""``posterm member-code``: play the member app and write the QR code a member shows."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

import segno
from sqlalchemy import select

from terminal.classifier import STATIC_PATTERN
from terminal.config import local_tz
from terminal.errors import InvalidInput, NotFound, PosError
from terminal.home import TerminalHome
from terminal.membercodes import demo_app_key, encode_dynamic, key_id_for, read_seed
from terminal.quote import EARLIEST, LATEST
from terminal.store.models import Member, MemberKey
from ui.cli import data_dir_of

QR_ERROR = "m"
QR_SCALE = 8  # 8 px a module: a version-5 code is 37 + 8 border modules = 360 px


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "member-code",
        description=(
            "生成会员出示的二维码 PNG（纠错等级 M），并在最后一行单独打印其内容。\n"
            "静态码即卡面会员号（M + 8 位数字）；--dynamic 生成会员 App 的动态码\n"
            "（Ed25519 签名，30 秒一步，前后各容忍一步），仅限演示门店的会员：\n"
            "其 App 密钥由 <数据目录>/keys/demo-app-seed 派生。\n\n"
            "Write the QR code a member shows as a PNG (error correction M) and print\n"
            "its payload alone on the last line. Static: the member number on the card\n"
            "(M + 8 digits). --dynamic: the member app's signed code (Ed25519, 30 s\n"
            "steps, ±1 step accepted), for demo members only: their app keys derive\n"
            "from <data>/keys/demo-app-seed. Format: docs/member-codes.md."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("member_no", metavar="MEMBER_NO", help="会员号 / member number, e.g. M00000001")
    p.add_argument(
        "--dynamic", action="store_true", help="会员 App 动态码 / the app's dynamic code"
    )
    p.add_argument(
        "--at",
        metavar="ISO-8601-TIME",
        help="动态码的时间（默认现在；无时区按门店时区）/ "
        "time of the dynamic code (default now; no zone = the store's zone)",
    )
    p.add_argument(
        "--out", type=Path, required=True, metavar="FILE.png", help="输出 PNG / PNG to write"
    )
    p.set_defaults(func=cmd_member_code)


def _parse_at(value: str | None, till: TerminalHome) -> datetime:
    tz = local_tz(till.config)
    if value is None:
        return datetime.now(tz)
    try:
        at = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput("bad_time_option", option="--at") from exc
    at = at if at.tzinfo is not None else at.replace(tzinfo=tz)
    if not EARLIEST <= at < LATEST:  # the code's time step must fit its 4 bytes
        raise InvalidInput("time_option_out_of_range", option="--at")
    return at


def _dynamic_payload(args: argparse.Namespace) -> str:
    till = TerminalHome.open(data_dir_of(args).root)
    try:
        seed = read_seed(till.data.keys_dir)
        if seed is None:
            raise PosError("no_demo_keys")
        at = _parse_at(args.at, till)
        with till.db.sessions() as session:
            member = session.scalar(select(Member).where(Member.member_no == args.member_no))
            if member is None:
                raise NotFound("unknown_member")
            key = demo_app_key(seed, args.member_no)
            key_id = key_id_for(key.public_key().public_bytes_raw())
            if session.get(MemberKey, key_id) is None:
                print(
                    "注意：本店尚未安装该会员的公钥，扫码将被拒绝 / note: this store holds no "
                    f"public key {key_id} for the member; the till will refuse the code"
                )
        return encode_dynamic(args.member_no, key_id, key, at)
    finally:
        till.close()


def cmd_member_code(args: argparse.Namespace) -> int:
    if not STATIC_PATTERN.fullmatch(args.member_no):
        raise InvalidInput("bad_member_no")
    if args.at is not None and not args.dynamic:
        raise InvalidInput("at_needs_dynamic")
    payload = _dynamic_payload(args) if args.dynamic else args.member_no
    qr = segno.make(payload, error=QR_ERROR, boost_error=False, micro=False)
    try:
        qr.save(args.out, kind="png", scale=QR_SCALE, border=4)
    except OSError as exc:
        raise PosError("cannot_write", path=str(args.out), why=exc.strerror) from exc
    kind = "动态码 dynamic" if args.dynamic else "静态码 static"
    print(f"{kind}: QR version {qr.version}, error correction M -> {args.out}")
    print(payload)
    return 0
