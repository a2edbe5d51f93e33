"""The manager menu (F9) and its screens: shift, users, imports, backup and restore, settings.

:func:`open_manager_menu` is what the main window calls; the screens load
when the menu opens them (the shift screens live in :mod:`ui.qt.shift`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.qt.context import AppContext
    from ui.qt.main_window import MainWindow
    from ui.qt.manager.menu import ManagerMenu


def open_manager_menu(window: MainWindow, ctx: AppContext) -> ManagerMenu | None:
    """F9 at the checkout: the menu for whoever is logged in."""
    from ui.qt.manager.menu import open_manager_menu as open_menu

    return open_menu(window, ctx)
