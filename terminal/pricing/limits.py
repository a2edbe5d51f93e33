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

from terminal.messages import Ref, Text
from terminal.pricing.model import LimitNote, RuleUsage
from terminal.pricing.rules import ITEM_KINDS, Limits

# limit field -> usage field (how the till says it: message px_limit_<limit field>)
_TIMES = (
    ("per_member_day", "member_day_times"),
    ("per_member", "member_times"),
)
_UNITS = (
    ("per_member_day_units", "member_day_units"),
    ("per_member_units", "member_units"),
)
_QUOTA = (
    ("quota_day", "quota_day"),
    ("quota", "quota"),
)
NO_USAGE = RuleUsage()


@dataclass(frozen=True)
class Bound:
    """One limit that binds: its field name, what it allows and what is left."""

    limit: str
    allowed: int
    remaining: int

    @property
    def text(self) -> Text:
        """The limit as the till says it: 每人限购 2 件 (message ``px_limit_<limit>``)."""
        return Text(f"px_limit_{self.limit}", {"n": self.allowed})


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


def _tightest(limits: Limits, usage: RuleUsage, table: tuple[tuple[str, str], ...]) -> Bound | None:
    best: Bound | None = None
    for name, used_field in table:
        allowed = getattr(limits, name)
        if allowed is None:
            continue
        left = max(0, allowed - getattr(usage, used_field))
        if best is None or left < best.remaining:
            best = Bound(name, allowed, left)
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
    gone = Ref("px_limit_sold_out") if bound.limit.startswith("quota") else Ref("px_limit_used_up")
    note = Text(
        "px_limit_blocked", {"name": name, "limit": bound.text, "gone": gone, "rule": rule_id}
    )
    return LimitNote(rule_id, bound.limit, bound.allowed, 0, note.render("zh_CN"), note)


def capped_note(rule: object, bound: Bound, wanted: int) -> LimitNote:
    """The note for a rule that gives fewer units than the basket holds."""
    rule_id, name = getattr(rule, "id", "?"), getattr(rule, "name", "?")
    note = Text(
        "px_limit_capped",
        {
            "name": name,
            "limit": bound.text,
            "wanted": wanted,
            "left": bound.remaining,
            "rule": rule_id,
        },
    )
    return LimitNote(
        rule_id, bound.limit, bound.allowed, bound.remaining, note.render("zh_CN"), note
    )
