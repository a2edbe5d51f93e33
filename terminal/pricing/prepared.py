"""Rules made ready for pricing once, not on every re-price (the engine's hot path).

A till re-prices the whole basket on every scan against the same few hundred
promotions, which change only when HQ sends new ones. :func:`prepare` orders
them, turns their validity windows into integer microseconds and indexes the
item promotions by the SKUs and categories they target; the result is kept
for the sequence it was made from (the rule cache hands the engine the same
list until it reloads), so a scan pays only for what depends on the basket
and the clock. Nothing here changes an answer: :func:`live` returns exactly
the rules :func:`~terminal.pricing.conditions.is_active` accepts (a property
test checks it).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from terminal.pricing.conditions import checker, rule_order
from terminal.pricing.model import MemberInfo
from terminal.pricing.rules import ITEM_KINDS, ItemPromotion, Promotion

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def micros(at: datetime) -> int:
    """An aware instant as whole microseconds since 1970 (exact: datetimes hold microseconds)."""
    return (at - _EPOCH) // _US


@dataclass(frozen=True)
class TargetIndex:
    """Item promotions by what they target, each list in rule order."""

    every: tuple[ItemPromotion, ...]
    by_sku: dict[str, tuple[ItemPromotion, ...]]
    by_category: dict[str, tuple[ItemPromotion, ...]]
    order: dict[str, int]


@dataclass(frozen=True)
class Prepared:
    ordered: tuple[Promotion, ...]
    windows: tuple[tuple[int | None, int | None], ...]  # aligned with ``ordered``
    plain: tuple[bool, ...]  # no weekday, time-of-day or member condition
    items: TargetIndex


def _is_plain(rule: Promotion) -> bool:
    limits = rule.limits
    return not (
        rule.weekdays
        or rule.time_from is not None
        or rule.time_to is not None
        or rule.member_only
        or rule.birthday_month_only
        or rule.tiers is not None
        or (limits is not None and limits.member_limited)
    )


def _index(rules: Sequence[ItemPromotion]) -> TargetIndex:
    every: list[ItemPromotion] = []
    by_sku: dict[str, list[ItemPromotion]] = {}
    by_category: dict[str, list[ItemPromotion]] = {}
    for r in rules:
        if not r.skus and not r.categories:
            every.append(r)
        for sku in r.skus:
            by_sku.setdefault(sku, []).append(r)
        for cat in r.categories:
            by_category.setdefault(cat, []).append(r)
    return TargetIndex(
        tuple(every),
        {k: tuple(v) for k, v in by_sku.items()},
        {k: tuple(v) for k, v in by_category.items()},
        {r.id: i for i, r in enumerate(rules)},
    )


def _build(promotions: Sequence[Promotion]) -> Prepared:
    ordered = tuple(sorted(promotions, key=rule_order))
    return Prepared(
        ordered,
        tuple(
            (
                micros(r.valid_from) if r.valid_from is not None else None,
                micros(r.valid_to) if r.valid_to is not None else None,
            )
            for r in ordered
        ),
        tuple(_is_plain(r) for r in ordered),
        _index([r for r in ordered if isinstance(r, ITEM_KINDS)]),
    )


_lock = threading.Lock()
_last: tuple[Sequence[Promotion], Prepared] | None = None


def prepare(promotions: Sequence[Promotion]) -> Prepared:
    """The prepared form of ``promotions``, made once per sequence object.

    The cache holds the sequence itself, so its identity cannot be reused by
    another list while the entry lives; a tuple or list that is equal but not
    the same object is simply prepared again.
    """
    global _last
    last = _last
    if last is not None and last[0] is promotions:
        return last[1]
    prepared = _build(promotions)
    with _lock:
        _last = (promotions, prepared)
    return prepared


def live(prepared: Prepared, now: datetime, member: MemberInfo | None) -> list[Promotion]:
    """The rules active at ``now`` for ``member``, in rule order (as :func:`is_active` says)."""
    at = micros(now)
    ok = checker(now, member)
    out: list[Promotion] = []
    for rule, (start, end), plain in zip(
        prepared.ordered, prepared.windows, prepared.plain, strict=True
    ):
        if (start is not None and at < start) or (end is not None and at > end):
            continue
        if plain or ok(rule):
            out.append(rule)
    return out
