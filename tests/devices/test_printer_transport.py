"""Printing over real connections: a file, and a TCP socket served by the test.

The TCP printer is a ``socketserver`` on 127.0.0.1 (ephemeral port) that
collects every byte and answers DLE EOT status queries the way the test says
(or not at all), so the failure paths run over a real socket.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from escpos.printer import Dummy

from devices.printer import MESSAGES, PrinterSettings, ReceiptPrinter, print_document
from devices.printer.status import parse_status, valid_status_byte
from devices.printer.transport import is_usable
from tests.devices.test_printer_render import CUT, DOC, DRAWER, doc, parse

OK = {1: 0x12, 2: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x72}  # offline, paper-end stop, paper end
COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}
NEAR_END = {1: 0x12, 2: 0x12, 4: 0x1E}


@dataclass
class FakePrinter:
    """What the served printer does: its status replies (None = silent) and what it got."""

    replies: dict[int, int] | None = field(default_factory=lambda: dict(OK))
    reset: bool = False  # drop the connection at once (cable pulled)
    received: bytearray = field(default_factory=bytearray)
    connections: int = 0


@pytest.fixture
def tcp_printer() -> Iterator[tuple[FakePrinter, int]]:
    fake = FakePrinter()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            fake.connections += 1
            sock: socket.socket = self.request
            if fake.reset:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            buf = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                buf += chunk
                # answer real-time status queries as they arrive
                while b"\x10\x04" in buf:
                    at = buf.index(b"\x10\x04")
                    if len(buf) < at + 3:
                        break
                    n = buf[at + 2]
                    if fake.replies is not None and n in fake.replies:
                        sock.sendall(bytes([fake.replies[n]]))
                    buf = buf[:at] + buf[at + 3 :]
                fake.received += buf
                buf = b""

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake, server.server_address[1]
    server.shutdown()
    server.server_close()


def network(port: int, **kw) -> ReceiptPrinter:
    settings = PrinterSettings(
        connection="network",
        host="127.0.0.1",
        port=port,
        timeout_seconds=2,
        status_timeout_seconds=0.3,
        **kw,
    )
    return ReceiptPrinter(settings)


def wait_for(fake: FakePrinter, size: int) -> None:
    for _ in range(100):
        if len(fake.received) >= size:
            return
        threading.Event().wait(0.02)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- status bytes ------------------------------------------------------------------------------


def test_status_bytes_and_an_empty_reply_is_unknown_not_ok():
    assert valid_status_byte(b"") is None
    assert valid_status_byte(b"\xff") is None  # fixed bits wrong: not a status byte
    ok = parse_status(b"\x12", b"\x12", b"\x12")
    assert (ok.online, ok.paper, ok.cover_open, ok.problem()) == (True, "ok", False, None)
    out = parse_status(b"\x1a", b"\x32", b"\x72")
    assert out.problem() == "paper_out" and out.online is False
    assert parse_status(b"\x1a", b"\x16", b"\x12").problem() == "cover_open"
    assert parse_status(b"\x12", b"\x12", b"\x1e").paper == "near_end"
    unknown = parse_status(b"", b"", b"")
    assert not unknown.known and unknown.problem() is None and unknown.online is None


# --- file ----------------------------------------------------------------------------------------


def test_print_to_a_file_and_read_the_bytes_back(tmp_path):
    path = tmp_path / "lp0"
    printer = ReceiptPrinter(PrinterSettings(connection="file", file_path=str(path)))
    out = print_document(printer, DOC)
    assert out.ok and out.bytes_sent == path.stat().st_size
    assert not out.status.known  # a file cannot answer status queries
    parsed = parse(path.read_bytes())
    assert parsed.qr_store == [b"S001T01-00000001"]
    assert parsed.count(DRAWER) == 1 and parsed.count(CUT) == 1
    assert b"\x10\x04" not in path.read_bytes()  # no status queries written into a file
    assert any("金卡会员95折（￥12.50）" in k for k in parsed.kanji)


def test_a_file_that_cannot_be_opened_is_a_printer_not_connected(tmp_path):
    printer = ReceiptPrinter(
        PrinterSettings(connection="file", file_path=str(tmp_path / "no" / "such" / "dir"))
    )
    out = print_document(printer, DOC)
    assert not out.ok and out.code == "not_connected"
    assert out.message == "打印机未连接，请检查电源和数据线，小票已保存可重打"


# --- TCP -----------------------------------------------------------------------------------------


def test_print_over_tcp_with_status_ok(tcp_printer):
    fake, port = tcp_printer
    printer = network(port)
    out = print_document(printer, DOC)
    assert out.ok, out
    assert out.status.online is True and out.status.paper == "ok"
    wait_for(fake, out.bytes_sent)
    parsed = parse(bytes(fake.received))
    assert parsed.qr_store == [b"S001T01-00000001"]
    assert parsed.count(DRAWER) == 1 and parsed.commands[-1] == CUT
    assert bytes(fake.received) == printer.render(DOC)


def test_card_sale_over_tcp_has_no_drawer_kick(tcp_printer):
    fake, port = tcp_printer
    out = print_document(network(port), doc(open_drawer=False))
    assert out.ok
    wait_for(fake, out.bytes_sent)
    parsed = parse(bytes(fake.received))
    assert parsed.count(DRAWER) == 0 and parsed.count(CUT) == 1


def test_a_silent_printer_is_unknown_and_still_gets_the_job(tcp_printer):
    fake, port = tcp_printer
    fake.replies = None
    out = print_document(network(port), DOC)
    assert out.ok and not out.status.known
    wait_for(fake, out.bytes_sent)
    assert len(fake.received) == out.bytes_sent


@pytest.mark.parametrize(
    "replies,code,words",
    [(PAPER_OUT, "paper_out", "缺纸"), (COVER_OPEN, "cover_open", "纸仓盖")],
)
def test_paper_out_or_cover_open_refuses_to_send(tcp_printer, replies, code, words):
    fake, port = tcp_printer
    fake.replies = dict(replies)
    out = print_document(network(port), DOC)
    assert not out.ok and out.code == code and words in out.message
    assert fake.received == bytearray()  # nothing but status queries went out


def test_paper_near_end_prints_with_a_warning(tcp_printer):
    fake, port = tcp_printer
    fake.replies = dict(NEAR_END)
    out = print_document(network(port), DOC)
    assert out.ok and "纸将用完" in out.warning


def test_connection_refused_is_printer_not_connected():
    out = print_document(network(free_port()), DOC)
    assert not out.ok and out.code == "not_connected"
    assert out.message == MESSAGES["not_connected"]
    assert "小票已保存可重打" in out.message


def test_cable_pulled_during_the_job_is_a_send_failure(tcp_printer):
    fake, port = tcp_printer
    fake.reset = True
    out = print_document(network(port, text_mode="gb18030"), DOC)
    assert not out.ok and out.code in ("send_failed", "not_connected")
    assert "重打" in out.message


def test_a_timeout_is_reported_as_no_response():
    class Slow(Dummy):
        def open(self) -> None:
            raise TimeoutError("timed out")

    printer = ReceiptPrinter(PrinterSettings(), connect=lambda s: Slow())
    out = print_document(printer, DOC)
    assert not out.ok and out.code == "timeout" and "无响应" in out.message


def test_settings_are_checked():
    with pytest.raises(ValueError):
        PrinterSettings(connection="network")
    with pytest.raises(ValueError):
        PrinterSettings(connection="usb")
    with pytest.raises(ValueError):
        PrinterSettings(paper="76mm")  # type: ignore[arg-type]
    s = PrinterSettings(connection="usb", usb_vendor_id=0x0416, usb_product_id=0x5011)
    assert s.describe() == "USB 0416:5011" and s.columns == 48
    assert PrinterSettings(paper="58mm").columns == 32


@pytest.mark.parametrize(
    "settings",
    [
        PrinterSettings(connection="usb", usb_vendor_id=0x0416, usb_product_id=0x5011),
        PrinterSettings(connection="serial", serial_port="/dev/ttyS99"),
        PrinterSettings(connection="cups", cups_printer="receipt"),
    ],
    ids=["usb", "serial", "cups"],
)
def test_other_connections_fail_in_cashier_words_when_absent(settings):
    out = print_document(ReceiptPrinter(settings), DOC)
    assert not out.ok
    if not is_usable(settings):  # pyusb / pyserial / pycups not installed here
        assert out.code == "driver_missing" and "驱动" in out.message
    else:  # installed, but no such printer on this machine
        assert out.code in ("not_connected", "timeout") and "重打" in out.message
