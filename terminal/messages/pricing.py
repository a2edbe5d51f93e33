"""The pricing engine's explanation, line by line: code -> (zh_CN, en).

:mod:`terminal.pricing` builds each line as a :class:`terminal.messages.Text`;
the sale stores and the receipt prints the Chinese (``PricedBasket.explanation``,
``LimitNote.message``), a screen renders ``PricedBasket.notes`` in its own
language. Promotion, coupon, tier and product names are data and stay as HQ
wrote them. ``{amount}`` is a signed discount (``-2.00``); ``{rule}`` a rule id.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # an adjustment with the rule that made it (work.PricingState.take)
    "px_adjust": ("{label} {amount} (规则 {rule})", "{label} {amount} (rule {rule})"),
    # step 0: rewards (积分兑换)
    "px_reward_line": (
        "积分兑换 {name}（{points} 积分{cash}） {amount} (规则 {rule})",
        "reward {name} ({points} points{cash}) {amount} (rule {rule})",
    ),
    "px_reward_free": (
        "积分兑换 {name}（{points} 积分{cash}）",
        "reward {name} ({points} points{cash})",
    ),
    "px_reward_coupon": (
        "积分兑换 {name}：{points} 积分，券 {coupon} {start} 起 {days} 天有效",
        "reward {name}: {points} points, coupon {coupon} valid {days} days from {start}",
    ),
    "px_reward_full_price": ("，按原价计", ", at full price"),
    "px_reward_refused": ("兑换 {what} 未成功：{why}{tail}", "reward {what} refused: {why}{tail}"),
    "px_reward_unknown": ("兑换项目 {reward} 不存在", "there is no reward {reward}"),
    "px_reward_wrong_kind": (
        "商品兑换须作为商品行，兑换券不能作为商品行",
        "a product reward goes on a basket line, a coupon reward does not",
    ),
    "px_reward_not_this_product": (
        "兑换项目 {name} 不是该商品",
        "the reward {name} is not this product",
    ),
    "px_reward_not_for_weighed": ("称重商品不能积分兑换", "goods sold by weight are no reward"),
    "px_reward_no_member": ("积分兑换须先识别会员", "identify the member before a reward"),
    "px_reward_not_yet_valid": ("该兑换项目尚未开始", "this reward has not started yet"),
    "px_reward_expired": ("该兑换项目已结束", "this reward has ended"),
    "px_reward_wrong_tier": (
        "该兑换项目不适用于{tier}会员",
        "this reward is not for {tier} members",
    ),
    "px_reward_unknown_coupon": ("券 {coupon} 未登记", "coupon {coupon} is not registered"),
    "px_reward_points_insufficient": (
        "积分不足：需 {points} 分，可用 {left} 分",
        "not enough points: {points} needed, {left} available",
    ),
    # step 1: item promotions, gifts, manual discounts
    "px_item": (
        "{product} {label} {amount} (规则 {rule})",
        "{product} {label} {amount} (rule {rule})",
    ),
    "px_gift": (
        "{name}：赠 {product} ×{qty}（价值 {value}）(规则 {rule})",
        "{name}: free {product} ×{qty} (worth {value}) (rule {rule})",
    ),
    "px_gift_unknown": (
        "{name}：赠品 {sku} 未登记，未赠送 (规则 {rule})",
        "{name}: the gift {sku} is not in the catalogue, none given (rule {rule})",
    ),
    "px_manual": (
        "{product} 手工折让 {amount}{reason}",
        "{product} cashier discount {amount}{reason}",
    ),
    # step 2: the member's tier
    "px_tier": ("{tier}会员 {rate} {amount}", "{tier} member {rate} {amount}"),
    # limits (每人限享/限购, 限量)
    "px_limit_per_member_day": ("每人每日限享 {n} 次", "{n} times a day per member"),
    "px_limit_per_member": ("每人限享 {n} 次", "{n} times per member"),
    "px_limit_per_member_day_units": ("每人每日限购 {n} 件", "{n} items a day per member"),
    "px_limit_per_member_units": ("每人限购 {n} 件", "{n} items per member"),
    "px_limit_quota_day": ("每日限量 {n} 份", "{n} a day"),
    "px_limit_quota": ("限量 {n} 份", "{n} in all"),
    "px_limit_sold_out": ("已售完", "sold out"),
    "px_limit_used_up": ("已用完", "used up"),
    "px_limit_blocked": (
        "{name}：{limit}，{gone}，本单不享受 (规则 {rule})",
        "{name}: {limit}, {gone}: not on this sale (rule {rule})",
    ),
    "px_limit_capped": (
        "{name}：{limit}，本单 {wanted} 件中 {left} 件享受优惠，其余按原价 (规则 {rule})",
        "{name}: {limit}; {left} of the {wanted} items get the offer, the rest full price "
        "(rule {rule})",
    ),
    # step 4: coupons
    "px_coupon": (
        "券 {code} {name} {amount} (规则 {rule})",
        "coupon {code} {name} {amount} (rule {rule})",
    ),
    "px_coupon_applied": ("已使用 {name}", "{name} applied"),
    "px_coupon_unused": ("券 {code} 未使用：{why}", "coupon {code} not used: {why}"),
    "px_coupon_unknown": ("券码 {code} 不存在，请核对", "coupon {code} does not exist"),
    "px_coupon_twice": (
        "该券已在本单使用，不能重复使用",
        "it is already on this sale and cannot be used twice",
    ),
    "px_coupon_used": ("该券已被使用", "it was already used"),
    "px_coupon_member_only": (
        "该券仅限会员使用，请先识别会员",
        "it is for members: identify the member first",
    ),
    "px_coupon_wrong_member": (
        "该券属于其他会员，不能在本单使用",
        "it belongs to another member",
    ),
    "px_coupon_not_yet_valid": ("该券 {when} 起才能使用", "it is valid from {when}"),
    "px_coupon_expired": ("该券已于 {when} 过期", "it expired on {when}"),
    "px_coupon_no_products": ("本单没有该券适用的商品", "nothing on this sale is eligible"),
    "px_coupon_min_spend": (
        "适用商品满 {min} 元可用，当前 {now} 元，还差 {short} 元",
        "usable from ¥{min} of eligible items: ¥{now} now, ¥{short} short",
    ),
    "px_coupon_not_stackable": (
        "每单限用一张券，该券不能与已用的券同时使用",
        "one coupon per sale: it cannot be combined with the coupon already used",
    ),
    # step 5: points
    "px_points": ("积分抵扣 {points} 分 {amount}", "{points} points {amount}"),
    "px_points_no_member": (
        "未识别会员，不能使用积分抵扣",
        "no member identified: points cannot pay",
    ),
    "px_points_over_balance": (
        "申请抵扣 {asked} 分超过可用积分 {balance} 分，按 {balance} 分计",
        "{asked} points asked, {balance} available: {balance} used",
    ),
    "px_points_cap": (
        "积分最多抵扣应付金额的 {share}%，即 {cap} 元",
        "points pay at most {share}% of the amount due: ¥{cap}",
    ),
    "px_points_too_few": (
        "积分不足以抵扣 1 分钱，未使用积分",
        "too few points to pay 1 fen: no points used",
    ),
    "px_points_earned": (
        "本单可得积分 {points} 分{why}",
        "{points} points earned on this sale{why}",
    ),
    # step 6: rounding
    "px_rounding": ("{label} {amount}", "{label} {amount}"),
    "px_rounding_drop_fen": ("抹零(抹分)", "rounded down to jiao"),
    "px_rounding_round_jiao": ("四舍五入到角", "rounded to jiao"),
    "px_rounding_drop_jiao": ("抹零(抹角)", "rounded down to yuan"),
    # step 7: coupons the sale issues (满额返券)
    "px_issue_unknown": (
        "{name}：券 {coupon} 未登记，未返券 (规则 {rule})",
        "{name}: coupon {coupon} is not registered, none issued (rule {rule})",
    ),
    "px_issue_short": (
        "{name}：再买 {short} 元可获赠 {coupon} (规则 {rule})",
        "{name}: spend ¥{short} more to get {coupon} (rule {rule})",
    ),
    "px_issued": (
        "{name}：本单获赠 {coupon} ×{count}，{start} 起 {days} 天内有效 (规则 {rule})",
        "{name}: this sale earns {coupon} ×{count}, valid {days} days from {start} (rule {rule})",
    ),
}
