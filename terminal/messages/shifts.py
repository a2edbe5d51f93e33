"""Messages of shifts and the cash drawer: code -> (zh_CN, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "no_shift": ("请先开班", "open a shift first"),
    "shift_open": ("本机已有未结班次", "a shift is already open"),
    "bad_float": ("备用金不能为负", "the opening float cannot be negative"),
    "bad_amount": ("金额必须大于0", "the amount must be positive"),
    "amount_too_large": ("金额不能超过 {max} 元", "an amount cannot exceed {max} yuan"),
    "reason_too_long": ("原因过长（最多{max}字）", "the reason is too long ({max} characters max)"),
    "insufficient_cash": (
        "钱箱现金不足：应有 {in_drawer} 元",
        "cash out exceeds the cash in the drawer ({in_drawer})",
    ),
    "bad_counts": ("点钞数据无效", "the count is not a table of denominations"),
    "bad_denomination": (
        "无效面额 {denomination}（有效面额：{valid} 分）",
        "not a valid denomination: {denomination} (valid: {valid} fen)",
    ),
    "bad_count": (
        "{denomination} 的数量 {pieces} 无效",
        "invalid count {pieces} for {denomination}",
    ),
}
