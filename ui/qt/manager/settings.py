"""The till's settings (admins): store and receipt, printer, camera, language, HQ.

Every change goes through the core, which checks SETTINGS, validates the whole
``config.toml`` with the model that reads it and audits the change
(:func:`terminal.settings_admin.set_value`; :mod:`terminal.settings_edit` for
a printer or camera group, validated by the device's own settings model, and
for the store's name and address, which receipts print from the store row).
A saved change applies at once: the till's context takes the new config (the
next receipt has the new footer, the next print goes to the new printer).

The language applies at once too: screens and the core's messages switch,
and every open screen that builds its texts in ``retranslate()`` (these
manager screens) shows the new language straight away. The test print and
the camera test try what the form says before it is saved, on a device
thread: the test page goes the way a receipt goes (its result also reaches
the status bar); the camera is opened for a few frames and one is shown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from terminal import auth, messages, settings_admin, settings_edit
from terminal.checkout_settings import CheckoutSettings
from terminal.config import TerminalConfig, device_section
from terminal.printer_check import check_page_document
from ui.qt import i18n
from ui.qt.context import AppContext
from ui.qt.manager.parts import Retranslating, form_label, form_layout, switch_language
from ui.qt.members.parts import button, while_open
from ui.qt.ops import DEVICES, Op
from ui.qt.widgets import TOUCH, MessageBar, error_text

if TYPE_CHECKING:
    from ui.qt.main_window import MainWindow

CONNECTIONS = ("file", "network", "usb", "serial", "cups")
PAPERS = ("80mm", "58mm")
PRINTER_FIELDS: dict[str, tuple[str, ...]] = {
    "file": ("file_path",),
    "network": ("host", "port"),
    "usb": ("usb_vendor_id", "usb_product_id"),
    "serial": ("serial_port", "baudrate"),
    "cups": ("cups_printer",),
}
"""The ``[printer]`` keys each connection needs (devices/printer/settings.py)."""
NUMBERS = {"port", "baudrate", "usb_vendor_id", "usb_product_id"}
CAMERA_FRAMES = 5
"""Frames read by the camera test; the last one is shown (a camera's first may be dark)."""
PREVIEW = QSize(320, 180)


def apply_config(window: MainWindow, ctx: AppContext, config: TerminalConfig) -> None:
    """The till works with ``config`` from now on (it was saved and validated by the core)."""
    ctx.home = dataclasses.replace(ctx.home, config=config)
    ctx.settings = CheckoutSettings.from_config(config, ctx.settings.terminal_id)
    if ctx.checkout is not None:
        ctx.checkout.settings = ctx.settings  # the sale on the screen keeps its lines
    window.setWindowTitle(f"posterm — {config.store.name}")


def _field(name: str, parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setAccessibleName(name)
    field.setMinimumHeight(TOUCH)
    return field


def _raw_number(text: str) -> str:
    """A number as typed (``9100``, ``0x0416``) is TOML already; anything else is refused by
    the printer's model, named by its key."""
    return text.strip() or '""'


def _camera_source(text: str) -> str:
    """A device index is a number in the file; a file path or URL a string."""
    text = text.strip()
    return text if text.isdigit() else settings_edit.toml_text(text)


class SettingsDialog(Retranslating, QDialog):
    """One tab per part; each tab saves on its own."""

    def __init__(
        self, window: MainWindow, ctx: AppContext, actor: auth.Actor, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.window_ = window
        self.ctx = ctx
        self.actor = actor
        self.labels: dict[str, QLabel] = {}
        self.setObjectName("settingsDialog")
        self.setMinimumSize(760, 600)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settingsTabs")
        layout.addWidget(self.tabs, 1)
        config = ctx.home.config
        self._store_tab(config)
        self._printer_tab()
        self._camera_tab(config)
        self._language_tab(config)
        self._hq_tab(config)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        self.tabs.currentChanged.connect(lambda _i: self.message.clear_message())
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = button("", "settingsClose", self)
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.retranslate()
        self.store_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _label(self, key: str, parent: QWidget) -> QLabel:
        label = form_label(parent)
        self.labels[key] = label
        return label

    # --- building the tabs --------------------------------------------------------------

    def _store_tab(self, config: TerminalConfig) -> None:
        tab = QWidget(self)
        tab.setObjectName("settingsStoreTab")
        form = form_layout(tab)
        self.store_code = QLabel(config.store.code, tab)
        self.store_code.setObjectName("settingsStoreCode")
        self.terminal_code = QLabel(config.terminal.code, tab)
        self.terminal_code.setObjectName("settingsTerminalCode")
        self.store_name = _field("settingsStoreName", tab)
        self.store_name.setText(config.store.name)
        self.store_address = _field("settingsStoreAddress", tab)
        self.store_address.setText(config.store.address)
        self.footer = _field("settingsFooter", tab)
        self.footer.setText(config.receipt.footer)
        form.addRow(self._label("store_code", tab), self.store_code)
        form.addRow(self._label("terminal_code", tab), self.terminal_code)
        form.addRow(self._label("store_name", tab), self.store_name)
        form.addRow(self._label("store_address", tab), self.store_address)
        form.addRow(self._label("footer", tab), self.footer)
        self.save_store = button("", "settingsSaveStore", tab)
        self.save_store.clicked.connect(self.save_store_details)
        form.addRow(self._row(self.save_store))
        self.footer.returnPressed.connect(self.save_store_details)
        self.tabs.addTab(tab, "")

    def _printer_tab(self) -> None:
        from ui.printing import printer_settings

        tab = QWidget(self)
        tab.setObjectName("settingsPrinterTab")
        form = form_layout(tab)
        self.printer_form = form
        home = self.ctx.home
        try:
            current = printer_settings(home.config, home.data.config_path)
        except Exception:  # a bad [printer] table: show the defaults, saving fixes it
            from devices.printer import PrinterSettings

            current = PrinterSettings()
        self.connection = QComboBox(tab)
        self.connection.setObjectName("printerConnection")
        self.connection.setAccessibleName("printer connection")
        self.connection.setMinimumHeight(TOUCH)
        for kind in CONNECTIONS:
            self.connection.addItem("", kind)
        self.connection.setCurrentIndex(CONNECTIONS.index(current.connection))
        form.addRow(self._label("connection", tab), self.connection)
        self.printer_fields: dict[str, QLineEdit] = {}
        for key in ("file_path", "host", "port", "usb_vendor_id", "usb_product_id"):
            field = _field(f"printer_{key}", tab)
            value = getattr(current, key)
            field.setText(f"0x{value:04x}" if key.startswith("usb_") else str(value))
            self.printer_fields[key] = field
            form.addRow(self._label(key, tab), field)
        for key in ("serial_port", "baudrate", "cups_printer"):
            field = _field(f"printer_{key}", tab)
            field.setText(str(getattr(current, key)))
            self.printer_fields[key] = field
            form.addRow(self._label(key, tab), field)
        self.paper = QComboBox(tab)
        self.paper.setObjectName("printerPaper")
        self.paper.setAccessibleName("paper width")
        self.paper.setMinimumHeight(TOUCH)
        self.paper.addItems(list(PAPERS))
        self.paper.setCurrentText(current.paper)
        form.addRow(self._label("paper", tab), self.paper)
        self.printer_hint = QLabel(tab)
        self.printer_hint.setWordWrap(True)
        form.addRow(self.printer_hint)
        self.test_print_button = button("", "printerTest", tab)
        self.save_printer_button = button("", "printerSave", tab)
        self.test_print_button.clicked.connect(self.test_print)
        self.save_printer_button.clicked.connect(self.save_printer)
        form.addRow(self._row(self.test_print_button, self.save_printer_button))
        self.connection.currentIndexChanged.connect(self._show_printer_fields)
        self._show_printer_fields()
        self.tabs.addTab(tab, "")

    def _camera_tab(self, config: TerminalConfig) -> None:
        tab = QWidget(self)
        tab.setObjectName("settingsCameraTab")
        form = form_layout(tab)
        self.camera_enabled = QCheckBox(tab)
        self.camera_enabled.setObjectName("cameraEnabled")
        self.camera_enabled.setMinimumHeight(TOUCH)
        self.camera_enabled.setChecked(bool(config.camera.get("enabled", True)))
        self.camera_source = _field("cameraSource", tab)
        self.camera_source.setText(str(config.camera.get("source", 0)))
        form.addRow(self.camera_enabled)
        form.addRow(self._label("camera_source", tab), self.camera_source)
        self.camera_frame = QLabel(tab)
        self.camera_frame.setObjectName("cameraFrame")
        self.camera_frame.setAccessibleName("a picture from the camera")
        self.camera_frame.setFixedSize(PREVIEW)
        self.camera_frame.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.camera_frame.setStyleSheet("background: #101828; color: #d0d5dd;")
        form.addRow(self.camera_frame)
        self.camera_hint = QLabel(tab)
        self.camera_hint.setWordWrap(True)
        form.addRow(self.camera_hint)
        self.test_camera_button = button("", "cameraTest", tab)
        self.save_camera_button = button("", "cameraSave", tab)
        self.test_camera_button.clicked.connect(self.test_camera)
        self.save_camera_button.clicked.connect(self.save_camera)
        form.addRow(self._row(self.test_camera_button, self.save_camera_button))
        self.tabs.addTab(tab, "")

    def _language_tab(self, config: TerminalConfig) -> None:
        tab = QWidget(self)
        tab.setObjectName("settingsLanguageTab")
        form = form_layout(tab)
        self.language = QComboBox(tab)
        self.language.setObjectName("settingsLanguage")
        self.language.setAccessibleName("language")
        self.language.setMinimumHeight(TOUCH)
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(list(i18n.LANGUAGES).index(config.ui.language))
        form.addRow(self._label("language", tab), self.language)
        self.language_hint = QLabel(tab)
        self.language_hint.setWordWrap(True)
        form.addRow(self.language_hint)
        self.save_language_button = button("", "languageSave", tab)
        self.save_language_button.clicked.connect(self.save_language)
        form.addRow(self._row(self.save_language_button))
        self.tabs.addTab(tab, "")

    def _hq_tab(self, config: TerminalConfig) -> None:
        tab = QWidget(self)
        tab.setObjectName("settingsHqTab")
        form = form_layout(tab)
        self.hq_url = _field("settingsHqUrl", tab)
        self.hq_url.setPlaceholderText("https://hq.example.com")
        self.hq_url.setText(config.hq.url or "")
        form.addRow(self._label("hq_url", tab), self.hq_url)
        self.hq_hint = QLabel(tab)
        self.hq_hint.setWordWrap(True)
        form.addRow(self.hq_hint)
        self.save_hq_button = button("", "hqSave", tab)
        self.save_hq_button.clicked.connect(self.save_hq)
        self.hq_url.returnPressed.connect(self.save_hq)
        form.addRow(self._row(self.save_hq_button))
        self.enrol_code = _field("settingsEnrolCode", tab)
        self.enrol_code.setPlaceholderText("K7QMX2WRTA")
        form.addRow(self._label("enrol_code", tab), self.enrol_code)
        self.enrol_hint = QLabel(tab)
        self.enrol_hint.setWordWrap(True)
        form.addRow(self.enrol_hint)
        self.enrol_button = button("", "hqEnrol", tab)
        self.enrol_button.clicked.connect(self.enrol)
        self.enrol_code.returnPressed.connect(self.enrol)
        form.addRow(self._row(self.enrol_button))
        self.tabs.addTab(tab, "")

    def _row(self, *buttons: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        for b in buttons:
            row.addWidget(b)
        return row

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        tabs = [
            self.tr("Store"),
            self.tr("Printer"),
            self.tr("Camera"),
            self.tr("Language"),
            self.tr("HQ"),
        ]
        for i, text in enumerate(tabs):
            self.tabs.setTabText(i, text)
        texts = {
            "store_code": self.tr("Store code"),
            "terminal_code": self.tr("Terminal code"),
            "store_name": self.tr("Store name"),
            "store_address": self.tr("Address"),
            "footer": self.tr("Receipt footer"),
            "connection": self.tr("Connection"),
            "file_path": self.tr("File or device"),
            "host": self.tr("Printer address"),
            "port": self.tr("Port"),
            "usb_vendor_id": self.tr("USB vendor id"),
            "usb_product_id": self.tr("USB product id"),
            "serial_port": self.tr("Serial port"),
            "baudrate": self.tr("Speed (baud)"),
            "cups_printer": self.tr("CUPS queue"),
            "paper": self.tr("Paper"),
            "camera_source": self.tr("Camera source"),
            "language": self.tr("Language"),
            "hq_url": self.tr("HQ address"),
            "enrol_code": self.tr("Enrolment code"),
        }
        for key, label in self.labels.items():
            label.setText(texts[key])
        connections = {
            "file": self.tr("File or device node"),
            "network": self.tr("Network (TCP 9100)"),
            "usb": self.tr("USB"),
            "serial": self.tr("Serial"),
            "cups": self.tr("CUPS"),
        }
        for i, kind in enumerate(CONNECTIONS):
            self.connection.setItemText(i, connections[kind])
        self.save_store.setText(self.tr("Save"))
        self.printer_hint.setText(
            self.tr("Test print tries what the form says, saved or not; Save keeps it.")
        )
        self.test_print_button.setText(self.tr("Test print"))
        self.save_printer_button.setText(self.tr("Save"))
        self.camera_enabled.setText(self.tr("Scan codes with the camera"))
        self.camera_source.setPlaceholderText(self.tr("0, a video file or rtsp://…"))
        self.camera_hint.setText(
            self.tr("Test camera opens what the form says for a few frames and shows one.")
        )
        self.test_camera_button.setText(self.tr("Test camera"))
        self.save_camera_button.setText(self.tr("Save"))
        if self.camera_frame.pixmap().isNull():
            self.camera_frame.setText(self.tr("No picture yet"))
        self.language_hint.setText(
            self.tr("The new language shows at once, here and in the messages of the till.")
        )
        self.save_language_button.setText(self.tr("Save"))
        self.hq_hint.setText(
            self.tr("The HQ address Enrol uses; Save keeps it in config.toml. Empty: no HQ.")
        )
        self.save_hq_button.setText(self.tr("Save"))
        self.enrol_hint.setText(
            self.tr(
                "Enrol links this till to HQ at the address above with the one-time code "
                "HQ issued; then the till syncs by itself."
            )
        )
        self.enrol_button.setText(self.tr("Enrol"))
        self.close_button.setText(self.tr("Close"))

    # --- saving ---------------------------------------------------------------------------

    def _save(self, work: Callable[[], TerminalConfig], done: Callable[[], str]) -> None:
        """Run a save on the store thread; the till takes the new config; ``done()`` says so."""

        def saved(config: TerminalConfig) -> None:
            apply_config(self.window_, self.ctx, config)
            self.message.info(done())

        self.message.clear_message()
        Op(self, work).success(while_open(self, saved)).failure(
            while_open(self, lambda exc: self.message.error(error_text(exc)))
        ).run()

    def save_store_details(self) -> None:
        ctx, actor, home = self.ctx, self.actor, self.ctx.home
        config, terminal_id = home.config, ctx.settings.terminal_id
        name, address = self.store_name.text(), self.store_address.text()
        footer = self.footer.text()

        def work() -> TerminalConfig:
            changed = config
            if name != config.store.name:
                changed = settings_edit.set_store_detail(
                    home, actor=actor, field="name", text=name, terminal_id=terminal_id
                )
            if address != config.store.address:
                changed = settings_edit.set_store_detail(
                    home, actor=actor, field="address", text=address, terminal_id=terminal_id
                )
            if footer != config.receipt.footer:
                changed = settings_admin.set_value(
                    home.data,
                    home.db,
                    actor=actor,
                    key="receipt.footer",
                    raw=settings_edit.toml_text(footer),
                    terminal_id=terminal_id,
                )
            return changed

        self._save(work, lambda: self.tr("Saved. Receipts from now on show it."))

    def _show_printer_fields(self) -> None:
        needed = PRINTER_FIELDS[str(self.connection.currentData())]
        for key, field in self.printer_fields.items():
            self.printer_form.setRowVisible(field, key in needed)

    def printer_changes(self) -> dict[str, str]:
        """The ``[printer]`` keys the form sets, as TOML value texts."""
        kind = str(self.connection.currentData())
        changes = {
            "printer.connection": settings_edit.toml_text(kind),
            "printer.paper": settings_edit.toml_text(self.paper.currentText()),
        }
        for key in PRINTER_FIELDS[kind]:
            text = self.printer_fields[key].text()
            raw = _raw_number(text) if key in NUMBERS else settings_edit.toml_text(text.strip())
            changes[f"printer.{key}"] = raw
        return changes

    def save_printer(self) -> None:
        from ui.printing import printer_for, printer_settings

        ctx, actor, home = self.ctx, self.actor, self.ctx.home
        changes, terminal_id = self.printer_changes(), ctx.settings.terminal_id
        path = home.data.config_path

        def work() -> tuple[TerminalConfig, Any]:
            config = settings_edit.set_values(
                home.data,
                home.db,
                actor=actor,
                changes=changes,
                check=lambda candidate: printer_settings(candidate, path),
                terminal_id=terminal_id,
            )
            return config, printer_for(dataclasses.replace(home, config=config))

        def saved(result: tuple[TerminalConfig, Any]) -> None:
            config, printer = result
            apply_config(self.window_, ctx, config)
            ctx.printer = printer
            self.message.info(self.tr("Saved. The till prints there from now on."))

        self.message.clear_message()
        Op(self, work).success(while_open(self, saved)).failure(
            while_open(self, lambda exc: self.message.error(error_text(exc)))
        ).run()

    def test_print(self) -> None:
        """Print the check page with what the form says (saved or not), on a device thread."""
        from devices.printer import ReceiptPrinter, print_document
        from ui.printing import printer_settings

        ctx, home, changes = self.ctx, self.ctx.home, self.printer_changes()
        terminal_id, tz, status = ctx.settings.terminal_id, ctx.settings.tz.key, ctx.status

        def work() -> str:
            candidate = settings_edit.candidate(home.data, changes)
            chosen = printer_settings(candidate, home.data.config_path)
            with home.db.sessions() as session:
                page = check_page_document(
                    session, terminal_id, now=ctx.clock(), tz=tz, printer=chosen.describe()
                )
            outcome = print_document(ReceiptPrinter(chosen), page)
            if outcome.ok:
                status.set("printer", "ok", "printer_test_printed")
                return ""
            status.set("printer", "offline", outcome.code)
            return outcome.code

        def done(code: str) -> None:
            if code:
                self.message.error(messages.render(code))
            else:
                self.message.info(messages.render("printer_test_printed"))

        self.message.clear_message()
        self.test_print_button.setEnabled(False)
        Op(self, work).success(while_open(self, done)).failure(
            while_open(self, lambda exc: self.message.error(error_text(exc)))
        ).finally_(while_open(self, lambda: self.test_print_button.setEnabled(True))).run(DEVICES)

    def camera_changes(self) -> dict[str, str]:
        return {
            "camera.enabled": "true" if self.camera_enabled.isChecked() else "false",
            "camera.source": _camera_source(self.camera_source.text()),
        }

    def save_camera(self) -> None:
        from devices.camera import CameraSettings

        ctx, actor, home = self.ctx, self.actor, self.ctx.home
        changes, terminal_id = self.camera_changes(), ctx.settings.terminal_id
        path = home.data.config_path

        def work() -> TerminalConfig:
            return settings_edit.set_values(
                home.data,
                home.db,
                actor=actor,
                changes=changes,
                check=lambda candidate: device_section(candidate, path, "camera", CameraSettings),
                terminal_id=terminal_id,
            )

        self._save(work, lambda: self.tr("Saved. The camera (F3) uses it from now on."))

    def test_camera(self) -> None:
        """Open the camera the form names for a few frames and show the last one."""
        home, changes = self.ctx.home, self.camera_changes()

        def work() -> tuple[QImage | None, str, dict[str, str]]:
            import cv2

            from devices.camera import CameraSettings, get_reader

            candidate = settings_edit.candidate(home.data, changes)
            chosen = device_section(candidate, home.data.config_path, "camera", CameraSettings)
            params = {"source": str(chosen.source)}
            if not chosen.enabled:
                return None, "camera_disabled", {}
            reader = get_reader(chosen)
            if not reader.open():
                return None, "camera_test_cannot_open", params
            try:
                frames = [reader.read() for _ in range(CAMERA_FRAMES)]
            finally:
                reader.close()
            good = [f for f in frames if f is not None]
            if not good:
                return None, "camera_test_no_frame", params
            frame = good[-1]
            height, width = frame.shape[:2]
            scale = min(PREVIEW.width() / width, PREVIEW.height() / height, 1.0)
            w, h = max(1, round(width * scale)), max(1, round(height * scale))
            rgb = cv2.cvtColor(cv2.resize(frame, (w, h)), cv2.COLOR_BGR2RGB)
            image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
            return image, "camera_test_ok", params

        def done(result: tuple[QImage | None, str, dict[str, str]]) -> None:
            image, code, params = result
            text = messages.render(code, params)
            if image is None:
                self.camera_frame.clear()
                self.camera_frame.setText(self.tr("No picture"))
                self.message.error(text)
            else:
                self.camera_frame.setPixmap(QPixmap.fromImage(image))
                self.message.info(text)

        self.message.clear_message()
        self.test_camera_button.setEnabled(False)
        Op(self, work).success(while_open(self, done)).failure(
            while_open(self, lambda exc: self.message.error(error_text(exc)))
        ).finally_(while_open(self, lambda: self.test_camera_button.setEnabled(True))).run(DEVICES)

    def save_language(self) -> None:
        ctx, actor, home = self.ctx, self.actor, self.ctx.home
        lang, terminal_id = str(self.language.currentData()), ctx.settings.terminal_id

        def work() -> TerminalConfig:
            return settings_admin.set_value(
                home.data,
                home.db,
                actor=actor,
                key="ui.language",
                raw=settings_edit.toml_text(lang),
                terminal_id=terminal_id,
            )

        def saved(config: TerminalConfig) -> None:
            apply_config(self.window_, ctx, config)
            switch_language(config.ui.language)
            self.message.info(self.tr("Language changed."))

        self.message.clear_message()
        Op(self, work).success(while_open(self, saved)).failure(
            while_open(self, lambda exc: self.message.error(error_text(exc)))
        ).run()

    def save_hq(self) -> None:
        ctx, actor, home = self.ctx, self.actor, self.ctx.home
        url, terminal_id = self.hq_url.text().strip(), ctx.settings.terminal_id

        def work() -> TerminalConfig:
            return settings_admin.set_value(
                home.data,
                home.db,
                actor=actor,
                key="hq.url",
                raw=settings_edit.toml_text(url),
                terminal_id=terminal_id,
            )

        self._save(work, lambda: self.tr("Saved."))

    def enrol(self) -> None:
        """Enrol this till with HQ (the address in the form, else ``[hq] url``), off the GUI
        thread; then the sync agent starts, or wakes up when it runs already."""
        from sync.enrollment import enroll_till
        from ui.qt.app import start_sync

        ctx, actor, home = self.ctx, self.actor, self.ctx.home
        url, code = self.hq_url.text().strip() or None, self.enrol_code.text().strip()

        def work() -> tuple[str, str, str]:
            answer = enroll_till(home, code, actor=actor, url=url)
            return answer.store_code, answer.terminal_code, url or home.config.hq.url or ""

        def enrolled(result: tuple[str, str, str]) -> None:
            store, terminal, address = result
            self.enrol_code.clear()
            start_sync(ctx)
            self.message.info(
                self.tr("Enrolled with HQ at {url} as store {store}, terminal {terminal}.").format(
                    url=address, store=store, terminal=terminal
                )
            )

        self.message.clear_message()
        self.enrol_button.setEnabled(False)
        Op(self, work).success(while_open(self, enrolled)).failure(
            while_open(self, lambda exc: self.message.error(error_text(exc)))
        ).finally_(while_open(self, lambda: self.enrol_button.setEnabled(True))).run(DEVICES)
