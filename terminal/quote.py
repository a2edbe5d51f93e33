"""Pricing a basket described in a file, without selling it.

Managers use it to check a promotion before it meets a customer::

    {"member": "M00000001",
     "items": [{"barcode": "6900000000014", "qty": 2}, {"sku": "SKU000300"}],
     "coupons": ["CP100001"], "redeem_points": 500,
     "at": "2026-11-23T10:00:00+08:00"}

Only ``items`` is required (it may be empty). ``member`` takes whatever the
till takes (card number, member-app code, phone number; the one rule is
:func:`terminal.members.member_query`), verified the same way but never
recorded: a quote sells nothing. The basket is priced by the same entry point
as the till's, so a quote and a sale of the same basket agree to the fen and
the point. The result is the priced basket as JSON plus the member's status.
"""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator

from terminal import membercodes, members
from terminal.catalogue import find_product, product_info
from terminal.checkout_settings import CheckoutSettings
from terminal.errors import InvalidInput, StateError
from terminal.pii import MemberVault
from terminal.pricing.engine import price
from terminal.pricing.model import Basket, BasketLine
from terminal.rules_store import RuleCache
from terminal.store.database import Database
from terminal.store.models import Member

MAX_FILE_BYTES = 1_000_000
"""A basket file larger than this is not a basket (and ``/dev/zero`` never ends)."""

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


class QuoteItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    barcode: str | None = None
    sku: str | None = None
    qty: Annotated[StrictInt, Field(ge=1, le=9999)] = 1

    @property
    def code(self) -> str:
        code = self.barcode or self.sku
        if not code:
            raise InvalidInput("item_needs_code")
        return code


class QuoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    member: str | None = None
    items: list[QuoteItem]
    coupons: list[str] = []
    redeem_points: Annotated[StrictInt, Field(ge=0)] = 0
    at: datetime | None = None

    @field_validator("at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        if v is None:
            return v
        if v.tzinfo is None:
            raise ValueError("needs a UTC offset, e.g. 2026-11-23T10:00:00+08:00")
        if not EARLIEST <= v < LATEST:
            raise ValueError("must be between 2000 and 2099")
        return v


def read_request(path: Path) -> QuoteRequest:
    """Parse a basket file; any problem is one :class:`InvalidInput` line naming it."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput("basket_file_missing", path=str(path)) from None
    except OSError as exc:
        raise InvalidInput("basket_file_unreadable", path=str(path), why=exc.strerror) from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput("basket_not_a_file", path=str(path))
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InvalidInput("basket_file_unreadable", path=str(path), why=exc.strerror) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput("basket_file_too_big", path=str(path), max=MAX_FILE_BYTES)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput("basket_not_json", path=str(path), why=str(exc)[:80]) from None
    except RecursionError:
        raise InvalidInput("basket_too_deep", path=str(path)) from None
    try:
        return QuoteRequest.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        why = str(err["msg"]).removeprefix("Value error, ")
        raise InvalidInput("basket_field", path=str(path), field=where, why=why) from None
    except RecursionError:
        raise InvalidInput("basket_too_deep", path=str(path)) from None


def _member(
    db: Database, session: Any, vault: MemberVault | None, text: str, at: datetime
) -> Member:
    """The member ``text`` names, found and verified as the till would, recording nothing."""
    query = members.member_query(text)
    if query.kind == "code":
        verified = membercodes.verify(session, query.value, at, record=False)
        return members.find_member(session, verified.member_no)
    if vault is None:
        raise StateError("member_keys_missing")
    if query.kind == "phone":
        return members.find_by_phone(session, vault, query.value)
    raise InvalidInput("quote_member_last4")


def quote(
    db: Database,
    settings: CheckoutSettings,
    request: QuoteRequest,
    *,
    vault: MemberVault | None = None,
) -> dict[str, Any]:
    """The priced basket for ``request`` as a JSON-able dict (nothing is written)."""
    at = request.at or datetime.now(UTC)
    today = settings.business_day(at)
    with db.sessions() as session:
        lines = []
        for i, item in enumerate(request.items, start=1):
            product = find_product(session, item.code)
            lines.append(BasketLine(line_id=str(i), product=product_info(product), qty=item.qty))
        member = None
        member_out: dict[str, Any] | None = None
        if request.member:
            row = _member(db, session, vault, request.member, at)
            month = members.birthday_month(vault, row) if vault is not None else None
            member = members.member_info(session, row, today, month)
            member_out = {
                "member_no": row.member_no,
                "tier": row.tier.code,
                "tier_name": row.tier.name,
                "points_balance": member.points_balance,
            }
        basket = Basket(
            lines=tuple(lines),
            coupon_codes=tuple(request.coupons),
            redeem_points=request.redeem_points,
        )
        rules = RuleCache().ruleset(session, request.coupons)
        priced = price(basket, member, rules, at, settings.pricing)
    return {"at": at.isoformat(), "member": member_out, **priced.to_json_dict()}
