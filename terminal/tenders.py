"""How a customer pays: the tender methods, their names, and checking tenders.

The one list of tender methods (the schema's check constraint says the same);
their names come from the message catalogue (``tender_cash`` …) so the till,
the receipt and the reports name them alike in either language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from terminal.errors import InvalidInput
from terminal.messages import Ref
from terminal.money import MAX_AMOUNT, format_yuan

METHODS: tuple[str, ...] = ("cash", "card", "wechat", "alipay")
"""Money tenders, in the order refunds go back (cash first) and reports list them."""

ALL_METHODS: tuple[str, ...] = (*METHODS, "stored_value")
"""Every tender: the money ones and the member's stored-value balance (储值), which the
checkout allows only for a member who proved presence (app code or payment PIN).
A report lists ``stored_value`` only when something was paid by it."""

NEEDS_REFERENCE: frozenset[str] = frozenset({"wechat", "alipay"})
"""Methods whose payment reference (流水号) must be recorded."""


def method_name(method: str) -> Ref:
    """A method's name as a message parameter: 现金 / cash, 微信支付 / WeChat Pay …"""
    return Ref(f"tender_{method}")


@dataclass(frozen=True)
class Tender:
    """One way the customer pays: ``amount`` is what was handed over (cash) or charged."""

    method: str
    amount: int
    reference: str = ""


def check_tender(tender: Tender) -> None:
    """Refuse a single tender that can never be right, before it joins the others."""
    if tender.method not in ALL_METHODS:
        raise InvalidInput("unknown_tender", method=str(tender.method)[:16])
    if tender.amount <= 0:
        raise InvalidInput("tender_not_positive", method=method_name(tender.method))
    if tender.amount > MAX_AMOUNT:
        raise InvalidInput("amount_too_large", max=format_yuan(MAX_AMOUNT))
    if tender.method in NEEDS_REFERENCE and not tender.reference.strip():
        raise InvalidInput("reference_required", method=method_name(tender.method))


def check_tenders(payable: int, tenders: Sequence[Tender]) -> int:
    """Validate tenders against the payable amount; return the change due (cash only).

    Non-cash tenders can never exceed what is payable (a card is charged
    exactly), and change comes only out of cash.
    """
    for tender in tenders:
        check_tender(tender)
    non_cash = sum(t.amount for t in tenders if t.method != "cash")
    cash = sum(t.amount for t in tenders if t.method == "cash")
    if non_cash > payable:
        raise InvalidInput(
            "over_tender", non_cash=format_yuan(non_cash), payable=format_yuan(payable)
        )
    if non_cash + cash < payable:
        raise InvalidInput("under_tender", missing=format_yuan(payable - non_cash - cash))
    return non_cash + cash - payable
