"""Realistic demo members: Chinese names, unique mobile numbers, birthdays.

Used by ``posterm demo`` and the benchmarks to fill a store with people whose
personal data is encrypted and blind-indexed exactly like registered members'.
Nothing here is used at a real till.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, update

from terminal.pii import MemberVault
from terminal.registration import DAYS_IN_MONTH
from terminal.store.models import Member

# the Core table, for bulk updates by primary key (executemany)
_MEMBER_TABLE = Member.metadata.tables["member"]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
COMPOUND = ("欧阳", "司马", "上官", "诸葛", "慕容", "东方")
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊"
    "帆帅旭宁婷雪琳晨欣怡梓涵子轩一诺雨萱思彤浩然佳怡欣妍梦瑶嘉豪文博志远晓峰海燕丽娟春梅"
)
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "170",
    "171",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]

# An odd multiplier not divisible by 5 permutes 0..10^8-1, so members with
# different numbers always get different last 8 digits: unique phones without
# remembering the ones already handed out (the filler can run batch by batch).
_PHONE_MULT = 48_271_457
_PHONE_SPACE = 100_000_000
# the README's example member: findable by this phone (no other demo member up to
# M88303414 gets the last 8 digits 00138000)
EXAMPLE_MEMBER, EXAMPLE_PHONE = "M00000042", "13800138000"


def demo_person(member_no: str, rng: random.Random) -> tuple[str, str, str | None]:
    """A realistic (name, phone, birthday ``MM-DD`` or None) for a demo member number.

    The phone is unique per member number (for ``M`` + digits numbers).
    """
    surname = rng.choice(COMPOUND) if rng.randrange(100) < 2 else rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(1 if rng.randrange(100) < 35 else 2))
    digits = member_no[1:] if member_no[1:].isdigit() else str(rng.randrange(_PHONE_SPACE))
    tail = (int(digits) * _PHONE_MULT + 12_345) % _PHONE_SPACE
    phone = f"{rng.choice(MOBILE_PREFIXES)}{tail:08d}"
    if member_no == EXAMPLE_MEMBER:
        phone = EXAMPLE_PHONE
    birthday: str | None = None
    if rng.randrange(100) < 85:
        month = rng.randint(1, 12)
        day = rng.randint(1, DAYS_IN_MONTH[month - 1])
        birthday = f"{month:02d}-{day:02d}"
    return surname + given, phone, birthday


def demo_person_columns(
    vault: MemberVault, member_id: str, member_no: str, rng: random.Random
) -> dict[str, Any]:
    """The personal columns of a demo member (ciphertexts + blind indexes), to merge into a row."""
    name, phone, birthday = demo_person(member_no, rng)
    return vault.person_columns(member_id, name=name, phone=phone, birthday=birthday)


_FILL = (
    update(_MEMBER_TABLE)
    .where(_MEMBER_TABLE.c.id == bindparam("b_id"))
    .values(
        name_enc=bindparam("b_name"),
        phone_enc=bindparam("b_phone"),
        birthday_enc=bindparam("b_birthday"),
        phone_index=bindparam("b_pi"),
        phone_last4_index=bindparam("b_l4"),
    )
)


def fill_demo_people(
    conn: Connection,
    vault: MemberVault,
    members: Iterable[tuple[str, str]],
    rng: random.Random,
    *,
    batch: int = 20_000,
) -> int:
    """Give existing demo members (``(member_id, member_no)``) encrypted personal data.

    Bulk UPDATEs on ``conn`` (the caller's transaction); returns the number of
    members filled. Pass a separate ``random.Random`` so the rest of a seeded
    demo stays as it was.
    """
    done = 0
    rows: list[dict[str, Any]] = []
    for member_id, member_no in members:
        cols = demo_person_columns(vault, member_id, member_no, rng)
        rows.append(
            {
                "b_id": member_id,
                "b_name": cols["name_enc"],
                "b_phone": cols["phone_enc"],
                "b_birthday": cols["birthday_enc"],
                "b_pi": cols["phone_index"],
                "b_l4": cols["phone_last4_index"],
            }
        )
        if len(rows) >= batch:
            conn.execute(_FILL, rows)
            done += len(rows)
            rows = []
    if rows:
        conn.execute(_FILL, rows)
        done += len(rows)
    return done
