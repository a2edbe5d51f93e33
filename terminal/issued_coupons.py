"""Coupons a sale issues (满额返券, coupons bought with points) and what a return does to them.

Issuing: each :class:`~terminal.pricing.model.IssuedCoupon` of the priced sale
becomes ``count`` :class:`Coupon` rows with fresh random codes (a printed code
is a bearer token, so it must not be guessable), bound to the member if there
is one, with their own window, naming the sale and rule that issued them. The
sale's ``extras["issued"]`` keeps what a return must know: which lines the
rule counted, what they paid, and the rule's threshold.

A return (see :func:`take_back`):

* ``coupon_issue``: the lines' paid amount left after every return so far is
  counted again under the rule; coupons the sale no longer earns are taken
  back, unused ones first (voided). One already used cannot be voided: under
  the ``deduct`` policy (default) the refund is reduced by what that coupon
  took off the sale it was used on; under ``absorb`` the store bears it. The
  policy is ``[value] used_coupon_on_return``.
* ``reward``: a coupon bought with points comes back, and its points with it,
  when the whole sale is returned or the return names it, provided it is
  unused.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal.errors import StateError
from terminal.money import format_yuan
from terminal.pricing.issue import issue_times
from terminal.pricing.model import IssuedCoupon
from terminal.pricing.rules import CouponIssue, Promotion, Reward
from terminal.records import IssuedCouponRecord
from terminal.store.models import Coupon, CouponRedemption, Sale

POLICIES = ("deduct", "absorb")


def new_code() -> str:
    """A coupon code as the classifier knows them: ``CPV`` + 16 random hex digits."""
    return "CPV" + secrets.token_hex(8).upper()


def issue(
    session: Session,
    issued: Sequence[IssuedCoupon],
    *,
    sale: Sale,
    member_id: str | None,
    line_nos: Mapping[str, int],
    promotions: Sequence[Promotion],
    rewards: Mapping[str, Reward],
) -> tuple[list[IssuedCouponRecord], list[dict[str, Any]]]:
    """Write the coupons; return their records and the sale's ``extras["issued"]``."""
    rules = {p.id: p for p in promotions if isinstance(p, CouponIssue)}
    records: list[IssuedCouponRecord] = []
    extras: list[dict[str, Any]] = []
    for group in issued:
        codes = []
        for _ in range(group.count):
            code = new_code()
            session.add(
                Coupon(
                    code=code,
                    definition_id=group.definition_id,
                    member_id=member_id,
                    status="issued",
                    valid_from=group.valid_from,
                    valid_to=group.valid_to,
                    issued_sale_id=sale.id,
                    issued_by=group.rule_id,
                )
            )
            codes.append(code)
            records.append(
                IssuedCouponRecord(
                    code=code,
                    definition_id=group.definition_id,
                    source=group.source,  # type: ignore[arg-type]  # the engine's two sources
                    rule_id=group.rule_id,
                    member_id=member_id,
                    valid_from=group.valid_from,
                    valid_to=group.valid_to,
                )
            )
        entry: dict[str, Any] = {
            "source": group.source,
            "rule_id": group.rule_id,
            "definition_id": group.definition_id,
            "name": group.name,
            "codes": codes,
            "valid_from": group.valid_from.isoformat(),
            "valid_to": group.valid_to.isoformat(),
        }
        rule = rules.get(group.rule_id)
        if group.source == "coupon_issue" and rule is not None:
            entry.update(
                basis=group.basis,
                line_nos=[line_nos[i] for i in group.line_ids if i in line_nos],
                min_spend=rule.min_spend,
                repeat=rule.repeat,
                max_repeats=rule.max_repeats,
                count=rule.count,
            )
        reward = rewards.get(group.rule_id)
        if group.source == "reward" and reward is not None:
            entry["points"] = reward.points
        extras.append(entry)
    return records, extras


@dataclass(frozen=True)
class TakenBack:
    """What a return did to coupons its sale issued."""

    records: list[IssuedCouponRecord]
    deducted: int  # fen the refund is reduced by (used coupons, ``deduct`` policy)
    points_back: int  # points of reward coupons given back
    notes: list[str]


def _redeemed_amount(session: Session, code: str) -> int:
    """What a used coupon took off: its redemptions less what returns gave back."""
    return int(
        session.scalar(
            select(func.coalesce(func.sum(CouponRedemption.amount), 0)).where(
                CouponRedemption.coupon_code == code
            )
        )
        or 0
    )


def _settled_before(session: Session, sale: Sale, ret_id: str) -> set[str]:
    """Codes earlier returns of ``sale`` already took back (voided or charged)."""
    done: set[str] = set()
    for extras in session.scalars(
        select(Sale.extras).where(Sale.original_sale_id == sale.id, Sale.id != ret_id)
    ):
        done.update((extras or {}).get("coupons_taken_back", []))
    return done


def _record(
    coupon: Coupon, entry: Mapping[str, Any], status: str, deducted: int
) -> IssuedCouponRecord:
    assert coupon.valid_from is not None and coupon.valid_to is not None
    return IssuedCouponRecord(
        code=coupon.code,
        definition_id=coupon.definition_id,
        source=entry["source"],
        rule_id=entry["rule_id"],
        member_id=coupon.member_id,
        valid_from=coupon.valid_from,
        valid_to=coupon.valid_to,
        status=status,  # type: ignore[arg-type]  # void | used
        deducted=deducted,
    )


def take_back(
    session: Session,
    sale: Sale,
    ret: Sale,
    *,
    paid_left: Mapping[int, int],
    whole: bool,
    reward_codes: Sequence[str],
    policy: str,
    refund: int,
) -> TakenBack:
    """Undo what a return undoes of the coupons ``sale`` issued.

    ``paid_left`` is, per original line number, what stays paid after this
    return and every earlier one. ``reward_codes`` names reward coupons to
    give back on a partial return (a whole return gives back every unused one).
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}")
    records: list[IssuedCouponRecord] = []
    notes: list[str] = []
    taken: list[str] = []
    deducted = points = 0
    settled = _settled_before(session, sale, ret.id)
    groups = (sale.extras or {}).get("issued", [])
    wanted = set(reward_codes)
    known = {c for g in groups if g["source"] == "reward" for c in g["codes"]}
    strangers = sorted(wanted - known)
    if strangers:
        raise StateError("reward_coupon_not_on_receipt", code=strangers[0])
    for group in groups:
        coupons = [session.get(Coupon, code) for code in group["codes"] if code not in settled]
        live = [c for c in coupons if c is not None and c.status != "void"]
        if group["source"] == "reward":
            for c in live:
                if not (whole or c.code in wanted):
                    continue
                if c.status != "issued":
                    if c.code in wanted:
                        raise StateError("reward_coupon_used", code=c.code)
                    continue
                c.status = "void"
                points += int(group.get("points", 0))
                taken.append(c.code)
                records.append(_record(c, group, "void", 0))
                notes.append(f"兑换券 {c.code} 已退回，积分 {group.get('points', 0)} 分退还")
            continue
        basis_left = sum(paid_left.get(no, 0) for no in group.get("line_nos", []))
        rule = CouponIssue(
            id=group["rule_id"],
            kind="coupon_issue",
            name=group["name"],
            min_spend=group["min_spend"],
            coupon_id=group["definition_id"],
            count=group["count"],
            repeat=group["repeat"],
            max_repeats=group["max_repeats"],
            valid_days=1,
        )
        deserved = issue_times(rule, basis_left) * rule.count
        excess = len(live) - deserved
        if excess <= 0:
            continue
        for c in sorted(live, key=lambda c: c.status != "issued")[:excess]:
            taken.append(c.code)
            if c.status == "issued":
                c.status = "void"
                records.append(_record(c, group, "void", 0))
                notes.append(f"退货后不满足返券条件，券 {c.code} 作废")
                continue
            charge = min(_redeemed_amount(session, c.code), refund - deducted)
            charge = charge if policy == "deduct" else 0
            deducted += charge
            records.append(_record(c, group, "used", charge))
            notes.append(
                f"返券 {c.code} 已使用，退款扣减 {format_yuan(charge)} 元"
                if charge
                else f"返券 {c.code} 已使用，不再扣减"
            )
    if taken:
        ret.extras = {**(ret.extras or {}), "coupons_taken_back": taken}
    session.flush()
    return TakenBack(records, deducted, points, notes)
