"""What a cashier types at the scan prompt before a code: ``3*6901234567892`` = three of it.

The keyboard till and the GUI read the same syntax through :func:`split_quantity`.
"""

from __future__ import annotations

from terminal.checkout import MAX_QTY
from terminal.classifier import DYNAMIC_MARKER, clean
from terminal.errors import InvalidInput


def split_quantity(text: str) -> tuple[int, str]:
    """``"3*CODE"`` -> ``(3, "CODE")``; ``"CODE"`` -> ``(1, "CODE")``.

    A product code may hold ``*`` only after the first one (never in practice);
    a member-app code (``MC1:…``) is never a quantity: its Base45 text may hold
    ``*`` anywhere. A quantity that is not a whole number from 1 to 9999 is refused.
    """
    value = clean(text)
    if "*" not in value or DYNAMIC_MARKER.match(value):
        return 1, value
    qty_text, code = value.split("*", 1)
    qty_text = qty_text.strip()
    if not (qty_text.isascii() and qty_text.isdigit()) or not 1 <= int(qty_text) <= MAX_QTY:
        raise InvalidInput("bad_qty", max=MAX_QTY)
    return int(qty_text), code.strip()
