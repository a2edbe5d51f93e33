"""Promotion and coupon rules: JSON data validated by a pydantic schema.

Every amount in a rule is an ``int`` of fen, every rate an ``int`` of basis
points (docs/promotions.md has the format of each kind with an example).
:func:`load_promotions` and :func:`load_coupon_definitions` turn JSON into
frozen models or raise :class:`RuleError` naming the rule and the bad field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime, time
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
)

T = TypeVar("T")


class RuleError(ValueError):
    """A rule that cannot be used; the message names the rule id and the field."""

    def __init__(self, what: str, rule_id: str, field: str, problem: str) -> None:
        self.what = what
        self.rule_id = rule_id
        self.field = field
        self.problem = problem
        super().__init__(f'{what} "{rule_id}": field "{field}": {problem}')


def _between(lo: int, hi: int) -> Callable[[int], int]:
    def check(v: int) -> int:
        if not lo <= v <= hi:
            raise ValueError(f"must be between {lo} and {hi}")
        return v

    return check


def _at_least(lo: int) -> Callable[[int], int]:
    def check(v: int) -> int:
        if v < lo:
            raise ValueError(f"must be at least {lo}")
        return v

    return check


Fen = Annotated[int, Field(strict=True), AfterValidator(_at_least(0))]
PositiveFen = Annotated[int, Field(strict=True), AfterValidator(_at_least(1))]
Count = Annotated[int, Field(strict=True), AfterValidator(_at_least(1))]
Days = Annotated[int, Field(strict=True), AfterValidator(_between(0, 366))]
PercentBp = Annotated[int, Field(strict=True), AfterValidator(_between(1, 10_000))]
Weekday = Annotated[int, Field(strict=True), AfterValidator(_between(1, 7))]


class Limits(BaseModel):
    """How often a promotion may be enjoyed (each field optional; all given ones hold).

    ``per_member`` / ``per_member_day``: sales per member (每人限享 N 次), in the
    promotion's life / per business day. ``per_member_units`` /
    ``per_member_day_units``: units per member at the promotional price (每人限购
    N 件; item promotions only). ``quota`` / ``quota_day``: 份 for everybody
    together (限量 N 份): units for item promotions, sales for the other kinds.
    A rule with a member limit applies to identified members only.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    per_member: Count | None = None
    per_member_units: Count | None = None
    per_member_day: Count | None = None
    per_member_day_units: Count | None = None
    quota: Count | None = None
    quota_day: Count | None = None

    @property
    def member_limited(self) -> bool:
        return any(
            v is not None
            for v in (
                self.per_member,
                self.per_member_units,
                self.per_member_day,
                self.per_member_day_units,
            )
        )

    @property
    def counts_units(self) -> bool:
        return self.per_member_units is not None or self.per_member_day_units is not None


class _Rule(BaseModel):
    """Fields every promotion has: identity, priority, exclusivity and when it applies."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(min_length=1)]
    name: Annotated[str, Field(min_length=1)]
    priority: int = 0
    exclusive: bool = False
    valid_from: AwareDatetime | None = None
    valid_to: AwareDatetime | None = None
    weekdays: tuple[Weekday, ...] = ()
    time_from: time | None = None
    time_to: time | None = None
    birthday_month_only: bool = False
    member_only: bool = False
    tiers: tuple[str, ...] | None = None
    limits: Limits | None = None

    @field_validator("time_from", "time_to", mode="before")
    @classmethod
    def _hh_mm(cls, v: Any) -> Any:
        if v is None:
            return v
        if not isinstance(v, str) or len(v) != 5 or v[2] != ":":
            raise ValueError('must be a local time "HH:MM"')
        return v


class _Targets(BaseModel):
    """Which products a rule is about: SKUs and/or categories; both empty means all."""

    skus: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


class _ItemRule(_Rule, _Targets):
    tier_discount: bool = True  # false: lines this rule touched get no member tier discount


class SpecialPrice(_ItemRule):
    kind: Literal["special_price"]
    price: Fen
    limit_qty: Count | None = None


class PercentOff(_ItemRule):
    kind: Literal["percent_off"]
    percent_off_bp: PercentBp


class AmountOff(_ItemRule):
    kind: Literal["amount_off"]
    amount: PositiveFen  # fen off per unit


class BuyXGetY(_ItemRule):
    kind: Literal["buy_x_get_y"]
    buy: Count
    get: Count


class NthItem(_ItemRule):
    """第二件半价 / 买三免一: of every ``n`` target units, the cheapest take ``percent_off_bp``."""

    kind: Literal["nth_item"]
    n: Annotated[int, Field(strict=True), AfterValidator(_between(2, 99))]
    percent_off_bp: PercentBp
    same_product: bool = False  # true: count each product on its own (第二件 of the same item)


class Gift(_Rule, _Targets):
    kind: Literal["gift"]
    min_qty: Count | None = None
    min_amount: PositiveFen | None = None
    gift_sku: Annotated[str, Field(min_length=1)]
    gift_qty: Count = 1


class Threshold(_Rule, _Targets):
    kind: Literal["threshold"]
    min_spend: PositiveFen
    amount: PositiveFen | None = None
    percent_off_bp: PercentBp | None = None
    repeat: bool = False
    max_repeats: Count | None = None


class PointsMultiplier(_Rule):
    kind: Literal["points_multiplier"]
    multiplier_bp: PositiveFen


class CouponIssue(_Rule, _Targets):
    """满额返券: a sale whose target lines' paid amount reaches ``min_spend`` issues coupons.

    ``count`` coupons of definition ``coupon_id`` (once, or once per whole
    multiple of ``min_spend`` with ``repeat``, capped by ``max_repeats``), valid
    from the start of the local day ``starts_after_days`` after the sale, for
    ``valid_days`` days.
    """

    kind: Literal["coupon_issue"]
    min_spend: PositiveFen
    coupon_id: Annotated[str, Field(min_length=1)]
    count: Count = 1
    repeat: bool = False
    max_repeats: Count | None = None
    starts_after_days: Days = 1
    valid_days: Annotated[int, Field(strict=True), AfterValidator(_between(1, 3660))]


class TopUpBonus(_Rule):
    """充500送50: a stored-value top-up of at least ``min_amount`` earns ``bonus`` fen.

    With ``repeat`` the bonus is given per whole multiple of ``min_amount``
    (capped by ``max_repeats``). Not a price rule: the pricing of baskets
    ignores it; :func:`terminal.pricing.topup.topup_bonus` reads it.
    """

    kind: Literal["topup_bonus"]
    min_amount: PositiveFen
    bonus: PositiveFen
    repeat: bool = False
    max_repeats: Count | None = None


ItemPromotion = SpecialPrice | PercentOff | AmountOff | BuyXGetY | NthItem
Promotion = Annotated[
    SpecialPrice
    | PercentOff
    | AmountOff
    | BuyXGetY
    | NthItem
    | Gift
    | Threshold
    | PointsMultiplier
    | CouponIssue
    | TopUpBonus,
    Field(discriminator="kind"),
]


class _Coupon(_Targets):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(min_length=1)]
    name: Annotated[str, Field(min_length=1)]
    min_spend: Fen = 0
    stackable: bool = False
    member_only: bool = False
    valid_from: AwareDatetime | None = None
    valid_to: AwareDatetime | None = None


class CouponAmountOff(_Coupon):
    kind: Literal["amount_off"]
    value: PositiveFen


class CouponPercentOff(_Coupon):
    kind: Literal["percent_off"]
    percent_off_bp: PercentBp
    max_discount: PositiveFen | None = None


CouponDefinition = Annotated[CouponAmountOff | CouponPercentOff, Field(discriminator="kind")]


class _Reward(BaseModel):
    """An entry of the rewards catalogue (积分兑换): what ``points`` buy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(min_length=1)]
    name: Annotated[str, Field(min_length=1)]
    points: Count
    valid_from: AwareDatetime | None = None
    valid_to: AwareDatetime | None = None
    tiers: tuple[str, ...] | None = None


class ProductReward(_Reward):
    """A product for ``points`` per unit (plus ``money`` fen per unit, 0 = free)."""

    kind: Literal["product"]
    sku: Annotated[str, Field(min_length=1)]
    money: Fen = 0


class CouponReward(_Reward):
    """A coupon of definition ``coupon_id`` for ``points``, issued on the spot."""

    kind: Literal["coupon"]
    coupon_id: Annotated[str, Field(min_length=1)]
    starts_after_days: Days = 0
    valid_days: Annotated[int, Field(strict=True), AfterValidator(_between(1, 3660))]


Reward = Annotated[ProductReward | CouponReward, Field(discriminator="kind")]

_PROMOTION: TypeAdapter[Any] = TypeAdapter(Promotion)
_COUPON: TypeAdapter[Any] = TypeAdapter(CouponDefinition)
_REWARD: TypeAdapter[Any] = TypeAdapter(Reward)


def _items(data: Sequence[Any] | str, what: str) -> list[Any]:
    """Accept a JSON text, a list of dicts, or a list of JSON texts (one per row)."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise RuleError(what, "?", "-", f"not valid JSON: {exc}") from exc
    if not isinstance(data, list | tuple):
        raise RuleError(what, "?", "-", "rules must be a JSON list")
    items = []
    for i, item in enumerate(data):
        if isinstance(item, str | bytes):
            try:
                item = json.loads(item)
            except json.JSONDecodeError as exc:
                raise RuleError(what, f"#{i}", "-", f"not valid JSON: {exc}") from exc
        items.append(item)
    return items


def _error(what: str, rule_id: str, exc: ValidationError, tags: Sequence[str]) -> RuleError:
    err = exc.errors(include_url=False)[0]
    loc = [str(p) for p in err["loc"]]
    if loc and loc[0] in tags:  # the discriminator tag pydantic puts first
        loc = loc[1:]
    kind = err["type"]
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return RuleError(what, rule_id, "kind", f"must be one of {', '.join(tags)}")
    field = ".".join(loc) or "-"
    if kind == "missing":
        problem = "is required"
    elif kind == "extra_forbidden":
        problem = "is not a known field"
    else:
        problem = str(err["msg"]).removeprefix("Value error, ")
        problem = problem[:1].lower() + problem[1:]
    return RuleError(what, rule_id, field, problem)


def _load(
    data: Sequence[Any] | str,
    what: str,
    adapter: TypeAdapter[Any],
    tags: Sequence[str],
    check: Callable[[Any], tuple[str, str] | None],
) -> list[Any]:
    out: list[Any] = []
    seen: set[str] = set()
    for i, item in enumerate(_items(data, what)):
        rule_id = str(item.get("id", f"#{i}")) if isinstance(item, dict) else f"#{i}"
        if not isinstance(item, dict):
            raise RuleError(what, rule_id, "-", "must be a JSON object")
        try:
            rule = adapter.validate_python(item)
        except ValidationError as exc:
            raise _error(what, rule_id, exc, tags) from exc
        problem = _check_window(rule) or check(rule)
        if problem:
            raise RuleError(what, rule_id, *problem)
        if rule.id in seen:
            raise RuleError(what, rule_id, "id", "is used by another rule")
        seen.add(rule.id)
        out.append(rule)
    return out


def _check_window(rule: Any) -> tuple[str, str] | None:
    frm: datetime | None = rule.valid_from
    to: datetime | None = rule.valid_to
    if frm is not None and to is not None and to < frm:
        return ("valid_to", "must not be before valid_from")
    return None


def _check_promotion(rule: Any) -> tuple[str, str] | None:
    if isinstance(rule, Gift) and rule.min_qty is None and rule.min_amount is None:
        return ("min_qty", "a gift needs min_qty or min_amount")
    if isinstance(rule, Threshold):
        if (rule.amount is None) == (rule.percent_off_bp is None):
            return ("amount", "give exactly one of amount and percent_off_bp")
        if rule.amount is not None and rule.amount > rule.min_spend:
            return ("amount", "must not be more than min_spend")
    if rule.time_from is not None and rule.time_from == rule.time_to:
        return ("time_to", "must differ from time_from")
    if rule.limits is not None:
        if isinstance(rule, PointsMultiplier | TopUpBonus):
            return ("limits", f"{rule.kind} rules take no limits")
        if rule.limits.counts_units and not isinstance(rule, ITEM_KINDS):
            return ("limits", "unit limits are for item promotions only")
    return None


def _check_coupon(rule: Any) -> tuple[str, str] | None:
    """Coupons have no cross-field rule beyond the time window (yet)."""
    return None


ITEM_KINDS = (SpecialPrice, PercentOff, AmountOff, BuyXGetY, NthItem)

PROMOTION_KINDS = (
    "special_price",
    "percent_off",
    "amount_off",
    "buy_x_get_y",
    "nth_item",
    "gift",
    "threshold",
    "points_multiplier",
    "coupon_issue",
    "topup_bonus",
)
COUPON_KINDS = ("amount_off", "percent_off")
REWARD_KINDS = ("product", "coupon")


def load_promotions(data: Sequence[Any] | str) -> list[Promotion]:
    """Parse and validate promotions (a JSON list, or a list of dicts / JSON texts)."""
    return _load(data, "promotion", _PROMOTION, PROMOTION_KINDS, _check_promotion)


def load_coupon_definitions(data: Sequence[Any] | str) -> list[CouponDefinition]:
    """Parse and validate coupon definitions (same input forms as :func:`load_promotions`)."""
    return _load(data, "coupon", _COUPON, COUPON_KINDS, _check_coupon)


def load_rewards(data: Sequence[Any] | str) -> list[Reward]:
    """Parse and validate the rewards catalogue (same input forms as :func:`load_promotions`)."""
    return _load(data, "reward", _REWARD, REWARD_KINDS, lambda _rule: None)
