"""``posterm reprint``: the command logs the user in; the core checks REPRINT and audits."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from terminal import auth, shift_close
from terminal.checkout import Checkout
from terminal.home import TerminalHome
from terminal.store.models import AuditEvent, PrintJob
from terminal.tenders import Tender
from tests.devices.test_printer_render import parse
from ui.cli import main


def test_reprint_prints_a_marked_copy_and_is_audited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "till"
    assert main(["demo", "--data-dir", str(data), "--members", "5"]) == 0
    till = TerminalHome.open(data)
    try:
        now = datetime.now(UTC)
        with till.db.transaction() as s:
            cashier = auth.login(s, "1001", "1111", now=now)
        settings = till.settings()
        shift_close.open_shift(
            till.db, terminal_id=settings.terminal_id, actor=cashier, opening_float=0, now=now
        )
        co = Checkout(till.db, settings, cashier)
        co.add("SKU000002", 1)
        receipt_no = co.pay([Tender("card", co.quote().payable)]).receipt_no
    finally:
        till.close()

    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n"))
    assert main(["reprint", receipt_no, "--user", "1001", "--data-dir", str(data)]) == 0
    printed = parse((data / "receipt.bin").read_bytes())  # the original never printed: the
    assert any("重印 REPRINT" in line for line in printed.kanji)  # run printed both, copy last
    assert printed.qr_store == [receipt_no.encode()]
    till = TerminalHome.open(data)
    try:
        with till.db.sessions() as s:
            event = s.scalars(
                select(AuditEvent).where(AuditEvent.action == "receipt_reprint")
            ).one()
            assert event.user_id == cashier.user_id and event.target == receipt_no
            assert sorted(j.kind for j in s.scalars(select(PrintJob))) == ["receipt", "reprint"]
    finally:
        till.close()
