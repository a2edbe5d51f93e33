"""The receipt printer: ESC/POS through python-escpos, over USB, serial, network, file or CUPS.

The core (``terminal/receipts.py``) builds a printer-independent document (a
plain dict); this package lays it out for the paper (:mod:`.layout`), draws it
with python-escpos (:mod:`.render`), reads the printer's status
(:mod:`.status`) and sends it over the configured connection
(:mod:`.transport`, :mod:`.service`). It never imports the core.
"""

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
from devices.printer.settings import PrinterSettings
from devices.printer.status import PrinterStatus

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
]
