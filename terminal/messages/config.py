"""Messages of the configuration file: code -> (zh_CN, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "config_invalid": ("配置有误：{problems}", "the config has errors: {problems}"),
    "config_not_toml": (
        "配置文件格式错误：{path}{where}：不是有效的 TOML：{detail}",
        "{path}{where}: not valid TOML: {detail}",
    ),
    "config_missing": (
        "找不到配置文件 {path}；请运行 posterm demo 或 posterm init 建立数据目录",
        "config file {path} not found; run `posterm demo` or `posterm init` "
        "to create the data directory",
    ),
    "config_not_utf8": (
        "配置文件编码错误：{path} 不是 UTF-8 文本（{detail}）",
        "{path}: not UTF-8 text ({detail})",
    ),
    "config_unreadable": ("无法读取配置文件 {path}：{why}", "cannot read {path}: {why}"),
    "config_too_new": (
        "配置文件 {path} 由更新版本的 posterm 写入（版本 {version}），请安装新版本",
        "{path} was written by a newer posterm (config version {version}); install it",
    ),
    "store_settings_invalid": (
        "门店设置有误：{problems}",
        "store settings are invalid: {problems}",
    ),
}
