"""The python-escpos printer object for the configured connection.

One factory, :func:`make_connection`, picks ``Usb`` / ``Serial`` / ``Network`` /
``File`` / ``CupsPrinter`` from the settings; :func:`is_usable` says whether
the Python dependency of that connection (pyusb, pyserial, pycups) is present
on this machine. Nothing is opened here.
"""

from __future__ import annotations

from escpos.escpos import Escpos
from escpos.printer import CupsPrinter, File, Network, Serial, Usb

from devices.printer.settings import PrinterSettings

CLASSES: dict[str, type[Escpos]] = {
    "usb": Usb,
    "serial": Serial,
    "network": Network,
    "file": File,
    "cups": CupsPrinter,
}

STATUS_CAPABLE = frozenset({"usb", "serial", "network"})
"""Connections that can answer DLE EOT status queries (a file or a CUPS queue cannot)."""


class DriverMissing(RuntimeError):
    """The Python package a connection type needs is not installed."""


def is_usable(settings: PrinterSettings) -> bool:
    """True when python-escpos can drive this connection type here."""
    return bool(CLASSES[settings.connection].is_usable())


def make_connection(settings: PrinterSettings) -> Escpos:
    """A python-escpos printer for the settings, not yet opened."""
    if not is_usable(settings):
        raise DriverMissing(
            f"python-escpos cannot use {settings.connection} here (missing pyusb/pyserial/pycups)"
        )
    profile = settings.profile
    match settings.connection:
        case "usb":
            return Usb(
                settings.usb_vendor_id,
                settings.usb_product_id,
                timeout=int(settings.timeout_seconds * 1000),
                in_ep=settings.usb_in_ep,
                out_ep=settings.usb_out_ep,
                profile=profile,
            )
        case "serial":
            return Serial(
                devfile=settings.serial_port,
                baudrate=settings.baudrate,
                timeout=settings.status_timeout_seconds,
                profile=profile,
            )
        case "network":
            return Network(
                settings.host, port=settings.port, timeout=settings.timeout_seconds, profile=profile
            )
        case "file":
            return File(devfile=settings.file_path, profile=profile)
        case _:
            return CupsPrinter(printer_name=settings.cups_printer, profile=profile)
