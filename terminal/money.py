"""Money arithmetic in integer fen.

Every amount in the terminal is an ``int`` of fen (1 yuan = 100 fen). Rates are
integers in basis points (1 bp = 0.01 %). This module is the *one* place where
rounding happens: :func:`apply_bp` rounds half-up, :func:`allocate` splits an
amount over weights by largest remainder so the parts always add up exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

BP = 10_000  # basis points in 100 %
GRAMS_PER_KG = 1000
# the largest price or cash amount a person may type at a till (999,999.99 yuan): bigger
# figures are mistakes, and SQLite cannot even store some of them
MAX_AMOUNT = 99_999_999

_YUAN_RE = re.compile(r"^(-)?(\d+)(?:\.(\d{1,2}))?$")


def mul_div_half_up(value: int, num: int, den: int) -> int:
    """Return ``value * num / den`` rounded half away from zero, exactly."""
    if den <= 0:
        raise ValueError("denominator must be positive")
    product = value * num
    sign = -1 if product < 0 else 1
    q, r = divmod(abs(product), den)
    if 2 * r >= den:
        q += 1
    return sign * q


def apply_bp(amount: int, bp: int) -> int:
    """``amount`` × ``bp``/10000, rounded half-up (the documented rounding point)."""
    return mul_div_half_up(amount, bp, BP)


def line_amount(unit_price: int, qty: int, *, weighed: bool = False) -> int:
    """What ``qty`` of something costs: units × price, or grams × price per kg (half-up).

    Goods sold by weight carry their quantity in grams and their price per kg;
    the amount of a weighed line is rounded here, once, half-up to the fen.
    """
    if weighed:
        return mul_div_half_up(unit_price, qty, GRAMS_PER_KG)
    return unit_price * qty


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` over ``weights`` by largest remainder.

    The parts add up to ``total`` exactly; a zero weight receives nothing unless
    every weight is zero, in which case the split is even. Ties in the remainder
    go to the earlier index, so the result is deterministic.
    """
    n = len(weights)
    if n == 0:
        if total:
            raise ValueError("cannot allocate a non-zero amount over no weights")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    ws = list(weights) if sum(weights) > 0 else [1] * n
    wsum = sum(ws)
    sign = -1 if total < 0 else 1
    t = abs(total)
    base = [t * w // wsum for w in ws]
    rems = [t * w % wsum for w in ws]
    left = t - sum(base)
    order = sorted(range(n), key=lambda i: (-rems[i], i))
    for i in order[:left]:
        base[i] += 1
    return [sign * b for b in base]


def parse_yuan(text: str) -> int:
    """Parse ``"12.5"`` / ``"12.50"`` / ``"-3"`` into fen; reject anything else."""
    m = _YUAN_RE.match(text.strip())
    if not m:
        raise ValueError(f"not an amount in yuan: {text!r}")
    sign, whole, frac = m.groups()
    fen = int(whole) * 100 + int((frac or "0").ljust(2, "0"))
    return -fen if sign else fen


def format_yuan(fen: int, symbol: str = "") -> str:
    """Format fen as yuan with two decimals: ``1250`` -> ``"12.50"``."""
    sign = "-" if fen < 0 else ""
    q, r = divmod(abs(fen), 100)
    return f"{sign}{symbol}{q}.{r:02d}"


def format_kg(grams: int) -> str:
    """Format grams as kilograms with three decimals: ``532`` -> ``"0.532"``, ``-532`` ->
    ``"-0.532"`` (a weight returned)."""
    sign = "-" if grams < 0 else ""
    q, r = divmod(abs(grams), 1000)
    return f"{sign}{q}.{r:03d}"


def decimal_to_bp(value: str | Decimal) -> int:
    """Convert a rate such as ``"0.95"`` into basis points (9500), exactly."""
    try:
        d = Decimal(value) * BP
    except InvalidOperation as exc:
        raise ValueError(f"not a rate: {value!r}") from exc
    if d != d.to_integral_value():
        raise ValueError(f"rate {value!r} is finer than one basis point")
    return int(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def mul_div_floor(value: int, num: int, den: int) -> int:
    """Return ``value * num / den`` rounded toward minus infinity (for caps and limits)."""
    if den <= 0:
        raise ValueError("denominator must be positive")
    return value * num // den
