"""Printing over real connections: a file, and a TCP socket served by the test.

The TCP printer is a ``socketserver`` on 127.0.0.1 (ephemeral port) that
collects every byte and answers DLE EOT status queries the way the test says
(or not at all), so the failure paths run over a real socket.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from escpos.printer import Dummy

from devices.printer import PrinterSettings, ReceiptPrinter, print_document
from devices.printer.status import parse_status, valid_status_byte
from devices.printer.transport import is_usable
from tests.devices.printerkit import (
    COVER_OPEN,
    NEAR_END,
    PAPER_OUT,
    FakePrinter,
    network,
    serve,
)
from tests.devices.test_printer_render import CUT, DOC, DRAWER, PULSE, parse


@pytest.fixture
def tcp_printer() -> Iterator[tuple[FakePrinter, int]]:
    fake = FakePrinter()
    with serve(fake) as port:
        yield fake, port


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
    assert parsed.count(DRAWER) == 0 and parsed.count(CUT) == 1
    assert b"\x10\x04" not in path.read_bytes()  # no status queries written into a file
    assert any("金卡会员95折（￥12.50）" in k for k in parsed.kanji)


def test_a_file_that_cannot_be_opened_is_a_printer_not_connected(tmp_path):
    printer = ReceiptPrinter(
        PrinterSettings(connection="file", file_path=str(tmp_path / "no" / "such" / "dir"))
    )
    out = print_document(printer, DOC)
    assert not out.ok and out.code == "printer_not_connected" and not out.sent


# --- TCP -----------------------------------------------------------------------------------------


def test_print_over_tcp_with_status_ok(tcp_printer):
    fake, port = tcp_printer
    printer = network(port)
    out = print_document(printer, DOC)
    assert out.ok and out.sent, out
    assert out.status.online is True and out.status.paper == "ok"
    [got] = fake.wait_sessions(1)
    parsed = parse(got)
    assert parsed.qr_store == [b"S001T01-00000001"]
    assert parsed.count(DRAWER) == 0 and parsed.commands[-1] == CUT
    assert got == printer.render(DOC)


def test_a_silent_printer_is_unknown_and_still_gets_the_job(tcp_printer):
    fake, port = tcp_printer
    fake.replies = None
    out = print_document(network(port), DOC)
    assert out.ok and not out.status.known
    [got] = fake.wait_sessions(1)
    assert len(got) == out.bytes_sent


@pytest.mark.parametrize(
    "replies,code",
    [(PAPER_OUT, "printer_paper_out"), (COVER_OPEN, "printer_cover_open")],
)
def test_paper_out_or_cover_open_refuses_to_send(tcp_printer, replies, code):
    fake, port = tcp_printer
    fake.replies = dict(replies)
    out = print_document(network(port), DOC)
    assert not out.ok and out.code == code and not out.sent
    assert fake.wait_sessions(1) == [b""]  # nothing but status queries went out


def test_paper_near_end_prints_with_a_warning(tcp_printer):
    fake, port = tcp_printer
    fake.replies = dict(NEAR_END)
    out = print_document(network(port), DOC)
    assert out.ok and out.warning == "printer_paper_near_end"


def test_connection_refused_is_printer_not_connected():
    out = print_document(network(free_port()), DOC)
    assert not out.ok and out.code == "printer_not_connected" and not out.sent


def test_cable_pulled_during_the_job_is_a_send_failure(tcp_printer):
    fake, port = tcp_printer
    fake.reset = True
    out = print_document(network(port, text_mode="gb18030"), DOC)
    assert not out.ok and out.code in ("printer_send_failed", "printer_not_connected")


def test_a_printer_that_drops_after_the_whole_job_may_have_printed_it(tcp_printer):
    """It got every byte, then went away before confirming: a failure, but sent."""
    fake, port = tcp_printer
    fake.drop_after_cut = True
    out = print_document(network(port), DOC)
    [got] = fake.wait_sessions(1)
    assert parse(got).commands[-1] == CUT  # the printer has the whole job
    assert not out.ok and out.sent and out.code in ("printer_send_failed", "printer_timeout")


def test_a_timeout_is_reported_as_no_response():
    class Slow(Dummy):
        def open(self) -> None:
            raise TimeoutError("timed out")

    printer = ReceiptPrinter(PrinterSettings(), connect=lambda s: Slow())
    out = print_document(printer, DOC)
    assert not out.ok and out.code == "printer_timeout"


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
    assert PrinterSettings(paper="58mm", font="b").columns == 42
    assert PrinterSettings(paper="80mm", font="b").columns == 64
    with pytest.raises(ValueError, match="no font b"):
        PrinterSettings(profile="ZJ-5870", font="b")  # its profile has font A only
    assert PrinterSettings(profile="ZJ-5870", font="b", text_mode="image").columns == 64


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
        assert out.code == "printer_driver_missing"
    else:  # installed, but no such printer on this machine
        assert out.code in ("printer_not_connected", "printer_timeout")


# --- the cash drawer -----------------------------------------------------------------------------


@pytest.mark.parametrize("pin,m", [(2, 0), (5, 1)])
def test_the_drawer_opens_with_its_own_real_time_pulse(tcp_printer, pin, m):
    fake, port = tcp_printer
    out = network(port, cash_drawer_pin=pin).open_drawer()
    assert out.ok, out
    [got] = fake.wait_sessions(1)
    assert got == PULSE + bytes([1, m, 1])  # DLE DC4 1 m t, and nothing else


def test_the_drawer_opens_while_the_printer_is_out_of_paper(tcp_printer):
    """Seen: during paper-out the drawer stayed shut (it was an ESC p inside the receipt
    job, which the printer would not take), so there was no change for the customer."""
    fake, port = tcp_printer
    fake.replies = dict(PAPER_OUT)
    printer = network(port)
    assert not print_document(printer, DOC).ok  # the receipt waits for paper
    out = printer.open_drawer()
    assert out.ok
    sessions = fake.wait_sessions(2)
    assert sessions[1] == PULSE + bytes([1, 0, 1])


def test_esc_p_drawer_for_printers_without_dle_dc4(tcp_printer):
    fake, port = tcp_printer
    assert network(port, drawer_command="esc_p").open_drawer().ok
    [got] = fake.wait_sessions(1)
    assert parse(got).commands == [DRAWER]


def test_a_drawer_on_a_printer_that_is_off_says_so():
    out = network(free_port()).open_drawer()
    assert not out.ok and out.code == "drawer_not_connected"
