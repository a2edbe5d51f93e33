"""Messages of users, roles, PINs and approvals: code -> (zh_CN, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # roles and permissions, used as parameters (messages.Ref)
    "role_cashier": ("收银员", "cashier"),
    "role_supervisor": ("主管", "supervisor"),
    "role_manager": ("店长", "manager"),
    "role_admin": ("管理员", "admin"),
    "perm_sell": ("销售", "sell"),
    "perm_void_line": ("删除商品行", "void a line"),
    "perm_price_override": ("改价", "override a price"),
    "perm_manual_discount": ("手工折扣", "give a discount"),
    "perm_refund": ("退货退款", "refund"),
    "perm_reprint": ("重打小票", "reprint"),
    "perm_cash_movement": ("存取现金", "cash in/out"),
    "perm_shift_open": ("开班", "open a shift"),
    "perm_shift_close": ("结班", "close a shift"),
    "perm_reports": ("报表", "reports"),
    "perm_settings": ("系统设置", "settings"),
    "perm_manage_users": ("用户管理", "manage users"),
    "perm_backup_restore": ("备份恢复", "backup and restore"),
    "perm_member_data": ("会员个人数据", "member personal data"),
    "perm_cancel_basket": ("取消整单", "cancel a sale"),
    "perm_import_data": ("导入数据", "import data"),
    # refusals
    "needs_approval": ("需要{role}授权（{permission}）", "needs {role} approval ({permission})"),
    "approval_cancelled": ("未授权，操作未执行", "not approved: nothing was done"),
    "approval_used": (
        "该授权已用过，每次授权只限一项操作",
        "that approval was already used: one approval covers one action",
    ),
    "cannot_approve": (
        "{username} 无权授权{permission}（需要{role}）",
        "{username} may not approve this ({permission} needs {role} approval)",
    ),
    "role_above_own": (
        "不能管理高于自己权限的用户（{role}）",
        "you cannot manage a user above your own role ({role})",
    ),
    "first_user_admin": ("第一个用户必须是管理员", "the first user must be an admin"),
    "bad_role": ("未知角色 {role}", "unknown role {role}"),
    "bad_username": (
        "工号须为1至32位字母、数字或 _.-",
        "a user number is 1-32 letters, digits or _.-",
    ),
    "bad_display_name": (
        "请填写显示名称（最多64字）",
        "a display name (up to 64 characters) is required",
    ),
    "bad_pin": ("密码须为{min}至{max}位数字", "a PIN is {min} to {max} digits"),
    "username_taken": ("工号 {username} 已存在", "user number {username} is taken"),
    "unknown_user": ("没有工号 {username}", "no user {username}"),
    "wrong_current_pin": ("原密码错误", "the current PIN is wrong"),
    "deactivate_self": ("不能停用自己", "you cannot deactivate yourself"),
    "user_inactive": ("用户 {username} 已停用", "user {username} is already inactive"),
    "last_admin": ("不能停用最后一个管理员", "cannot deactivate the last admin"),
    "login_failed": ("用户名或密码错误", "wrong username or PIN"),
    "user_locked": (
        "已锁定，请{minutes}分钟后再试（{at} 解锁）",
        "locked: try again in {minutes} min (at {at})",
    ),
}
