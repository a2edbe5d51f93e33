"""Starting the GUI till: the Qt application, its language, style and main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from terminal.home import TerminalHome
from ui.qt import i18n
from ui.qt.context import AppContext
from ui.qt.main_window import MainWindow

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)


def display_available() -> bool:
    """Whether Qt can open a window here (a screen, Wayland, or a platform chosen explicitly)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, styled, with a font that has Chinese in it."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or [sys.argv[0]])
    families = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in families:
            app.setFont(QFont(family, 11))
            break
    style = Path(i18n.RESOURCES / "style.qss")
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def build(home: TerminalHome) -> MainWindow:
    """The main window on an open till, in the till's language (screens and messages)."""
    from ui.printing import printer_for

    i18n.install(home.config.ui.language)
    ctx = AppContext.open(home, printer=printer_for(home))
    return MainWindow(ctx)


def run(home: TerminalHome) -> int:
    """Show the till and run until it is closed; returns the exit status."""
    app = application()
    window = build(home)
    window.show()
    return int(app.exec())
