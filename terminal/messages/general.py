"""Messages that belong to no one area: code -> (zh_CN, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "error": ("操作未完成", "the operation was not completed"),
    "not_found": ("未找到", "not found"),
    "invalid": ("输入有误", "invalid input"),
    "permission_denied": ("没有权限", "not allowed"),
    "state": ("当前状态下不能这样做", "not possible in the current state"),
    "terminal_not_registered": ("本机未登记", "this terminal is not registered"),
    "store_not_empty": ("数据目录已有门店数据", "this store already holds data"),
    "input_not_understood": (
        "输入有误，输入 help 查看命令",
        "input not understood: type help for the commands",
    ),
    "unexpected_error": (
        "出现意外错误，已记录日志；本单未丢失",
        "an unexpected error was logged; the sale in progress is kept",
    ),
    "pins_differ": ("两次密码不一致", "the PINs do not match"),
    "cannot_write": ("无法写入 {path}：{why}", "cannot write {path}: {why}"),
    "bad_time_option": (
        "{option} 时间格式无效，例如 2026-11-23T10:00:00+08:00",
        "{option} is not an ISO-8601 time, e.g. 2026-11-23T10:00:00+08:00",
    ),
    "time_option_out_of_range": (
        "{option} 须在 2000 到 2099 年之间",
        "{option} must be between 2000 and 2099",
    ),
    "bad_member_no": ("会员号应为 M + 8 位数字", "a member number is M + 8 digits"),
    "at_needs_dynamic": ("--at 仅用于动态码", "--at only applies to --dynamic"),
    "no_demo_keys": (
        "本机只保存演示会员的 App 密钥",
        "only demo members' app keys are held here",
    ),
    "demo_too_few_products": (
        "演示门店的商品数须在 {min} 到 {max} 之间",
        "a demo store has {min} to {max} products",
    ),
    "demo_members_range": (
        "演示门店的会员数须在 {min} 到 {max} 之间",
        "a demo store has {min} to {max} members",
    ),
    "bad_setting_key": (
        "设置项 {key} 应写成 表.键，例如 receipt.footer",
        "setting {key} must be table.key, e.g. receipt.footer",
    ),
    "hq_not_configured": ("未配置", "not configured"),  # shown after "总部: " / "HQ: "
    "printer_job_failed": (
        "小票未打印，已保存待补打",
        "a receipt did not print; it is kept for reprint",
    ),
    "input_closed": (
        "没有可读取的输入（标准输入已关闭）",
        "no input to read (standard input is closed)",
    ),
}
