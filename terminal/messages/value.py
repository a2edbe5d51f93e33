"""Messages of member value: rewards, stored value, scale barcodes, issued coupons.

code -> (zh_CN, en). Limits and VAT explain themselves on the priced basket
(docs/promotions.md); these are the refusals.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "tender_stored_value": ("储值支付", "stored value"),
    # goods sold by weight and scale barcodes
    "scale_check_failed": (
        "称重码校验位不符，请重新扫描",
        "the scale label's check digit is wrong: scan it again",
    ),
    "unknown_plu": ("称重码中的商品 PLU {plu} 不存在", "no product has PLU {plu}"),
    "scale_zero": ("{name} 称重码的重量或金额为 0", "the scale label of {name} reads zero"),
    "scale_not_weighed": (
        "{name} 不是称重商品，不能用重量码",
        "{name} is not sold by weight: a weight label cannot be used",
    ),
    "scale_price_mismatch": (
        "{name} 称重码金额与单价不符",
        "the label amount of {name} does not fit its price",
    ),
    "bad_weight": (
        "重量必须是 1 到 {max} 克之间的整数",
        "the weight must be a whole number of grams, 1 to {max}",
    ),
    "weight_needed": (
        "{name} 是称重商品，请扫描称重码或输入重量（克）",
        "{name} is sold by weight: scan its scale label or key in the grams",
    ),
    "not_weighed": (
        "{name} 不是称重商品，请输入件数",
        "{name} is not sold by weight: key in the quantity",
    ),
    # rewards (积分兑换)
    "reward_unknown": ("兑换项目 {reward} 不存在", "no reward {reward}"),
    "reward_wrong_kind": (
        "{reward} 是兑换券，不是商品兑换",
        "{reward} is a coupon reward, not a product",
    ),
    "reward_not_this_product": (
        "兑换项目 {reward} 不是该商品",
        "reward {reward} is not for this product",
    ),
    "reward_not_for_weighed": (
        "称重商品不能积分兑换",
        "goods sold by weight cannot be bought with points",
    ),
    "reward_no_member": ("积分兑换须先识别会员", "identify the member to redeem a reward"),
    "reward_not_yet_valid": ("兑换项目 {reward} 尚未开始", "reward {reward} has not started"),
    "reward_expired": ("兑换项目 {reward} 已结束", "reward {reward} has ended"),
    "reward_wrong_tier": (
        "兑换项目 {reward} 不适用于该会员等级",
        "reward {reward} is not for this member's tier",
    ),
    "reward_unknown_coupon": (
        "兑换项目 {reward} 的券未登记",
        "the coupon of reward {reward} is not known here",
    ),
    "reward_points_insufficient": (
        "积分不足，不能兑换 {reward}",
        "not enough points for reward {reward}",
    ),
    "reward_not_on_sale": ("本单没有兑换项目 {reward}", "reward {reward} is not on this sale"),
    "reward_coupon_used": (
        "兑换券 {code} 已使用，不能退回",
        "reward coupon {code} was used: it cannot be returned",
    ),
    "reward_coupon_not_on_receipt": (
        "券 {code} 不是这张小票兑换的",
        "coupon {code} was not bought with points on this receipt",
    ),
    # stored value (储值)
    "sv_bad_amount": ("储值金额必须大于零", "a stored-value amount must be positive"),
    "topup_range": (
        "充值金额须在 1 到 {max} 元之间",
        "a top-up must be 1 to {max} yuan",
    ),
    "sv_needs_member": ("储值支付须先识别会员", "identify the member to pay by stored value"),
    "sv_needs_auth": (
        "储值支付须会员出示会员码或输入支付密码",
        "paying by stored value needs the member's app code or payment PIN",
    ),
    "sv_insufficient": (
        "储值余额不足，可用 {available} 元",
        "not enough stored value: {available} available",
    ),
    "sv_offline_limit": (
        "离线时储值最多可用 {available} 元（余额 {balance} 元，待与总部同步）",
        "offline, at most {available} of the {balance} balance can be spent until HQ syncs",
    ),
    # HQ's offline redemption policy (terminal/offline_policy.py)
    "points_offline_allowance": (
        "离线时该会员最多可用 {limit} 积分（总部确认的余额减去本机未同步的使用）",
        "offline, this member can redeem at most {limit} points (the balance HQ confirmed "
        "less this till's unsynced redemptions)",
    ),
    "points_daily_cap": (
        "本机超过 {hours} 小时未与总部同步：每位会员每天最多使用 {cap} 积分，今天还可用 {left}",
        "this till has not synced with HQ for over {hours} h: at most {cap} points per "
        "member per day, {left} left today",
    ),
    "sv_daily_cap": (
        "本机超过 {hours} 小时未与总部同步：每位会员每天最多使用储值 {cap} 元，"
        "今天还可用 {left} 元",
        "this till has not synced with HQ for over {hours} h: at most {cap} of stored value "
        "per member per day, {left} left today",
    ),
    "pay_pin_format": ("支付密码须为 6 位数字", "a payment PIN is 6 digits"),
    "pay_pin_not_set": ("该会员未设置支付密码", "this member has no payment PIN"),
    "pay_pin_wrong": (
        "支付密码错误，还可尝试 {left} 次",
        "wrong payment PIN: {left} tries left",
    ),
    "pay_pin_locked": (
        "支付密码已锁定，请 {minutes} 分钟后再试",
        "the payment PIN is locked: try again in {minutes} minutes",
    ),
    "pay_pin_needs_app_code": (
        "设置支付密码须会员出示会员码",
        "setting a payment PIN needs the member's app code",
    ),
    "not_a_topup": ("{receipt_no} 不是储值充值单", "{receipt_no} is not a top-up"),
    "topup_nothing_to_refund": (
        "该充值已无可退本金（未消费本金 {left} 元）",
        "nothing of this top-up is left to refund (unspent principal {left})",
    ),
    "topup_refund_too_much": (
        "最多可退 {max} 元",
        "at most {max} can be refunded",
    ),
}
