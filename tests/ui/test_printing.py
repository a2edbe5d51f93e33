"""Receipts from the store's queue to the printer: printed, or kept with a reason."""

from __future__ import annotations

import socket

from sqlalchemy import select

from devices.printer import PrinterSettings, ReceiptPrinter
from terminal.store.models import PrintJob
from tests.terminal.tillkit import make_till, ring
from ui.printing import messages, print_waiting


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
    assert [r.outcome.ok for r in results] == [False]
    [line] = messages(results)
    assert "打印机" in line  # words a cashier understands, not a socket error
    with demo_db.sessions() as s:
        job = s.scalars(select(PrintJob).where(PrintJob.sale_id == sale.sale_id)).one()
        assert job.status == "failed" and job.last_error

    out = tmp_path / "receipt.bin"
    alive = ReceiptPrinter(PrinterSettings(connection="file", file_path=str(out)))
    assert print_waiting(demo_db, alive) == []  # failed jobs wait for an explicit retry
    results = print_waiting(demo_db, alive, retry_failed=True)
    assert [r.outcome.ok for r in results] == [True]
    data = out.read_bytes()
    assert sale.receipt_no.encode() in data
    assert b"\x1d\x56" in data  # GS V: the paper is cut
    with demo_db.sessions() as s:
        assert s.scalars(select(PrintJob.status)).all() == ["printed"]
