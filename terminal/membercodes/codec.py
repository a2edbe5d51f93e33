"""The member code formats: parsing (pure, strict) and encoding a dynamic code.

Static code: the member number printed on a card, ``M`` + 8 digits.

Dynamic code (format version 1), as the member app shows it::

    "MC1:" + Base45(body)                      121 characters, QR alphanumeric mode

    body (78 bytes, integers big-endian)
      0..5    key id        6 bytes   MemberKey.key_id is its 12-char lower-case hex
      6..9    member no     uint32    the 8 digits of "M12345678" as a number
      10..13  time step     uint32    floor(unix time / 30 s)
      14..77  signature     64 bytes  Ed25519 over b"MC1:" + body[0:14]

Parsing refuses anything that does not re-encode to exactly the text given
(non-canonical Base45, trailing bytes, member numbers above 99,999,999), so
one code has one spelling and the replay check cannot be dodged by
re-spelling a screenshot. See docs/member-codes.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from terminal.classifier import MAX_SCAN_LENGTH, STATIC_PATTERN
from terminal.membercodes.base45 import Base45Error, b45decode, b45encode
from terminal.membercodes.errors import MemberCodeRefused

PREFIX = "MC1:"

STEP = timedelta(seconds=30)
SKEW_STEPS = 1  # a code is accepted in its own step and one step either side
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

KEY_ID_BYTES = 6
SIGNATURE_BYTES = 64
SIGNED_BYTES = KEY_ID_BYTES + 4 + 4
BODY_BYTES = SIGNED_BYTES + SIGNATURE_BYTES  # 78
DYNAMIC_LENGTH = len(PREFIX) + BODY_BYTES // 2 * 3  # 121
MAX_MEMBER_NUMBER = 99_999_999
MAX_STEP = 0xFFFF_FFFF


@dataclass(frozen=True)
class ParsedCode:
    """A member code that is well formed; nothing about it is verified yet."""

    kind: Literal["static", "dynamic"]
    member_no: str
    key_id: str | None = None
    step: int | None = None
    signed: bytes = b""  # the exact bytes the signature covers
    signature: bytes = b""


def step_of(at: datetime) -> int:
    """The time step an aware datetime falls in (integer arithmetic, no float)."""
    if at.tzinfo is None:
        raise ValueError("naive datetime")
    return (at - EPOCH) // STEP


def step_start(step: int) -> datetime:
    return EPOCH + step * STEP


def member_number(member_no: str) -> int:
    """``"M00000042"`` -> 42; raises ValueError for anything but ``M`` + 8 digits."""
    if not STATIC_PATTERN.fullmatch(member_no):
        raise ValueError(f"not a member number: {member_no!r}")
    return int(member_no[1:])


def key_id_bytes(key_id: str) -> bytes:
    """A MemberKey.key_id (12 lower-case hex characters) as its 6 bytes."""
    if not re.fullmatch(r"[0-9a-f]{12}", key_id):
        raise ValueError(f"key id must be 12 lower-case hex characters: {key_id!r}")
    return bytes.fromhex(key_id)


def signed_bytes(key_id: bytes, number: int, step: int) -> bytes:
    return key_id + number.to_bytes(4, "big") + step.to_bytes(4, "big")


def encode_dynamic(
    member_no: str, key_id: str, private_key: Ed25519PrivateKey, at: datetime
) -> str:
    """The dynamic code the member app shows at ``at`` (what the app team implements)."""
    step = step_of(at)
    if not 0 <= step <= MAX_STEP:
        raise ValueError("time outside the format's range")
    body = signed_bytes(key_id_bytes(key_id), member_number(member_no), step)
    signature = private_key.sign(PREFIX.encode("ascii") + body)
    return PREFIX + b45encode(body + signature)


def parse(text: object) -> ParsedCode:
    """Parse a member code exactly as given (callers strip scanner noise first).

    Pure. Raises :class:`MemberCodeRefused` ``malformed`` for anything that is
    not a static code or the canonical spelling of a version-1 dynamic code.
    """
    if not isinstance(text, str) or len(text) > MAX_SCAN_LENGTH:
        raise MemberCodeRefused("malformed")
    if STATIC_PATTERN.fullmatch(text):
        return ParsedCode(kind="static", member_no=text)
    if not text.startswith(PREFIX):
        raise MemberCodeRefused("malformed")
    if len(text) != DYNAMIC_LENGTH:
        raise MemberCodeRefused("malformed", "length")
    try:
        body = b45decode(text[len(PREFIX) :])
    except Base45Error as exc:
        raise MemberCodeRefused("malformed", "encoding") from exc
    if len(body) != BODY_BYTES or PREFIX + b45encode(body) != text:
        raise MemberCodeRefused("malformed", "encoding")
    number = int.from_bytes(body[6:10], "big")
    if number > MAX_MEMBER_NUMBER:
        raise MemberCodeRefused("malformed", "member number")
    return ParsedCode(
        kind="dynamic",
        member_no=f"M{number:08d}",
        key_id=body[:KEY_ID_BYTES].hex(),
        step=int.from_bytes(body[10:14], "big"),
        signed=PREFIX.encode("ascii") + body[:SIGNED_BYTES],
        signature=body[SIGNED_BYTES:],
    )
