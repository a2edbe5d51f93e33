"""The records a till sends to HQ, defined once.

Versioned pydantic models that both the terminal (to fill its outbox) and
the HQ server (to read pushes) import, so the two ends cannot drift. Golden
JSON examples in ``tests/terminal/golden/records/`` make a renamed or retyped
field fail a test, not a till in the field.

Rules of the wire:
- Amounts are integer fen; points are integers; times are ISO 8601 with offset.
- Every record has a UUID made at the till (``id``); HQ de-duplicates on it.
- ``schema_version`` is the version of *this* record type. A change that an
  older HQ could misread bumps it; adding an optional field does not.
- Unknown fields are refused (``extra="forbid"``) so a typo fails at the
  till's tests, not silently at HQ.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def payload(self) -> dict[str, Any]:
        """The JSON-able dict written to the outbox and pushed to HQ."""
        return self.model_dump(mode="json")


class SaleLineRecord(_Record):
    """A line. ``qty`` is grams and ``unit_price`` per kg when ``sold_by`` is ``weight``."""

    id: str
    line_no: int
    sku: str
    sold_by: Literal["unit", "weight"] = "unit"
    qty: int
    unit_price: int
    gross: int
    discount: int
    points_value: int
    net: int
    paid: int
    points_earned: int
    points_redeemed: int
    is_gift: bool
    returned_line_id: str | None = None
    vat: Literal["13", "9", "6", "0", "exempt"] = "13"
    tax: int = 0
    reward_id: str | None = None


class PaymentRecord(_Record):
    id: str
    method: Literal["cash", "card", "wechat", "alipay", "stored_value"]
    amount: int
    reference: str = ""


class AdjustmentRecord(_Record):
    rule_id: str
    step: str
    label: str
    amount: int


class CouponUseRecord(_Record):
    """A coupon redeemed by a sale (``amount``) or given back by a return (``restored``)."""

    code: str
    amount: int | None = None
    restored: bool = False


class IssuedCouponRecord(_Record):
    """A coupon a sale issued (满额返券 or a coupon reward), or a return cancelled.

    ``status`` is ``issued`` on the sale that issued it; on a return it is
    ``void`` (cancelled while unused) or ``used`` (already used: ``deducted``
    is what the refund was reduced by, 0 when the store absorbs it).
    """

    code: str
    definition_id: str
    source: Literal["coupon_issue", "reward"]
    rule_id: str
    member_id: str | None = None
    valid_from: datetime
    valid_to: datetime
    status: Literal["issued", "void", "used"] = "issued"
    deducted: int = 0


class RuleUseRecord(_Record):
    """A use of a promotion with limits (HQ adds them up across tills); negative on returns."""

    rule_id: str
    line_id: str | None = None
    times: int
    units: int


class StoredValueRow(_Record):
    """One stored-value ledger row a sale, return or top-up wrote."""

    id: str
    kind: Literal["topup", "bonus", "spend", "refund", "topup_refund", "bonus_void"]
    bucket: Literal["principal", "bonus"]
    amount: int


class TaxRecord(_Record):
    """VAT of one rate on the document: ``amount`` paid (tax inclusive) = ``net`` + ``tax``."""

    vat: Literal["13", "9", "6", "0", "exempt"]
    amount: int
    tax: int
    net: int


class PointsRecord(_Record):
    """One points-ledger row the sale wrote (earn, redeem, reverse, restore)."""

    id: str
    kind: Literal["earn", "redeem", "reverse", "restore"]
    points: int
    lot_id: str | None = None
    expires_on: date | None = None


class SaleRecord(_Record):
    """A committed sale or return (``kind``), as HQ receives it.

    Version 2: lines may be sold by weight (``qty`` in grams), payments may be
    ``stored_value``; rewards, issued and cancelled coupons, uses of limited
    promotions, stored-value rows and VAT per rate came with it.
    ``member_code_key_id`` / ``member_code_step``: the dynamic member code
    (member-app key id and time step) the member was identified by, if any,
    so HQ can find one code used at two tills (optional: older tills omit it).
    """

    record: Literal["sale"] = "sale"
    schema_version: Literal[2] = 2
    id: str
    receipt_no: str
    seq: int
    kind: Literal["sale", "return"]
    original_sale_id: str | None = None
    terminal_id: str
    shift_id: str
    cashier_id: str
    approved_by: str | None = None
    member_id: str | None = None
    member_no: str | None = None
    created_at: datetime
    tz: str
    business_day: date
    subtotal: int
    discount_total: int
    points_redeemed: int
    points_value: int
    rounding: int
    payable: int
    points_earned: int
    lines: list[SaleLineRecord]
    payments: list[PaymentRecord]
    adjustments: list[AdjustmentRecord]
    coupons: list[CouponUseRecord] = Field(default_factory=list)
    points: list[PointsRecord] = Field(default_factory=list)
    reward_points: int = 0
    coupons_issued: list[IssuedCouponRecord] = Field(default_factory=list)
    rule_uses: list[RuleUseRecord] = Field(default_factory=list)
    stored_value: list[StoredValueRow] = Field(default_factory=list)
    taxes: list[TaxRecord] = Field(default_factory=list)
    member_code_key_id: str | None = None
    member_code_step: int | None = None


class StoredValueRecord(_Record):
    """A stored-value top-up (储值充值) taken at this till, or the refund of one.

    ``principal`` is the money paid in (negative on a refund), ``bonus`` the
    top-up bonus given (or taken back); ``payments`` how the money moved.
    """

    record: Literal["stored_value"] = "stored_value"
    schema_version: Literal[1] = 1
    id: str
    kind: Literal["topup", "topup_refund"]
    receipt_no: str
    original_id: str | None = None
    terminal_id: str
    shift_id: str
    cashier_id: str
    approved_by: str | None = None
    member_id: str
    member_no: str
    created_at: datetime
    tz: str
    business_day: date
    principal: int
    bonus: int
    bonus_rule_id: str | None = None
    payments: list[PaymentRecord]
    entries: list[StoredValueRow]


class ConsentRecord(_Record):
    kind: Literal["marketing", "data_processing"]
    granted: bool
    text_version: str
    at: datetime


class PersonalData(_Record):
    """A member's personal fields, encrypted at rest in the outbox (AES-GCM, base64).

    The sync agent opens them at send time (``MemberVault.open_outbox_personal``)
    and sends the clear values to HQ over TLS only, marked ``enc="clear"``.
    """

    enc: Literal["aes-gcm-v1", "clear"] = "aes-gcm-v1"
    name: str | None = None
    phone: str | None = None
    birthday: str | None = None


class MemberRecord(_Record):
    """A member registered at this till."""

    record: Literal["member"] = "member"
    schema_version: Literal[1] = 1
    id: str
    member_no: str
    tier_code: str
    status: Literal["active", "blocked", "erased"]
    referrer_no: str | None = None
    created_at: datetime
    terminal_id: str | None = None
    consents: list[ConsentRecord]
    personal: PersonalData | None = None


class MemberErasureRecord(_Record):
    """A member's personal data erased at this till (HQ erases it chain-wide)."""

    record: Literal["member_erasure"] = "member_erasure"
    schema_version: Literal[1] = 1
    member_id: str
    member_no: str
    at: datetime
    reason: str


class ZTenderRecord(_Record):
    """One tender's money on a Z report: taken on sales, refunded, top-ups, net (fen)."""

    taken: int
    refunded: int
    topups: int
    net: int


class ZTaxRecord(_Record):
    vat: str
    paid: int
    tax: int


class ZReportRecord(_Record):
    """A Z report taken at this till: one business day closed, totals as the report holds them.

    ``id`` is the till's Z report row. Amounts are integer fen: ``gross`` the list
    price of the day's sales, ``amount`` what they came to, ``refunds`` what
    returns paid back (positive), ``net`` = ``amount`` - ``refunds``; the cash
    figures are those of the shifts closed during the day.
    """

    record: Literal["z_report"] = "z_report"
    schema_version: Literal[1] = 1
    id: str
    terminal_id: str
    z_no: int
    business_day: date
    taken_at: datetime
    taken_by: str
    sales_count: int
    returns_count: int
    gross: int
    discounts: int
    points_value: int
    rounding: int
    amount: int
    refunds: int
    net: int
    tenders: dict[str, ZTenderRecord]
    tax: list[ZTaxRecord] = Field(default_factory=list)
    voided_lines: int = 0
    cancelled_baskets: int = 0
    shifts: int = 0
    opening_floats: int = 0
    expected_cash: int = 0
    counted_cash: int = 0
    variance: int = 0


RECORD_TYPES: dict[str, type[_Record]] = {
    "sale": SaleRecord,
    "stored_value": StoredValueRecord,
    "member": MemberRecord,
    "member_erasure": MemberErasureRecord,
    "z_report": ZReportRecord,
}
"""Outbox kind -> the model of its payload."""
