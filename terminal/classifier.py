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
