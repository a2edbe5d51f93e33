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

from terminal.money import format_yuan, line_amount
from terminal.pricing.model import IssuedCoupon, MemberInfo, RewardResult
from terminal.pricing.rules import CouponDefinition, CouponReward, ProductReward, Reward
from terminal.pricing.work import PricingState, WorkLine


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
) -> tuple[str, str] | None:
    if reward is None:
        return "unknown", f"兑换项目 {reward_id} 不存在"
    if isinstance(reward, ProductReward) != (line is not None):
        return "wrong_kind", "商品兑换须作为商品行，兑换券不能作为商品行"
    if line is not None and isinstance(reward, ProductReward):
        if reward.sku != line.product.sku:
            return "not_this_product", f"兑换项目 {reward.name} 不是该商品"
        if line.product.weighed:
            return "not_for_weighed", "称重商品不能积分兑换"
    if member is None:
        return "no_member", "积分兑换须先识别会员"
    if reward.valid_from is not None and now < reward.valid_from:
        return "not_yet_valid", "该兑换项目尚未开始"
    if reward.valid_to is not None and now > reward.valid_to:
        return "expired", "该兑换项目已结束"
    if reward.tiers is not None and member.tier.code not in reward.tiers:
        return "wrong_tier", f"该兑换项目不适用于{member.tier.name}会员"
    if isinstance(reward, CouponReward) and reward.coupon_id not in definitions:
        return "unknown_coupon", f"券 {reward.coupon_id} 未登记"
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
                    f"积分不足：需 {points} 分，可用 {balance - spent} 分",
                )
        if refusal is not None:
            reason, message = refusal
            results.append(
                RewardResult(reward_id, _kind(reward), _id(line), 0, 0, False, reason, message)
            )
            what = reward.name if reward is not None else reward_id
            tail = "，按原价计" if line is not None else ""
            state.explanation.append(f"兑换 {what} 未成功：{message}{tail}")
            continue
        assert reward is not None
        spent += points
        results.append(RewardResult(reward_id, reward.kind, _id(line), points, money, True, "", ""))
        if line is not None:
            line.reward_id, line.reward_points = reward.id, points
            cash = f" + ¥{format_yuan(money)}" if money else ""
            label = f"积分兑换 {reward.name}（{points} 积分{cash}）"
            if line.amount - money > 0:
                state.take(
                    "reward", "reward", reward.id, label, {line.line_id: line.amount - money}
                )
            else:
                state.explanation.append(label)
        else:
            assert isinstance(reward, CouponReward)
            definition = definitions[reward.coupon_id]
            start, end = issue_window(now, reward.starts_after_days, reward.valid_days)
            issued.append(
                IssuedCoupon("reward", reward.id, definition.id, definition.name, 1, start, end)
            )
            state.explanation.append(
                f"积分兑换 {reward.name}：{points} 积分，券 {definition.name} "
                f"{start:%Y-%m-%d} 起 {reward.valid_days} 天有效"
            )
    return results, spent, issued


def _kind(reward: Reward | None) -> str:
    return reward.kind if reward is not None else "unknown"


def _id(line: WorkLine | None) -> str | None:
    return line.line_id if line is not None else None
