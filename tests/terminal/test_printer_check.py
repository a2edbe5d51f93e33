"""The printer check page is a document the receipt layout prints like a receipt."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from devices.printer import PrinterSettings, ReceiptPrinter, print_document
from devices.printer.layout import layout_document, text_layer
from terminal.errors import NotFound
from terminal.printer_check import check_page_document
from terminal.store.database import Database
from terminal.store.models import Store, Terminal

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_the_page_names_the_store_the_connection_and_prints_on_58mm(
    demo_db: Database, tmp_path
) -> None:
    with demo_db.sessions() as s:
        terminal_id = s.scalars(select(Terminal.id)).one()
        store = s.scalars(select(Store)).one()
        doc = check_page_document(
            s, terminal_id, now=AT, tz="Asia/Shanghai", printer="network 10.0.0.9:9100"
        )
    lines = "\n".join(text_layer(layout_document(doc, 32)))
    assert store.name in lines
    assert "打印测试 TEST PAGE" in lines
    assert "network 10.0.0.9:9100" in lines
    assert "2026-11-23 10:00:00" in lines  # the store's local time
    assert "¥12.30" in lines
    out = tmp_path / "page.bin"
    printer = ReceiptPrinter(PrinterSettings(connection="file", file_path=str(out), paper="58mm"))
    outcome = print_document(printer, doc)
    assert outcome.ok, outcome.code
    assert "打印测试".encode("gb18030") in out.read_bytes()


def test_an_unknown_terminal_is_refused(demo_db: Database) -> None:
    with demo_db.sessions() as s, pytest.raises(NotFound):
        check_page_document(s, "no-such-terminal", now=AT, tz="Asia/Shanghai", printer="x")
