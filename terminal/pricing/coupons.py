"""Step 4 of the pricing order: coupons, in the order the cashier entered them.

A coupon is checked in this order, and the first failing check is its
reason (an issued coupon's own window, e.g. from 满额返券, counts as well as
its definition's): ``unknown``, ``already_used`` (spent, or entered twice),
``member_only`` / ``wrong_member``, ``not_yet_valid`` / ``expired``,
``not_for_these_products``, ``min_spend_not_met``, ``not_stackable``.
One coupon per sale unless every applied coupon is stackable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from terminal.messages import Text
from terminal.money import allocate, apply_bp, format_yuan
from terminal.pricing.basket_steps import eligible_lines
from terminal.pricing.model import CouponInstance, CouponResult, MemberInfo
from terminal.pricing.rules import CouponAmountOff, CouponDefinition
from terminal.pricing.work import PricingState, signed_yuan


def _when(at: datetime, now: datetime) -> str:
    return at.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")


def _refusal(
    coupon: CouponInstance | None,
    code: str,
    seen: set[str],
    member: MemberInfo | None,
    now: datetime,
) -> tuple[str, Text] | None:
    """The first reason the coupon cannot be used at all on this sale, or ``None``."""
    if coupon is None:
        return "unknown", Text("px_coupon_unknown", {"code": code})
    if code in seen:
        return "already_used", Text("px_coupon_twice")
    if coupon.used:
        return "already_used", Text("px_coupon_used")
    d = coupon.definition
    if (coupon.member_id is not None or d.member_only) and member is None:
        return "member_only", Text("px_coupon_member_only")
    if coupon.member_id is not None and member is not None and coupon.member_id != member.member_id:
        return "wrong_member", Text("px_coupon_wrong_member")
    for start in (d.valid_from, coupon.valid_from):
        if start is not None and now < start:
            return "not_yet_valid", Text("px_coupon_not_yet_valid", {"when": _when(start, now)})
    for end in (d.valid_to, coupon.valid_to):
        if end is not None and now > end:
            return "expired", Text("px_coupon_expired", {"when": _when(end, now)})
    return None


def _discount(d: CouponDefinition, subtotal: int) -> int:
    if isinstance(d, CouponAmountOff):
        off = d.value
    else:
        off = apply_bp(subtotal, d.percent_off_bp)
        if d.max_discount is not None:
            off = min(off, d.max_discount)
    return min(off, subtotal)


def apply_coupons(
    state: PricingState,
    codes: Sequence[str],
    lookup: Mapping[str, CouponInstance],
    member: MemberInfo | None,
    now: datetime,
) -> list[CouponResult]:
    """Apply coupons in order; every code gets a :class:`CouponResult`.

    The minimum spend counts the coupon's eligible lines only (its target
    products, discountable, not gifts) at their running amount after steps 1–3
    and any coupon applied before it. The discount is allocated over those
    lines by largest remainder.
    """
    results: list[CouponResult] = []
    seen: set[str] = set()
    applied_stackable: list[bool] = []
    for code in codes:
        coupon = lookup.get(code)
        refusal = _refusal(coupon, code, seen, member, now)
        seen.add(code)
        if refusal is None:
            assert coupon is not None
            d = coupon.definition
            lines = eligible_lines(state, d)
            subtotal = sum(w.amount for w in lines)
            if not lines:
                refusal = "not_for_these_products", Text("px_coupon_no_products")
            elif subtotal < d.min_spend:
                short = format_yuan(d.min_spend - subtotal)
                refusal = (
                    "min_spend_not_met",
                    Text(
                        "px_coupon_min_spend",
                        {
                            "min": format_yuan(d.min_spend),
                            "now": format_yuan(subtotal),
                            "short": short,
                        },
                    ),
                )
            elif applied_stackable and not (d.stackable and all(applied_stackable)):
                refusal = "not_stackable", Text("px_coupon_not_stackable")
            else:
                off = _discount(d, subtotal)
                parts = allocate(off, [w.amount for w in lines])
                state.take(
                    "coupon",
                    d.kind,
                    d.id,
                    f"{d.name}（券 {code}）",
                    {w.line_id: p for w, p in zip(lines, parts, strict=True)},
                    Text(
                        "px_coupon",
                        {"code": code, "name": d.name, "amount": signed_yuan(off), "rule": d.id},
                    ),
                )
                applied_stackable.append(d.stackable)
                applied = Text("px_coupon_applied", {"name": d.name})
                results.append(CouponResult(code, True, off, "", applied.render("zh_CN"), applied))
                continue
        reason, why = refusal
        results.append(CouponResult(code, False, 0, reason, why.render("zh_CN"), why))
        state.explain("px_coupon_unused", code=code, why=why)
    return results
