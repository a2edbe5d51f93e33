"""Messages of the store area: code -> (zh_CN, en). See :mod:`terminal.messages`.

The local store, its lock, backups and restore. A message that refuses to
use a store always says what the person can do next.
"""

from __future__ import annotations

_RESTORE_HINT_ZH = "请用 posterm restore 恢复最近的备份"
_RESTORE_HINT_EN = "restore the latest backup with `posterm restore`"

MESSAGES: dict[str, tuple[str, str]] = {
    # --- opening and writing the store ------------------------------------------------
    "not_initialised": (
        "数据目录未初始化，请先运行 posterm demo 或 posterm init（{root}）",
        "data dir not initialised: run posterm demo or posterm init first ({root})",
    ),
    "store_corrupt": (
        f"本地数据库 {{path}} 已损坏（{{problem}}），不能继续销售；{_RESTORE_HINT_ZH}",
        f"the local store {{path}} is corrupt ({{problem}}); {_RESTORE_HINT_EN}",
    ),
    "store_empty": (
        f"数据库文件 {{path}} 为空（0 字节），已损坏，不会当作新数据库使用；{_RESTORE_HINT_ZH}",
        f"the store file {{path}} is empty (0 bytes): it is damaged, not a new store; "
        f"{_RESTORE_HINT_EN}",
    ),
    "store_disk_full": (
        "磁盘已满，本次操作未保存；请清理 {folder} 所在磁盘的空间后重试",
        "the disk holding {folder} is full: nothing was saved; free some space on it, "
        "then try again",
    ),
    "store_read_only": (
        "数据目录 {folder} 只读，本次操作未保存；请使其可写（检查磁盘挂载方式和权限）后重试",
        "the data folder {folder} is read-only: nothing was saved; make it writable "
        "(check how the disk is mounted and the folder's permissions), then try again",
    ),
    "store_cannot_open": (
        "无法打开数据库文件 {path}；请检查数据目录是否存在且可以访问",
        "cannot open the store file {path}; check that the data folder exists and can be accessed",
    ),
    "store_io_error": (
        "读写数据库 {path} 时磁盘出错（{detail}），本次操作未保存；请检查磁盘后重试",
        "disk I/O error on the store {path} ({detail}): nothing was saved; check the disk, "
        "then try again",
    ),
    "store_closed": (
        "数据库已关闭（正在恢复备份或程序正在退出），请稍后重试",
        "the store is closed (a restore is under way or the program is closing); try again",
    ),
    "store_busy": (
        "数据库正忙（另一个程序正在写入），请稍后重试",
        "the store is busy (another program is writing to it); try again",
    ),
    "store_too_new": (
        "此数据库由更新版本的 posterm（{version}）写入，本程序无法使用；请安装该版本",
        "this store was made by a newer posterm ({version}); install that version",
    ),
    "store_replaced": (
        "数据库文件 {path} 在本程序运行期间被替换（恢复了备份？），未写入任何内容；"
        "请重新启动 posterm",
        "the store file {path} was replaced while this program had it open (a restore?): "
        "nothing was written; restart posterm",
    ),
    "store_restore_running": (
        "正在恢复数据库（{holder}），请等它完成后再启动",
        "a restore of the store is running ({holder}); wait for it to finish, then start again",
    ),
    "store_in_use": (
        "数据库正在被使用：{holder}；请先关闭它再恢复，未做任何改动",
        "the store is in use by {holder}: close it first, then restore; nothing was changed",
    ),
    "no_terminal_row": (
        "数据库 {path} 中找不到本机终端记录（{code}）",
        "no terminal row for code {code} in {path}",
    ),
    "no_store_row": (
        "数据库 {path} 中找不到门店记录（{code}）",
        "no store row for code {code} in {path}",
    ),
    # --- backups -------------------------------------------------------------------------
    "backup_needs_manager": (
        "备份需要店长或管理员（备份恢复权限）",
        "a backup needs a manager or admin (backup_restore)",
    ),
    "backup_no_store": (
        "找不到数据库 {path}，没有可备份的内容",
        "no store at {path}; nothing to back up",
    ),
    "backup_exists": (
        "备份文件 {path} 已存在，请换一个文件名",
        "{path} already exists; choose another file",
    ),
    "backup_name_clash": (
        "同名备份文件太多：{path}",
        "too many backups named like {path}",
    ),
    "backup_copy_corrupt": (
        "{path} 的备份副本未通过完整性检查（{problem}），数据库本身可能已损坏；" + _RESTORE_HINT_ZH,
        "the copy of {path} failed its integrity check ({problem}): the store itself is "
        "probably damaged; " + _RESTORE_HINT_EN,
    ),
    "backup_not_found": (
        "找不到备份文件 {path}",
        "backup file {path} not found",
    ),
    "backup_corrupt": (
        "备份文件 {path} 已损坏（未通过完整性检查：{problem}），未做任何改动",
        "backup {path} failed its integrity check ({problem}); nothing was changed",
    ),
    "backup_invalid": (
        "{path} 不是收银数据库备份（没有 sale / alembic_version 表或版本信息），未做任何改动",
        "{path} is not a posterm store backup (no sale / alembic_version table or no schema "
        "revision); nothing was changed",
    ),
    "backup_too_new": (
        "备份 {path} 由更新版本的 posterm（{version}）写入，未做任何改动；请安装该版本后再恢复",
        "backup {path} was made by a newer posterm ({version}); nothing was changed; install "
        "that version to restore it",
    ),
    # --- restore -------------------------------------------------------------------------
    "restore_needs_admin": (
        "恢复数据库需要管理员（备份恢复和系统设置权限）",
        "a restore needs an admin (backup_restore and settings)",
    ),
    "restore_login_failed": (
        "用户名或密码错误",
        "wrong username or PIN",
    ),
    "restore_self": (
        "不能用数据库自身恢复：{path}",
        "{path} is the store itself",
    ),
    "restore_force_no_carry": (
        "--force 不比较就替换数据库，不能与 --carry-over 同时使用",
        "--force replaces the store without comparing, so it cannot be combined with --carry-over",
    ),
    "restore_refused": (
        "恢复 {file} 会丢失 {sales} 笔备份中没有的销售（{receipts}）"
        "和 {records} 条尚未上传总部的记录，已拒绝，未做任何改动；"
        "使用 --carry-over 可把它们带入恢复后的数据库",
        "restoring {file} would lose {sales} sale(s) not in the backup ({receipts}) and "
        "{records} record(s) not yet sent to HQ; nothing was changed; use --carry-over to "
        "keep them in the restored store",
    ),
    "restore_cannot_compare": (
        "无法把备份与当前数据库 {path} 比较（{reason}），已拒绝，未做任何改动。若当前数据库已损坏："
        "先把 {path} 复制到别处保存，再运行 posterm restore --force 备份文件",
        "cannot compare the backup with the current store {path} ({reason}); nothing was "
        "changed. If the current store is damaged: copy {path} somewhere safe, then run "
        "`posterm restore --force FILE`",
    ),
    "restore_current_too_new": (
        "当前数据库由更新版本的 posterm（{version}）写入，本程序不能用旧备份替换它；请用该版本恢复",
        "the current store was written by a newer posterm ({version}); restore with that version",
    ),
    "safety_copy_failed": (
        "当前数据库的安全副本未通过检查（{problem}），未做任何改动",
        "the safety copy of the current store failed its check ({problem}); nothing was changed",
    ),
    "carry_over_failed": (
        "带入的记录与备份冲突（{detail}），未做任何改动",
        "the records to carry over conflict with the backup ({detail}); nothing was changed",
    ),
    "restore_failed": (
        "从 {file} 恢复失败（{detail}），当前数据库未被替换",
        "restore from {file} failed ({detail}); the current store was not replaced",
    ),
    "restore_copy_unsound": (
        "恢复得到的数据库未通过完整性检查（{problem}），当前数据库未被替换",
        "the restored copy failed its integrity check ({problem}); the current store was "
        "not replaced",
    ),
}
