"""Field types shared by the import row models: text, yes/no flags, yuan prices, barcodes.

Each type accepts what a CSV cell holds (text) and what a JSON value holds
(text, true/false, numbers where a number makes sense) and refuses anything
else with an ``import_*`` catalogue code. Prices are never floating point:
"12.50" (or the JSON number 12.50, read from its text as a ``Decimal``) is
1250 fen exactly; a third decimal, a negative price or a bare float that was
already rounded by a JSON parser is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from terminal.classifier import GTIN_KINDS, gtin_check_ok

MAX_PRICE_FEN = 99_999_999  # 999,999.99 yuan
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否"})

_YUAN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_BARCODE_SPLIT = re.compile(r"[|;\s]+")


def refuse(code: str, **params: Any) -> PydanticCustomError:
    """The error a validator raises: ``code`` names a catalogue message, ``params`` fill it."""
    return PydanticCustomError(code, code, params)


def text(max_len: int) -> Any:
    """A validator: text of 1..``max_len`` characters, trimmed, no control characters.

    Use it as ``Annotated[str | None, text(32)] = None``: a value that is not
    given keeps the default and is not validated.
    """

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise refuse("import_not_text")
        value = value.strip()
        if not value:
            raise refuse("import_empty")
        if len(value) > max_len:
            raise refuse("import_too_long", max=max_len)
        if any(not ch.isprintable() for ch in value):
            raise refuse("import_control_chars")
        return value

    return BeforeValidator(check)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise refuse("import_bad_flag")


Flag = Annotated[bool | None, BeforeValidator(_flag)]
"""Yes or no: JSON true/false, or one of true/false, yes/no, y/n, 1/0, 是/否 (any case)."""


def yuan_to_fen(value: Any) -> int:
    """An amount in yuan as integer fen, exactly; refuses floats, signs and a third decimal.

    Accepts text ("12.50", "12.5", "12"), a JSON integer (12 = 12.00 yuan) and a
    ``Decimal`` (what the JSON reader makes of 12.50, from its text).
    """
    if isinstance(value, bool):
        raise refuse("import_bad_price")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        cleaned = value.strip()
        if cleaned.startswith("-"):
            raise refuse("import_negative_price")
        if not _YUAN.fullmatch(cleaned):
            raise refuse("import_bad_price")
        amount = Decimal(cleaned)
    else:  # a binary float has already lost the text it was written as
        raise refuse("import_float_price")
    try:
        if not amount.is_finite():
            raise refuse("import_bad_price")
        if amount < 0:
            raise refuse("import_negative_price")
        fen = amount * 100
        if fen != fen.to_integral_value():
            raise refuse("import_price_decimals")
    except InvalidOperation:
        raise refuse("import_bad_price") from None
    if fen > MAX_PRICE_FEN:
        raise refuse("import_price_too_high", max="999999.99")
    return int(fen)


PriceFen = Annotated[int | None, BeforeValidator(yuan_to_fen)]
"""A price written in yuan, held as integer fen."""


def _barcodes(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        items: list[Any] = [p for p in _BARCODE_SPLIT.split(value.strip()) if p]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise refuse("import_bad_barcodes")
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise refuse("import_barcode_not_text")
        code = item.strip()
        if not (code.isascii() and code.isdigit() and len(code) in GTIN_KINDS):
            raise refuse("import_bad_barcode", barcode=code[:20])
        if not gtin_check_ok(code):
            raise refuse("import_barcode_check_digit", barcode=code)
        if code not in out:
            out.append(code)
    return tuple(out)


Barcodes = Annotated[tuple[str, ...] | None, BeforeValidator(_barcodes)]
"""EAN-13, EAN-8 or UPC-A codes with a correct GS1 check digit: a JSON list of
strings, or one text separated by ``|``, ``;`` or spaces."""
