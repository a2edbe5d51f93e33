"""Print a document: render, check the printer, send, and say what went wrong in plain words.

:func:`print_document` never raises for a printer problem. It returns a
:class:`PrintOutcome`: ``ok``, or a ``code`` and a ``message`` a cashier
understands ("打印机缺纸，请装入新纸卷后重打小票"). The caller (the till)
records the outcome on the print job in the store; the sale itself was
committed before printing started, so nothing here can lose it.

Order of work: render all bytes first (a bad document or a missing font fails
before the printer is touched), open the connection, ask the printer for its
status where the connection can answer (network, serial, USB) and refuse to
send into a printer that says it is offline / out of paper / open (it would
hold or drop the job), then send the whole job in one write.
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

from devices.printer.render import FontMissing, RenderError, render_document
from devices.printer.settings import PrinterSettings
from devices.printer.status import UNKNOWN, PrinterStatus, read_status
from devices.printer.transport import STATUS_CAPABLE, DriverMissing, make_connection

log = logging.getLogger(__name__)

MESSAGES: dict[str, str] = {
    "not_connected": "打印机未连接，请检查电源和数据线，小票已保存可重打",
    "timeout": "打印机无响应，请检查打印机是否开机、网线是否接好，小票已保存可重打",
    "paper_out": "打印机缺纸，请装入新纸卷后重打小票",
    "cover_open": "打印机纸仓盖未关好，请关好后重打小票",
    "offline": "打印机离线，请检查打印机（缺纸、开盖或故障）后重打小票",
    "send_failed": "打印中断，请检查打印机和数据线后重打小票",
    "no_font": "未找到中文字体，无法打印图片小票，请联系管理员（小票已保存）",
    "driver_missing": "本机缺少打印机驱动组件，请联系管理员（小票已保存）",
    "bad_document": "小票内容有误，无法打印，请联系管理员（小票已保存）",
    "error": "打印失败，请检查打印机后重打小票（小票已保存）",
}
"""Cashier-readable text for each failure code."""

PAPER_NEAR_END = "打印机纸将用完，请准备新纸卷"


@dataclass(frozen=True)
class PrintOutcome:
    """What became of one print: ``ok``, or a failure ``code`` with a cashier ``message``.

    ``detail`` is the technical reason for the log; ``warning`` is a non-blocking
    note (paper near end); ``status`` what the printer answered (fields None =
    unknown); ``bytes_sent`` how many bytes went out.
    """

    ok: bool
    code: str = ""
    message: str = ""
    detail: str = ""
    warning: str = ""
    status: PrinterStatus = UNKNOWN
    bytes_sent: int = 0

    @classmethod
    def failed(cls, code: str, detail: str = "", status: PrinterStatus = UNKNOWN) -> PrintOutcome:
        """A failure with the cashier message of ``code``."""
        return cls(False, code, MESSAGES[code], detail, status=status)


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
        return PrintOutcome.failed("driver_missing", str(exc))
    code = "timeout" if _is_timeout(exc) else "not_connected"
    return PrintOutcome.failed(code, f"{type(exc).__name__}: {exc}")


def print_document(printer: ReceiptPrinter, document: Mapping[str, Any]) -> PrintOutcome:
    """Render ``document`` and send it to ``printer``; never raises for printer trouble."""
    try:
        data = printer.render(document)
    except FontMissing as exc:
        return PrintOutcome.failed("no_font", str(exc))
    except RenderError as exc:
        return PrintOutcome.failed("bad_document", str(exc))
    try:
        device = printer.open()
    except (DeviceNotFoundError, DriverMissing, EscposError, OSError) as exc:
        log.warning("printer %s: cannot open: %s", printer.settings.describe(), exc)
        return _open_failure(exc)
    except Exception as exc:  # USB backends raise their own types
        log.warning("printer %s: cannot open: %r", printer.settings.describe(), exc)
        return PrintOutcome.failed("not_connected", repr(exc))
    try:
        try:
            status = printer._status(device)
        except ConnectionError as exc:
            log.warning("printer %s: connection lost: %r", printer.settings.describe(), exc)
            return PrintOutcome.failed("not_connected", f"{type(exc).__name__}: {exc}")
        problem = status.problem()
        if problem:
            return PrintOutcome.failed(problem, f"printer status {status}", status)
        try:
            device._raw(data)
            flush = getattr(device, "flush", None)
            if callable(flush):
                flush()
            send = getattr(device, "send", None)  # CUPS queues the job on send()
            if callable(send):
                send()
            if status.known or printer.settings.connection == "network":
                # bytes can sit in the socket buffer of a connection the printer
                # already dropped: one more status round trip meets the reset. A
                # network printer that never answers status costs one status
                # timeout per job for this check.
                printer._status(device)
        except Exception as exc:
            code = "timeout" if _is_timeout(exc) else "send_failed"
            log.warning("printer %s: send failed: %r", printer.settings.describe(), exc)
            return PrintOutcome.failed(code, f"{type(exc).__name__}: {exc}", status)
        warning = PAPER_NEAR_END if status.paper == "near_end" else ""
        return PrintOutcome(True, warning=warning, status=status, bytes_sent=len(data))
    finally:
        _close(device)
