"""The receipt printer: ESC/POS through python-escpos, over USB, serial, network, file or CUPS.

The core (``terminal/receipts.py``) builds a printer-independent document (a
plain dict); this package lays it out for the paper (:mod:`.layout`), draws it
with python-escpos (:mod:`.render`), reads the printer's status
(:mod:`.status`) and sends it over the configured connection
(:mod:`.transport`, :mod:`.service`). It never imports the core.

Importing this package is cheap: python-escpos (about 0.4 s, most of it
parsing its printer database) loads on first use of what needs it
(PEP 562 lazy attributes). Its parsed database is cached in a private
directory of this user (python-escpos's default is a fresh temporary
directory every run, so the cache never helped and the directories piled up).
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.printer.settings import PrinterSettings


def _escpos_cache() -> Path | None:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    cache = base / "posterm" / "escpos"
    try:
        cache.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(cache, 0o700)  # a pickle is loaded from here: this user's only
    except OSError:
        return None
    return cache / f"{platform.python_version()}.capabilities.pickle"


_CACHED = _escpos_cache()


def _database_mtime() -> float:
    """When python-escpos's printer database changed (0 when it cannot be found)."""
    named = os.environ.get("ESCPOS_CAPABILITIES_FILE")
    if named:
        database = Path(named)
        try:
            return database.stat().st_mtime
        except OSError:
            return 0.0
    for entry in sys.path:  # where python-escpos is, without importing it (0.4 s)
        try:
            return (Path(entry or ".") / "escpos" / "capabilities.json").stat().st_mtime
        except OSError:
            continue
    return 0.0


# python-escpos writes its pickle in place, so a second process could read half a
# file: it is pointed at the shared cache only once a complete pickle newer than
# its database has been published there (atomically, by _publish_cache); an
# older one (a reinstalled virtualenv beside an old cache) it would rewrite in
# place, so then it parses into a private directory and the cache is republished
def _cache_ready() -> bool:
    if _CACHED is None:
        return False
    try:
        cached = _CACHED.stat()
    except OSError:
        return False
    return cached.st_size > 0 and cached.st_mtime >= _database_mtime()


if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ and _CACHED and _cache_ready():
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(_CACHED.parent)


def _publish_cache() -> None:
    """Copy the pickle python-escpos just wrote into the shared cache, atomically."""
    if _CACHED is None or _cache_ready():
        return
    from escpos import capabilities

    fresh = Path(capabilities.pickle_path)
    try:
        partial = _CACHED.with_suffix(f".{os.getpid()}.part")
        shutil.copyfile(fresh, partial)
        os.replace(partial, _CACHED)
    except OSError:
        pass  # only a slower next start


_RENDER = {"FontMissing", "RenderError", "find_cjk_font", "render_document"}
_SERVICE = {
    "DRAWER_FAILURES",
    "FAILURES",
    "PAPER_NEAR_END",
    "DrawerOutcome",
    "PrintOutcome",
    "ReceiptPrinter",
    "print_document",
}

if TYPE_CHECKING:
    from devices.printer.render import FontMissing, RenderError, find_cjk_font, render_document
    from devices.printer.service import (
        DRAWER_FAILURES,
        FAILURES,
        PAPER_NEAR_END,
        DrawerOutcome,
        PrintOutcome,
        ReceiptPrinter,
        print_document,
    )
    from devices.printer.status import PrinterStatus


def __getattr__(name: str) -> Any:
    if name in _RENDER:
        from devices.printer import render

        _publish_cache()
        return getattr(render, name)
    if name in _SERVICE:
        from devices.printer import service

        _publish_cache()
        return getattr(service, name)
    if name == "PrinterStatus":
        from devices.printer import status

        return status.PrinterStatus
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def warm_up() -> None:
    """Load python-escpos now (call on a background thread at start-up)."""
    from devices.printer import service  # noqa: F401

    _publish_cache()


__all__ = [
    "DRAWER_FAILURES",
    "FAILURES",
    "PAPER_NEAR_END",
    "DrawerOutcome",
    "FontMissing",
    "PrintOutcome",
    "PrinterSettings",
    "PrinterStatus",
    "ReceiptPrinter",
    "RenderError",
    "find_cjk_font",
    "print_document",
    "render_document",
    "warm_up",
]
