"""When a rule applies (time window, weekday, time of day, member conditions) and to what.

Also the one conflict-resolution routine every step uses (:func:`choose`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time
from typing import Any, Protocol, TypeVar

from terminal.pricing.model import MemberInfo, ProductInfo


class Ranked(Protocol):
    """What conflict resolution needs to know about a rule."""

    @property
    def id(self) -> str: ...
    @property
    def priority(self) -> int: ...
    @property
    def exclusive(self) -> bool: ...


R = TypeVar("R", bound=Ranked)


def in_window(rule: Any, now: datetime) -> bool:
    """``valid_from <= now <= valid_to`` (both bounds optional and inclusive)."""
    if rule.valid_from is not None and now < rule.valid_from:
        return False
    return not (rule.valid_to is not None and now > rule.valid_to)


def is_active(rule: Any, now: datetime, member: MemberInfo | None) -> bool:
    """Whether a promotion applies at ``now`` for ``member``.

    Weekday and time of day are read in ``now``'s own UTC offset (the till's local
    time). A time range whose end is before its start runs over midnight; the
    start is inclusive, the end exclusive. A rule limited per member needs one.
    """
    if not in_window(rule, now):
        return False
    if rule.weekdays and now.isoweekday() not in rule.weekdays:
        return False
    if not _in_time_of_day(rule, now):
        return False
    limits = getattr(rule, "limits", None)
    member_limited = limits is not None and limits.member_limited
    needs_member = rule.member_only or rule.birthday_month_only or member_limited
    if (needs_member or rule.tiers is not None) and member is None:
        return False
    if rule.birthday_month_only and (member is None or member.birthday_month != now.month):
        return False
    return rule.tiers is None or (member is not None and member.tier.code in rule.tiers)


def active(promotions: Sequence[Any], now: datetime, member: MemberInfo | None) -> list[Any]:
    """The promotions :func:`is_active` accepts, in one pass (the engine's hot path)."""
    ok = checker(now, member)
    return [rule for rule in promotions if in_window(rule, now) and ok(rule)]


def checker(now: datetime, member: MemberInfo | None) -> Callable[[Any], bool]:
    """:func:`is_active` less the validity window, with the clock and member read once.

    For the engine, which checks hundreds of rules against one ``now``: the
    answer for each rule is exactly :func:`is_active`'s when its window holds.
    """
    weekday = now.isoweekday()
    t = now.time().replace(tzinfo=None)
    tier = member.tier.code if member is not None else None
    birthday_now = member is not None and member.birthday_month == now.month

    def ok(rule: Any) -> bool:
        if rule.weekdays and weekday not in rule.weekdays:
            return False
        if (rule.time_from is not None or rule.time_to is not None) and not _time_ok(rule, t):
            return False
        if member is None:
            limits = rule.limits
            return not (
                rule.member_only
                or rule.birthday_month_only
                or rule.tiers is not None
                or (limits is not None and limits.member_limited)
            )
        if rule.birthday_month_only and not birthday_now:
            return False
        return rule.tiers is None or tier in rule.tiers

    return ok


def _in_time_of_day(rule: Any, now: datetime) -> bool:
    return _time_ok(rule, now.time().replace(tzinfo=None))


def _time_ok(rule: Any, t: time) -> bool:
    start, end = rule.time_from, rule.time_to
    if start is None and end is None:
        return True
    if start is None:
        return t < end
    if end is None:
        return t >= start
    if start < end:
        return start <= t < end
    return t >= start or t < end


def targets(rule: Any, product: ProductInfo) -> bool:
    """A rule with neither ``skus`` nor ``categories`` targets every product."""
    if not rule.skus and not rule.categories:
        return True
    return product.sku in rule.skus or product.category_id in rule.categories


def rule_order(rule: Ranked) -> tuple[int, str]:
    """Higher priority first, then by id so the order is always the same."""
    return (-rule.priority, rule.id)


def choose(rules: Sequence[R], outcome: Callable[[tuple[R, ...]], int]) -> tuple[R, ...]:
    """Resolve a conflict between rules of one step (on one line, or on the basket).

    The options are: the stack of every non-exclusive rule (applied one after
    another, highest priority first), and each exclusive rule on its own. The
    option whose highest priority is highest wins; at equal priority the one
    with the larger ``outcome`` (better for the customer) wins; a full tie goes
    to the stack, then to the exclusive rule with the smaller id. Returns the
    chosen rules in the order they apply.
    """
    ordered = sorted(rules, key=rule_order)
    stack = tuple(r for r in ordered if not r.exclusive)
    options = ([stack] if stack else []) + [(r,) for r in ordered if r.exclusive]
    best: tuple[R, ...] = ()
    best_key: tuple[int, int] | None = None
    for option in options:
        key = (max(r.priority for r in option), outcome(option))
        if best_key is None or key > best_key:
            best, best_key = option, key
    return best
