"""Starting the GUI till: the Qt application, its language, style and main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from terminal.home import TerminalHome
from ui.qt import i18n
from ui.qt.context import AppContext
from ui.qt.main_window import MainWindow
from ui.qt.widgets import MessageBar, error_text

if TYPE_CHECKING:
    from sync.agent import SyncAgent

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


def install_excepthook(window: MainWindow) -> None:
    """An exception nobody caught on the GUI thread (in a slot or an event handler) is logged
    with its traceback and shown as one line on the screen in front of the cashier; the
    basket is left as it was. (Work run through :mod:`ui.qt.ops` reports its own failures.)
    """

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        text = error_text(exc)  # logs an unexpected one with its traceback
        screen = window.stack.currentWidget()
        bar = getattr(screen, "message", None)
        (bar if isinstance(bar, MessageBar) else window.checkout.message).error(text)

    sys.excepthook = hook


def start_sync(ctx: AppContext) -> SyncAgent | None:
    """The background sync agent on its own thread, if this till is enrolled with HQ.

    It fills the HQ part of the status bar (through ``status_changed``) and
    wakes up after every commit; it never touches a widget. It is kept in
    ``ctx.sync_agent``; when one runs already, it retries at once, backoff or not (after an
    enrolment in Settings it reads the new link on its next round).
    """
    from sync import state

    if ctx.sync_agent is not None:
        ctx.sync_agent.retry_now()
        return ctx.sync_agent
    with ctx.home.db.sessions() as session:
        if not state.get(session, state.URL):
            # e.g. a store restored from before enrolment: not what the replaced one had
            ctx.status.set("hq", "not_configured", "hq_not_configured", waiting=0)
            return None
    from sync.agent import SyncAgent

    ctx.sync_agent = SyncAgent(ctx.home.db, ctx.vault, ctx.status).start()
    return ctx.sync_agent


def run(home: TerminalHome) -> int:
    """Show the till and run until it is closed; returns the exit status."""
    app = application()
    window = build(home)
    install_excepthook(window)
    start_sync(window.ctx)
    window.show()
    try:
        return int(app.exec())
    finally:
        if window.ctx.sync_agent is not None:  # also one started by enrolling in Settings
            window.ctx.sync_agent.stop()
