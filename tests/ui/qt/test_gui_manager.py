"""The manager menu (F9) at the GUI till: the core refuses the wrong role whatever the menu
shows; users, imports, backup and restore, settings, each by clicks and keystrokes."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from terminal import messages
from terminal.config import load_config
from terminal.store.database import Database
from terminal.store.models import Product, RewardRow, Sale, User
from tests.ui.qt.conftest import receipt_bytes
from tests.ui.qt.test_gui_sale import log_in, modal, scan
from tests.ui.qt.test_gui_shift import open_menu, wait_for
from ui.qt.manager.backup import RestoreDialog
from ui.qt.manager.imports import ImportDialog
from ui.qt.manager.menu import ManagerMenu
from ui.qt.manager.settings import SettingsDialog
from ui.qt.manager.users import UsersDialog
from ui.qt.payment import PaymentDialog


def click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def pay_cash(qtbot, win, receipt: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F12)
    pay = wait_for(qtbot, PaymentDialog)
    qtbot.keyClick(pay.amount, Qt.Key.Key_Return)  # exact, in cash
    qtbot.waitUntil(lambda: receipt in win.checkout.message.text())


def test_a_cashier_is_refused_users_settings_backup_and_restore_by_the_core(
    qtbot, window, home
) -> None:
    win = window
    log_in(qtbot, win)  # cashier 1001
    menu = open_menu(qtbot, win)
    for key in ("users", "imports", "backup", "restore", "settings"):
        assert not menu.buttons[key].isVisible(), key  # hidden: a convenience only
    assert menu.buttons["cash_in"].isVisible() and menu.buttons["close_shift"].isVisible()
    backups = sorted(home.data.backups_dir.glob("*.sqlite3"))

    menu.run("users")
    manager, admin = messages.Ref("role_manager"), messages.Ref("role_admin")
    refusal = messages.render(
        "needs_approval", {"role": manager, "permission": messages.Ref("perm_manage_users")}
    )
    qtbot.waitUntil(lambda: menu.message.text() == refusal)
    menu.run("settings")
    assert menu.message.text() == messages.render(
        "needs_approval", {"role": admin, "permission": messages.Ref("perm_settings")}
    )
    menu.run("restore")
    assert menu.message.text() == messages.render("restore_needs_admin")
    menu.run("backup")
    qtbot.waitUntil(lambda: menu.message.text() == messages.render("backup_needs_manager"))
    for dialog in (UsersDialog, SettingsDialog, RestoreDialog):
        assert modal(dialog) is None
    assert sorted(home.data.backups_dir.glob("*.sqlite3")) == backups


def test_a_manager_adds_a_cashier_and_is_refused_an_admin(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win, "3001", "3333")
    menu = open_menu(qtbot, win)
    assert not menu.buttons["settings"].isVisible() and menu.buttons["users"].isVisible()
    click(qtbot, menu.buttons["users"])
    dialog = wait_for(qtbot, UsersDialog)
    assert isinstance(dialog, UsersDialog)
    listed = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert listed == ["9001", "3001", "2001", "1001"]  # highest role first

    def add(number: str, name: str, role: int, pin: str, again: str) -> None:
        click(qtbot, dialog.add_button)
        assert dialog.add_form.isVisible()
        qtbot.keyClicks(dialog.new_number, number)
        qtbot.keyClicks(dialog.new_name, name)
        dialog.new_role.setCurrentIndex(role)
        qtbot.keyClicks(dialog.new_pin, pin)
        qtbot.keyClicks(dialog.new_pin2, again)
        qtbot.keyClick(dialog.new_pin2, Qt.Key.Key_Return)

    add("1002", "Xiao Wang", 0, "4321", "4312")
    assert dialog.message.text() == messages.render("pins_differ")
    add("1002", "Xiao Wang", 0, "4321", "4321")
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 5)
    assert dialog.message.text() == "Added 1002 (cashier)."
    assert dialog.selected() == "1002" and not dialog.add_form.isVisible()

    add("9002", "Boss", 3, "8765", "8765")  # an admin: above a manager
    refusal = messages.render("role_above_own", {"role": messages.Ref("role_admin")})
    qtbot.waitUntil(lambda: dialog.message.text() == refusal)
    assert dialog.table.rowCount() == 5
    with home.db.sessions() as s:
        roles = dict(s.execute(select(User.username, User.role)).all())
    assert roles["1002"] == "cashier" and "9002" not in roles

    # the new cashier gets a new PIN, and is deactivated
    click(qtbot, dialog.pin_button)
    qtbot.keyClicks(dialog.reset_pin, "5555")
    qtbot.keyClicks(dialog.reset_pin2, "5555")
    qtbot.keyClick(dialog.reset_pin2, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.text() == "New PIN set for 1002.")
    click(qtbot, dialog.deactivate_button)
    assert dialog.confirm.isVisible()
    click(qtbot, dialog.confirm.yes)
    qtbot.waitUntil(lambda: dialog.message.text() == "1002 is deactivated.")
    with home.db.sessions() as s:
        assert s.scalars(select(User.active).where(User.username == "1002")).one() is False


def test_an_import_check_lists_every_bad_row_and_imports_nothing(
    qtbot, window, home, tmp_path: Path
) -> None:
    bad = tmp_path / "products.csv"
    bad.write_text(
        "sku,name,category,price,barcodes\n"
        "SKU900001,Green tea,饮料,3.50,\n"
        "SKU900002,Black tea,饮料,3.505,\n"
        "SKU900003,Oolong,饮料,abc,\n",
        encoding="utf-8",
    )
    win = window
    log_in(qtbot, win, "3001", "3333")
    menu = open_menu(qtbot, win)
    click(qtbot, menu.buttons["imports"])
    dialog = wait_for(qtbot, ImportDialog)
    assert isinstance(dialog, ImportDialog)
    assert dialog.kind.currentData() == "products"
    qtbot.keyClicks(dialog.path, str(bad))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # check (dry run)
    qtbot.waitUntil(lambda: dialog.problems.count() == 2)
    rows = [dialog.problems.item(i).text() for i in range(2)]
    assert rows[0].startswith("row 3, price") and rows[1].startswith("row 4, price")
    assert dialog.message.text() == messages.render(
        "import_refused", {"file": "products.csv", "problems": 2, "rows": 2}
    )
    assert not dialog.import_button.isEnabled() and not dialog.busy.isVisible()
    with home.db.sessions() as s:
        assert not s.scalar(select(func.count()).where(Product.sku.like("SKU9000%")))

    good = tmp_path / "good.csv"
    good.write_text(
        "sku,name,category,price,barcodes\nSKU900001,Green tea,饮料,3.50,\n", encoding="utf-8"
    )
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(good))
    click(qtbot, dialog.check_button)
    qtbot.waitUntil(dialog.import_button.isEnabled)
    assert dialog.problems.count() == 0
    assert dialog.message.text().startswith("1 rows are good")
    with home.db.sessions() as s:
        assert not s.scalar(select(func.count()).where(Product.sku == "SKU900001"))
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Imported 1 rows"))
    with home.db.sessions() as s:
        assert s.scalars(select(Product.price).where(Product.sku == "SKU900001")).one() == 350


def test_a_manager_imports_the_rewards_catalogue_from_the_till(
    qtbot, window, home, tmp_path: Path
) -> None:
    rewards = tmp_path / "rewards.json"
    rewards.write_text(
        '[{"id": "RW-TEA", "kind": "product", "name": "300积分换挂面", "sku": "SKU000097",'
        ' "points": 300},'
        ' {"id": "RW-BAD", "kind": "product", "name": "?", "sku": "SKU999999", "points": 10}]',
        encoding="utf-8",
    )
    log_in(qtbot, window, "3001", "3333")
    menu = open_menu(qtbot, window)
    click(qtbot, menu.buttons["imports"])
    dialog = wait_for(qtbot, ImportDialog)
    assert isinstance(dialog, ImportDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("rewards"))
    assert dialog.kind.currentText() == "Rewards catalogue (JSON)"
    qtbot.keyClicks(dialog.path, str(rewards))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.problems.count() == 1, timeout=20_000)
    assert dialog.problems.item(0).text().startswith("row 2, sku")  # the unknown product
    rewards.write_text(
        '[{"id": "RW-TEA", "kind": "product", "name": "300积分换挂面", "sku": "SKU000097",'
        ' "points": 300}]',
        encoding="utf-8",
    )
    click(qtbot, dialog.check_button)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=20_000)
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Imported 1 rows"), timeout=20_000)
    with home.db.sessions() as s:
        assert s.get(RewardRow, "RW-TEA") is not None


def open_settings(qtbot, win) -> SettingsDialog:  # type: ignore[no-untyped-def]
    menu = open_menu(qtbot, win)
    click(qtbot, menu.buttons["settings"])
    dialog = wait_for(qtbot, SettingsDialog)
    assert isinstance(dialog, SettingsDialog)
    return dialog


def test_an_admin_changes_the_receipt_footer_and_the_next_receipt_has_it(
    qtbot, window, home
) -> None:
    win = window
    log_in(qtbot, win, "9001", "9999")
    dialog = open_settings(qtbot, win)
    assert dialog.store_code.text() == "S001" and dialog.terminal_code.text() == "T01"
    dialog.footer.clear()
    qtbot.keyClicks(dialog.footer, "Thanks, see you")
    qtbot.keyClick(dialog.footer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Saved."))
    assert load_config(home.data.config_path).receipt.footer == "Thanks, see you"
    assert win.ctx.settings.receipt_footer == "Thanks, see you"

    dialog.close()
    menu = modal(ManagerMenu)
    assert menu is not None
    menu.close()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    scan(qtbot, win, "SKU000300", 1)
    pay_cash(qtbot, win, "S001T01-00000001")
    qtbot.waitUntil(lambda: b"S001T01-00000001" in receipt_bytes(home), timeout=60_000)
    assert b"Thanks, see you" in receipt_bytes(home)


def test_a_test_print_reports_on_the_status_bar(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win, "9001", "9999")
    dialog = open_settings(qtbot, win)
    dialog.tabs.setCurrentIndex(1)
    assert dialog.connection.currentData() == "file"
    before = home.data.config_path.read_text(encoding="utf-8")
    click(qtbot, dialog.test_print_button)
    printed = messages.render("printer_test_printed")
    qtbot.waitUntil(lambda: printed in win.parts["printer"].text(), timeout=60_000)
    assert win.parts["printer"].property("state") == "ok"
    assert dialog.message.text() == printed
    assert "打印测试".encode("gb18030") in receipt_bytes(home)

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dialog.connection.setCurrentIndex(dialog.connection.findData("network"))
    assert dialog.printer_fields["host"].isVisible()
    assert not dialog.printer_fields["file_path"].isVisible()
    qtbot.keyClicks(dialog.printer_fields["host"], "127.0.0.1")
    dialog.printer_fields["port"].clear()
    qtbot.keyClicks(dialog.printer_fields["port"], str(port))
    click(qtbot, dialog.test_print_button)
    qtbot.waitUntil(lambda: win.parts["printer"].property("state") == "offline", timeout=60_000)
    qtbot.waitUntil(dialog.test_print_button.isEnabled)
    assert dialog.message.text() and dialog.message.text() in win.parts["printer"].text()
    assert home.data.config_path.read_text(encoding="utf-8") == before  # tried, not saved

    dialog.printer_fields["port"].clear()
    qtbot.keyClicks(dialog.printer_fields["port"], "ninety")
    click(qtbot, dialog.save_printer_button)
    qtbot.waitUntil(lambda: "printer.port" in dialog.message.text())
    assert home.data.config_path.read_text(encoding="utf-8") == before


def test_the_camera_test_shows_a_frame_or_why_not(qtbot, window, tmp_path: Path) -> None:
    import numpy as np

    from tests.devices.test_camera import write_video

    frames = [np.full((180, 320, 3), 40 * i, np.uint8) for i in range(1, 6)]
    video = write_video(tmp_path / "counter.avi", frames)
    win = window
    log_in(qtbot, win, "9001", "9999")
    dialog = open_settings(qtbot, win)
    dialog.tabs.setCurrentIndex(2)
    dialog.camera_source.clear()
    qtbot.keyClicks(dialog.camera_source, str(tmp_path / "missing.avi"))
    click(qtbot, dialog.test_camera_button)
    missing = messages.render("camera_test_cannot_open", {"source": str(tmp_path / "missing.avi")})
    qtbot.waitUntil(lambda: dialog.message.text() == missing, timeout=60_000)
    assert dialog.camera_frame.pixmap().isNull()

    dialog.camera_source.clear()
    qtbot.keyClicks(dialog.camera_source, str(video))
    click(qtbot, dialog.test_camera_button)
    qtbot.waitUntil(lambda: not dialog.camera_frame.pixmap().isNull(), timeout=60_000)
    assert dialog.message.text() == messages.render("camera_test_ok", {"source": str(video)})
    click(qtbot, dialog.save_camera_button)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Saved."))
    assert win.ctx.home.config.camera == {"enabled": True, "source": str(video)}


def test_backup_then_restore_from_the_till(qtbot, window, home) -> None:
    win = window
    log_in(qtbot, win, "9001", "9999")
    menu = open_menu(qtbot, win)
    click(qtbot, menu.buttons["backup"])
    qtbot.waitUntil(lambda: menu.message.text().startswith("Backup written"), timeout=60_000)
    taken = Path(menu.message.text().split(": ", 1)[1])
    assert taken.is_file() and taken.parent == home.data.backups_dir
    menu.close()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    scan(qtbot, win, "SKU000300", 1)
    pay_cash(qtbot, win, "S001T01-00000001")  # a sale the backup lacks

    menu = open_menu(qtbot, win)
    click(qtbot, menu.buttons["restore"])
    dialog = wait_for(qtbot, RestoreDialog)
    assert isinstance(dialog, RestoreDialog)
    dialog.backups.setCurrentRow(dialog.found.index(taken))
    assert dialog.path.text() == str(taken)

    def restore() -> None:
        click(qtbot, dialog.restore_button)
        assert dialog.confirm.isVisible()
        click(qtbot, dialog.confirm.yes)

    restore()  # would lose the sale: refused, one line, the till goes on
    qtbot.waitUntil(lambda: "S001T01-00000001" in dialog.message.text(), timeout=60_000)
    assert "\n" not in dialog.message.text() and dialog.isVisible()
    assert win.ctx.home is not home and win.ctx.checkout is not None
    with win.ctx.home.db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Sale)) == 1

    other = Database(win.ctx.home.data.store_path)  # another program has the store open
    try:
        dialog.carry_over.setChecked(True)
        restore()
        qtbot.waitUntil(lambda: dialog.restore_button.isEnabled(), timeout=60_000)
        assert dialog.message.text().startswith(messages.render("store_in_use").split("{")[0][:6])
    finally:
        other.close()

    class OldAgent:  # the sync agent of the store being replaced
        stopped = False

        def stop(self) -> None:
            self.stopped = True

    old_agent = OldAgent()
    win.ctx.sync_agent = old_agent  # type: ignore[assignment]
    restore()
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.login, timeout=60_000)
    assert old_agent.stopped and win.ctx.sync_agent is None  # not enrolled: none restarted
    assert win.login.message.text().startswith(f"Restored {taken.name}.")
    try:
        with win.ctx.home.db.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Sale)) == 1  # carried over
        assert win.ctx.home.db.scalar(
            "SELECT count(*) FROM audit_event WHERE action = 'store_restored'"
        )
        log_in(qtbot, win, "9001", "9999")  # on the restored store
    finally:
        win.ctx.home.close()


TRANSLATIONS = {
    "ManagerMenu": {
        "Manager menu": "店长菜单",
        "Logged in: {name} ({role})": "登录：{name}（{role}）",
    },
    "SettingsDialog": {"Settings": "设置", "Receipt footer": "小票页脚", "Language changed.": "-"},
}


@pytest.fixture
def translations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A real zh_CN translation file (built by pyside6-lrelease) for a few screen texts."""
    from ui.qt import i18n

    contexts = "".join(
        f"<context><name>{name}</name>"
        + "".join(
            f"<message><source>{escape(src)}</source>"
            f"<translation>{escape(dst)}</translation></message>"
            for src, dst in texts.items()
        )
        + "</context>"
        for name, texts in TRANSLATIONS.items()
    )
    ts = tmp_path / "posterm_zh_CN.ts"
    ts.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" '
        f'language="zh_CN">{contexts}</TS>',
        encoding="utf-8",
    )
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run(
        [str(lrelease), str(ts), "-qm", str(tmp_path / "posterm_zh_CN.qm")],
        check=True,
        capture_output=True,
    )
    monkeypatch.setattr(i18n, "I18N", tmp_path)
    yield tmp_path
    monkeypatch.undo()
    i18n.install("zh_CN")


def test_the_language_switches_at_once_on_the_open_screens(
    qtbot, translations, window, home
) -> None:
    win = window
    log_in(qtbot, win, "9001", "9999")
    dialog = open_settings(qtbot, win)
    menu = modal(ManagerMenu)
    assert menu is not None
    assert dialog.windowTitle() == "Settings" and dialog.labels["footer"].text() == "Receipt footer"
    assert menu.windowTitle() == "Manager menu" and menu.who.text() == "Logged in: 管理员 (admin)"
    dialog.tabs.setCurrentIndex(3)
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    click(qtbot, dialog.save_language_button)

    qtbot.waitUntil(lambda: dialog.windowTitle() == "设置")
    assert dialog.labels["footer"].text() == "小票页脚"
    qtbot.waitUntil(lambda: menu.who.text() == "登录：管理员（管理员）")  # the core's words too
    assert menu.windowTitle() == "店长菜单"
    assert dialog.message.text() == "-"  # "Language changed." in the test's translation
    assert messages.language() == "zh_CN"
    assert load_config(home.data.config_path).ui.language == "zh_CN"

    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    click(qtbot, dialog.save_language_button)
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Settings")
    qtbot.waitUntil(lambda: menu.who.text() == "Logged in: 管理员 (admin)")
    assert dialog.message.text() == "Language changed."
