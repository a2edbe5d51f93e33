"""Print a document: render, check the printer, send, and say with a code what went wrong.

:func:`print_document` never raises for a printer problem. It returns a
:class:`PrintOutcome`: ``ok``, or a failure ``code`` such as
``printer_paper_out``. Devices do not hold words for people: the codes are
entries of the message catalogue (``terminal/messages/devices.py``) and the
front end renders them ("打印机缺纸，请装入新纸卷后重打小票"). The caller
records the outcome on the print job in the store; the sale itself was
committed before printing started, so nothing here can lose it.

Order of work: render all bytes first (a bad document or a missing font fails
before the printer is touched), open the connection, ask the printer for its
status where the connection can answer (network, serial, USB) and refuse to
send into a printer that says it is offline / out of paper / open (it would
hold or drop the job), then send the whole job in one write.

The cash drawer is not part of any document: :meth:`ReceiptPrinter.open_drawer`
sends its own real-time pulse, at payment, and works while the printer is out
of paper.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.exceptions import Error as EscposError

from devices.printer.render import (
    FontMissing,
    RenderError,
    drawer_pulse,
    make_canvas,
    render_document,
)
from devices.printer.settings import PrinterSettings
from devices.printer.status import UNKNOWN, PrinterStatus, read_status
from devices.printer.transport import STATUS_CAPABLE, DriverMissing, make_connection

log = logging.getLogger(__name__)

FAILURES = (
    "printer_not_connected",
    "printer_timeout",
    "printer_paper_out",
    "printer_cover_open",
    "printer_offline",
    "printer_send_failed",
    "printer_no_font",
    "printer_driver_missing",
    "printer_bad_document",
)
"""The failure codes of a print (their words are in ``terminal/messages/devices.py``)."""

PAPER_NEAR_END = "printer_paper_near_end"
"""The warning code of a print that went out on a roll that is nearly used up."""

DRAWER_FAILURES = (
    "drawer_not_connected",
    "drawer_timeout",
    "drawer_send_failed",
    "drawer_driver_missing",
)
"""The failure codes of :meth:`ReceiptPrinter.open_drawer`."""


@dataclass(frozen=True)
class PrintOutcome:
    """What became of one print: ``ok``, or a failure ``code`` (see :data:`FAILURES`).

    ``sent`` is true once the job's bytes started going to the printer: from
    then on it may have printed, even when the outcome is a failure (the
    connection dropped before the printer confirmed). ``detail`` is the
    technical reason for the log; ``warning`` a non-blocking code (paper near
    end); ``status`` what the printer answered (fields None = unknown);
    ``bytes_sent`` how many bytes went out.
    """

    ok: bool
    code: str = ""
    detail: str = ""
    warning: str = ""
    status: PrinterStatus = UNKNOWN
    bytes_sent: int = 0
    sent: bool = False

    @classmethod
    def failed(
        cls, code: str, detail: str = "", status: PrinterStatus = UNKNOWN, *, sent: bool = False
    ) -> PrintOutcome:
        """A failure with ``code``."""
        assert code in FAILURES, code
        return cls(False, code, detail, status=status, sent=sent)


@dataclass(frozen=True)
class DrawerOutcome:
    """What became of a drawer pulse: ``ok``, or a ``code`` of :data:`DRAWER_FAILURES`."""

    ok: bool
    code: str = ""
    detail: str = ""


class ReceiptPrinter:
    """The configured receipt printer: settings plus a way to make its escpos connection.

    ``connect`` defaults to :func:`~devices.printer.transport.make_connection`;
    tests may pass any callable returning a python-escpos printer object.
    """

    def __init__(
        self,
        settings: PrinterSettings,
        *,
        connect: Callable[[PrinterSettings], Escpos] = make_connection,
    ) -> None:
        self.settings = settings
        self._connect = connect

    def render(self, document: Mapping[str, Any]) -> bytes:
        """The ESC/POS bytes of a document for this printer (nothing is sent)."""
        return render_document(document, self.settings)

    def open(self) -> Escpos:
        """Open the connection (raises the python-escpos / OS error when it cannot)."""
        device = self._connect(self.settings)
        device.open()
        return device

    def status(self) -> PrinterStatus:
        """Ask the printer how it is; unknown for a file / CUPS or a printer that is silent."""
        if self.settings.connection not in STATUS_CAPABLE:
            return UNKNOWN
        try:
            device = self.open()
        except Exception:
            return UNKNOWN
        try:
            return self._status(device)
        finally:
            _close(device)

    def open_drawer(self) -> DrawerOutcome:
        """Open the cash drawer now, with its own pulse; never raises for printer trouble.

        No status check first: the real-time pulse works while the printer is
        out of paper or its cover is open, which is when the cashier still
        needs the drawer for the change.
        """
        canvas = make_canvas(self.settings)
        drawer_pulse(canvas, self.settings)
        try:
            device = self.open()
        except DriverMissing as exc:
            return DrawerOutcome(False, "drawer_driver_missing", str(exc))
        except Exception as exc:
            log.warning("printer %s: cannot open for the drawer: %r", self.settings.describe(), exc)
            code = "drawer_timeout" if _is_timeout(exc) else "drawer_not_connected"
            return DrawerOutcome(False, code, f"{type(exc).__name__}: {exc}")
        try:
            _send(device, canvas.output)
            if self.settings.connection == "network":
                self._status(device)  # meets the reset of a connection the printer dropped
        except Exception as exc:
            log.warning("printer %s: drawer pulse failed: %r", self.settings.describe(), exc)
            code = "drawer_timeout" if _is_timeout(exc) else "drawer_send_failed"
            return DrawerOutcome(False, code, f"{type(exc).__name__}: {exc}")
        finally:
            _close(device)
        return DrawerOutcome(True)

    def _status(self, device: Escpos) -> PrinterStatus:
        if self.settings.connection not in STATUS_CAPABLE:
            return UNKNOWN
        sock = getattr(device, "_device", None)
        if isinstance(sock, socket.socket):
            sock.settimeout(self.settings.status_timeout_seconds)
            try:
                return read_status(device)
            finally:
                sock.settimeout(self.settings.timeout_seconds)
        return read_status(device)


def _close(device: Escpos) -> None:
    try:
        device.close()
    except Exception:  # closing a dead connection must not hide the real outcome
        log.debug("closing the printer connection failed", exc_info=True)


def _is_timeout(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, TimeoutError | socket.timeout):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _open_failure(exc: BaseException) -> PrintOutcome:
    if isinstance(exc, DriverMissing):
        return PrintOutcome.failed("printer_driver_missing", str(exc))
    code = "printer_timeout" if _is_timeout(exc) else "printer_not_connected"
    return PrintOutcome.failed(code, f"{type(exc).__name__}: {exc}")


def _send(device: Escpos, data: bytes) -> None:
    """Write ``data`` and push it out (CUPS queues the job on ``send()``)."""
    device._raw(data)
    flush = getattr(device, "flush", None)
    if callable(flush):
        flush()
    send = getattr(device, "send", None)
    if callable(send):
        send()


def print_document(printer: ReceiptPrinter, document: Mapping[str, Any]) -> PrintOutcome:
    """Render ``document`` and send it to ``printer``; never raises for printer trouble."""
    try:
        data = printer.render(document)
    except FontMissing as exc:
        return PrintOutcome.failed("printer_no_font", str(exc))
    except RenderError as exc:
        return PrintOutcome.failed("printer_bad_document", str(exc))
    try:
        device = printer.open()
    except (DeviceNotFoundError, DriverMissing, EscposError, OSError) as exc:
        log.warning("printer %s: cannot open: %s", printer.settings.describe(), exc)
        return _open_failure(exc)
    except Exception as exc:  # USB backends raise their own types
        log.warning("printer %s: cannot open: %r", printer.settings.describe(), exc)
        return PrintOutcome.failed("printer_not_connected", repr(exc))
    try:
        try:
            status = printer._status(device)
        except ConnectionError as exc:
            log.warning("printer %s: connection lost: %r", printer.settings.describe(), exc)
            return PrintOutcome.failed("printer_not_connected", f"{type(exc).__name__}: {exc}")
        problem = status.problem()
        if problem:
            return PrintOutcome.failed(f"printer_{problem}", f"printer status {status}", status)
        try:
            _send(device, data)
            if status.known or printer.settings.connection == "network":
                # bytes can sit in the socket buffer of a connection the printer
                # already dropped: one more status round trip meets the reset. A
                # network printer that never answers status costs one status
                # timeout per job for this check.
                printer._status(device)
        except Exception as exc:
            code = "printer_timeout" if _is_timeout(exc) else "printer_send_failed"
            log.warning("printer %s: send failed: %r", printer.settings.describe(), exc)
            return PrintOutcome.failed(code, f"{type(exc).__name__}: {exc}", status, sent=True)
        warning = PAPER_NEAR_END if status.paper == "near_end" else ""
        return PrintOutcome(True, warning=warning, status=status, bytes_sent=len(data), sent=True)
    finally:
        _close(device)
