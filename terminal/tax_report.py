"""VAT per rate of a shift (the Z report's 价税分离), from its receipts' own figures.

Each sale and return already holds the VAT of each line (rounded once per
rate per receipt, see :mod:`terminal.pricing.tax`); a shift's figure per rate
is their plain sum, so the Z adds up to the receipts to the fen.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal.pricing.model import TaxLine
from terminal.pricing.tax import VAT_RATE_BP
from terminal.store.models import Sale, SaleLine


def vat_sums(session: Session, *where: Any) -> dict[str, tuple[int, int]]:
    """Per VAT code: paid and tax (fen) of the sale and return lines of the sales ``where``."""
    rows = session.execute(
        select(SaleLine.vat, func.sum(SaleLine.paid), func.sum(SaleLine.tax))
        .join(Sale, SaleLine.sale_id == Sale.id)
        .where(*where, Sale.kind.in_(("sale", "return")))
        .group_by(SaleLine.vat)
    ).all()
    return {vat: (int(paid or 0), int(tax or 0)) for vat, paid, tax in rows}


def shift_taxes(session: Session, shift_id: str) -> list[TaxLine]:
    """Per VAT rate: what was paid (net of returns), the tax in it, and the net of tax."""
    got = vat_sums(session, Sale.shift_id == shift_id)
    return [
        TaxLine(vat, rate, got[vat][0], got[vat][1], got[vat][0] - got[vat][1])
        for vat, rate in VAT_RATE_BP.items()
        if vat in got and (got[vat][0] or got[vat][1])
    ]
