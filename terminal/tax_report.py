"""VAT per rate of a shift (the Z report's 价税分离), from its receipts' own figures.

Each sale and return already holds the VAT of each line (rounded once per
rate per receipt, see :mod:`terminal.pricing.tax`); a shift's figure per rate
is their plain sum, so the Z adds up to the receipts to the fen.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal.pricing.model import TaxLine
from terminal.pricing.tax import VAT_RATE_BP
from terminal.store.models import Sale, SaleLine


def shift_taxes(session: Session, shift_id: str) -> list[TaxLine]:
    """Per VAT rate: what was paid (net of returns), the tax in it, and the net of tax."""
    rows = session.execute(
        select(SaleLine.vat, func.sum(SaleLine.paid), func.sum(SaleLine.tax))
        .join(Sale, SaleLine.sale_id == Sale.id)
        .where(Sale.shift_id == shift_id, Sale.kind.in_(("sale", "return")))
        .group_by(SaleLine.vat)
    ).all()
    got = {vat: (int(paid), int(tax)) for vat, paid, tax in rows}
    return [
        TaxLine(vat, rate, got[vat][0], got[vat][1], got[vat][0] - got[vat][1])
        for vat, rate in VAT_RATE_BP.items()
        if vat in got and (got[vat][0] or got[vat][1])
    ]
