"""Step 0 of the pricing order: rewards (积分兑换), paid with points.

A product reward is a basket line whose ``reward_id`` names a ``product``
reward of the catalogue: the line keeps its list price as gross and the
reward takes it down to the reward's money price (``money`` per unit, 0 =
free); the member spends ``points`` per unit. A coupon reward
(``Basket.reward_coupons``) costs points and issues a coupon when the sale is
paid. Reward lines take no part in any later step but rounding: no promotion,
tier discount, threshold, coupon or points-as-money touches them, they count
toward no minimum spend and earn no points.

Each reward asked for gets a :class:`RewardResult`. The checks, in order (the
first failing one is the reason): ``unknown``, ``wrong_kind`` (a coupon
reward on a line or the other way round), ``not_this_product``,
``not_for_weighed``, ``no_member``, ``not_yet_valid`` / ``expired``,
``wrong_tier``, ``unknown_coupon``, ``points_insufficient`` (points are
counted in basket order, product rewards first, against the member's
balance). A refused product reward leaves an ordinary line at its full price.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta

from terminal.messages import Ref, Text
from terminal.money import format_yuan, line_amount
from terminal.pricing.model import IssuedCoupon, MemberInfo, RewardResult
from terminal.pricing.rules import CouponDefinition, CouponReward, ProductReward, Reward
from terminal.pricing.work import PricingState, WorkLine, signed_yuan


def issue_window(
    now: datetime, starts_after_days: int, valid_days: int
) -> tuple[datetime, datetime]:
    """From the start of the local day ``starts_after_days`` after ``now``, for ``valid_days``
    days: the last instant is 23:59:59 local on the last day."""
    first = datetime.combine(now.date() + timedelta(days=starts_after_days), time(0), now.tzinfo)
    return first, first + timedelta(days=valid_days) - timedelta(seconds=1)


def _refusal(
    reward: Reward | None,
    reward_id: str,
    line: WorkLine | None,
    member: MemberInfo | None,
    now: datetime,
    definitions: Mapping[str, CouponDefinition],
) -> tuple[str, Text] | None:
    if reward is None:
        return "unknown", Text("px_reward_unknown", {"reward": reward_id})
    if isinstance(reward, ProductReward) != (line is not None):
        return "wrong_kind", Text("px_reward_wrong_kind")
    if line is not None and isinstance(reward, ProductReward):
        if reward.sku != line.product.sku:
            return "not_this_product", Text("px_reward_not_this_product", {"name": reward.name})
        if line.product.weighed:
            return "not_for_weighed", Text("px_reward_not_for_weighed")
    if member is None:
        return "no_member", Text("px_reward_no_member")
    if reward.valid_from is not None and now < reward.valid_from:
        return "not_yet_valid", Text("px_reward_not_yet_valid")
    if reward.valid_to is not None and now > reward.valid_to:
        return "expired", Text("px_reward_expired")
    if reward.tiers is not None and member.tier.code not in reward.tiers:
        return "wrong_tier", Text("px_reward_wrong_tier", {"tier": member.tier.name})
    if isinstance(reward, CouponReward) and reward.coupon_id not in definitions:
        return "unknown_coupon", Text("px_reward_unknown_coupon", {"coupon": reward.coupon_id})
    return None


def apply_rewards(
    state: PricingState,
    asked: Mapping[str, str],
    coupon_rewards: Sequence[str],
    rewards: Mapping[str, Reward],
    definitions: Mapping[str, CouponDefinition],
    member: MemberInfo | None,
    now: datetime,
) -> tuple[list[RewardResult], int, list[IssuedCoupon]]:
    """Step 0: price reward lines, check coupon rewards; ``asked`` is line id -> reward id.

    Returns every reward's result, the points they spend, and the coupons the
    coupon rewards issue once the sale is paid.
    """
    results: list[RewardResult] = []
    issued: list[IssuedCoupon] = []
    balance = max(0, member.points_balance) if member is not None else 0
    spent = 0
    wanted: list[tuple[str, WorkLine | None]] = [
        *((rid, state.line(line_id)) for line_id, rid in asked.items()),
        *((rid, None) for rid in coupon_rewards),
    ]
    for reward_id, line in wanted:
        reward = rewards.get(reward_id)
        refusal = _refusal(reward, reward_id, line, member, now, definitions)
        points = money = 0
        if refusal is None:
            assert reward is not None
            units = line.qty if line is not None else 1
            points = reward.points * units
            if isinstance(reward, ProductReward):
                assert line is not None
                money = min(line.gross, line_amount(reward.money, units))
            if spent + points > balance:
                refusal = (
                    "points_insufficient",
                    Text(
                        "px_reward_points_insufficient", {"points": points, "left": balance - spent}
                    ),
                )
        if refusal is not None:
            reason, why = refusal
            message = why.render("zh_CN")
            results.append(
                RewardResult(reward_id, _kind(reward), _id(line), 0, 0, False, reason, message, why)
            )
            what = reward.name if reward is not None else reward_id
            tail = Ref("px_reward_full_price") if line is not None else ""
            state.explain("px_reward_refused", what=what, why=why, tail=tail)
            continue
        assert reward is not None
        spent += points
        results.append(RewardResult(reward_id, reward.kind, _id(line), points, money, True, "", ""))
        if line is not None:
            line.reward_id, line.reward_points = reward.id, points
            cash = f" + ¥{format_yuan(money)}" if money else ""
            said = {"name": reward.name, "points": points, "cash": cash}
            label = f"积分兑换 {reward.name}（{points} 积分{cash}）"  # stored and printed
            off = line.amount - money
            if off > 0:
                explain = {**said, "amount": signed_yuan(off), "rule": reward.id}
                state.take(
                    "reward",
                    "reward",
                    reward.id,
                    label,
                    {line.line_id: off},
                    Text("px_reward_line", explain),
                )
            else:
                state.explain("px_reward_free", **said)
        else:
            assert isinstance(reward, CouponReward)
            definition = definitions[reward.coupon_id]
            start, end = issue_window(now, reward.starts_after_days, reward.valid_days)
            issued.append(
                IssuedCoupon("reward", reward.id, definition.id, definition.name, 1, start, end)
            )
            state.explain(
                "px_reward_coupon",
                name=reward.name,
                points=points,
                coupon=definition.name,
                start=f"{start:%Y-%m-%d}",
                days=reward.valid_days,
            )
    return results, spent, issued


def _kind(reward: Reward | None) -> str:
    return reward.kind if reward is not None else "unknown"


def _id(line: WorkLine | None) -> str | None:
    return line.line_id if line is not None else None
