"""Inputs and outputs of the pricing engine: frozen dataclasses, every amount an ``int`` of fen.

Nothing here computes a price; :func:`terminal.pricing.engine.price` does. The
output types carry everything the screen, the receipt, the sale record and the
``posterm quote`` CLI need (see :meth:`PricedBasket.to_json_dict`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from terminal.pricing.rules import CouponDefinition, Promotion

ROUNDING_MODES = ("none", "drop_fen", "round_jiao", "drop_jiao")
STEPS = ("item", "manual", "tier", "threshold", "coupon", "points", "rounding")


@dataclass(frozen=True)
class ProductInfo:
    product_id: str
    sku: str
    name: str
    category_id: str
    price: int
    discountable: bool = True
    earns_points: bool = True


@dataclass(frozen=True)
class BasketLine:
    """A line as the cashier rang it up.

    ``override_price`` (manager price override) replaces the unit price and takes
    the line out of item promotions; ``manual_discount`` is fen off the line,
    applied right after item promotions (the caller checks the permission).
    """

    line_id: str
    product: ProductInfo
    qty: int
    override_price: int | None = None
    manual_discount: int = 0
    manual_reason: str = ""


@dataclass(frozen=True)
class TierInfo:
    code: str
    name: str
    discount_bp: int  # 500 = 5 % off
    points_multiplier_bp: int  # 10000 = x1


@dataclass(frozen=True)
class MemberInfo:
    member_id: str
    tier: TierInfo
    birthday_month: int | None
    points_balance: int


@dataclass(frozen=True)
class PricingConfig:
    """Store settings that change prices.

    ``points_per_yuan``: how many points redeem for one yuan (default 100).
    ``redeem_cap_bp``: the largest share of the payable that points may pay.
    ``rounding``: ``none`` | ``drop_fen`` | ``round_jiao`` | ``drop_jiao``.
    """

    points_per_yuan: int = 100
    redeem_cap_bp: int = 5000
    rounding: str = "none"

    def __post_init__(self) -> None:
        if self.points_per_yuan < 1:
            raise ValueError("points_per_yuan must be at least 1")
        if not 0 <= self.redeem_cap_bp <= 10_000:
            raise ValueError("redeem_cap_bp must be between 0 and 10000")
        if self.rounding not in ROUNDING_MODES:
            raise ValueError(f"unknown rounding mode {self.rounding!r}")


@dataclass(frozen=True)
class CouponInstance:
    """One issued coupon: its code, what kind of coupon it is, and whether it is spent."""

    code: str
    definition: CouponDefinition
    used: bool = False
    member_id: str | None = None


@dataclass(frozen=True)
class RuleSet:
    promotions: Sequence[Promotion]
    coupon_lookup: Mapping[str, CouponInstance]
    gift_products: Mapping[str, ProductInfo]


@dataclass(frozen=True)
class Basket:
    lines: Sequence[BasketLine]
    coupon_codes: Sequence[str] = ()
    redeem_points: int = 0


@dataclass(frozen=True)
class Adjustment:
    """One reason a price changed. ``amount`` > 0 is money off, in fen.

    ``step`` is one of :data:`STEPS`; ``kind`` the rule kind (``special_price``,
    ``threshold``, ``amount_off`` …, or ``manual``/``tier``/``points``/``rounding``).
    """

    rule_id: str
    step: str
    kind: str
    label: str
    amount: int
    line_ids: tuple[str, ...]


@dataclass(frozen=True)
class CouponResult:
    """What happened to one coupon code: applied with ``amount``, or refused with ``reason``."""

    code: str
    applied: bool
    amount: int
    reason: str
    message: str


@dataclass(frozen=True)
class PricedLine:
    """A priced line. ``net = gross - all discounts - points_value``; ``paid = net - rounding``."""

    line_id: str
    product: ProductInfo
    qty: int
    unit_price: int
    gross: int
    is_gift: bool
    item_discount: int
    manual_discount: int
    tier_discount: int
    threshold_discount: int
    coupon_discount: int
    points_value: int
    net: int
    rounding: int
    paid: int
    adjustments: tuple[Adjustment, ...] = ()


@dataclass(frozen=True)
class PricedBasket:
    """The priced basket.

    Invariants: ``sum(l.net) == payable_before_rounding``, ``sum(l.paid) == payable``,
    ``subtotal - discount_total - points_value == payable_before_rounding``,
    ``payable_before_rounding - rounding == payable``, every amount ``>= 0`` except
    ``rounding``, which is negative when ``round_jiao`` rounds up.
    """

    lines: tuple[PricedLine, ...]
    adjustments: tuple[Adjustment, ...]
    coupons: tuple[CouponResult, ...]
    subtotal: int
    discount_total: int
    points_redeemed: int
    points_value: int
    payable_before_rounding: int
    rounding: int
    payable: int
    points_earned: int
    explanation: tuple[str, ...] = field(default=())

    def to_json_dict(self) -> dict[str, Any]:
        """A plain dict (lists, str, int, bool, None) that ``json.dumps`` accepts as is."""
        result = _plain(self)
        assert isinstance(result, dict)
        return result


def _plain(value: Any) -> Any:
    """Dataclasses to dicts and tuples to lists, recursively."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
