"""Messages of members, their codes and personal data: code -> (zh_CN, en).

None of them may carry a name or a phone number: only member numbers, which
are not personal data on their own.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # finding members
    "unknown_member": ("未找到会员", "unknown member"),
    "member_erased": ("该会员已注销", "this member has been erased"),
    "member_blocked": ("该会员已冻结，请联系店长", "member is blocked: call the manager"),
    "no_member_with_phone": ("没有该手机号的会员", "no member with that phone number"),
    "no_member_with_last4": ("没有手机尾号匹配的会员", "no member with these last 4 digits"),
    "not_a_member_query": (
        "请输入会员号、会员码、手机号或手机尾号4位",
        "type a member number, member code, phone number or the last 4 digits",
    ),
    "app_code_at_till_only": (
        "会员码请在收银时扫描",
        "scan member-app codes at the till, where they are verified",
    ),
    "member_already_attached": (
        "本单已有会员 {member_no}，确认后才能更换",
        "member {member_no} is already on this sale: confirm to replace",
    ),
    "no_member": ("请先识别会员", "identify the member first"),
    "member_record_damaged": (
        "该会员记录已损坏（{member_no}），请联系总部；其他会员不受影响",
        "this member's record is damaged ({member_no}): call HQ; other members are fine",
    ),
    "points_insufficient": (
        "积分不足：可用 {available}，需要 {needed}",
        "not enough points: {available} available, {needed} needed",
    ),
    "restore_exceeds_redeemed": (
        "退回的积分超过原单使用的积分",
        "more points than the sale redeemed",
    ),
    "bad_expiry_policy": ("未知的积分有效期规则 {policy}", "unknown points expiry policy {policy}"),
    # member codes (the reason a scanned code was refused)
    "malformed": (
        "会员码无法识别，请会员刷新后重新出示",
        "unreadable member code: ask the member to refresh it",
    ),
    "unknown_key": (
        "会员码密钥未知，请会员刷新或报会员号",
        "unknown member-app key: ask the member to refresh or give the member number",
    ),
    "forged": ("会员码签名无效，不能使用", "member code signature is invalid (forged or altered)"),
    "expired": (
        "会员码已过期，请会员刷新后重新出示",
        "member code expired: ask the member to refresh it",
    ),
    "not_yet_valid": (
        "会员码时间超前，请检查收银机时间",
        "member code is from the future: check the till clock",
    ),
    "replay": (
        "该会员码已使用过，请会员刷新后重新出示",
        "member code already used here: ask the member to refresh it",
    ),
    "key_revoked": (
        "会员码密钥已停用，请会员重新登录会员 App",
        "member-app key revoked: ask the member to sign in to the app again",
    ),
    # registration
    "bad_phone": (
        "手机号无效：请输入11位中国大陆手机号",
        "invalid phone: an 11-digit mainland mobile number starting 13-19 is required",
    ),
    "bad_last4": ("请输入手机号后4位数字", "enter the last 4 digits of the phone"),
    "bad_name_length": ("姓名须为1至{max}个字", "a name of 1 to {max} characters is required"),
    "bad_name_chars": ("姓名含有无效字符", "the name holds invalid characters"),
    "bad_birthday": (
        "生日无效：请填写有效的月和日",
        "invalid birthday: a valid month and day are required",
    ),
    "bad_birthday_format": (
        "生日格式应为 月-日，例如 02-29",
        "birthday format is MM-DD, e.g. 02-29",
    ),
    "consent_required": (
        "注册会员须同意个人信息处理条款",
        "consent to data processing is required to register",
    ),
    "bad_referrer": ("推荐人会员号 {referrer} 不存在", "referrer {referrer} is not a member"),
    "member_no_exhausted": ("会员号已用尽", "member numbers are exhausted"),
    "member_range_used_up": (
        "总部分配给本机的会员号已用完（至 {last}），请先连接总部同步后再注册",
        "the member numbers HQ gave this till are used up (up to {last}): sync with HQ, "
        "then register",
    ),
    "member_registered": ("注册成功，会员号 {member_no}", "registered as {member_no}"),
    "phone_already_registered": (
        "该手机号已注册，会员号 {member_no}",
        "this phone is already registered as {member_no}",
    ),
    # personal-data keys
    "member_keys_missing": (
        "找不到会员数据密钥（{where}），请从密钥备份恢复",
        "member data keys not found ({where}): restore them from the key backup",
    ),
    "member_keys_not_loaded": (
        "本机未载入会员数据密钥，无法按手机号查找会员；请用会员号或会员码",
        "this till has no member data keys loaded: find the member by number or code",
    ),
    "member_key_missing": ("缺少会员数据密钥 {key_id}", "member data key {key_id} is missing"),
    "member_keys_damaged": ("会员密钥文件损坏", "the member key document is damaged"),
    "member_keys_inconsistent": ("会员密钥文件不一致", "the member key document is inconsistent"),
    "personal_data_format": ("会员数据格式无法识别", "unknown personal-data format"),
    "personal_data_tampered": (
        "会员数据校验失败（{field}）",
        "personal data failed authentication ({field})",
    ),
    # the tier's benefits on the member panel (members.benefits_text)
    "tier_benefits": ("{rate} · 积分{mult}倍", "{rate} · points ×{mult}"),
    "tier_benefits_points": ("积分{mult}倍", "points ×{mult}"),
}
