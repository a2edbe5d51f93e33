"""What HQ recomputes from a sale record instead of trusting the till's totals.

A till's sale record carries its totals and the rows they come from; HQ adds
the rows up again. A record whose figures do not add up (a till with a bug,
an edited store file, a forged push) is still accepted — HQ never refuses a
sale the till completed — but recorded as a ``sale_inconsistent`` conflict
naming what differs, so HQ staff see it before the chain's books take it.

The identities are those the receipts print (``terminal/receipts.py``):

* Σ line gross = subtotal; on a sale, Σ line net = subtotal − discount_total
  − points_value and payable = that − rounding (a return rounds its lines
  apart and may take a used next-order coupon off the refund);
* Σ payments = payable (what the till kept, change already given back);
* Σ line points earned = points earned, and so are the member's earn (or,
  on a return, reverse) ledger rows;
* the points spent: redeem rows = −(points redeemed + reward points) on a
  sale, restore rows = −points redeemed on a return;
* VAT per rate: net + tax = amount, and Σ amount = Σ line paid;
* stored value: the spend (or refund) rows = the stored-value payments.
"""

from __future__ import annotations

from terminal.records import SaleRecord


def _points(sale: SaleRecord, *kinds: str) -> int:
    return sum(p.points for p in sale.points if p.kind in kinds)


def problems(sale: SaleRecord) -> list[str]:
    """Each figure of ``sale`` that its own rows contradict, as ``what: said != rows``."""
    found: list[str] = []

    def same(what: str, said: int, rows: int) -> None:
        if said != rows:
            found.append(f"{what}: {said} != {rows}")

    same("subtotal", sale.subtotal, sum(line.gross for line in sale.lines))
    if sale.kind == "sale":  # a return rounds its lines apart and may deduct a used 返券
        net = sale.subtotal - sale.discount_total - sale.points_value
        same("net", net, sum(line.net for line in sale.lines))
        same("payable", sale.payable, net - sale.rounding)
    same("payments", sale.payable, sum(p.amount for p in sale.payments))
    same("points_earned", sale.points_earned, sum(line.points_earned for line in sale.lines))
    if sale.member_id is not None:
        if sale.kind == "sale":
            same("earn_rows", sale.points_earned, _points(sale, "earn"))
            same(
                "redeem_rows", -(sale.points_redeemed + sale.reward_points), _points(sale, "redeem")
            )
        else:
            same("reverse_rows", sale.points_earned, _points(sale, "reverse"))
            same("restore_rows", -sale.points_redeemed, _points(sale, "restore"))
        by_balance = sum(p.amount for p in sale.payments if p.method == "stored_value")
        same("stored_value_rows", -by_balance, sum(r.amount for r in sale.stored_value))
    for tax in sale.taxes:
        same(f"vat_{tax.vat}", tax.amount, tax.net + tax.tax)
    if sale.taxes:
        same("vat_total", sum(t.amount for t in sale.taxes), sum(line.paid for line in sale.lines))
    return found
