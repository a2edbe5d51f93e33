"""What a scanned string is: one pure function, :func:`classify`, no database.

This module imports nothing from the rest of the terminal; the member-code
parser builds on its patterns and :func:`clean`.

The scan loop (camera or handheld scanner) hands every decoded string here
first; the result says which use case takes it next (member lookup, coupon,
basket, receipt lookup for a return). Scanners add noise: a trailing CR/LF or
tab, a BOM, GS separators; :func:`clean` removes it. Nothing here says whether
the thing exists or is valid beyond its own check digit: member codes are
verified by :mod:`terminal.membercodes`, coupons and products looked up by
their modules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from terminal.errors import NotFound

ScanKind = Literal["member_static", "member_dynamic", "coupon", "product", "receipt", "unknown"]

MAX_SCAN_LENGTH = 512  # longer input is never a code of ours: refused unread
# A member card's number; the member-code module parses member codes by it too.
STATIC_PATTERN = re.compile(r"M[0-9]{8}")
# What any version of the member app's dynamic code starts with ("MC1:" today);
# a later "MC2:" is still recognised as a member code (and refused as malformed
# by a till that only knows version 1, telling the cashier why).
DYNAMIC_MARKER = re.compile(r"MC[0-9]{1,2}:")
# Coupon codes as HQ issues them (the demo: CP100001, CP950001, CPDAIRY50001);
# the coupon table's code column holds at most 40 characters.
COUPON_PATTERN = re.compile(r"CP[0-9A-Z]{4,38}")
SKU_PATTERN = re.compile(r"SKU[0-9]{6}")
# "<store code><terminal code>-<8-digit sequence>", e.g. S001T01-00000042
RECEIPT_PATTERN = re.compile(r"[0-9A-Z]{2,32}-[0-9]{8}")
# GTIN lengths by symbology name
GTIN_KINDS = {13: "ean13", 12: "upca", 8: "ean8"}


@dataclass(frozen=True)
class Scanned:
    """A classified scan: ``value`` is the cleaned text; ``symbology`` is set for products
    (``ean13``, ``upca``, ``ean8``, ``sku``)."""

    kind: ScanKind
    value: str
    symbology: str | None = None


def unknown_receipt(typed: str, code: str = "unknown_receipt") -> NotFound:
    """The refusal for a receipt number not found: it names what was typed only when that
    has a receipt number's shape (it may be a phone number typed at the wrong prompt)."""
    number = (typed or "").strip()
    if RECEIPT_PATTERN.fullmatch(number):
        return NotFound(code, receipt_no=number)
    return NotFound("not_a_receipt_no")


def clean(text: str) -> str:
    """Drop control and format characters anywhere, and whitespace at both ends."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf")).strip()


def gtin_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit of ``body`` (EAN-8, UPC-A, EAN-13 share it).

    The one check-digit function of the core: the classifier, the importer and
    the demo catalogue all use it.
    """
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def gtin_check_ok(digits: str) -> bool:
    """True when the last digit of ``digits`` is the GS1 check digit of the others."""
    return gtin_check_digit(digits[:-1]) == int(digits[-1])


# --- scale barcodes (称重码) --------------------------------------------------------------
#
# A store's scales print EAN-13 codes in restricted-circulation numbers (GS1
# prefixes 20-29): the store's prefix, the product's PLU, optionally a price or
# weight verifier digit (GS1 General Specifications 7.9.3), the weight in grams
# or the price in fen, and the EAN check digit. Which layout the scales use is
# the store's configuration (``[scale]``); the till reads every format given.

_TWO_MINUS = (0, 2, 4, 6, 8, 9, 1, 3, 5, 7)  # 2×d, units minus tens, mod 10
_THREE = (0, 3, 6, 9, 2, 5, 8, 1, 4, 7)  # 3×d mod 10
_FIVE_PLUS = (0, 5, 1, 6, 2, 7, 3, 8, 4, 9)  # 5×d, units plus tens, mod 10
_FIVE_MINUS = (0, 5, 9, 4, 8, 3, 7, 2, 6, 1)  # 5×d, units minus tens, mod 10


def value_check_digit(value: str) -> int:
    """The GS1 price/weight verifier digit of a 4- or 5-digit value (section 7.9.3)."""
    d = [int(c) for c in value]
    if len(d) == 4:
        total = _TWO_MINUS[d[0]] + _TWO_MINUS[d[1]] + _THREE[d[2]] + _FIVE_MINUS[d[3]]
        return total * 3 % 10
    if len(d) == 5:
        weights = (_FIVE_PLUS, _TWO_MINUS, _FIVE_MINUS, _FIVE_PLUS, _TWO_MINUS)
        total = sum(w[x] for w, x in zip(weights, d, strict=True))
        return _FIVE_MINUS.index((10 - total % 10) % 10)
    raise ValueError("a verifier digit covers 4 or 5 digits")


@dataclass(frozen=True)
class ScaleFormat:
    """One layout of scale barcodes: ``prefix`` + PLU + [verifier] + value + EAN check."""

    prefix: str = "2"
    plu_digits: int = 5
    value: Literal["weight", "price"] = "weight"
    value_check: bool = False

    def __post_init__(self) -> None:
        if not (self.prefix.isdigit() and 1 <= len(self.prefix) <= 2):
            raise ValueError("a scale prefix is 1 or 2 digits")
        if not 4 <= self.plu_digits <= 6:
            raise ValueError("a PLU has 4 to 6 digits")
        n = self.value_digits
        if not 4 <= n <= 6 or (self.value_check and n not in (4, 5)):
            raise ValueError("the value takes 4 or 5 digits (6 without a verifier digit)")

    @property
    def value_digits(self) -> int:
        return 12 - len(self.prefix) - self.plu_digits - (1 if self.value_check else 0)


@dataclass(frozen=True)
class ScaleCode:
    """What a scale barcode carries: the PLU and the weight (grams) or the price (fen).

    ``valid`` is False when the verifier digit does not match the value (a
    misread): the till refuses the code rather than guess a weight.
    """

    plu: str
    value: Literal["weight", "price"]
    amount: int
    valid: bool = True


def parse_scale(text: str, formats: tuple[ScaleFormat, ...]) -> ScaleCode | None:
    """The scale barcode ``text`` is under the format with the longest prefix it carries, or None.

    The longest prefix first, so price labels under ``22`` and weight labels under
    ``2`` can both be used. The EAN check digit must hold (else it is no scale
    code at all); the verifier digit, when the format has one, decides ``valid``.
    """
    code = clean(text)
    if not (len(code) == 13 and code.isascii() and code.isdigit() and gtin_check_ok(code)):
        return None
    for fmt in sorted(formats, key=lambda f: -len(f.prefix)):
        if not code.startswith(fmt.prefix):
            continue
        at = len(fmt.prefix)
        plu = code[at : at + fmt.plu_digits]
        at += fmt.plu_digits
        check = None
        if fmt.value_check:
            check, at = int(code[at]), at + 1
        value = code[at:12]
        valid = check is None or value_check_digit(value) == check
        return ScaleCode(plu, fmt.value, int(value), valid)
    return None


def scale_barcode(fmt: ScaleFormat, plu: str, amount: int) -> str:
    """The EAN-13 a scale prints for ``plu`` and ``amount`` under ``fmt`` (demo and tests)."""
    value = f"{amount:0{fmt.value_digits}d}"
    body = fmt.prefix + plu.zfill(fmt.plu_digits)
    if fmt.value_check:
        body += str(value_check_digit(value))
    body += value
    if len(body) != 12:
        raise ValueError("PLU or amount too long for the format")
    return body + str(gtin_check_digit(body))


def classify(text: str) -> Scanned:
    """Decide what a scanned string is. Never raises for any ``str``."""
    if len(text) > MAX_SCAN_LENGTH:
        return Scanned("unknown", "")
    value = clean(text)
    if STATIC_PATTERN.fullmatch(value):
        return Scanned("member_static", value)
    if DYNAMIC_MARKER.match(value):
        # even a damaged one: the member-code check then tells the cashier why
        return Scanned("member_dynamic", value)
    if COUPON_PATTERN.fullmatch(value):
        return Scanned("coupon", value)
    if SKU_PATTERN.fullmatch(value):
        return Scanned("product", value, "sku")
    if RECEIPT_PATTERN.fullmatch(value):
        return Scanned("receipt", value)
    if value.isascii() and value.isdigit() and len(value) in GTIN_KINDS and gtin_check_ok(value):
        return Scanned("product", value, GTIN_KINDS[len(value)])
    return Scanned("unknown", value)
