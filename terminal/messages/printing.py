"""Messages of the printing area: code -> (zh_CN, en). See :mod:`terminal.messages`.

Receipts, the print queue and the cash drawer as the core sees them; what the
printer itself reports is in :mod:`terminal.messages.devices`.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "print_terminal_unknown": ("本机未登记", "this terminal is not registered"),
    "print_sale_unknown": ("找不到该笔交易", "no such sale"),
    "print_receipt_unknown": ("未找到小票 {receipt_no}", "no receipt {receipt_no}"),
    "print_job_kind_unknown": ("未知的打印类型 {kind}", "unknown print job kind {kind}"),
    "print_job_unknown": ("找不到打印任务", "no such print job"),
    "print_job_already_printed": ("该小票已打印", "this job was already printed"),
    "print_job_not_retryable": (
        "只有打印失败或未确认的任务可以重试",
        "only a failed or unconfirmed print job can be retried",
    ),
    "print_failed": ("打印失败，小票已保存可重打", "printing failed; the receipt is kept"),
    "print_done": ("已打印 {count} 张", "printed {count}"),
    "print_done_copies": (
        "已打印 {count} 张，其中 {copies} 张标注“补打”",
        "printed {count}, {copies} of them marked COPY",
    ),
}
