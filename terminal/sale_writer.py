"""Writing a sale or a return: one receipt numbering, one record, one way to finish.

Sales (:mod:`terminal.checkout`) and returns (:mod:`terminal.returns`) are both
:class:`~terminal.store.models.Sale` rows. They take their receipt number the
same way (:func:`take_receipt_number`, gap-free per terminal), start their
row the same way (:func:`new_sale_row`) and finish the same way
(:func:`finish`): audit event, the HQ record in the outbox and the receipt
print job, all in the caller's transaction, so the sale, its record and its
receipt exist together or not at all.

A sale's own row, lines, adjustments and payments are written as
:class:`SaleRows`, one INSERT per table (:func:`insert_sale`): making an ORM
object per row cost the till more than the rest of the commit together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from terminal import audit, outbox, print_jobs
from terminal.checkout_settings import CheckoutSettings
from terminal.errors import StateError
from terminal.money import allocate
from terminal.pii import MemberVault
from terminal.pricing import points
from terminal.pricing.model import PricedBasket
from terminal.records import (
    AdjustmentRecord,
    CouponUseRecord,
    IssuedCouponRecord,
    PaymentRecord,
    PointsRecord,
    RuleUseRecord,
    SaleLineRecord,
    SaleRecord,
    StoredValueRow,
    TaxRecord,
)
from terminal.store.direct import fetch, insert_rows
from terminal.store.models import Payment, Sale, SaleAdjustment, SaleLine
from terminal.store.types import new_id, stored_utc, utcnow
from terminal.tenders import Tender

_NEXT_RECEIPT = (
    "UPDATE terminal SET next_receipt_seq = next_receipt_seq + 1, updated_at = ? "
    "WHERE id = ? RETURNING next_receipt_seq"
)


def take_receipt_number(session: Session, settings: CheckoutSettings) -> tuple[int, str]:
    """Take the next receipt number inside the caller's transaction.

    The counter lives on the terminal row and moves in the same transaction as
    the sale, so numbers are unique and gap-free: a rolled-back sale gives its
    number back.
    """
    found = fetch(session, _NEXT_RECEIPT, (stored_utc(utcnow()), settings.terminal_id))
    if not found:
        raise StateError("terminal_not_registered")
    seq = int(found[0][0])
    return seq - 1, f"{settings.receipt_prefix}{seq - 1:08d}"


def sale_head(
    session: Session,
    settings: CheckoutSettings,
    *,
    kind: str,
    shift_id: str,
    cashier_id: str,
    now: datetime,
    **fields: Any,
) -> Sale:
    """A new sale or return row with its receipt number, not yet in the session: written by
    :func:`insert_sale` with its rows, or added to the session by :func:`new_sale_row`."""
    seq, receipt_no = take_receipt_number(session, settings)
    return Sale(
        id=new_id(),  # now, not at the flush: the sale's rows name it before they are written
        receipt_no=receipt_no,
        seq=seq,
        kind=kind,
        terminal_id=settings.terminal_id,
        shift_id=shift_id,
        cashier_id=cashier_id,
        created_at=now,
        tz=settings.tz.key,
        business_day=settings.business_day(now),
        **fields,
    )


def new_sale_row(session: Session, settings: CheckoutSettings, **head: Any) -> Sale:
    """A new sale or return row (:func:`sale_head`'s arguments), added to ``session``."""
    sale = sale_head(session, settings, **head)
    session.add(sale)
    return sale


@dataclass(frozen=True)
class SaleExtras:
    """What a sale or return's record carries beyond its rows: rewards, coupons it issued or
    cancelled, uses of limited promotions, stored-value rows, VAT per rate and the dynamic
    member code (key id, time step) the member was identified by."""

    reward_points: int = 0
    coupons_issued: Sequence[IssuedCouponRecord] = field(default_factory=list)
    rule_uses: Sequence[RuleUseRecord] = field(default_factory=list)
    stored_value: Sequence[StoredValueRow] = field(default_factory=list)
    taxes: Sequence[TaxRecord] = field(default_factory=list)
    member_code: tuple[str, int] | None = None


@dataclass(frozen=True)
class SaleRows:
    """A sale's lines, adjustments and payments as column values, in the order written."""

    lines: Sequence[dict[str, Any]]
    adjustments: Sequence[dict[str, Any]]
    payments: Sequence[dict[str, Any]]

    @classmethod
    def of(cls, sale: Sale) -> SaleRows:
        """The rows of a sale written through the ORM (returns, top-ups)."""

        def values(row: Any) -> dict[str, Any]:
            return {a.key: getattr(row, a.key) for a in inspect(row).mapper.column_attrs}

        return cls(
            lines=[values(line) for line in sale.lines],
            adjustments=[values(a) for a in sale.adjustments],
            payments=[values(p) for p in sale.payments],
        )


def priced_rows(
    sale: Sale,
    priced: PricedBasket,
    tenders: Sequence[Tender],
    change: int,
    overrides: Mapping[str, str],
) -> tuple[SaleRows, dict[str, int]]:
    """The rows of a sale priced as ``priced`` and paid by ``tenders`` (``change`` given back
    out of the cash), with the line number of each basket line.

    Points earned and redeemed are allocated to lines (a return gives back each line's
    share); ``overrides`` names the reason of each price override by basket line.
    """
    earning = [line.paid if points.earns(line) else 0 for line in priced.lines]
    earned_per_line = allocate(priced.points_earned, earning) if priced.lines else []
    redeemed_per_line = [
        share + line.reward_points
        for share, line in zip(
            allocate(priced.points_redeemed, [line.points_value for line in priced.lines]),
            priced.lines,
            strict=True,
        )
    ]
    day = sale.business_day
    line_rows: list[dict[str, Any]] = [
        {
            "id": new_id(),
            "sale_id": sale.id,
            "line_no": i,
            "product_id": line.product.product_id,
            "sku": line.product.sku,
            "name": line.product.name,
            "qty": line.qty,
            "unit_price": line.unit_price,
            "gross": line.gross,
            "discount": line.gross - line.net - line.points_value,
            "points_value": line.points_value,
            "points_redeemed": redeemed,
            "net": line.net,
            "paid": line.paid,
            "points_earned": earned,
            "is_gift": line.is_gift,
            "override_reason": overrides.get(line.line_id, ""),
            "sold_by": line.product.sold_by,
            "vat": line.product.vat,
            "tax": line.tax,
            "reward_id": line.reward_id,
            "returned_line_id": None,
            "business_day": day,
        }
        for i, (line, earned, redeemed) in enumerate(
            zip(priced.lines, earned_per_line, redeemed_per_line, strict=True), start=1
        )
    ]
    line_nos = {line.line_id: i for i, line in enumerate(priced.lines, start=1)}
    rules_seen: set[tuple[str, str]] = set()
    adjustment_rows: list[dict[str, Any]] = []
    for adj in priced.adjustments:
        first = (adj.step, adj.rule_id) not in rules_seen
        rules_seen.add((adj.step, adj.rule_id))
        adjustment_rows.append(
            {
                "id": new_id(),
                "sale_id": sale.id,
                "rule_id": adj.rule_id,
                "step": adj.step,
                "label": adj.label,
                "amount": adj.amount,
                "line_no": line_nos.get(adj.line_ids[0]) if len(adj.line_ids) == 1 else None,
                "business_day": day,
                "sale_payable": sale.payable,
                "rule_first": int(first),
            }
        )
    payment_rows: list[dict[str, Any]] = []
    left = change  # change comes out of the cash tenders, one after another
    for t in tenders:
        kept = t.amount
        if t.method == "cash":
            back = min(left, t.amount)
            kept, left = t.amount - back, left - back
        payment_rows.append(
            {
                "id": new_id(),
                "sale_id": sale.id,
                "method": t.method,
                "amount": kept,
                "tendered": t.amount,
                "reference": t.reference,
                "business_day": day,
                "sale_kind": sale.kind,
            }
        )
    return SaleRows(lines=line_rows, adjustments=adjustment_rows, payments=payment_rows), line_nos


def insert_sale(session: Session, sale: Sale, rows: SaleRows) -> None:
    """Write a sale made by :func:`sale_head` and its rows: one INSERT per table, no ORM
    objects. ``sale`` stays out of the session (its later changes are not written)."""
    insert_rows(
        session,
        Sale,
        [{key: getattr(sale, key) for key in _SALE_COLUMNS if key in sale.__dict__}],
    )  # the rest take their column defaults
    insert_rows(session, SaleLine, rows.lines)
    insert_rows(session, SaleAdjustment, rows.adjustments)
    insert_rows(session, Payment, rows.payments)


_SALE_COLUMNS = tuple(attr.key for attr in inspect(Sale).column_attrs)


def _record(model: Any, values: dict[str, Any]) -> Any:
    return model(**{name: values[name] for name in model.model_fields if name in values})


def sale_record(
    sale: Sale,
    rows: SaleRows,
    coupons: Sequence[CouponUseRecord],
    points: Sequence[PointsRecord],
    member_no: str | None,
    extra: SaleExtras | None = None,
) -> SaleRecord:
    """The record of a sale or return as HQ receives it (ids made here, amounts in fen)."""
    extra = extra or SaleExtras()
    return SaleRecord(
        id=sale.id,
        receipt_no=sale.receipt_no,
        seq=sale.seq,
        kind=sale.kind,  # type: ignore[arg-type]  # checked by the schema's constraint
        original_sale_id=sale.original_sale_id,
        terminal_id=sale.terminal_id,
        shift_id=sale.shift_id,
        cashier_id=sale.cashier_id,
        approved_by=sale.approved_by,
        member_id=sale.member_id,
        member_no=member_no,
        created_at=sale.created_at,
        tz=sale.tz,
        business_day=sale.business_day,
        subtotal=sale.subtotal,
        discount_total=sale.discount_total,
        points_redeemed=sale.points_redeemed,
        points_value=sale.points_value,
        rounding=sale.rounding,
        payable=sale.payable,
        points_earned=sale.points_earned,
        lines=[_record(SaleLineRecord, line) for line in rows.lines],
        payments=[_record(PaymentRecord, p) for p in rows.payments],
        adjustments=[_record(AdjustmentRecord, a) for a in rows.adjustments],
        coupons=list(coupons),
        points=list(points),
        reward_points=extra.reward_points,
        coupons_issued=list(extra.coupons_issued),
        rule_uses=list(extra.rule_uses),
        stored_value=list(extra.stored_value),
        taxes=list(extra.taxes),
        member_code_key_id=extra.member_code[0] if extra.member_code else None,
        member_code_step=extra.member_code[1] if extra.member_code else None,
    )


def receipt_options(settings: CheckoutSettings, vault: MemberVault | None) -> dict[str, Any]:
    """What a receipt document needs beyond the sale: the footer and the key to mask the phone."""
    options: dict[str, Any] = {"vault": vault}
    if settings.receipt_footer:
        options["footer"] = settings.receipt_footer
    return options


def finish(
    session: Session,
    settings: CheckoutSettings,
    sale: Sale,
    *,
    coupons: Sequence[CouponUseRecord],
    points: Sequence[PointsRecord],
    member_no: str | None,
    vault: MemberVault | None,
    now: datetime,
    audit_action: str,
    extra: SaleExtras | None = None,
    rows: SaleRows | None = None,
    points_balance: int | None = None,
    tier_name: str | None = None,
    **audit_details: Any,
) -> None:
    """Audit, outbox record and receipt print job of ``sale``, in the caller's transaction.

    ``rows``: the sale's rows as :func:`insert_sale` wrote them (else read from
    the ORM sale); ``points_balance`` and ``tier_name``: the member's balance
    after the sale and tier, for the receipt, when the caller knows them (else
    they are read from the store).
    """
    if rows is None:
        session.flush()  # the ORM rows' ids
        rows = SaleRows.of(sale)
    audit.record(
        session,
        audit_action,
        user_id=sale.cashier_id,
        terminal_id=settings.terminal_id,
        approved_by=sale.approved_by,
        target=sale.receipt_no,
        at=now,
        **audit_details,
    )
    outbox.enqueue(
        session,
        "sale",
        sale.id,
        sale_record(sale, rows, coupons, points, member_no, extra).payload(),
    )
    # the receipt is queued with the sale: it exists exactly when the sale does,
    # and a printer that is off only leaves the job waiting for reprint
    print_jobs.enqueue_sale(
        session,
        sale,
        now=now,
        points_balance=points_balance,
        tier_name=tier_name,
        **receipt_options(settings, vault),
    )
