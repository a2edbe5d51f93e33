"""Pricing a basket described in a file, without selling it.

Managers use it to check a promotion before it meets a customer::

    {"member": "M00000001",
     "items": [{"barcode": "6900000000014", "qty": 2}, {"sku": "SKU000300"}],
     "coupons": ["CP100001"], "redeem_points": 500,
     "at": "2026-11-23T10:00:00+08:00"}

Only ``items`` is required (it may be empty). The result is the priced basket
as JSON plus the member's status.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from terminal.catalogue import find_product, product_info
from terminal.checkout import CheckoutSettings
from terminal.errors import InvalidInput
from terminal.members import find_member, member_info
from terminal.pricing.engine import price
from terminal.pricing.model import Basket, BasketLine
from terminal.rules_store import RuleCache
from terminal.store.database import Database


class QuoteItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    barcode: str | None = None
    sku: str | None = None
    qty: int = Field(default=1, ge=1, le=9999)

    @property
    def code(self) -> str:
        code = self.barcode or self.sku
        if not code:
            raise InvalidInput("每个商品需要 barcode 或 sku / each item needs a barcode or sku")
        return code


class QuoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    member: str | None = None
    items: list[QuoteItem]
    coupons: list[str] = []
    redeem_points: int = Field(default=0, ge=0)
    at: datetime | None = None

    @field_validator("at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        if v is not None and v.tzinfo is None:
            raise ValueError("needs a UTC offset, e.g. 2026-11-23T10:00:00+08:00")
        return v


def read_request(path: Path) -> QuoteRequest:
    """Parse a basket file; any problem is one :class:`InvalidInput` line naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInput(f"找不到购物篮文件 / no such file: {path}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path}: 不是有效的 JSON / not valid JSON ({exc})") from exc
    try:
        return QuoteRequest.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise InvalidInput(f"{path}: {where}: {err['msg']}") from exc


def quote(db: Database, settings: CheckoutSettings, request: QuoteRequest) -> dict[str, Any]:
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
            row = find_member(session, request.member)
            member = member_info(session, row, today)
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
