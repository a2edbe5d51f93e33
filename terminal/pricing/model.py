"""Inputs and outputs of the pricing engine: frozen dataclasses, every amount an ``int`` of fen.

Nothing here computes a price; :func:`terminal.pricing.engine.price` does. The
output types carry everything the screen, the receipt, the sale record and the
``posterm quote`` CLI need (see :meth:`PricedBasket.to_json_dict`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from typing import Any

from terminal.messages import Text
from terminal.pricing.rules import CouponDefinition, Promotion, Reward

ROUNDING_MODES = ("none", "drop_fen", "round_jiao", "drop_jiao")
STEPS = ("reward", "item", "manual", "tier", "threshold", "coupon", "points", "rounding")
SOLD_BY = ("unit", "weight")
VAT_CODES = ("13", "9", "6", "0", "exempt")


@dataclass(frozen=True)
class ProductInfo:
    product_id: str
    sku: str
    name: str
    category_id: str
    price: int  # fen per unit, or per kg when sold by weight
    discountable: bool = True
    earns_points: bool = True
    sold_by: str = "unit"  # "unit": qty in units; "weight": qty in grams, price per kg
    vat: str = "13"  # VAT rate code: "13", "9", "6", "0" or "exempt"

    @property
    def weighed(self) -> bool:
        return self.sold_by == "weight"


@dataclass(frozen=True)
class BasketLine:
    """A line as the cashier rang it up.

    ``override_price`` (manager price override) replaces the unit price and takes
    the line out of item promotions; ``manual_discount`` is fen off the line,
    applied right after item promotions (the caller checks the permission).
    ``qty`` is grams for a product sold by weight. ``label_amount`` is the
    amount printed on a scale label that carries the price: it is the line's
    gross, whatever the weight. ``reward_id`` makes the line a reward (积分兑换)
    paid with points.
    """

    line_id: str
    product: ProductInfo
    qty: int
    override_price: int | None = None
    manual_discount: int = 0
    manual_reason: str = ""
    label_amount: int | None = None
    reward_id: str | None = None


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
    valid_from: datetime | None = None  # this coupon's own window (issued coupons), if any
    valid_to: datetime | None = None


@dataclass(frozen=True)
class RuleUsage:
    """How much of a limited promotion is already used (counted by the caller).

    ``member_*`` for the member on the sale (all time, and the business day of
    ``now``); ``quota`` / ``quota_day`` for everybody: units for item
    promotions, sales for the other kinds.
    """

    member_times: int = 0
    member_units: int = 0
    member_day_times: int = 0
    member_day_units: int = 0
    quota: int = 0
    quota_day: int = 0


@dataclass(frozen=True)
class RuleSet:
    """The rules a basket is priced by.

    ``coupon_definitions`` are what coupons issued by a sale (满额返券, coupon
    rewards) are; ``usage`` holds the counts of promotions with limits.
    """

    promotions: Sequence[Promotion]
    coupon_lookup: Mapping[str, CouponInstance]
    gift_products: Mapping[str, ProductInfo]
    rewards: Mapping[str, Reward] = field(default_factory=dict)
    coupon_definitions: Mapping[str, CouponDefinition] = field(default_factory=dict)
    usage: Mapping[str, RuleUsage] = field(default_factory=dict)


@dataclass(frozen=True)
class Basket:
    """What the cashier rang up; ``reward_coupons`` are reward ids of coupons bought with points."""

    lines: Sequence[BasketLine]
    coupon_codes: Sequence[str] = ()
    redeem_points: int = 0
    reward_coupons: Sequence[str] = ()


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
    message: str  # in Chinese; ``note`` renders in any language
    note: Text | None = None


@dataclass(frozen=True)
class RewardResult:
    """What happened to one reward asked for: applied (``points`` spent) or refused (``reason``).

    ``line_id`` is the reward's line for a product reward, None for a coupon.
    """

    reward_id: str
    kind: str
    line_id: str | None
    points: int
    money: int
    applied: bool
    reason: str
    message: str  # in Chinese; ``note`` renders in any language
    note: Text | None = None


@dataclass(frozen=True)
class IssuedCoupon:
    """Coupons the sale issues once paid: by a ``coupon_issue`` rule or a coupon reward.

    ``basis`` is the amount the rule counted (paid on its target lines) and
    ``line_ids`` those lines, so a return can tell whether the sale still
    qualifies; 0 and () for a reward.
    """

    source: str  # "coupon_issue" | "reward"
    rule_id: str
    definition_id: str
    name: str
    count: int
    valid_from: datetime
    valid_to: datetime
    basis: int = 0
    line_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class LimitNote:
    """A promotion a limit held back: which limit, how much it allows, how much is left.

    ``message`` is the Chinese the sale stores and the receipt prints; a screen shows
    :meth:`text` in its language.
    """

    rule_id: str
    limit: str  # per_member | per_member_units | per_member_day | per_member_day_units | quota …
    allowed: int
    remaining: int
    message: str
    note: Text

    def text(self, lang: str | None = None) -> str:
        """The note in ``lang`` (the till's language unless given)."""
        return self.note.render(lang)


@dataclass(frozen=True)
class RuleUse:
    """A limited promotion this sale used: once, and ``units`` units of line ``line_id``."""

    rule_id: str
    line_id: str | None
    units: int


@dataclass(frozen=True)
class TaxLine:
    """VAT of one rate on a priced basket: ``amount`` paid (tax inclusive) = ``net`` + ``tax``."""

    vat: str
    rate_bp: int
    amount: int
    tax: int
    net: int


@dataclass(frozen=True)
class PricedLine:
    """A priced line. ``net = gross - all discounts - points_value``; ``paid = net - rounding``.

    ``qty`` is grams for a product sold by weight (``product.sold_by``).
    ``tax`` is the VAT inside ``paid`` (see :mod:`terminal.pricing.tax`);
    ``reward_points`` the points a reward line costs.
    """

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
    reward_discount: int = 0
    reward_id: str | None = None
    reward_points: int = 0
    tax: int = 0


@dataclass(frozen=True)
class PricedBasket:
    """The priced basket.

    Invariants: ``sum(l.net) == payable_before_rounding``, ``sum(l.paid) == payable``,
    ``subtotal - discount_total - points_value == payable_before_rounding``,
    ``payable_before_rounding - rounding == payable``, every amount ``>= 0`` except
    ``rounding``, which is negative when ``round_jiao`` rounds up.

    ``notes`` explain the prices line by line, coded: a screen shows
    :meth:`explain` in its language; ``explanation`` is the same lines in
    Chinese, which the sale stores.
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
    reward_points: int = 0
    rewards: tuple[RewardResult, ...] = ()
    coupons_issued: tuple[IssuedCoupon, ...] = ()
    limits: tuple[LimitNote, ...] = ()
    rule_uses: tuple[RuleUse, ...] = ()
    taxes: tuple[TaxLine, ...] = ()
    notes: tuple[Text, ...] = ()

    def explain(self, lang: str | None = None) -> list[str]:
        """The explanation in ``lang`` (the till's language unless given)."""
        if not self.notes:
            return list(self.explanation)
        return [n.render(lang) for n in self.notes]

    def to_json_dict(self) -> dict[str, Any]:
        """A plain dict (lists, str, int, bool, None) that ``json.dumps`` accepts as is."""
        result = _plain(self)
        assert isinstance(result, dict)
        return result


def _plain(value: Any) -> Any:
    """Dataclasses to dicts, tuples to lists and times to ISO text, recursively."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Text):  # a coded line: its code, and its text in each language
        return {"code": value.code, "zh_CN": value.render("zh_CN"), "en": value.render("en")}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
