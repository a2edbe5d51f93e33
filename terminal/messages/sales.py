"""Messages of selling, tenders, coupons, returns and quotes: code -> (zh_CN, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # tenders, used as parameters (messages.Ref)
    "tender_cash": ("现金", "cash"),
    "tender_card": ("银行卡", "bank card"),
    "tender_wechat": ("微信支付", "WeChat Pay"),
    "tender_alipay": ("支付宝", "Alipay"),
    # the basket
    "nudge": (  # terminal.nudge: the nearest 满减 or coupon minimum not yet reached
        "再买 ¥{missing} 可减 ¥{gain}（{name}）",
        "Spend ¥{missing} more to save ¥{gain} ({name})",
    ),
    "empty_code": ("请扫描或输入商品条码", "scan or type a barcode"),
    "unknown_barcode": ("未知条码 {code}，商品未添加", "unknown barcode {code}: nothing added"),
    "not_a_product_code": (
        "输入的不是商品条码，商品未添加",
        "that is not a product code: nothing added",
    ),
    "product_inactive": ("商品 {name} 已停售", "{name} is no longer sold"),
    "product_no_longer_sold": (
        "商品 {sku} 已停售，挂单无法恢复",
        "product {sku} is no longer sold",
    ),
    "bad_qty": (
        "数量必须是 1 到 {max} 之间的整数",
        "the quantity must be a whole number 1 to {max}",
    ),
    "no_line": ("该行不存在", "no such line"),
    "no_line_number": ("没有第 {number} 行", "there is no line {number}"),
    "negative_price": ("价格不能为负", "a price cannot be negative"),
    "negative_discount": ("折让金额不能为负", "a discount cannot be negative"),
    "discount_exceeds_line": ("折让超过商品金额", "the discount exceeds the line amount"),
    "reason_required": ("请填写原因", "a reason is required"),
    "receipt_scanned": (
        "{receipt_no} 是小票号，退货请用退货功能",
        "{receipt_no} is a receipt number: use returns",
    ),
    "nothing_to_suspend": ("空单不能挂起", "there is nothing to suspend"),
    "no_suspended_basket": ("挂单不存在", "no such suspended sale"),
    "finish_current_sale_first": (
        "请先完成或挂起当前单",
        "finish or suspend the current sale first",
    ),
    "empty_basket": ("购物车为空", "the basket is empty"),
    "payable_changed": (
        "应付金额已变为 {payable}，请重新确认",
        "the amount due changed to {payable}: confirm again",
    ),
    "bad_points": ("积分数须为不小于 0 的整数", "points must be a whole number, 0 or more"),
    "offline_limit": (
        "离线状态下每单最多使用 {limit} 积分",
        "while offline at most {limit} points per sale",
    ),
    # coupons
    "duplicate_coupon": ("该券已添加", "that coupon is already on the sale"),
    "coupon_not_on_sale": ("该券不在本单", "that coupon is not on this sale"),
    "coupon_unknown": ("券码 {code} 不存在，请核对", "coupon {code} does not exist"),
    "coupon_already_used": ("券 {code} 已被使用", "coupon {code} was already used"),
    "coupon_expired": ("券 {code} 已过期", "coupon {code} has expired"),
    "coupon_not_yet_valid": ("券 {code} 尚未生效", "coupon {code} is not valid yet"),
    "coupon_wrong_member": (
        "券 {code} 属于其他会员，不能在本单使用",
        "coupon {code} belongs to another member",
    ),
    "coupon_member_only": (
        "券 {code} 仅限会员使用，请先识别会员",
        "coupon {code} is for members: identify the member first",
    ),
    # tenders
    "unknown_tender": ("不支持的支付方式 {method}", "unknown tender {method}"),
    "tender_not_positive": ("{method}金额必须大于零", "the {method} amount must be positive"),
    "reference_required": ("请录入{method}流水号", "the {method} payment reference is required"),
    "over_tender": (
        "非现金支付 {non_cash} 超过应付 {payable}",
        "non-cash tenders {non_cash} exceed the amount due {payable}",
    ),
    "under_tender": ("还差 {missing} 元", "{missing} still to pay"),
    # returns
    "unknown_receipt": ("未找到小票 {receipt_no}", "no sale with receipt number {receipt_no}"),
    # what was typed is not repeated: it may be a phone number or a name
    "not_a_receipt_no": (
        "这不是小票号（例如 S001T01-00000001），请核对",
        "that is not a receipt number (e.g. S001T01-00000001)",
    ),
    "not_a_coupon_code": (
        "这不是券码（例如 CP100001），请核对",
        "that is not a coupon code (e.g. CP100001)",
    ),
    "already_returned": ("该小票的商品已全部退货", "everything on this receipt was returned"),
    "return_nothing_chosen": (
        "退货数量都是 0，请输入要退的数量（如 1=2 表示第 1 行退 2 件）",
        "every quantity to return is 0: enter what to return (1=2 returns 2 of line 1)",
    ),
    "no_receipt_line": ("小票上没有第 {line} 行", "the receipt has no line {line}"),
    "bad_return_qty": ("第 {line} 行的退货数量无效", "line {line}: invalid quantity to return"),
    "return_too_many": (
        "第 {line} 行 {name} 只能再退 {left} 件",
        "line {line} ({name}): only {left} left to return",
    ),
    "refund_exceeds_paid": ("退款超过原支付金额", "the refund exceeds what was paid"),
    # quote
    "item_needs_code": ("每个商品需要 barcode 或 sku", "each item needs a barcode or sku"),
    "basket_file_missing": ("找不到购物篮文件 {path}", "no such file: {path}"),
    "basket_file_unreadable": ("无法读取 {path}：{why}", "cannot read {path}: {why}"),
    "basket_not_a_file": ("{path} 不是文件", "{path} is not a file"),
    "basket_file_too_big": (
        "{path} 太大（最多 {max} 字节），不是购物篮文件",
        "{path} is too big for a basket file ({max} bytes at most)",
    ),
    "basket_not_json": ("{path} 不是有效的 JSON（{why}）", "{path} is not valid JSON ({why})"),
    "basket_too_deep": ("{path} 嵌套层数过多", "{path} is nested too deeply"),
    "basket_field": ("{path}：{field}：{why}", "{path}: {field}: {why}"),
    "quote_member_last4": (
        "试算需要完整的会员号、会员码或手机号，不能只用尾号",
        "a quote needs a member number, member code or full phone, not the last 4 digits",
    ),
}
