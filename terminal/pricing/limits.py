"""Promotion limits: 每人限享 N 次, 每人限购 N 件, per day, and 限量 N 份.

The engine is pure, so it does not count: the caller passes what each limited
promotion has used so far (:class:`~terminal.pricing.model.RuleUsage`, counted
from the till's own records, see :mod:`terminal.promotion_use`). This module
turns a rule's :class:`~terminal.pricing.rules.Limits` and its usage into an
:class:`Allowance`: how many more sales and how many more units it may give,
and which limit binds, so the screen can say which limit held a promotion back
and how much of it is left.
"""

from __future__ import annotations

from dataclasses import dataclass

from terminal.pricing.model import LimitNote, RuleUsage
from terminal.pricing.rules import ITEM_KINDS, Limits

# limit field -> (usage field, counts units?, how the till says it)
_TIMES = (
    ("per_member_day", "member_day_times", "每人每日限享 {n} 次"),
    ("per_member", "member_times", "每人限享 {n} 次"),
)
_UNITS = (
    ("per_member_day_units", "member_day_units", "每人每日限购 {n} 件"),
    ("per_member_units", "member_units", "每人限购 {n} 件"),
)
_QUOTA = (
    ("quota_day", "quota_day", "每日限量 {n} 份"),
    ("quota", "quota", "限量 {n} 份"),
)
NO_USAGE = RuleUsage()


@dataclass(frozen=True)
class Bound:
    """One limit that binds: its field name, what it allows and what is left."""

    limit: str
    allowed: int
    remaining: int
    text: str


@dataclass(frozen=True)
class Allowance:
    """What a limited rule may still give on this sale (None: no such limit)."""

    times: Bound | None
    units: Bound | None

    @property
    def blocked(self) -> Bound | None:
        """The limit that is used up (no more sales, or no unit left), if any."""
        for bound in (self.times, self.units):
            if bound is not None and bound.remaining <= 0:
                return bound
        return None

    @property
    def unit_cap(self) -> int | None:
        return self.units.remaining if self.units is not None else None


def _tightest(
    limits: Limits, usage: RuleUsage, table: tuple[tuple[str, str, str], ...]
) -> Bound | None:
    best: Bound | None = None
    for name, used_field, text in table:
        allowed = getattr(limits, name)
        if allowed is None:
            continue
        left = max(0, allowed - getattr(usage, used_field))
        if best is None or left < best.remaining:
            best = Bound(name, allowed, left, text.format(n=allowed))
    return best


def allowance(rule: object, usage: RuleUsage | None) -> Allowance | None:
    """The rule's allowance on this sale, or None when the rule has no limits."""
    limits: Limits | None = getattr(rule, "limits", None)
    if limits is None:
        return None
    usage = usage or NO_USAGE
    item = isinstance(rule, ITEM_KINDS)
    times = _tightest(limits, usage, _TIMES if item else _TIMES + _QUOTA)
    units = _tightest(limits, usage, _UNITS + _QUOTA) if item else None
    return Allowance(times, units)


def blocked_note(rule: object, bound: Bound) -> LimitNote:
    """The note for a rule a used-up limit keeps off this sale."""
    rule_id, name = getattr(rule, "id", "?"), getattr(rule, "name", "?")
    gone = "已售完" if bound.limit.startswith("quota") else "已用完"
    return LimitNote(
        rule_id,
        bound.limit,
        bound.allowed,
        0,
        f"{name}：{bound.text}，{gone}，本单不享受 (规则 {rule_id})",
    )


def capped_note(rule: object, bound: Bound, wanted: int) -> LimitNote:
    """The note for a rule that gives fewer units than the basket holds."""
    rule_id, name = getattr(rule, "id", "?"), getattr(rule, "name", "?")
    return LimitNote(
        rule_id,
        bound.limit,
        bound.allowed,
        bound.remaining,
        f"{name}：{bound.text}，本单 {wanted} 件中 {bound.remaining} 件享受优惠，"
        f"其余按原价 (规则 {rule_id})",
    )
