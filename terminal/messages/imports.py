"""Messages of the imports area: code -> (zh_CN, en). See :mod:`terminal.messages`.

Also the user-administration, product-search and config-check codes of the
commands that let a store run without HQ. A row problem is shown as
``import_row_problem`` with the reason's own message filled in; no message
here ever holds a name, a phone number or a PIN.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- a whole import --------------------------------------------------------------------
    "import_refused": (
        "{file}：{rows} 行共 {problems} 处错误，未导入任何数据",
        "{file}: {problems} problems in {rows} rows; nothing was imported",
    ),
    "import_row_problem": ("第 {row} 行 {field}：{reason}", "row {row}, {field}: {reason}"),
    "import_unknown_kind": (
        "未知导入类型 {kind}（可用：{kinds}）",
        "unknown import kind {kind} (one of {kinds})",
    ),
    "import_json_only": (
        "{kind} 只能从 JSON 文件导入（{file}）",
        "{kind} are imported from JSON files only ({file})",
    ),
    "import_unknown_format": (
        "{file}：只能导入 .csv 或 .json 文件",
        "{file}: only .csv and .json files can be imported",
    ),
    "import_cannot_read": ("无法读取 {file}（{detail}）", "cannot read {file} ({detail})"),
    "import_not_utf8": (
        "{file} 第 {line} 行不是 UTF-8 文本，请另存为 UTF-8",
        "{file} line {line}: not UTF-8 text; save the file as UTF-8",
    ),
    "import_no_rows": ("{file} 没有数据行", "{file} holds no rows"),
    "import_bad_csv": (
        "{file} 第 {line} 行：CSV 格式错误（{detail}）",
        "{file} line {line}: not valid CSV ({detail})",
    ),
    "import_bad_json": (
        "{file} 第 {line} 行第 {column} 列：JSON 格式错误（{detail}）",
        "{file} line {line}, column {column}: not valid JSON ({detail})",
    ),
    "import_too_deep": ("{file} 嵌套层数过多", "{file} is nested too deeply"),
    "import_json_not_list": ("{file} 须为 JSON 列表", "{file} must hold a JSON list"),
    # --- the shape of a row ------------------------------------------------------------------
    "import_not_object": ("须为 JSON 对象", "must be a JSON object"),
    "import_extra_cells": (
        "单元格多于表头的 {columns} 列",
        "more cells than the {columns} columns of the header",
    ),
    "import_blank_column": ("表头有空列名", "a header cell is empty"),
    "import_duplicate_column": ("列名重复", "the column appears twice"),
    "import_unknown_column": ("不是已知的列名", "is not a known column"),
    "import_unknown_field": ("不是已知的字段", "is not a known field"),
    "import_duplicate_in_file": ("与第 {first} 行重复", "repeats row {first}"),
    # --- one value -------------------------------------------------------------------------
    "import_required": ("必填", "is required"),
    "import_required_new": ("新建时必填", "is required for a new record"),
    "import_not_text": ("须为文本", "must be text"),
    "import_empty": ("不能为空", "must not be empty"),
    "import_too_long": ("最多 {max} 个字符", "must be at most {max} characters"),
    "import_control_chars": ("含有控制字符", "holds control characters"),
    "import_not_list": ("须为列表", "must be a list"),
    "import_bad_value": ("值无效（{detail}）", "invalid value ({detail})"),
    "import_bad_flag": (
        "须为 是/否（true/false、yes/no、1/0）",
        "must be yes or no (true/false, yes/no, 1/0, 是/否)",
    ),
    # --- products --------------------------------------------------------------------------
    "import_bad_sku": (
        "SKU 须为1至32位字母、数字或 _.-",
        "a SKU is 1 to 32 letters, digits or _.-",
    ),
    "import_bad_price": (
        "须为以元为单位的金额，如 12.50",
        "must be an amount in yuan such as 12.50",
    ),
    "import_negative_price": ("价格不能为负数", "must not be negative"),
    "import_price_decimals": ("最多两位小数（精确到分）", "at most 2 decimal places (fen)"),
    "import_float_price": (
        '须写成文本，如 "12.50"（浮点数不能精确表示金额）',
        'must be written as text such as "12.50" (a binary float cannot hold an exact amount)',
    ),
    "import_price_too_high": ("不能超过 {max} 元", "must not exceed {max} yuan"),
    "import_bad_barcodes": (
        "须为条码列表，或以 | 分隔的文本",
        "must be a list of barcodes, or text separated by |",
    ),
    "import_barcode_not_text": (
        "条码须为文本（写成数字会丢失开头的 0）",
        "each barcode must be text (a number would lose its leading zeros)",
    ),
    "import_bad_barcode": (
        "{barcode} 不是 EAN-13、EAN-8 或 UPC-A 条码",
        "{barcode} is not an EAN-13, EAN-8 or UPC-A code",
    ),
    "import_barcode_check_digit": (
        "条码 {barcode} 校验位错误",
        "{barcode} has a wrong check digit",
    ),
    "import_barcode_twice": (
        "条码 {barcode} 已在第 {first} 行出现",
        "barcode {barcode} is already listed in row {first}",
    ),
    "import_barcode_taken": (
        "条码 {barcode} 属于商品 {sku}",
        "barcode {barcode} belongs to product {sku}",
    ),
    "import_category_ambiguous": (
        "多个分类同名（{ids}），请填写分类编号",
        "several categories have this name ({ids}); give the category id",
    ),
    "import_category_too_long": (
        "新分类名最多 {max} 个字符",
        "a new category's name is at most {max} characters",
    ),
    # --- members ---------------------------------------------------------------------------
    "import_bad_member_no": ("会员号须为 M 加 8 位数字", "a member number is M and 8 digits"),
    "import_bad_phone": (
        "手机号无效：须为11位中国大陆手机号",
        "invalid phone: an 11-digit mainland mobile number is required",
    ),
    "import_bad_name": ("姓名须为1至20个字", "a name of 1 to 20 characters is required"),
    "import_bad_birthday": (
        "生日格式应为 月-日，如 02-29",
        "a birthday is MM-DD, e.g. 02-29",
    ),
    "import_member_erased": (
        "该会员已注销，不能再导入",
        "this member was erased and cannot be imported again",
    ),
    "import_unknown_tier": ("没有等级 {tier}（可用：{known}）", "no tier {tier} (known: {known})"),
    "import_self_referrer": ("会员不能推荐自己", "a member cannot refer themselves"),
    "import_unknown_referrer": ("推荐人 {no} 不是会员", "referrer {no} is not a member"),
    "import_phone_twice": ("手机号与第 {first} 行相同", "the same phone as row {first}"),
    "import_phone_taken": ("该手机号已属于会员 {no}", "this phone belongs to member {no}"),
    # --- promotions and coupons --------------------------------------------------------------
    "import_rule_invalid": ("规则无效：{problem}", "{problem}"),
    "import_unknown_reference": ("门店没有：{values}", "not in the store: {values}"),
    "import_bad_coupon_code": (
        "券码须为 CP 加 4 至 38 位大写字母或数字",
        "a coupon code is CP and 4 to 38 capital letters or digits",
    ),
    "import_unknown_member": ("没有会员 {no}", "no member {no}"),
    "import_coupon_other_definition": (
        "该券码已属于券定义 {id}",
        "this code belongs to coupon definition {id}",
    ),
    "import_coupon_used": (
        "该券已使用，不能改绑会员",
        "this coupon has been used; its member cannot change",
    ),
    # --- what only HQ imports (posterm-hq import categories|tiers|member-keys) -------------
    "import_category_own_parent": ("分类不能是自己的上级", "a category cannot be its own parent"),
    "import_rank_taken": ("该级别已属于等级 {code}", "this rank belongs to tier {code}"),
    "import_bad_public_key": (
        "公钥须为 64 位十六进制或 32 字节的 base64",
        "a public key is 64 hex characters or the base64 of 32 bytes",
    ),
    "import_bad_key_id": (
        "密钥编号须为 12 至 32 位小写十六进制",
        "a key id is 12 to 32 lower-case hex characters",
    ),
    "import_bad_time": (
        "须为带时区的 ISO 8601 时间（如 2026-05-01T08:00:00+08:00）",
        "must be an ISO 8601 time with its offset (e.g. 2026-05-01T08:00:00+08:00)",
    ),
    "import_key_taken": (
        "该密钥编号已属于另一会员或另一公钥",
        "this key id belongs to another member or another public key",
    ),
    # --- users -----------------------------------------------------------------------------
    # --- products --------------------------------------------------------------------------
    "product_find_empty": (
        "请输入商品名称的一部分、条码或 SKU",
        "give part of a product name, a barcode or a SKU",
    ),
    "product_none_found": ("没有匹配的商品", "no product matches"),
    "product_find_limit": ("显示条数须在 1 到 {max} 之间", "the limit must be 1 to {max}"),
    # --- config check ----------------------------------------------------------------------
    "config_unknown_store": (
        "门店数据库中没有门店 {code}（有：{known}）",
        "the store database has no store {code} (it has {known})",
    ),
    "config_unknown_terminal": (
        "门店数据库中没有收银机 {code}（有：{known}）",
        "the store database has no terminal {code} (it has {known})",
    ),
    "config_store_unreadable": (
        "无法读取门店数据库（{detail}）",
        "cannot read the store database ({detail})",
    ),
    "config_paper_mismatch": (
        "小票纸宽与打印机纸宽 {printer} 不一致（{where}）",
        "differs from the printer's paper {printer} ({where})",
    ),
    "config_unknown_profile": (
        "python-escpos 没有这个打印机型号",
        "python-escpos has no such printer profile",
    ),
    "config_driver_missing": (
        "本机缺少该连接方式所需的组件（{detail}）",
        "this machine lacks what the connection needs ({detail})",
    ),
    "config_no_font": (
        "图片模式需要中文字体，本机未找到（{detail}）",
        "image mode needs a CJK font and none was found ({detail})",
    ),
}
