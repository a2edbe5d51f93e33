"""The till's printing glue: the queue to the printer, the drawer at payment, the paper.

Real printers throughout: a file, a closed port (printer off), and a TCP printer
served by the test (``tests/devices/printerkit.py``) that keeps each
connection's bytes apart, so the drawer pulse and the receipt can be told apart.
"""

from __future__ import annotations

import socket
from pathlib import Path

from sqlalchemy import select

from devices.printer import PrinterSettings, ReceiptPrinter
from terminal import print_jobs
from terminal.config import load_config
from terminal.config_render import ensure_config
from terminal.store.models import PrintJob
from terminal.tenders import Tender
from tests.devices.printerkit import OK, PAPER_OUT, FakePrinter, network, serve
from tests.devices.test_printer_render import CUT, DRAWER, PULSE, parse
from tests.terminal.tillkit import make_till, ring
from ui.printing import AfterCommit, after_sale, messages, print_waiting, printer_settings

DRAWER_PIN2 = PULSE + bytes([1, 0, 1])


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nobody listens once this closes


def test_a_sale_prints_its_receipt_and_a_dead_printer_keeps_it_for_later(demo_db, tmp_path):
    till = make_till(demo_db)
    sale = ring(till, [("SKU000002", 2)])
    dead = ReceiptPrinter(
        PrinterSettings(
            connection="network", host="127.0.0.1", port=closed_port(), timeout_seconds=1.0
        )
    )
    results = print_waiting(demo_db, dead)
    assert [r.delivery.ok for r in results] == [False]
    [line] = messages(results)
    assert "打印机未连接" in line and "not connected" in line  # words, not a socket error
    with demo_db.sessions() as s:
        job = s.scalars(select(PrintJob).where(PrintJob.sale_id == sale.sale_id)).one()
        assert job.status == "failed" and job.last_error == "printer_not_connected"

    out = tmp_path / "receipt.bin"
    alive = ReceiptPrinter(PrinterSettings(connection="file", file_path=str(out)))
    assert print_waiting(demo_db, alive) == []  # failed jobs wait for an explicit retry
    results = print_waiting(demo_db, alive, retry_failed=True)
    assert [r.delivery.ok for r in results] == [True]
    data = out.read_bytes()
    assert sale.receipt_no.encode() in data
    assert b"\x1d\x56" in data  # GS V: the paper is cut
    with demo_db.sessions() as s:
        assert s.scalars(select(PrintJob.status)).all() == ["printed"]


def test_print_failed_that_fails_part_way_leaves_the_untried_jobs_failed(demo_db):
    """Seen: the retry failed part-way, the jobs it did not try were left ``pending``, and
    the next customer's sale printed three old receipts and kicked the drawer each time."""
    till = make_till(demo_db)
    dead = network(closed_port())
    for _ in range(3):
        ring(till, [("SKU000002", 1)])
        print_waiting(demo_db, dead)
    fake = FakePrinter(script=[dict(OK)], replies=dict(PAPER_OUT))
    with serve(fake) as port:
        printer = network(port)
        tried = print_waiting(demo_db, printer, retry_failed=True)
        assert [a.delivery.ok for a in tried] == [True, False]
        with demo_db.sessions() as s:
            assert print_jobs.pending(s) == []
            assert len(print_jobs.failed(s)) == 2
        fake.replies = dict(OK)
        sale = ring(till, [("SKU000002", 1)])
        lines = after_sale(demo_db, printer, sale.sale_id)
        assert lines == []
        sessions = fake.wait_sessions(fake.connections)
    receipts = [parse(b) for b in sessions if CUT in b]
    assert len(receipts) == 2  # the first retried receipt, then the new sale's: no old ones
    assert receipts[-1].qr_store == [sale.receipt_no.encode()]
    assert sessions.count(DRAWER_PIN2) == 1  # one cash sale, one pulse
    assert all(p.count(DRAWER) == 0 and p.count(PULSE) == 0 for p in receipts)


def test_after_a_cash_sale_the_drawer_opens_first_then_the_receipt_prints(demo_db):
    till = make_till(demo_db)
    fake = FakePrinter()
    with serve(fake) as port:
        printer = network(port)
        cash = ring(till, [("SKU000002", 1)])
        assert after_sale(demo_db, printer, cash.sale_id) == []
        pulse, receipt = fake.wait_sessions(2)
        assert pulse == DRAWER_PIN2
        assert parse(receipt).qr_store == [cash.receipt_no.encode()]

        co = till.checkout()
        co.add("SKU000002", 1)
        card = co.pay([Tender("card", co.quote().payable)])
        assert after_sale(demo_db, printer, card.sale_id) == []
        sessions = fake.wait_sessions(3)
        assert DRAWER_PIN2 not in sessions[2:]  # a card sale leaves the drawer shut

        with demo_db.transaction() as s:
            print_jobs.reprint(s, cash.sale_id, now=till.now, actor=till.cashier)
        [attempt] = print_waiting(demo_db, printer)  # a reprint never opens it
        assert attempt.delivery.ok and attempt.kind == "reprint"
        sessions = fake.wait_sessions(4)
    assert sessions.count(DRAWER_PIN2) == 1


def test_the_drawer_opens_at_payment_even_while_the_printer_is_out_of_paper(demo_db):
    till = make_till(demo_db)
    fake = FakePrinter(replies=dict(PAPER_OUT))
    with serve(fake) as port:
        sale = ring(till, [("SKU000002", 1)])
        [line] = after_sale(demo_db, network(port), sale.sale_id)
        assert "缺纸" in line
        pulse, refused = fake.wait_sessions(2)
    assert pulse == DRAWER_PIN2 and refused == b""


def test_a_drawer_that_cannot_open_says_so_in_words(demo_db):
    till = make_till(demo_db)
    sale = ring(till, [("SKU000002", 1)])
    lines = after_sale(demo_db, network(closed_port()), sale.sale_id)
    assert any("钱箱未能打开" in x and "open it with the key" in x for x in lines)


def test_the_keyboard_tills_after_commit_opens_the_drawer_for_new_cash_sales_only(demo_db):
    till = make_till(demo_db)
    before = ring(till, [("SKU000002", 1)])  # committed before the till started
    fake = FakePrinter()
    with serve(fake) as port:
        after = AfterCommit(demo_db, lambda: network(port), till.settings.terminal_id)
        sale = ring(till, [("SKU000002", 1)])
        assert after() == []
        assert after() == []  # nothing new: no pulse, nothing printed
        sessions = fake.wait_sessions(3)
    assert sessions[0] == DRAWER_PIN2
    printed = [parse(b).qr_store for b in sessions[1:]]
    assert printed == [[before.receipt_no.encode()], [sale.receipt_no.encode()]]


# --- one paper setting -----------------------------------------------------------------------


def write_config(tmp_path: Path, text: str) -> Path:
    ensure_config(tmp_path)
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_printer_paper_is_the_one_paper_setting(tmp_path):
    path = write_config(tmp_path, '[printer]\nconnection = "file"\npaper = "58mm"\n')
    settings = printer_settings(load_config(path), path)
    assert (settings.paper, settings.columns) == ("58mm", 32)
    b = write_config(tmp_path, '[printer]\npaper = "58mm"\nfont = "b"\n')
    assert printer_settings(load_config(b), b).columns == 42


def test_an_old_config_with_receipt_paper_still_loads_and_is_honoured(tmp_path):
    """``[receipt] paper`` used to be written into every config and never read: a 58 mm
    store that set it got 48-column receipts. It still loads and counts when [printer]
    says nothing; when both say something, [printer] paper wins."""
    path = write_config(tmp_path, '[receipt]\npaper = "58mm"\n\n[printer]\nconnection = "file"\n')
    assert printer_settings(load_config(path), path).columns == 32
    both = write_config(tmp_path, '[receipt]\npaper = "80mm"\n\n[printer]\npaper = "58mm"\n')
    assert printer_settings(load_config(both), both).paper == "58mm"


def test_a_new_config_no_longer_writes_receipt_paper(tmp_path):
    ensure_config(tmp_path)
    text = (tmp_path / "config.toml").read_text(encoding="utf-8")
    receipt = text.split("[receipt]")[1].split("\n[")[0]
    assert "paper" not in receipt
    assert '# paper = "80mm"' in text  # the [printer] example shows where it lives


# --- words for every code --------------------------------------------------------------------


def test_every_printer_drawer_and_queue_code_has_words_in_both_languages():
    import re

    from devices.camera import MESSAGE_CODES
    from devices.decoding import IMAGE_CANNOT_READ, IMAGE_NOT_AN_IMAGE
    from devices.printer import DRAWER_FAILURES, FAILURES, PAPER_NEAR_END
    from terminal.messages import CATALOGUE, devices, printing, render

    image = (IMAGE_CANNOT_READ, IMAGE_NOT_AN_IMAGE)
    for code in (*FAILURES, *DRAWER_FAILURES, PAPER_NEAR_END, *MESSAGE_CODES, *image):
        assert code in devices.MESSAGES, code
    root = Path(__file__).resolve().parents[2]
    sources = ["terminal/print_jobs.py", "terminal/receipts.py", "ui/cli/print_cmds.py"]
    raised = set()
    for name in sources:
        text = (root / name).read_text(encoding="utf-8")
        raised |= set(re.findall(r'(?:NotFound|StateError|InvalidInput)\("([a-z_]+)"', text))
    assert raised and raised <= set(printing.MESSAGES), raised - set(printing.MESSAGES)
    for code in (*devices.MESSAGES, *printing.MESSAGES):
        zh, en = CATALOGUE[code]
        assert zh and en and zh != en
        assert render(code, {"receipt_no": "X", "kind": "x", "count": 1, "copies": 1}) != code
