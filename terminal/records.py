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
    id: str
    line_no: int
    sku: str
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


class PaymentRecord(_Record):
    id: str
    method: Literal["cash", "card", "wechat", "alipay"]
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


class PointsRecord(_Record):
    """One points-ledger row the sale wrote (earn, redeem, reverse, restore)."""

    id: str
    kind: Literal["earn", "redeem", "reverse", "restore"]
    points: int
    lot_id: str | None = None
    expires_on: date | None = None


class SaleRecord(_Record):
    """A committed sale or return (``kind``), as HQ receives it."""

    record: Literal["sale"] = "sale"
    schema_version: Literal[1] = 1
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


class ConsentRecord(_Record):
    kind: Literal["marketing", "data_processing"]
    granted: bool
    text_version: str
    at: datetime


class PersonalData(_Record):
    """A member's personal fields, encrypted at rest in the outbox (AES-GCM, base64).

    The sync agent opens them at send time (``MemberVault.open_outbox_personal``)
    and sends the clear values to HQ over TLS only.
    """

    enc: Literal["aes-gcm-v1"] = "aes-gcm-v1"
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


RECORD_TYPES: dict[str, type[_Record]] = {
    "sale": SaleRecord,
    "member": MemberRecord,
    "member_erasure": MemberErasureRecord,
}
"""Outbox kind -> the model of its payload."""
