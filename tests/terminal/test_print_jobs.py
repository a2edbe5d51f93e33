"""Print jobs in the store, wired to the device side as the till does it.

The glue lives in the test (``run_job``): read the job's document, print it with
``devices.printer.print_document`` outside any transaction, then record the
outcome. A failed print leaves the job failed with the cashier's message and the
sale exactly as it was committed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from devices.printer import PrinterSettings, ReceiptPrinter, print_document
from terminal import print_jobs, shifts
from terminal.errors import StateError
from terminal.receipts import z_report_document
from terminal.store.models import AuditEvent, OutboxRow, PrintJob, Sale
from terminal.tenders import Tender
from tests.devices.test_printer_render import CUT, DRAWER, parse
from tests.terminal.tillkit import make_till, member_no


def file_printer(path) -> ReceiptPrinter:
    return ReceiptPrinter(PrinterSettings(connection="file", file_path=str(path)))


def run_job(db, printer: ReceiptPrinter, job_id: str, now):
    """The till's glue: print a queued job and record what happened."""
    with db.sessions() as s:
        document = dict(print_jobs.get(s, job_id).document)
    outcome = print_document(printer, document)
    with db.transaction() as s:
        if outcome.ok:
            print_jobs.mark_printed(s, job_id, now=now)
        else:
            print_jobs.mark_failed(s, job_id, outcome.message)
    return outcome


def sell(till, *, cash=True):
    co = till.checkout()
    co.add("SKU000200", 3)
    co.add("SKU000040", 2)
    co.attach_member(member_no(till.db, "gold"))
    due = co.quote().payable
    result = co.pay([Tender("cash", due + 500)] if cash else [Tender("card", due)])
    with till.db.sessions() as s:  # pay() queued the receipt with the sale
        [job] = print_jobs.jobs_for_sale(s, result.sale_id)
        job_id = job.id
    return result, job_id


def test_sale_receipt_prints_to_a_file_printer_and_is_marked_printed(demo_db, tmp_path):
    till = make_till(demo_db)
    result, job_id = sell(till)
    with demo_db.sessions() as s:
        assert [j.id for j in print_jobs.pending(s)] == [job_id]
    out = run_job(demo_db, file_printer(tmp_path / "lp0"), job_id, till.now)
    assert out.ok
    parsed = parse((tmp_path / "lp0").read_bytes())
    assert parsed.qr_store == [result.receipt_no.encode()]
    assert any("鲜果生活超市" in k for k in parsed.kanji)
    assert any("金卡" in k for k in parsed.kanji)
    assert parsed.count(DRAWER) == 1 and parsed.count(CUT) == 1
    with demo_db.sessions() as s:
        job = print_jobs.get(s, job_id)
        assert (job.status, job.attempts, job.kind, job.sale_id) == (
            "printed",
            1,
            "receipt",
            result.sale_id,
        )
        assert job.printed_at is not None and job.last_error == ""
        assert print_jobs.pending(s) == [] and print_jobs.failed(s) == []
    with demo_db.transaction() as s, pytest.raises(StateError):
        print_jobs.mark_printed(s, job_id, now=till.now)


def test_a_failed_print_keeps_the_job_and_never_touches_the_sale(demo_db, tmp_path):
    till = make_till(demo_db)
    result, job_id = sell(till)
    with demo_db.sessions() as s:
        before = s.get(Sale, result.sale_id)
        snapshot = (before.receipt_no, before.payable, before.status, len(before.lines))
        outbox = s.scalar(select(func.count()).select_from(OutboxRow))
    unplugged = file_printer(tmp_path / "missing-dir" / "lp0")
    out = run_job(demo_db, unplugged, job_id, till.now)
    assert not out.ok
    with demo_db.sessions() as s:
        job = print_jobs.get(s, job_id)
        assert job.status == "failed" and job.attempts == 1
        assert job.last_error == "打印机未连接，请检查电源和数据线，小票已保存可重打"
        assert [j.id for j in print_jobs.failed(s)] == [job_id]
        sale = s.get(Sale, result.sale_id)
        assert (sale.receipt_no, sale.payable, sale.status, len(sale.lines)) == snapshot
        assert s.scalar(select(func.count()).select_from(OutboxRow)) == outbox
    # the printer is back: the waiting job is retried and prints
    with demo_db.transaction() as s:
        print_jobs.retry(s, job_id)
    assert run_job(demo_db, file_printer(tmp_path / "lp0"), job_id, till.now).ok
    with demo_db.sessions() as s:
        job = print_jobs.get(s, job_id)
        assert (job.status, job.attempts, job.last_error) == ("printed", 2, "")
    assert parse((tmp_path / "lp0").read_bytes()).count(DRAWER) == 1


def test_reprint_is_marked_opens_no_drawer_and_is_audited(demo_db, tmp_path):
    till = make_till(demo_db)
    result, job_id = sell(till)
    run_job(demo_db, file_printer(tmp_path / "first"), job_id, till.now)
    later = till.now + timedelta(minutes=5)
    with demo_db.transaction() as s:
        copy = print_jobs.reprint(
            s,
            result.sale_id,
            now=later,
            user_id=till.supervisor.user_id,
            terminal_id=till.settings.terminal_id,
        )
        copy_id = copy.id
        assert copy.kind == "reprint" and copy.document["reprint"] is True
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "receipt_reprint")
            )
            == 1
        )
    assert run_job(demo_db, file_printer(tmp_path / "copy"), copy_id, later).ok
    parsed = parse((tmp_path / "copy").read_bytes())
    assert any("重印 REPRINT" in k for k in parsed.kanji)
    assert parsed.count(DRAWER) == 0 and parsed.count(CUT) == 1
    assert parsed.qr_store == [result.receipt_no.encode()]
    with demo_db.sessions() as s:
        assert [j.kind for j in print_jobs.jobs_for_sale(s, result.sale_id)] == [
            "receipt",
            "reprint",
        ]


def test_card_sale_receipt_has_no_drawer_kick(demo_db, tmp_path):
    till = make_till(demo_db)
    _, job_id = sell(till, cash=False)
    assert run_job(demo_db, file_printer(tmp_path / "lp0"), job_id, till.now).ok
    parsed = parse((tmp_path / "lp0").read_bytes())
    assert parsed.count(DRAWER) == 0 and parsed.count(CUT) == 1


def test_a_job_is_written_in_the_callers_transaction(demo_db):
    till = make_till(demo_db)
    result, _ = sell(till)
    with pytest.raises(RuntimeError), demo_db.transaction() as s:
        print_jobs.enqueue_sale(s, result.sale_id)
        raise RuntimeError("rolled back")
    with demo_db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(PrintJob)) == 1


def test_z_summary_job_prints(demo_db, tmp_path):
    till = make_till(demo_db)
    sell(till)
    with demo_db.transaction() as s:
        summary = shifts.close_shift(
            s,
            terminal_id=till.settings.terminal_id,
            actor=till.supervisor,
            counts={10000: 5},
            now=till.now + timedelta(hours=8),
        )
        job = print_jobs.enqueue(s, z_report_document(s, summary, tz="Asia/Shanghai"))
        job_id = job.id
        assert job.kind == "z_report" and job.sale_id is None
    assert run_job(demo_db, file_printer(tmp_path / "z"), job_id, till.now).ok
    parsed = parse((tmp_path / "z").read_bytes())
    assert any("交班报表 (Z)" in k for k in parsed.kanji)
    assert parsed.count(DRAWER) == 0 and parsed.count(CUT) == 1 and not parsed.qr_store
    with demo_db.transaction() as s:
        copy_id = print_jobs.reprint_job(s, job_id, now=till.now, tz="Asia/Shanghai").id
    assert run_job(demo_db, file_printer(tmp_path / "z2"), copy_id, till.now).ok
    again = parse((tmp_path / "z2").read_bytes())
    assert any("重印 REPRINT" in k for k in again.kanji)
    assert any("交班报表 (Z)" in k for k in again.kanji)


def test_refund_slip_job_prints(demo_db, tmp_path):
    from terminal.returns import process_return

    till = make_till(demo_db)
    result, _ = sell(till)
    ret = process_return(
        demo_db,
        till.settings,
        till.cashier,
        receipt_no=result.receipt_no,
        reason="顾客退货",
        approver=till.supervisor,
        clock=lambda: till.now,
    )
    with demo_db.sessions() as s:  # the return queued its refund slip
        [job] = print_jobs.jobs_for_sale(s, ret.return_id)
        job_id = job.id
        assert job.kind == "refund"
    assert run_job(demo_db, file_printer(tmp_path / "r"), job_id, till.now).ok
    parsed = parse((tmp_path / "r").read_bytes())
    assert any("退货单" in k for k in parsed.kanji)
    assert any(result.receipt_no in line for line in parsed.lines)
    assert parsed.qr_store == [ret.receipt_no.encode()]
