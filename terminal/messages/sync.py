"""Messages of the link to HQ (sync agent, enrolment, ``posterm sync``)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "hq_not_enrolled": (
        "本机尚未登记到总部（posterm enroll 地址 登记码）",
        "this till is not enrolled with HQ (posterm enroll URL CODE)",
    ),
    "sync_parked_user": (
        "列出未能上传的记录需要店长或管理员：加 --user 工号",
        "listing the records that could not be sent needs a manager or admin: add --user",
    ),
    "hq_no_url": (
        "未给出总部地址，config.toml 的 [hq] url 也未设置",
        "no HQ address given and [hq] url is not set in config.toml",
    ),
    "hq_enrol_code_format": (
        "这不是登记码：总部发的登记码为 4 至 64 位",
        "that is not an enrolment code: HQ's codes have 4 to 64 characters",
    ),
    "hq_insecure_url": (
        "总部地址须为 https://（http:// 仅限本机）：{url}",
        "HQ's address must be https:// (http:// only to this machine): {url}",
    ),
    "hq_unreachable": ("连不上总部：{detail}", "cannot reach HQ: {detail}"),
    "hq_busy": ("总部繁忙，{seconds} 秒后重试", "HQ is busy, retrying in {seconds} s"),
    "hq_upgrade_needed": (
        "总部需要更新版本的 posterm：{detail}",
        "HQ needs a newer posterm: {detail}",
    ),
    "hq_revoked": (
        "总部已停用本机，请联系总部重新登记",
        "HQ revoked this till: ask HQ for a new enrolment code",
    ),
    "hq_bad_credential": (
        "总部不认可本机凭证，请重新登记",
        "HQ does not accept this till's credential: enrol again",
    ),
    "hq_refused": ("总部拒绝：{detail}", "HQ refused: {detail}"),
    "hq_online": ("已连接，{waiting} 条待上传", "online, {waiting} waiting"),
    "hq_synced": ("已同步", "in sync"),
    "hq_offline": ("离线，{waiting} 条待上传", "offline, {waiting} waiting"),
    "hq_parked": (
        "{parked} 条记录未能上传（总部退回或本机无法读取），请店长处理",
        "{parked} records could not be sent (refused by HQ or unreadable here): see the manager",
    ),
    "sync_till_error": (
        "本机同步程序出错（已记入日志），稍后自动重试",
        "the till's own sync failed (logged); it will try again",
    ),
    "hq_feed_conflict": (
        "总部下发的数据与本机数据冲突，请联系总部：{detail}",
        "a change from HQ does not fit this store, call HQ: {detail}",
    ),
    "hq_bad_answer": ("总部的回答无法识别：{detail}", "HQ's answer is not understood: {detail}"),
}
