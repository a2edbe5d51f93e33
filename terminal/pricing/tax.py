"""VAT inside tax-inclusive amounts (价税分离), per rate.

Prices are tax inclusive. Each product carries a VAT code: ``13``, ``9``,
``6`` (per cent), ``0`` (zero-rated) or ``exempt`` (免税). The tax of a
document (a sale's receipt) is worked out per rate from what was paid:

    tax(rate) = Σ paid of the lines of that rate × rate / (1 + rate), half-up

rounded **once per rate per document**, here and nowhere else; it is then
allocated to the lines of that rate by largest remainder on their paid
amounts, so every line knows its own tax (for an invoice) and the lines add up
to the document's figure. A return takes back each returned line's share of
the line's tax exactly as it takes back its share of ``paid``, so a full
return reverses a sale's tax to the fen. A shift's (Z) tax per rate is the sum
of its documents' figures.
"""

from __future__ import annotations

from collections.abc import Sequence

from terminal.money import BP, allocate, mul_div_half_up
from terminal.pricing.model import TaxLine

VAT_RATE_BP: dict[str, int] = {"13": 1300, "9": 900, "6": 600, "0": 0, "exempt": 0}
VAT_LABEL: dict[str, str] = {"13": "13%", "9": "9%", "6": "6%", "0": "0%", "exempt": "免税"}


def vat_of(amount: int, vat: str) -> int:
    """The VAT inside a tax-inclusive ``amount`` at rate code ``vat`` (half-up, signed)."""
    rate = VAT_RATE_BP[vat]
    return mul_div_half_up(amount, rate, BP + rate) if rate else 0


def split_tax(lines: Sequence[tuple[str, int]]) -> tuple[list[int], list[TaxLine]]:
    """Tax of each ``(vat code, paid)`` line, and the per-rate summary (rates in code order)."""
    per_line = [0] * len(lines)
    summary: list[TaxLine] = []
    for vat in VAT_RATE_BP:
        idx = [i for i, (code, _) in enumerate(lines) if code == vat]
        if not idx:
            continue
        amount = sum(lines[i][1] for i in idx)
        tax = vat_of(amount, vat)
        for i, part in zip(idx, allocate(tax, [abs(lines[i][1]) for i in idx]), strict=True):
            per_line[i] = part
        if amount:  # a rate nothing was paid at (a gift, a reward) is no line of the summary
            summary.append(TaxLine(vat, VAT_RATE_BP[vat], amount, tax, amount - tax))
    return per_line, summary


def summarise(lines: Sequence[tuple[str, int, int]]) -> list[TaxLine]:
    """The per-rate summary of lines whose tax is already known: ``(vat, paid, tax)``."""
    out: list[TaxLine] = []
    for vat in VAT_RATE_BP:
        mine = [(paid, tax) for code, paid, tax in lines if code == vat]
        if any(paid for paid, _ in mine):
            amount, tax = sum(p for p, _ in mine), sum(t for _, t in mine)
            out.append(TaxLine(vat, VAT_RATE_BP[vat], amount, tax, amount - tax))
    return out
