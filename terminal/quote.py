"""Pricing a basket described in a file, without selling it.

Managers use it to check a promotion before it meets a customer::

    {"member": "M00000001",
     "items": [{"barcode": "6900000000014", "qty": 2}, {"sku": "SKU000300"},
               {"sku": "SKU900101", "grams": 532}, {"barcode": "2001010005328"},
               {"sku": "SKU000031", "reward": "RW-NOODLE"}],
     "rewards": ["RW-COUPON10"], "coupons": ["CP100001"], "redeem_points": 500,
     "topup": 50000, "at": "2026-11-23T10:00:00+08:00"}

Only ``items`` is required (it may be empty). An item is a product by
barcode (a scale label too) or SKU; ``grams`` for goods sold by weight;
``reward`` to take it with points (积分兑换). ``rewards`` are coupons bought with
points. ``topup`` shows the bonus a stored-value top-up of that many fen would
earn. ``member`` takes whatever the till takes (card number, member-app code,
phone number; the one rule is :func:`terminal.members.member_query`), verified
the same way but never recorded: a quote sells nothing. The basket is priced
by the same entry point as the till's, with the same usage of limited
promotions, so a quote and a sale of the same basket agree to the fen and the
point. The result is the priced basket as JSON plus the member's status.
"""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator

from terminal import membercodes, members, promotion_use, stored_value
from terminal.catalogue import check_grams, find_scanned, product_info
from terminal.checkout_settings import CheckoutSettings
from terminal.errors import InvalidInput, StateError
from terminal.pii import MemberVault
from terminal.pricing.engine import price
from terminal.pricing.model import Basket, BasketLine
from terminal.pricing.rules import ProductReward
from terminal.pricing.topup import topup_bonus
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
    grams: Annotated[StrictInt, Field(ge=1, le=99_999)] | None = None
    reward: str | None = None

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
    rewards: list[str] = []
    topup: Annotated[StrictInt, Field(ge=1, le=5_000_000)] | None = None
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
        raise StateError("member_keys_not_loaded")
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
    """The priced basket for ``request`` as a JSON-able dict (nothing is written).

    Rules read weekdays and times of day in the store's time zone, whatever
    offset ``at`` was written with (as the till does).
    """
    at = (request.at or datetime.now(UTC)).astimezone(settings.tz)
    today = settings.business_day(at)
    cache = RuleCache()
    with db.sessions() as session:
        rewards = cache.rewards(session)
        lines = []
        coupon_rewards = []
        for i, item in enumerate(request.items, start=1):
            found = find_scanned(session, item.code, settings.scale_formats)
            info = product_info(found.product)
            qty = found.qty if found.qty is not None else item.qty
            if item.grams is not None:
                if not info.weighed:
                    raise InvalidInput("not_weighed", name=info.name)
                qty = check_grams(item.grams)
            elif info.weighed and found.qty is None:
                raise InvalidInput("weight_needed", name=info.name)
            lines.append(
                BasketLine(
                    line_id=str(i),
                    product=info,
                    qty=qty,
                    label_amount=found.label_amount,
                    reward_id=item.reward,
                )
            )
        for reward_id in request.rewards:
            reward = rewards.get(reward_id)
            if isinstance(reward, ProductReward):  # a product reward without its item
                product = find_scanned(session, reward.sku).product
                lines.append(
                    BasketLine(str(len(lines) + 1), product_info(product), 1, reward_id=reward_id)
                )
            else:
                coupon_rewards.append(reward_id)
        member = None
        member_out: dict[str, Any] | None = None
        if request.member:
            row = _member(db, session, vault, request.member, at)
            member = members.pricing_member(session, vault, row, today)
            held = stored_value.balance(session, row.id)
            member_out = {
                "member_no": row.member_no,
                "tier": row.tier.code,
                "tier_name": row.tier.name,
                "points_balance": member.points_balance,
                "stored_value": {"principal": held.principal, "bonus": held.bonus},
            }
        basket = Basket(
            lines=tuple(lines),
            coupon_codes=tuple(request.coupons),
            redeem_points=request.redeem_points,
            reward_coupons=tuple(coupon_rewards),
        )
        usage = promotion_use.usage(
            session, cache.limited(session), member.member_id if member else None, today
        )
        rules = cache.ruleset(session, request.coupons, usage)
        priced = price(basket, member, rules, at, settings.pricing)
        out: dict[str, Any] = {"at": at.isoformat(), "member": member_out}
        if request.topup is not None:
            offer = topup_bonus(request.topup, cache.promotions(session), member, at)
            out["topup"] = {
                "amount": request.topup,
                "bonus": offer.bonus,
                "rule_id": offer.rule.id if offer.rule is not None else None,
                "label": offer.label,
            }
    return {**out, **priced.to_json_dict()}
